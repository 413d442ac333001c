"""`casefiles policy check` and `casefiles calendar check`: the rule data the bureau must know
about (SPEC §5), and the notices that start-up, `deadlines` and the sweep give on stderr."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from casefiles.cli_common import application, dump, err, out
from casefiles.domain.notices import (
    calendar_notices,
    known_years,
    missing_next_year,
    start_up_notices,
)
from casefiles.domain.timefmt import local_date
from casefiles.services.app import Casefiles

policy_app = typer.Typer(help="规则配置 / rule data", no_args_is_help=True)
calendar_app = typer.Typer(help="节假日 / the working-day calendar", no_args_is_help=True)


def warn(notices: list[Any]) -> None:
    """Say each notice on standard error (never in the output of --json)."""
    for n in notices:
        err.print(f"[yellow]⚠ {escape(n.text())}[/yellow]")


def start_up(cf: Casefiles) -> None:
    """What start-up says about the rule data: unconfirmed figures, a missing next year."""
    warn(start_up_notices(cf.profile, cf.calendar, local_date(cf.clock.now())))


def calendar_gap(cf: Casefiles) -> None:
    """From 1 November, a next year whose holidays are missing."""
    warn(calendar_notices(cf.calendar, local_date(cf.clock.now())))


@policy_app.command("check")
def policy_check(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """规则集及待确认数额 / the rule sets, and every figure awaiting confirmation."""
    cf = application()
    sets: list[dict[str, Any]] = [{"id": r.id, "from": r.applies.from_.isoformat(),
             "until": r.applies.until.isoformat() if r.applies.until else None,
             "sha256": r.sha256, "provisions": len(r.provisions),
             "first_violation_entries": len(r.first_violation.entries),
             "first_violation_note": r.first_violation.note} for r in cf.profile.rule_sets]
    unconfirmed = [{"rule_set": u.rule_set, "name": u.name, "value": u.value,
                    "source": u.source} for u in cf.profile.unconfirmed()]
    bodies: list[dict[str, Any]] = [{"from": b.from_.isoformat() if b.from_ else None,
               "until": b.until.isoformat() if b.until else None, "bodies": list(b.bodies)}
              for b in cf.profile.reconsideration_bodies]
    if as_json:
        dump({"profile": cf.profile.profile, "rule_sets": sets, "unconfirmed": unconfirmed,
              "reconsideration_bodies": bodies})
        return
    table = Table("规则集 rule set", "适用期间 in force", "条款 provisions", "首违不罚清单", "SHA-256")
    for s in sets:
        fv = f"{s['first_violation_entries']}项" if s["first_violation_entries"] else \
            f"空 / empty（{s['first_violation_note']}）"
        table.add_row(s["id"], f"{s['from']} – {s['until'] or '至今'}", str(s["provisions"]),
                      escape(fv), s["sha256"][:16] + "…")
    out.print(table)
    for b in bodies:
        out.print(f"复议机关 reconsideration: {b['from'] or '…'} – {b['until'] or '至今'}："
                  f"{'、'.join(b['bodies'])}")
    if not unconfirmed:
        out.print("[green]全部数额均已确认 / every figure is confirmed[/green]")
        return
    out.print(f"[yellow]待法制机构确认的数额、期限 / figures awaiting confirmation "
              f"({len(unconfirmed)})：[/yellow]")
    for u in cf.profile.unconfirmed():
        out.print(f"  ⚠ {escape(u.line())}")


@calendar_app.command("check")
def calendar_check(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """已知节假日的年份及来源 / the years whose holidays are known, and their source."""
    cf = application()
    today = local_date(cf.clock.now())
    years = known_years(cf.calendar)
    if as_json:
        dump({"years": [{"year": y, "source": s} for y, s in years],
              "missing_next_year": missing_next_year(cf.calendar, today)})
    else:
        table = Table("年份 year", "来源 source")
        for y, s in years:
            table.add_row(str(y), escape(s))
        out.print(table)
    calendar_gap(cf)
