"""`audit verify` in several processes names the same breaks, in the same order, as in one; and
its fast hashing of stored rows agrees with the entries' own for every kind of JSON value."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, insert, update

from casefiles.adapters.stores import HISTORY
from casefiles.domain.history import make_entry
from casefiles.services.app import Casefiles
from casefiles.services.audit import AuditReport, verify_all
from casefiles.settings import Settings
from tests.support import DRILL, START

# values whose canonical bytes a fast encoder may not give (floats, which take the canonical
# encoder; integers beyond 64 bits and deep nesting, which msgspec must encode alike) beside
# characters and key order by code point
AWKWARD: list[Any] = [
    {"amount": 1500000, "facts": "未按规定培训", "键": "值", "é": 1, "z": [True, None]},
    {"ratio": 0.1, "tiny": 1e-07, "big": 1e16, "neg": -0.0, "huge": 1.5e300},
    {"beyond": 2**70 + 1, "below": -(2**64)},
    {"text": "𠮷\u2028\"\\/\t\x7f\u00ad", "\uffff": 1, "𠮷": 2, "": 3},
    {"deep": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]] * 10},
    None,
]


def _history(url: str, tmp_path: Path, chains: int = 24, per_chain: int = 6) -> Casefiles:
    cf = Casefiles(Settings(data_dir=tmp_path), database_url=url, drill=DRILL)
    cf.init()
    rows = []
    for c in range(chains):
        prev = None
        for seq in range(1, per_chain + 1):
            payload = AWKWARD[(c + seq) % len(AWKWARD)]
            if payload is not None and "deep" in payload:
                payload = {"deep": _nested(300)}  # past orjson's depth of 254 (which verify used before)
            e = make_entry(chain=f"case-{c:03d}", seq=seq, prev_hash=prev, case_id=None,
                           at=_at(c, seq), actor="zhang",
                           role="officer", action="record", payload=payload, result="ok",
                           codes=["X"] if seq % 2 else [], warnings=[], state_before=None,
                           state_after="investigating", files=[],
                           rule_sets=None if c % 3 else [{"id": "hengshan-2021",
                                                          "sha256": "ab" * 32}])
            rows.append({f: getattr(e, f) for f in e.__dataclass_fields__})
            prev = e.hash
    with cf.engine.begin() as conn:
        conn.execute(insert(HISTORY), rows)
    return cf


def _at(chain: int, seq: int) -> datetime:
    """Entries over years, at whole seconds and at fractions of one; the first chain's across the hour Shanghai's clocks went forward in
    1986 (the hour whose offset changes inside it takes the zone's arithmetic)."""
    if chain == 0:
        return datetime(1986, 5, 3, 17, 57, 30, 123456, tzinfo=UTC) + timedelta(minutes=seq)
    # microseconds with trailing zeros, which PostgreSQL's text of a time leaves out
    return START + timedelta(days=chain * 97, minutes=seq, microseconds=chain % 4 * 250000)


def _nested(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = [value]
    return value


def _verify(cf: Casefiles, processes: int) -> AuditReport:
    with cf.uow() as uow:
        return verify_all(uow, processes=processes)


def test_every_kind_of_stored_value_verifies_in_one_process_and_in_three(
        db_url: str, tmp_path: Path) -> None:
    """Floats, big integers, astral characters and deep nesting, stored and read back, verify
    whole whether one process or three check them."""
    cf = _history(db_url, tmp_path)
    for processes in (1, 3):
        report = _verify(cf, processes)
        assert report.ok, report.breaks[:3]
        assert (report.chains, report.entries) == (24, 24 * 6)


def test_changed_and_removed_entries_are_named_alike_by_one_process_and_by_three(
        db_url: str, tmp_path: Path) -> None:
    """An edited float payload, an edited actor and a removed entry in chains that different
    processes verify are each named, and the reports are equal."""
    cf = _history(db_url, tmp_path)
    with cf.engine.begin() as conn:
        conn.execute(update(HISTORY).where(HISTORY.c.chain == "case-001", HISTORY.c.seq == 1)
                     .values(payload={"ratio": 0.2, "tiny": 1e-07, "big": 1e16, "neg": -0.0,
                                      "huge": 1.5e300}))
        conn.execute(update(HISTORY).where(HISTORY.c.chain == "case-012", HISTORY.c.seq == 4)
                     .values(actor="sun"))
        conn.execute(delete(HISTORY).where(HISTORY.c.chain == "case-023", HISTORY.c.seq == 2))
    one, three = _verify(cf, 1), _verify(cf, 3)
    assert [(b.chain, b.seq, b.reason) for b in one.breaks] == [
        ("case-001", 1, "content does not match its hash"),
        ("case-012", 4, "content does not match its hash"),
        ("case-023", 3, "entry 2 is missing")]
    assert three == one


def test_a_failed_verifying_process_stops_the_others_and_says_so(
        db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """When one process verifying a range fails (its connection lost, killed), `audit verify`
    answers with an error saying so in Chinese, not with a report, and leaves no other
    verifying process running."""
    import subprocess
    import sys

    from casefiles.domain.errors import VerifierFailedError
    from casefiles.services import audit

    cf = _history(db_url, tmp_path)
    if db_url.startswith("sqlite") and ":memory:" in db_url:
        pytest.skip("an in-memory database is verified in one process")
    started: list[subprocess.Popen[bytes]] = []
    real_start = audit._start

    def start(url: str, lo: str | None, hi: str | None) -> subprocess.Popen[bytes]:
        if not started:  # the first range's process dies at once
            proc = subprocess.Popen([sys.executable, "-c", "import sys; sys.exit(3)"],
                                    stdout=subprocess.PIPE)
        else:  # the others would take long
            proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"],
                                    stdout=subprocess.PIPE)
        started.append(proc)
        return proc

    monkeypatch.setattr(audit, "_start", start)
    with pytest.raises(VerifierFailedError, match="校验进程失败（退出码 3）"):
        _verify(cf, 3)
    assert len(started) == 2 and all(p.poll() is not None for p in started)
    monkeypatch.setattr(audit, "_start", real_start)
    assert _verify(cf, 3).ok


def test_a_time_or_json_column_changed_into_text_that_is_none_is_a_break(
        db_url: str, tmp_path: Path) -> None:
    """SQLite keeps times and JSON as text, which anyone with the file can overwrite with
    anything: such an entry is named as changed, and the rest of the history still verified,
    rather than `audit verify` stopping with a traceback."""
    if not db_url.startswith("sqlite"):
        pytest.skip("PostgreSQL's typed columns refuse such text")
    cf = _history(db_url, tmp_path)
    with cf.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE history SET at = 'yesterday' WHERE chain = 'case-002' "
                             "AND seq = 2")
        conn.exec_driver_sql("UPDATE history SET payload = '{\"amount\": 15' WHERE "
                             "chain = 'case-005' AND seq = 3")
        conn.exec_driver_sql("UPDATE history SET codes = '[0.5,' WHERE chain = 'case-007' "
                             "AND seq = 1")
    for processes in (1, 3):
        report = _verify(cf, processes)
        assert [(b.chain, b.seq, b.reason) for b in report.breaks] == [
            ("case-002", 2, "content does not match its hash"),
            ("case-005", 3, "content does not match its hash"),
            ("case-007", 1, "content does not match its hash")]
        assert report.entries == 24 * 6
