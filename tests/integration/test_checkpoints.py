"""Item 3 of issue 11: whoever holds the database can rewrite a chain and recompute its hashes,
and `audit verify` alone passes; a signed checkpoint kept outside the database catches it."""

from __future__ import annotations

import json
import subprocess
from dataclasses import replace
from pathlib import Path

from sqlalchemy import update

from casefiles.adapters.repository import CASES
from casefiles.adapters.stores import HISTORY
from casefiles.domain.history import digest
from casefiles.services.app import Casefiles
from casefiles.services.audit import verify_all
from casefiles.services.checkpoints import compare, public_key, write_checkpoint
from tests.support import CASEFILES, SMALL_FINE, cli_env, open_bureau, play, until


def _rewrite_from_entry_2(cf: Casefiles, case_id: str) -> None:
    """Change entry 2, recompute every later hash and link, and move the case's head."""
    with cf.uow(write=True) as uow:
        entries = uow.history.chain(case_id)
        prev = entries[0].hash
        for e in entries[1:]:
            e = replace(e, prev_hash=prev, actor="sun" if e.seq == 2 else e.actor)
            e = replace(e, hash=digest(e.content()))
            uow.conn.execute(update(HISTORY).where(HISTORY.c.chain == case_id,
                                                   HISTORY.c.seq == e.seq)
                             .values(actor=e.actor, prev_hash=e.prev_hash, hash=e.hash))
            prev = e.hash
        uow.conn.execute(update(CASES).where(CASES.c.id == case_id).values(history_head=prev))
        uow.commit()


def test_a_rewritten_chain_passes_alone_and_fails_against_a_checkpoint(
        db_url: str, tmp_path: Path) -> None:
    """After the rewrite the chains verify, but the checkpoint names the case's old head."""
    cf, clock = open_bureau(db_url, data_dir=tmp_path / "data")
    case_id = play(cf, clock, until(SMALL_FINE, "notify"))
    written = write_checkpoint(cf, tmp_path / "archive")
    key = public_key(cf)
    with cf.uow() as uow:
        assert compare(uow, tmp_path / "archive", key) == (1, [])
    _rewrite_from_entry_2(cf, case_id)
    with cf.uow() as uow:
        assert verify_all(uow).ok  # the attack of the issue: the chain alone still verifies
        read, breaks = compare(uow, tmp_path / "archive", key)
    head = json.loads(written.path.read_text())["checkpoint"]["chains"][case_id]["seq"]
    assert read == 1 and [(b.chain, b.seq) for b in breaks] == [(case_id, head)]


def test_a_checkpoint_edited_or_signed_with_another_key_is_refused(
        db_url: str, tmp_path: Path) -> None:
    """Editing a head inside a checkpoint breaks its signature; so does verifying with
    another bureau's key."""
    cf, clock = open_bureau(db_url, data_dir=tmp_path / "data")
    case_id = play(cf, clock, until(SMALL_FINE, "file"))
    written = write_checkpoint(cf, tmp_path / "archive")
    other, _ = open_bureau(db_url, data_dir=tmp_path / "other")
    write_checkpoint(other, tmp_path / "elsewhere")
    with cf.uow() as uow:
        _, foreign = compare(uow, tmp_path / "archive", public_key(other))
    assert [b.chain for b in foreign] == ["checkpoint"]
    signed = json.loads(written.path.read_text())
    signed["checkpoint"]["chains"][case_id]["hash"] = "0" * 64
    written.path.write_text(json.dumps(signed))
    with cf.uow() as uow:
        _, breaks = compare(uow, tmp_path / "archive", public_key(cf))
    assert len(breaks) == 1 and "signature" in breaks[0].reason


def test_the_cli_writes_a_checkpoint_and_verifies_against_it(db_url: str,
                                                             tmp_path: Path) -> None:
    """`audit checkpoint --out DIR`, then `audit verify --checkpoints DIR`: 0, and 1 naming
    the case once its chain is rewritten."""
    cf, clock = open_bureau(db_url, data_dir=tmp_path / "data")
    case_id = play(cf, clock, until(SMALL_FINE, "notify"))
    env = cli_env(CASEFILES_DATABASE_URL=db_url, CASEFILES_DATA_DIR=str(tmp_path / "data"))

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([CASEFILES, "audit", *args], capture_output=True, text=True,
                              env=env, timeout=120, check=False)

    assert run("checkpoint", "--out", str(tmp_path / "archive")).returncode == 0
    assert run("verify", "--checkpoints", str(tmp_path / "archive")).returncode == 0
    _rewrite_from_entry_2(cf, case_id)
    assert run("verify").returncode == 0
    done = run("verify", "--checkpoints", str(tmp_path / "archive"))
    assert done.returncode == 1 and case_id in done.stdout
