"""The case aggregate as one JSON document (the ``cases.doc`` column): what an action reads
and writes. msgspec encodes and decodes the domain's dataclasses directly, in microseconds;
the record tables beside it are projections of this document (see ``repository``)."""

from __future__ import annotations

import dataclasses
import typing
from datetime import datetime

import msgspec

from casefiles.domain import model as M
from casefiles.domain.timefmt import SHANGHAI

_ENCODER = msgspec.json.Encoder()
_DECODER = msgspec.json.Decoder(M.Case)


def _times(cls: type) -> tuple[str, ...]:
    """The names of ``cls``'s datetime fields."""
    hints = typing.get_type_hints(cls)
    return tuple(f.name for f in dataclasses.fields(cls)
                 if hints[f.name] in (datetime, datetime | None))


_CASE_TIMES = _times(M.Case)
# collection attribute → the datetime fields of its records
_RECORD_TIMES = {f.name: _times(typing.get_args(typing.get_type_hints(M.Case)[f.name])[0])
                 for f in dataclasses.fields(M.Case)
                 if typing.get_origin(typing.get_type_hints(M.Case)[f.name]) is list
                 and dataclasses.is_dataclass(
                     typing.get_args(typing.get_type_hints(M.Case)[f.name])[0])}


def encode(case: M.Case) -> str:
    """The case as JSON text."""
    return _ENCODER.encode(case).decode("utf-8")


def decode(doc: str | bytes) -> M.Case:
    """The case from its JSON text, every timestamp in Asia/Shanghai (JSON keeps the offset,
    not the zone)."""
    case = _DECODER.decode(doc)
    _in_shanghai(case, _CASE_TIMES)
    for attr, names in _RECORD_TIMES.items():
        if names:
            for record in getattr(case, attr):
                _in_shanghai(record, names)
    return case


def _in_shanghai(obj: object, names: tuple[str, ...]) -> None:
    for name in names:
        value = getattr(obj, name)
        if value is not None:
            setattr(obj, name, value.astimezone(SHANGHAI))
