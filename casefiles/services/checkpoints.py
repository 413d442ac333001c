"""Checkpoints anchor the history chains outside the database.

Whoever holds the database can rewrite an entry, recompute every later hash and move the
case's head: the chains then verify. A checkpoint is the list of every chain's head (its last
entry's number and hash) at a moment, signed with the bureau's Ed25519 key, which is kept in a
file outside the database, and written to a file that the bureau archives or prints (run
``casefiles audit checkpoint`` daily). ``casefiles audit verify --checkpoints DIR`` then checks
each archived checkpoint's signature against the bureau's public key and that every entry it
names still has the hash it had: a rewritten past no longer matches.

What it does not prove: anything about entries written after the last checkpoint; anything,
if the private key and the archived checkpoints are both in the rewriter's hands (keep the
archive, or the printed public key fingerprint, elsewhere); and nothing about data that is not
in a history chain."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import and_, func, select

from casefiles.adapters import signing
from casefiles.adapters.stores import HISTORY
from casefiles.domain.canonical import NotJSONError, canonical_bytes, strict_loads
from casefiles.domain.history import Break
from casefiles.domain.timefmt import aware
from casefiles.services.app import Casefiles
from casefiles.services.uow import UnitOfWork

FORMAT = "casefiles-checkpoint/1"


@dataclass(frozen=True)
class Written:
    """A checkpoint just written: its file, how many chains it anchors, the key's fingerprint."""

    path: Path
    chains: int
    key: str


def key_path(cf: Casefiles) -> Path:
    """The private key's file: CASEFILES_CHECKPOINT_KEY, else DATA_DIR/checkpoint_key.pem."""
    return cf.settings.checkpoint_key or Path(cf.settings.data_dir) / "checkpoint_key.pem"


def heads(uow: UnitOfWork) -> dict[str, dict[str, Any]]:
    """Every chain's last entry: {chain: {"seq": n, "hash": h}}."""
    last = (select(HISTORY.c.chain, func.max(HISTORY.c.seq).label("seq"))
            .group_by(HISTORY.c.chain).subquery())
    rows = uow.conn.execute(select(HISTORY.c.chain, HISTORY.c.seq, HISTORY.c.hash).join(
        last, and_(HISTORY.c.chain == last.c.chain, HISTORY.c.seq == last.c.seq)))
    return {r["chain"]: {"seq": int(r["seq"]), "hash": r["hash"]} for r in rows.mappings()}


def write_checkpoint(cf: Casefiles, folder: Path) -> Written:
    """Sign the heads of every chain now and write them to a new file in ``folder``."""
    key = signing.private_key(key_path(cf))
    public = key.public_key()
    with cf.uow() as uow:
        chains = heads(uow)
    now = aware(cf.clock.now())
    body = {"format": FORMAT, "made_at": now.isoformat(), "key": signing.fingerprint(public),
            "chains": chains}
    signed = {"checkpoint": body, "signature": signing.sign(key, canonical_bytes(body)),
              "public_key": signing.public_pem(public)}
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"checkpoint-{now.strftime('%Y%m%dT%H%M%S%f')}.json"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(signed, fh, ensure_ascii=False, indent=1, sort_keys=True)
    return Written(path, len(chains), str(body["key"]))


def public_key(cf: Casefiles, given: Path | None = None) -> Ed25519PublicKey:
    """The key checkpoints are verified with: a PEM file the bureau kept, else the public half
    of the private key file."""
    if given is not None:
        return signing.load_public(given.read_text(encoding="ascii"))
    path = key_path(cf)
    if not path.exists():
        raise FileNotFoundError(f"没有检查点密钥 / no checkpoint key at {path}")
    return signing.private_key(path).public_key()


def compare(uow: UnitOfWork, folder: Path, key: Ed25519PublicKey) -> tuple[int, list[Break]]:
    """(checkpoints read, breaks): a checkpoint whose signature fails, and every entry a
    checkpoint names that is missing or has another hash now."""
    files = sorted(folder.glob("checkpoint-*.json"))
    known = {(r["chain"], int(r["seq"])): r["hash"] for r in uow.conn.execute(
        select(HISTORY.c.chain, HISTORY.c.seq, HISTORY.c.hash)).mappings()}
    breaks: list[Break] = []
    for path in files:
        try:
            signed = strict_loads(path.read_bytes())
            body = signed["checkpoint"]
            genuine = signing.verifies(key, canonical_bytes(body), signed["signature"])
        except (NotJSONError, KeyError, TypeError) as exc:
            breaks.append(Break("checkpoint", 0, f"{path.name} cannot be read: {exc}"))
            continue
        if not genuine or body.get("format") != FORMAT:
            breaks.append(Break("checkpoint", 0, f"{path.name}: the signature does not verify "
                                                 "with the bureau's key"))
            continue
        for chain, head in sorted(body["chains"].items()):
            now = known.get((chain, int(head["seq"])))
            if now is None:
                breaks.append(Break(chain, int(head["seq"]), f"missing, though {path.name} "
                                                             "holds it"))
            elif now != head["hash"]:
                breaks.append(Break(chain, int(head["seq"]), f"differs from {path.name}"))
    return len(files), breaks
