"""`casefiles report --from --to --pdf OUT` through the console script (SPEC §7): the bureau's
PDF lands at OUT with the figures of the database, while stdout still carries the JSON."""

from __future__ import annotations

import json
import subprocess
from datetime import date
from pathlib import Path

from casefiles.domain.vocabulary import SECTORS
from casefiles.services.report import jsonable_report, period_report
from tests.report_world import half_year
from tests.support import CASEFILES, cli_env, moment, open_bureau


def test_report_pdf_writes_the_bureaus_report_beside_the_json(tmp_path: Path) -> None:
    """The PDF names the period and carries the fine the world decided in its sector's row;
    stdout is the same object as period_report gives."""
    url = f"sqlite:///{tmp_path / 'casefiles.db'}"
    cf, clock = open_bureau(url, start=moment("2026-03-02T09:00"), data_dir=tmp_path / "data",
                            drill=None)
    done = half_year(cf, clock)
    out = tmp_path / "半年报告.pdf"
    run = subprocess.run([CASEFILES, "report", "--from", "2026-01-01", "--to", "2026-06-30",
                          "--json", "--pdf", str(out), "--db", url], capture_output=True,
                         text=True, env=cli_env(CASEFILES_DATA_DIR=str(tmp_path / "data")),
                         timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == json.loads(json.dumps(
        jsonable_report(period_report(cf, date(2026, 1, 1), date(2026, 6, 30)))))
    assert "已生成统计报告" in run.stderr
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], check=True,
                          capture_output=True, text=True).stdout
    assert "统计期间：2026年1月1日至2026年6月30日" in text
    fines = text[text.index("六、罚款"):text.index("七、")]
    row = next(line.split() for line in fines.splitlines()
               if line.split()[:1] == [SECTORS[done.case_sector]])
    assert row[1:3] == [f"{done.fine:,.2f}"] * 2
