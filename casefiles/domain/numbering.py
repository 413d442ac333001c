"""Document numbers (文书编号) for one action: per kind's word (立, 罚, …) and year, without
gaps or duplicates. The unit of work reads the year's last numbers, and holds them, before the
action is judged; the domain takes the next ones from here; what was taken goes back to the
unit of work to write, only if the action is accepted. The domain never asks the database."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass
class Numbers:
    """The numbers an action may take: ``last`` by word, for ``year``."""

    prefix: str
    words: Mapping[str, str]
    year: int
    last: Mapping[str, int] = field(default_factory=dict)
    taken: dict[str, int] = field(default_factory=dict)

    def next(self, kind: str, year: int) -> str:
        """The next number of a document of ``kind`` in ``year`` (衡山应急罚〔2020〕3号)."""
        word = self.words.get(kind)
        if word is None:
            raise KeyError(f"document kind {kind} has no word in the profile")
        if year != self.year:
            raise ValueError(f"numbers of {self.year} were read, not of {year}")
        n = self.taken.get(word, self.last.get(word, 0)) + 1
        self.taken[word] = n
        return f"{self.prefix}{word}〔{year}〕{n}号"
