"""The schema comes from the Alembic migrations, and they match the tables the code declares."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

import casefiles.adapters.tables  # noqa: F401  (registers the tables)
from casefiles.adapters.db import engine_for, is_current, migrate
from casefiles.adapters.tables import declared


def test_migrations_build_exactly_the_schema_the_code_declares(db_url: str) -> None:
    """After upgrading an empty database, autogenerate finds nothing left to migrate."""
    assert not is_current(db_url)
    migrate(db_url)
    assert is_current(db_url)
    with engine_for(db_url).connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={
            "include_name": declared}), SQLModel.metadata)
        tables = set(inspect(conn).get_table_names())
    assert diff == []
    assert {"cases", "parties", "people", "evidence", "proposals", "penalties", "notices",
            "hearings", "reviews", "discussions", "decisions", "payments", "deadlines",
            "history", "outbox"} <= tables


def test_upgrading_a_current_database_changes_nothing(db_url: str) -> None:
    """Running the migrations twice is harmless: the second run finds the schema current."""
    migrate(db_url)
    migrate(db_url)
    assert is_current(db_url)


def test_upgrading_to_0003_lets_officers_find_the_cases_registered_before(db_url: str) -> None:
    """A database holding a filed case at revision 0002 gains case_officers rows for its
    registrant and investigators when upgraded, so they still find it among their own."""
    from alembic import command
    from sqlalchemy import delete, select

    from casefiles.adapters.db import alembic_config
    from casefiles.adapters.repository import CASE_OFFICERS
    from tests.support import SMALL_FINE, open_bureau, play, until

    cf, clock = open_bureau(db_url)
    case_id = play(cf, clock, until(SMALL_FINE, "file"))
    with engine_for(db_url).begin() as conn:  # back to how 0002 left such a database
        conn.execute(delete(CASE_OFFICERS))
    command.downgrade(alembic_config(db_url), "0002")
    command.upgrade(alembic_config(db_url), "head")
    with engine_for(db_url).connect() as conn:
        pairs = conn.execute(select(CASE_OFFICERS.c.person_id)
                             .where(CASE_OFFICERS.c.case_id == case_id)).scalars().all()
    assert sorted(pairs) == ["li", "zhang"]


def test_upgrading_to_0014_queues_the_inspection_documents_still_waiting(db_url: str) -> None:
    """An inspection recorded at 0012 has no outbox item for its documents; the upgrade queues
    one for each document not stored yet (not for a stored one), so the documents flow renders
    it."""
    from alembic import command
    from sqlalchemy import delete

    from casefiles.adapters.db import alembic_config
    from casefiles.adapters.stores import OUTBOX
    from casefiles.services import inspections as S
    from tests.support import MINE, moment, open_bureau

    cf, _ = open_bureau(db_url, start=moment("2026-03-02T09:00"), drill=None)
    insp = S.act(cf, "zhang", "inspect", None, {
        "unit": MINE, "sector": "non_coal_mine", "place": "采场", "officers": ["zhang", "li"],
        "signed_by": "刘建国", "hazards": [{"ref": "h1", "description": "防护罩缺失",
                                          "level": "general", "fix": "deadline"}]}).case_id
    assert S.act(cf, "zhang", "order", insp, {"hazards": ["h1"], "deadline": "2026-03-13"}).ok
    with engine_for(db_url).begin() as conn:  # back to how 0012 left such a database
        conn.execute(delete(OUTBOX))
    cf.engine.dispose()
    command.downgrade(alembic_config(db_url), "0012")
    command.upgrade(alembic_config(db_url), "head")
    with cf.uow() as uow:
        queued = [(i["kind"], i["payload"]["kind"], i["payload"]["inspection_id"])
                  for i in uow.outbox.pending(100)]
    assert sorted(queued) == [("inspection_document_issued", "现场检查记录", insp),
                              ("inspection_document_issued", "责令限期整改指令书", insp)]
    command.downgrade(alembic_config(db_url), "0012")
    command.upgrade(alembic_config(db_url), "head")  # queued once, however often it runs
    with cf.uow() as uow:
        assert len(uow.outbox.pending(100)) == 2
