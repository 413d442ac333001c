"""What the commands share: the consoles and the application as the environment names it."""

from __future__ import annotations

import json
import sys
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape

from casefiles.domain.errors import CasefilesError
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


def dump(data: Any) -> None:
    """One JSON line on standard output."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, default=str) + "\n")
