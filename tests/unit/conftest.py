"""Fixtures of the unit suite: a casefiles service on a fresh SQLite file driven by a simulated
clock, with :class:`tests.support.Desk` builders that bring a case to a given step on given
days. What they share with the other suites lives in tests/support.py."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from casefiles.clock import SimulatedClock
from casefiles.services.app import Casefiles
from casefiles.settings import Settings
from tests.support import DRILL, POLICIES, STAFF, Desk, moment


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated database with the staff, made once and copied for each test."""
    path = tmp_path_factory.mktemp("template") / "casefiles.db"
    app = Casefiles(Settings(), SimulatedClock(moment("2010-01-01")), f"sqlite:///{path}",
                   drill=DRILL)
    app.init()
    for person in STAFF:
        app.put_person(person)
    app.engine.dispose()
    return path


@pytest.fixture
def make_desk(template_db: Path, tmp_path: Path) -> Iterator[Callable[..., Desk]]:
    """A factory of desks: ``make_desk("2020-06-01")`` starts the clock there."""
    made: list[Casefiles] = []

    def make(start: str, policies_dir: Path = POLICIES, drill: str | None = DRILL) -> Desk:
        """``drill=None``: cases of today, judged by the rule sets of their dates."""
        path = tmp_path / f"casefiles-{len(made)}.db"
        shutil.copyfile(template_db, path)
        clock = SimulatedClock(moment(start))
        app = Casefiles(Settings(policies_dir=policies_dir), clock, f"sqlite:///{path}",
                        drill=drill)
        made.append(app)
        return Desk(app, clock)

    yield make
    for app in made:
        app.engine.dispose()


@pytest.fixture
def desk(make_desk: Callable[..., Desk]) -> Desk:
    """A desk whose clock starts on 2020-06-01 09:00 (a Monday)."""
    return make_desk("2020-06-01")
