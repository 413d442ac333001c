"""The figures of the period report (SPEC §7, SCENARIOS.md "Report"): their layout, and the
dated events an inspection contributes to them. Pure: the adapters store the events and count
them with aggregate queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from casefiles.domain.inspections import Inspection
from casefiles.domain.model import Party
from casefiles.domain.timefmt import local_date
from casefiles.domain.vocabulary import PENALTIES, SECTORS

PENALTY_TYPES = ("warning", "fine", "confiscation", "suspension", "revocation")
APPEAL_OUTCOMES = ("upheld", "changed", "revoked")

# the days a report's period may span: well around the bureau's records, and far from
# date.min/max, where a day's arithmetic overflows (the CLI and the 统计 page refuse the rest)
EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)


def period_bound_refused(day: date) -> tuple[str, str] | None:
    """Why ``day`` cannot bound a report's period, in Chinese and English (None: it can). The
    CLI and the 统计 page both ask this, so they refuse the same days with the same words."""
    if EARLIEST <= day <= LATEST:
        return None
    return (f"统计期间应在{EARLIEST.year}年至{LATEST.year}年之间",
            f"must fall in {EARLIEST.year}–{LATEST.year}")


def empty_figures() -> dict[str, Any]:
    """One sector's figures, all zero, in the order of SCENARIOS.md. Amounts are in fen
    here; the report turns them into yuan."""
    return {
        "inspections": 0, "units_inspected": 0,
        "hazards": {"found": 0, "major": 0, "rectified": 0},
        "orders": 0, "measures": 0, "rechecks": 0,
        "cases": {"registered": 0, "filed": 0, "decided": 0, "closed": 0},
        "penalties": dict.fromkeys(PENALTY_TYPES, 0),
        "fines": {"decided": 0, "collected": 0, "surcharge_collected": 0},
        "hearings": 0, "reviews": {"passed": 0, "returned": 0}, "discussions": 0,
        "complaints": {"registered": 0, "dismissed": 0},
        "reconsiderations": {"filed": 0, **dict.fromkeys(APPEAL_OUTCOMES, 0)},
        "lawsuits": {"filed": 0, **dict.fromkeys(APPEAL_OUTCOMES, 0)},
        "deadlines": {"met": 0, "missed": 0},
    }


def empty_sectors() -> dict[str, dict[str, Any]]:
    """Every sector of ``register``, with zeros."""
    return {s: empty_figures() for s in SECTORS}


def add_into(total: dict[str, Any], figures: dict[str, Any]) -> None:
    """Add ``figures`` into ``total`` key by key (same layout)."""
    for key, value in figures.items():
        if isinstance(value, dict):
            add_into(total[key], value)
        else:
            total[key] += value


def _appeal_columns(key: str, word: str, short: str) -> list[tuple[tuple[str, ...], str]]:
    return [((key, "filed"), f"{word}（件）"), ((key, "upheld"), f"{short}维持"),
            ((key, "changed"), f"{short}变更"), ((key, "revoked"), f"{short}撤销")]


# every figure of a sector, in the order of SCENARIOS.md: its path and its Chinese heading
COLUMNS: list[tuple[tuple[str, ...], str]] = [
    (("inspections",), "检查次数"), (("units_inspected",), "检查单位数"),
    (("hazards", "found"), "发现隐患"), (("hazards", "major"), "其中重大隐患"),
    (("hazards", "rectified"), "整改隐患"), (("orders",), "责令限期整改"),
    (("measures",), "现场处理措施"), (("rechecks",), "整改复查"),
    (("cases", "registered"), "案源登记"), (("cases", "filed"), "立案"),
    (("cases", "decided"), "作出决定"), (("cases", "closed"), "结案"),
    *[(("penalties", t), f"{PENALTIES[t]}（件）") for t in PENALTY_TYPES],
    (("fines", "decided"), "罚款决定金额（元）"), (("fines", "collected"), "罚款收缴金额（元）"),
    (("fines", "surcharge_collected"), "加处罚款收缴金额（元）"),
    (("hearings",), "听证"), (("reviews", "passed"), "法制审核通过"),
    (("reviews", "returned"), "法制审核退回"), (("discussions",), "集体讨论"),
    (("complaints", "registered"), "投诉举报立案"),
    (("complaints", "dismissed"), "投诉举报不予立案"),
    *_appeal_columns("reconsiderations", "行政复议", "复议"),
    *_appeal_columns("lawsuits", "行政诉讼", "诉讼"),
    (("deadlines", "met"), "期限按时完成"), (("deadlines", "missed"), "期限逾期"),
]


def figure(figures: dict[str, Any], path: tuple[str, ...]) -> Any:
    """The figure at ``path`` of one sector's (or the total's) figures."""
    value: Any = figures
    for key in path:
        value = value[key]
    return value


TOTAL = "合计"


def sector_name(code: str) -> str:
    """A sector's Chinese name (the code itself for one the vocabulary lacks)."""
    return SECTORS.get(code, code)


def table_rows(report: dict[str, Any]) -> list[list[Any]]:
    """The report as rows: one per sector (its Chinese name first), then 合计; the figures in
    the order of :data:`COLUMNS`."""
    named = [(sector_name(s), f) for s, f in report["sectors"].items()]
    return [[name, *(figure(f, path) for path, _ in COLUMNS)]
            for name, f in [*named, (TOTAL, report["total"])]]


# the path of an inspection event's figure in a sector's figures
INSPECTION_FIGURES: dict[str, tuple[str, ...]] = {
    "inspection": ("inspections",), "hazard": ("hazards", "found"),
    "major_hazard": ("hazards", "major"), "rectified": ("hazards", "rectified"),
    "order": ("orders",), "measures": ("measures",), "recheck": ("rechecks",),
    "deadline_met": ("deadlines", "met"), "deadline_missed": ("deadlines", "missed"),
}


@dataclass(frozen=True)
class Event:
    """One dated event of an inspection that a figure counts: ``kind`` (a key of
    :data:`INSPECTION_FIGURES`), ``ref`` (which one of its kind) and the day it happened."""

    kind: str
    ref: str
    on: date


def unit_key(unit: Party) -> str:
    """The key inspections of the same unit are grouped by (检查单位数 counts them once): its
    统一社会信用代码, else its 身份证号, else its name."""
    return unit.credit_code or unit.id_number or unit.name


def inspection_events(insp: Inspection) -> list[Event]:
    """What ``insp`` contributes to the report, each on its own day: the inspection, each
    hazard found (and major) on the inspection's day, each hazard rectified (on the spot, or
    at the recheck that found it rectified), each order, each measures decision (its
    measures share one 现场处理措施决定书), each recheck, and each deadline met (on the day it
    was done) or missed (on its due day)."""
    day = local_date(insp.inspected_at)
    out = [Event("inspection", "", day)]
    rectified: dict[str, date] = {}
    for h in insp.hazards:
        out.append(Event("hazard", h.ref, day))
        if h.level == "major":
            out.append(Event("major_hazard", h.ref, day))
        if h.fix == "immediate" and h.status == "rectified":
            rectified[h.ref] = day
    for rc in insp.rechecks:
        out.append(Event("recheck", rc.number, local_date(rc.at)))
        for r in rc.results:
            if r["rectified"]:
                rectified.setdefault(r["hazard"], local_date(rc.at))
    out += [Event("rectified", ref, on) for ref, on in rectified.items()]
    out += [Event("order", o.number, local_date(o.ordered_at)) for o in insp.orders]
    decided = sorted({m.decided_at for m in insp.measures})
    out += [Event("measures", at.isoformat(), local_date(at)) for at in decided]
    for d in insp.deadlines:
        if d.not_applicable:
            continue
        if d.done_on is not None and d.done_on <= d.due and not d.missed:
            out.append(Event("deadline_met", d.kind, d.done_on))
        elif d.missed or (d.done_on is not None and d.done_on > d.due):
            out.append(Event("deadline_missed", d.kind, d.due))
    return out
