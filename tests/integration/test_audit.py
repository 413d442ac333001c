"""`audit verify` recomputes the hash chains and names the first entry edited behind its back."""

from __future__ import annotations

import subprocess
from typing import Any

import pytest
from sqlalchemy import delete, update

from casefiles.adapters.stores import HISTORY
from casefiles.services.app import Casefiles
from casefiles.services.audit import verify_all
from tests.support import CASEFILES, SMALL_FINE, cli_env, open_bureau, play, until


def _audit_cli(db_url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([CASEFILES, "audit", "verify"], capture_output=True, text=True,
                          env=cli_env(CASEFILES_DATABASE_URL=db_url), timeout=60, check=False)


def _verify(cf: Casefiles) -> Any:
    with cf.uow() as uow:
        return verify_all(uow)


EDITS = {
    "payload": {"payload": {"investigators": ["zhang", "newbie"], "cause": "未培训"}},
    "actor": {"actor": "sun"},
}


@pytest.mark.parametrize("edit", EDITS.values(), ids=list(EDITS))
def test_an_edited_history_entry_is_named_by_audit_verify(db_url: str,
                                                           edit: dict[str, Any]) -> None:
    """Editing entry 3 of a case's chain in the database makes verify name chain and entry 3."""
    cf, clock = open_bureau(db_url)
    case_id = play(cf, clock, until(SMALL_FINE, "notify"))
    play(cf, clock, [("2020-06-08T12:00", "li", "register", SMALL_FINE[0][3])])  # intact
    before = _verify(cf)
    assert before.ok and before.entries >= 6
    assert _audit_cli(db_url).returncode == 0
    with cf.uow(write=True) as uow:
        changed = uow.conn.execute(update(HISTORY).where(HISTORY.c.chain == case_id,
                                                         HISTORY.c.seq == 3).values(**edit))
        assert changed.rowcount == 1
        uow.commit()
    report = _verify(cf)
    assert [(b.chain, b.seq) for b in report.breaks] == [(case_id, 3)]
    done = _audit_cli(db_url)
    assert done.returncode == 1
    assert f"chain {case_id} entry 3" in done.stdout
    assert "content does not match its hash" in done.stdout


def test_a_removed_last_entry_is_named_by_audit_verify(db_url: str) -> None:
    """Deleting the newest entry of a chain is caught against the case's recorded length."""
    cf, clock = open_bureau(db_url)
    case_id = play(cf, clock, until(SMALL_FINE, "record"))
    with cf.uow(write=True) as uow:
        uow.conn.execute(delete(HISTORY).where(HISTORY.c.chain == case_id, HISTORY.c.seq == 3))
        uow.commit()
    report = _verify(cf)
    assert [(b.chain, b.seq) for b in report.breaks] == [(case_id, 3)]
    done = _audit_cli(db_url)
    assert done.returncode == 1 and f"chain {case_id} entry 3" in done.stdout


def test_an_edited_bureau_entry_is_named_by_audit_verify(db_url: str) -> None:
    """The bureau's own chain (people, refused registrations) is verified as well."""
    cf, _ = open_bureau(db_url)
    with cf.uow(write=True) as uow:
        uow.conn.execute(update(HISTORY).where(HISTORY.c.chain == "bureau", HISTORY.c.seq == 2)
                         .values(payload={"id": "li", "name": "李娜", "roles": ["head"]}))
        uow.commit()
    assert [(b.chain, b.seq) for b in _verify(cf).breaks] == [("bureau", 2)]


def test_what_is_hashed_survives_the_database_byte_for_byte(db_url: str) -> None:
    """Payloads with awkward numbers and characters, stored on SQLite or PostgreSQL and read
    back, give the same canonical bytes the hash was made of (issue 11, item 2)."""
    from casefiles.domain.canonical import canonical_bytes
    from casefiles.domain.history import jsonable

    cf, clock = open_bureau(db_url)
    case_id = play(cf, clock, until(SMALL_FINE, "file"))
    awkward = {"title": "𠮷\u2028\"\\/\t", "n": [0.1, 1e-07, 1e16, 2**63 + 1, -0.0, 1.5e300],
               "nested": {"b": True, "a": None, "键": "值"}}
    cf.act("zhang", "record", case_id, awkward)  # refused invalid_input, recorded as sent
    with cf.uow() as uow:
        stored = uow.history.chain(case_id)[-1]
    assert canonical_bytes(stored.payload) == canonical_bytes(jsonable(awkward))
    assert _verify(cf).ok


def test_an_action_taken_while_verify_reads_raises_no_false_break(
        db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A case acted on after verify read the recorded heads but before it read the chains is
    not named: the heads and the chains are read in one snapshot (on PostgreSQL, a unit of
    work's READ COMMITTED would see the new entry beside the old head)."""
    from casefiles.adapters import history_scan
    from casefiles.services import audit

    cf, clock = open_bureau(db_url)
    case_id = play(cf, clock, until(SMALL_FINE, "file"))
    read_heads = history_scan.heads
    acted = []

    def heads_then_an_action(conn: Any) -> Any:
        found = read_heads(conn)
        if not acted:  # another officer's action commits in between
            play(cf, clock, [("2020-06-03T10:00", "zhang", "record", SMALL_FINE[2][3])],
                 case=case_id)
            acted.append(True)
        return found

    monkeypatch.setattr(audit.history_scan, "heads", heads_then_an_action)
    report = _verify(cf)
    assert acted and report.breaks == []
    assert _verify(cf).ok and _verify(cf).entries == report.entries + 1
