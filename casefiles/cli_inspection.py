"""`casefiles inspection list|show ID [--json]|history ID`: inspections (SPEC §6)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from casefiles.cli_common import dump, err, out, ready
from casefiles.domain.errors import CasefilesError
from casefiles.domain.inspections import APPROVAL_LABELS, MEASURE_TYPES, STATE_LABELS

inspection_app = typer.Typer(help="现场检查 / inspections", no_args_is_help=True)


@inspection_app.command("list")
def inspection_list(
    state: Annotated[str | None, typer.Option(help="open, rectifying, closed, uncorrected")] = None,
    sector: Annotated[str | None, typer.Option()] = None,
    officer: Annotated[str | None, typer.Option(help="one officer's inspections")] = None,
    major: Annotated[bool, typer.Option("--major", help="major hazards only")] = False,
    drills: Annotated[bool, typer.Option("--drills")] = False,
    limit: Annotated[int, typer.Option()] = 100,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """检查记录列表（新的在前）/ inspections, newest first."""
    from casefiles.adapters.inspection_store import InspectionStore

    cf = ready()
    with cf.uow() as uow:
        rows = InspectionStore(uow.conn).page(officer=officer, state=state, sector=sector,
                                              major=True if major else None,
                                              drills=drills or cf.settings.show_drills,
                                              limit=limit)
    items = [{"id": r["id"], "number": r["number"], "state": r["state"], "sector": r["sector"],
              "unit": r["unit_name"], "inspected_at": r["inspected_at"].isoformat(),
              "major_hazard": bool(r["major_hazard"]),
              "next_due": r["next_due"].isoformat() if r["next_due"] else None}
             for r in rows]
    if as_json:
        dump(items)
        return
    table = Table("编号", "状态", "单位", "检查时间", "下一期限", "重大隐患")
    for i in items:
        table.add_row(i["number"], STATE_LABELS.get(i["state"], i["state"]), escape(i["unit"]),
                      i["inspected_at"][:16], i["next_due"] or "",
                      "[red]挂牌督办[/red]" if i["major_hazard"] else "")
    out.print(table)


@inspection_app.command("show")
def inspection_show(inspection: str,
                    as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """检查记录视图 / the inspection view."""
    from casefiles.services.inspections import view

    try:
        v = view(ready(), inspection)
    except CasefilesError as exc:
        err.print(f"[red]{escape(str(exc))}[/red]")
        raise typer.Exit(2) from exc
    if as_json:
        dump(v)
        return
    flag = "  [red]重大事故隐患 挂牌督办[/red]" if v["major_hazard"] else ""
    out.print(f"[bold]{v['number']}[/bold]  {STATE_LABELS[v['state']]} ({v['state']})  "
              f"{escape(v['unit']['name'])}{flag}")
    for h in v["hazards"]:
        kind = escape("[" + h["level"] + "/" + h["fix"] + "]")
        out.print(f"  隐患 {h['ref']} {kind} {h['status']}: "
                  f"{escape(h['description'])}")
    for m in v["measures"]:
        out.print(f"  措施 {m['ref']} {MEASURE_TYPES[m['type']]} {escape(m['object'])} "
                  f"{m['status']}" + (f" 至 {m['until']}" if m["until"] else ""))
    for a in v["approvals"]:
        asked = "、".join(f"{MEASURE_TYPES[m['type']]}{escape(m['object'])}" for m in a["measures"])
        out.print(f"  审批 申请{a['request']} {asked}: {APPROVAL_LABELS[a['status']]}"
                  + (f"（{escape(a['reason'])}）" if a["reason"] else ""))
    for kind, d in v["deadlines"].items():
        out.print(f"  {kind}: {d['due']} {d['status']}")
    for d in v["documents"]:
        out.print(f"  📄 {d['kind']} {escape(d['number'])}")
    if v["cases"]:
        out.print(f"  案件 / cases: {', '.join(v['cases'])}")
    if v["warnings"]:
        out.print(f"[yellow]warnings: {', '.join(v['warnings'])}[/yellow]")


@inspection_app.command("history")
def inspection_history(inspection: str,
                       as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """检查全过程记录 / the inspection's timeline."""
    from casefiles.cli_common import history_table
    from casefiles.services.inspections import history

    try:
        entries = history(ready(), inspection)
    except CasefilesError as exc:
        err.print(f"[red]{escape(str(exc))}[/red]")
        raise typer.Exit(2) from exc
    if as_json:
        dump([e.content() | {"hash": e.hash} for e in entries])
        return
    out.print(history_table(entries))


@inspection_app.command("document")
def inspection_document(inspection: str, number: str) -> None:
    """检查文书PDF的路径（尚未生成时现在生成）/ the path of an inspection document's PDF."""
    from casefiles.services.inspection_documents import document

    try:
        path = document(ready(), inspection, number)
    except CasefilesError as exc:
        err.print(f"[red]{escape(str(exc))}[/red]")
        raise typer.Exit(2) from exc
    out.print(str(path), soft_wrap=True)
