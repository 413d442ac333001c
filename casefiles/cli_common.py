"""What the commands share: the consoles and the application as the environment names it."""

from __future__ import annotations

import json
import sys
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from casefiles.domain.errors import CasefilesError
from casefiles.domain.history import Entry
from casefiles.services.app import Casefiles

out = Console()
err = Console(stderr=True, soft_wrap=True)


def application(db: str | None = None) -> Casefiles:
    """The application over the environment's settings (exit 2 naming a bad policy file)."""
    try:
        return Casefiles(database_url=db)
    except CasefilesError as exc:
        err.print(f"[red]{escape(str(exc))}[/red]")
        raise typer.Exit(2) from exc


def ready(db: str | None = None) -> Casefiles:
    """The application, its database created or upgraded."""
    cf = application(db)
    cf.init()
    return cf


def history_table(entries: list[Entry]) -> Table:
    """A history chain as a table: who did what, when, with what result, and the hashes."""
    table = Table("#", "时间", "人员", "角色", "操作", "结果", "状态", "hash")
    for e in entries:
        result = e.result if e.result == "ok" else f"[red]{', '.join(e.codes)}[/red]"
        if e.warnings:
            result += f" [yellow]{', '.join(e.warnings)}[/yellow]"
        table.add_row(str(e.seq), e.at.strftime("%Y-%m-%d %H:%M"), escape(e.actor), e.role or "",
                      e.action, result, f"{e.state_before or ''}→{e.state_after or ''}",
                      e.hash[:12])
    return table


def dump(data: Any) -> None:
    """One JSON line on standard output."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, default=str) + "\n")
