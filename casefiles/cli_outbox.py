"""`casefiles outbox …`: the work the flows could not do, and putting it back."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from casefiles.cli_common import dump, err, out, ready

outbox_app = typer.Typer(help="后续工作队列 / the outbox the flows work through",
                         no_args_is_help=True)


@outbox_app.command("failed")
def outbox_failed(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """失败的后续工作：已搁置的在前，其余等待重试 / outbox items whose last attempt failed:
    the parked first, then those waiting out their backoff."""
    from casefiles.services.work import failing

    items = failing(ready())
    if as_json:
        dump(items)
        return
    if not items:
        out.print("没有失败的后续工作 / no failed outbox items")
        return
    table = Table("编号 / id", "工作 / work", "案件 / case", "文书 / document", "状态 / status",
                  "次数 / attempts", "最后错误 / last error")
    for i in items:
        when = i["parked_at"] if i["status"] == "parked" else i["next_attempt_at"]
        status = f"{i['status_label']}（{when:%Y-%m-%d %H:%M}）\n{i['status']}"
        table.add_row(str(i["id"]), f"{i['label']}\n{i['label_en']}",
                      escape(str(i["case_number"] or i["case_id"] or "—")),
                      escape(str(i["document"] or "—")), status, str(i["attempts"]),
                      escape(str(i["last_error"])))
    out.print(table)
    parked = sum(1 for i in items if i["status"] == "parked")
    out.print(f"共 {len(items)} 项，其中 {parked} 项已搁置；排除原因后用 `casefiles outbox retry 编号` "
              f"重试 / {len(items)} failing, {parked} parked; fix the cause, then "
              f"`casefiles outbox retry ID`")


@outbox_app.command("retry")
def outbox_retry(item: int) -> None:
    """重试一项已搁置或等待中的后续工作 / put a parked or waiting item back for the next run."""
    from casefiles.services.work import retry

    if not retry(ready(), item):
        err.print(f"[red]没有待办的第 {item} 项后续工作 / no outbox item {item} waits[/red]")
        raise typer.Exit(1)
    out.print(f"第 {item} 项将由下一次运行处理 / outbox item {item} goes to the next run")
