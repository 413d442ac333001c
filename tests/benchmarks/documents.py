"""Benchmark (not a test): how fast casefiles renders its documents.

Prints, for the penalty decision of shared scenario 01 rendered warm (median of 31 runs after a
warm-up), milliseconds per document and per page; beside it, in the same run, plain WeasyPrint
rendering the same HTML with the system Noto Serif CJK collection (HarfBuzz subsetting the
26 MB collection); a one-page document (the 立案审批表) for reference; and the time to assemble a
30-page case file (cover, contents, stamped pages) from stored documents.

    .venv/bin/python tests/benchmarks/documents.py            # add --runs N to change 31
Goals (issue 3), on one core: ≤ 60 ms per one-page document, a 30-page dossier ≤ 1.5 s.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from casefiles.adapters.dossier import Part, assemble
from casefiles.adapters.pdf import TEMPLATES, Renderer
from casefiles.clock import SimulatedClock
from casefiles.domain.documents import DOSSIER
from casefiles.replay import load, run
from casefiles.services.app import Casefiles
from casefiles.services.documents import render_pending, renderer
from casefiles.settings import Settings

SCENARIO = ROOT.parent / "shared" / "scenarios" / "01_mine_major_fine.yaml"


def timed(fn: Callable[[], object], runs: int) -> tuple[float, object]:
    """Median milliseconds of ``runs`` calls after one warm-up call, and the last result."""
    result = fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), result


def main() -> None:
    """Play scenario 01, render its documents, then time the decision, baseline and dossier."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=31)
    runs = parser.parse_args().runs
    data = Path(tempfile.mkdtemp(prefix="casefiles-bench-docs-"))
    settings = Settings(data_dir=data)
    url = f"sqlite:///{data / 'casefiles.db'}"
    for step in run(SCENARIO, load(SCENARIO), url, settings):
        assert step.met, step.line
    cf = Casefiles(settings, SimulatedClock(load(SCENARIO).start), url)
    start = time.perf_counter()
    report = render_pending(cf, batch=1000)
    cold = time.perf_counter() - start
    r: Renderer = renderer(cf)
    with cf.uow() as uow:
        case = uow.cases.get(uow.cases.ids()[0])
        assert case is not None
        facts = {d.kind: (d, uow.contents.get(d.id)) for d in case.documents}

    def render(kind: str) -> Callable[[], object]:
        doc, kind_facts = facts[kind]
        return lambda: r.render(kind, kind_facts or {}, doc.issued_at.isoformat())

    decision_ms, decision = timed(render("行政处罚决定书"), runs)
    filing_ms, filing = timed(render("立案审批表"), runs)
    page, _ = r.html(TEMPLATES["行政处罚决定书"], facts["行政处罚决定书"][1] or {},
                     created=facts["行政处罚决定书"][0].issued_at.isoformat())
    plain_css = CSS(string=(ROOT / "templates" / "documents" / "style.css").read_text("utf-8")
                    .replace("CasefilesSong, ", ""))
    plain_fonts = FontConfiguration()
    baseline_ms, baseline = timed(
        lambda: HTML(string=page).write_pdf(stylesheets=[plain_css], font_config=plain_fonts),
        max(5, runs // 3))

    # a 30-page case file: scenario 01's stored documents, plus further inquiry records (a
    # case with more witnesses) until the documents fill 28 pages behind cover and contents
    stored = [d for d in case.documents if d.kind != DOSSIER]
    parts = [Part(d.kind, d.number, "2020年5月28日", "", (data / str(d.path)).read_bytes())
             for d in stored]
    inquiry = next(p for p in parts if p.kind == "询问笔录")
    from io import BytesIO

    from pypdf import PdfReader

    def pages_of(parts_: list[Part]) -> int:
        return sum(len(PdfReader(BytesIO(p.pdf)).pages) for p in parts_)

    while pages_of(parts) < 28:
        parts.append(inquiry)
    dossier_facts = facts[DOSSIER][1] or {}
    dossier_ms, dossier = timed(
        lambda: assemble(r, dossier_facts, parts, "2020-06-12T10:00:00+08:00"),
        max(5, runs // 3))

    print(f"scenario 01: {report.rendered} documents rendered and stored cold in {cold:.2f} s "
          f"({cold / max(report.rendered, 1) * 1000:.0f} ms each, fonts cut and first layout "
          "included)")
    print(f"penalty decision, warm, median of {runs}: {decision_ms:.1f} ms for "
          f"{decision.pages} pages = {decision_ms / decision.pages:.1f} ms per page")  # type: ignore[attr-defined]
    print(f"one-page 立案审批表, warm, median of {runs}: {filing_ms:.1f} ms "
          f"({filing.pages} page)")  # type: ignore[attr-defined]
    print(f"plain WeasyPrint, same decision HTML, system Noto Serif CJK collection: "
          f"{baseline_ms:.1f} ms = {baseline_ms / decision.pages:.1f} ms per page "  # type: ignore[attr-defined]
          f"({len(baseline) // 1024} KB vs {len(decision.pdf) // 1024} KB)")  # type: ignore
    print(f"case file of {dossier.pages} pages (cover, contents, {dossier.pages - 2} stamped "  # type: ignore[attr-defined]
          f"document pages), assembled from stored PDFs: {dossier_ms:.0f} ms")
    print("goals: ≤ 60 ms per one-page document; a 30-page dossier ≤ 1,500 ms")


if __name__ == "__main__":
    main()
