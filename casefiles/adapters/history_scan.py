"""History chains read for `audit verify`: rows streamed by a range of chain names and hashed
straight from their columns, so that ranges can be verified in processes of their own.

Light on purpose (SQLAlchemy Core and the domain's hashing only): a verifying process starts
by importing this module. JSON columns are read as their stored text and decoded here; an
entry whose values hold no float is encoded by msgspec from a struct of its fields in sorted
order, whose bytes for such values are the canonical ones (keys sorted by code point,
characters as they are, the same escapes, integers of any size); an entry with a float, or
anything msgspec refuses, takes the domain's own canonical encoding. Either way the hash
compared is the one :meth:`Entry.recomputed` gives."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from itertools import groupby
from operator import itemgetter
from typing import Any

import msgspec
from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    Text,
    cast,
    column,
    func,
    literal,
    select,
    table,
)

from casefiles.domain.history import HASHED, Link, content_digest
from casefiles.domain.timefmt import SHANGHAI

_JSON_FIELDS = ("payload", "codes", "warnings", "files", "rule_sets")
# The hashed fields in canonical order (keys sorted), as msgspec structs: encoded with dict
# keys sorted, their bytes are the canonical ones (checked for every character and for
# integers beyond 64 bits) in a fraction of a dict's time. Entries written before rule sets
# were recorded have no such key.
_SORTED = sorted(HASHED)
_Hashed = msgspec.defstruct("_Hashed", [(f, object) for f in _SORTED])
_HashedBefore = msgspec.defstruct("_HashedBefore", [(f, object) for f in _SORTED
                                                    if f != "rule_sets"])
_ENCODE = msgspec.json.Encoder(order="sorted").encode
# a row's plain hashed fields but the time, in canonical order as _recomputed passes them;
# then the time, the hash and the JSON columns
_KEYS = tuple(f for f in _SORTED if f not in _JSON_FIELDS and f != "at")
_PLAIN = [*_KEYS, "at", "hash"]
if _SORTED != ["action", "actor", "at", "case_id", "chain", "codes", "files", "payload",
               "prev_hash", "result", "role", "rule_sets", "seq", "state_after",
               "state_before", "warnings"]:  # _recomputed's order must follow the entry's
    raise ImportError("the hashed fields changed: update _recomputed's order")
HISTORY = table("history", *(column(f) for f in (*HASHED, "hash")))
_HEADED = [table(name, column("id"), column("history_head"), column("history_length"))
           for name in ("cases", "inspections")]  # inspections keep their own chains (SPEC §6)
# the JSON columns' stored texts joined into one JSON array: one decoding a row, not five
_JSON_ARRAY: ColumnElement[str] = literal("[", Text)
for _i, _f in enumerate(_JSON_FIELDS):
    _JSON_ARRAY = _JSON_ARRAY.concat(func.coalesce(cast(HISTORY.c[_f], Text), "null")).concat(
        "," if _i < len(_JSON_FIELDS) - 1 else "]")
# PostgreSQL's time as UTC text (ISO, as chain_links sets the date style), "YYYY-MM-DD
# HH:MM:SS" and as many digits of the microseconds as are not trailing zeros: the hour cache
# below then gives its Shanghai text, where the driver's datetimes cost a third of the hashing
# (their parsing, then the zone's arithmetic); to_char's fixed width cost the server twice this
_UTC_TEXT = cast(func.timezone("UTC", HISTORY.c.at), Text)
_ROWS = {dialect: select(*(_UTC_TEXT if f == "at" and dialect == "postgresql" else HISTORY.c[f]
                           for f in _PLAIN), _JSON_ARRAY)
         for dialect in ("postgresql", "sqlite")}
_CHAIN, _SEQ, _AT, _PREV, _HASH = (_PLAIN.index(f) for f in ("chain", "seq", "at", "prev_hash",
                                                            "hash"))


def _no_float(_: str) -> float:
    raise ValueError("a float: the entry takes the canonical encoder")


_DECODE_NO_FLOAT = msgspec.json.Decoder(float_hook=_no_float).decode
_DECODE = msgspec.json.Decoder().decode  # as the engine reads JSON columns (adapters/db.py)


def heads(conn: Connection) -> dict[str, tuple[str | None, int]]:
    """Each case's and inspection's recorded history head and length, by id."""
    return {str(r[0]): (r[1], int(r[2])) for t in _HEADED
            for r in conn.execute(select(t.c.id, t.c.history_head, t.c.history_length))}


def chain_links(conn: Connection, lo: str | None = None, hi: str | None = None, *,
                only: str | None = None, rows_at_once: int = 5000
                ) -> Iterator[tuple[str, list[Link]]]:
    """Every chain named from ``lo`` (included) to ``hi`` (excluded), or the chain ``only``,
    with its links in order, streamed from one query."""
    postgres = conn.dialect.name == "postgresql"
    if postgres:  # the time's text as _UTC_TEXT expects it, whatever the server's default
        conn.exec_driver_sql("SET LOCAL datestyle = 'ISO, YMD'")
    query = _ROWS["postgresql" if postgres else "sqlite"]
    if only is not None:
        query = query.where(HISTORY.c.chain == only)
    if lo is not None:
        query = query.where(HISTORY.c.chain >= lo)
    if hi is not None:
        query = query.where(HISTORY.c.chain < hi)
    for chain, group in groupby(_raw_rows(conn, query.order_by(HISTORY.c.chain, HISTORY.c.seq),
                                          rows_at_once), key=itemgetter(_CHAIN)):
        yield chain, [(chain, r[_SEQ], r[_PREV], r[_HASH], _recomputed(r)) for r in group]


def _raw_rows(conn: Connection, query: Select[Any], rows_at_once: int) -> Iterator[Any]:
    """The rows of ``query`` as the driver gives them: SQLAlchemy's rows cost a third of the
    reading here. On the connection's transaction.

    PostgreSQL streams them in chunks (libpq's chunked rows mode): the server goes on sending
    while this process hashes, where a server-side cursor's FETCH left each side idle while the
    other worked (1,000,000 entries in one process: 9.9 s, now 5.4 s)."""
    compiled = query.compile(dialect=conn.dialect)
    dbapi = conn.connection.dbapi_connection
    assert dbapi is not None
    cursor = dbapi.cursor()
    try:
        if conn.dialect.name == "postgresql":
            yield from cursor.stream(compiled.string, compiled.params,
                                     size=rows_at_once)
            return
        # qmark: the parameters in the order they appear
        cursor.execute(compiled.string, [compiled.params[k] for k in compiled.positiontup or ()])
        while batch := cursor.fetchmany(rows_at_once):
            yield from batch
    finally:
        cursor.close()


def _shanghai_text(at: datetime | str) -> str:
    """The entry's time as it is hashed: ISO text in Asia/Shanghai, to the microsecond.
    ValueError for text that is no time."""
    if isinstance(at, str):  # UTC text: SQLite's "YYYY-MM-DD HH:MM:SS.ffffff" (adapters/types.py)
        # or PostgreSQL's without the microseconds' trailing zeros (_UTC_TEXT)
        at += _PAD.get(len(at), "")
        hour = _local_hour(at[:13]) if len(at) == 26 and at[19] == "." else None
        if hour is not None:  # most of the time spent otherwise goes to the zone's arithmetic
            if len(_HOURS) >= _HOURS_KEPT:
                _HOURS.clear()
            _HOURS[at[:13]] = hour  # read directly by _recomputed, without a call
            return hour[0] + at[13:] + hour[1]
        return _shanghai_text(datetime.fromisoformat(at))
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(SHANGHAI).isoformat(timespec="microseconds")


# what a UTC text of each length lacks of "YYYY-MM-DD HH:MM:SS.ffffff"
_PAD = {19: ".000000", **{n: "0" * (26 - n) for n in range(21, 27)}}
_HOURS_KEPT = 1 << 16
_HOURS: dict[str, tuple[str, str]] = {}


def _local_hour(utc_hour: str) -> tuple[str, str] | None:
    """For a UTC hour ("YYYY-MM-DD HH"): Shanghai's text of that hour and its offset, when the
    offset is whole hours all through it (None otherwise: the caller does the arithmetic)."""
    start = datetime.fromisoformat(utc_hour + ":00:00").replace(tzinfo=UTC)
    first = start.astimezone(SHANGHAI)
    last = (start + timedelta(hours=1, microseconds=-1)).astimezone(SHANGHAI)
    offset = first.utcoffset()
    if offset != last.utcoffset() or offset is None or offset % timedelta(hours=1):
        return None
    text = first.isoformat(timespec="microseconds")
    return text[:13], text[26:]


def _recomputed(row: Any) -> str:
    """The hash of a row's hashed fields, as :meth:`Entry.recomputed` gives it."""
    at = row[_AT]
    # UTC text (SQLite's, or _UTC_TEXT's): its hour's Shanghai text from the cache, the rest
    # as it is, padded to the microsecond (the zone's arithmetic cost a tenth)
    hour = _HOURS.get(at[:13]) if isinstance(at, str) and len(at) in _PAD else None
    try:
        at = hour[0] + at[13:] + _PAD[len(at)] + hour[1] if hour else _shanghai_text(at)
    except ValueError:  # a time changed into text that is none: no canonical form
        return ""
    fast = True
    try:
        values = _DECODE_NO_FLOAT(row[-1])
    except msgspec.ValidationError:  # a float: the canonical encoder says its bytes
        try:
            values, fast = _DECODE(row[-1]), False
        except msgspec.DecodeError:
            return ""
    except msgspec.DecodeError:  # a JSON column changed into text that is none (SQLite)
        return ""
    payload, codes, warnings, files, rule_sets = values
    # the fields in canonical (sorted) order, as the row's columns are selected (_KEYS)
    content = (_Hashed(row[0], row[1], at, row[2], row[3], codes, files, payload, row[4],
                       row[5], row[6], rule_sets, row[7], row[8], row[9], warnings)
               if rule_sets is not None else
               _HashedBefore(row[0], row[1], at, row[2], row[3], codes, files, payload,
                             row[4], row[5], row[6], row[7], row[8], row[9], warnings))
    if fast:
        try:
            return hashlib.sha256(_ENCODE(content)).hexdigest()
        except (msgspec.EncodeError, ValueError, RecursionError):
            pass  # an unpaired surrogate, deep nesting: the canonical encoder says which
    return content_digest(msgspec.structs.asdict(content))
