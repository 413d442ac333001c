"""Helpers for the browser tests: the application served by uvicorn in a thread of the test
process (so the test can move the simulated clock), and headless Debian Chromium through
Playwright, one signed-in browser context per person."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn

from casefiles.services.app import Casefiles
from casefiles.web import create_app
from casefiles.web.forms import FORMS, prefill

CHROMIUM = "/usr/bin/chromium"
SHOTS = os.environ.get("CASEFILES_SHOTS")  # a folder: save screenshots there while building


def chromium_missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} not installed (Debian package chromium; .ci/setup installs it)"
    if shutil.which("chromium") is None and not os.access(CHROMIUM, os.X_OK):
        return f"{CHROMIUM} is not executable"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def served(cf: Casefiles) -> Iterator[str]:
    """The application over ``cf`` on a loopback port; yields its base URL."""
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(cf), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def shot(page: Any, name: str) -> None:
    """Save a full-page screenshot when CASEFILES_SHOTS names a folder."""
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def fill_form(page: Any, scope: str, action: str, payload: dict[str, Any] | None) -> None:
    """Fill the form of ``action`` inside ``scope`` (a CSS selector) from a SCENARIOS.md
    payload, field by field as a person would."""
    kinds = {f.name: f.kind for f in FORMS[action]}
    for name, value in prefill(payload or {}).items():
        kind = kinds[name]
        target = f'{scope} [name="{name}"]'
        if kind == "people":
            for v in value:
                page.check(f'{target}[value="{v}"]')
        elif kind == "check":
            if value == "yes":
                page.check(target)
        elif kind in ("select", "yesno"):
            page.select_option(target, value)
        elif kind == "lines":
            page.fill(target, "\n".join(value))
        elif kind == "datetime":
            page.fill(target, str(value)[:16])
        else:
            page.fill(target, str(value))
