"""every action writes its case's record tables in its own transaction: cases.projected and its
index go, after the cases still waiting are projected one last time

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 18:00:00
"""
from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

from casefiles.adapters.types import AwareDateTime

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

# the record tables of this revision, by the case document's list that fills each
_RECORDS = {'evidence': 'evidence', 'proposals': 'proposals', 'notices': 'notices',
            'defences': 'defences', 'hearings': 'hearings', 'reviews': 'reviews',
            'discussions': 'discussions', 'extensions': 'extensions',
            'decisions': 'decisions', 'payments': 'payments', 'instalments': 'instalments',
            'reminders': 'reminders', 'enforcements': 'enforcements',
            'deadlines': 'deadlines', 'documents': 'documents'}


def upgrade() -> None:
    conn = op.get_bind()
    waiting = [r[0] for r in conn.execute(sa.text('SELECT id FROM cases WHERE NOT projected'))]
    if waiting:
        tables = {name: _frozen(conn, name) for name in
                  [*_RECORDS.values(), 'penalties', 'parties', 'case_officers']}
        for case_id in waiting:
            doc: str | None = conn.execute(sa.text('SELECT doc FROM cases WHERE id = :i'),
                               {'i': case_id}).scalar_one()
            if doc is not None:
                _project(conn, tables, case_id, json.loads(doc))
    op.drop_index('ix_cases_unprojected', table_name='cases')
    op.execute('ALTER TABLE cases DROP COLUMN projected')


def _frozen(conn: Any, name: str) -> sa.Table:
    """The table as this revision has it, its timestamps in the project's zone-aware type."""
    table = sa.Table(name, sa.MetaData(), autoload_with=conn)
    for column in table.c:
        if isinstance(column.type, sa.DateTime):
            column.type = AwareDateTime()
    return table


def _row(table: sa.Table, record: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """The columns of ``table`` from a record of the document (JSON text to Python values)."""
    row: dict[str, Any] = {}
    for column in table.c:
        if column.name in extra:
            row[column.name] = extra[column.name]
        elif column.name in record:
            value = record[column.name]
            if isinstance(value, str) and isinstance(column.type, AwareDateTime):
                value = datetime.fromisoformat(value)
            elif isinstance(value, str) and isinstance(column.type, sa.Date):
                value = date.fromisoformat(value)
            row[column.name] = value
    return row


def _project(conn: Any, tables: dict[str, sa.Table], case_id: str, doc: dict[str, Any]) -> None:
    """Make the record tables of one case say what its document says (its own rows are
    written anew: the document holds every one of them)."""
    for name in [*_RECORDS.values(), 'penalties']:
        conn.execute(sa.delete(tables[name]).where(tables[name].c.case_id == case_id))
    for attr, name in _RECORDS.items():
        for seq, record in enumerate(doc.get(attr) or []):
            conn.execute(sa.insert(tables[name]),
                         _row(tables[name], record, case_id=case_id, seq=seq))
            for pseq, pen in enumerate(record.get('penalties') or []):
                conn.execute(sa.insert(tables['penalties']), _row(
                    tables['penalties'], pen, case_id=case_id, owner_id=record['id'], seq=pseq))
    parties = tables['parties']
    conn.execute(sa.delete(parties).where(parties.c.case_id == case_id))
    conn.execute(sa.insert(parties), _row(parties, doc['party'], case_id=case_id, seq=0))
    officers = tables['case_officers']
    known = {r[0] for r in conn.execute(sa.select(officers.c.person_id)
                                        .where(officers.c.case_id == case_id))}
    registered = datetime.fromisoformat(doc['registered_at'])
    for person in dict.fromkeys([doc['registered_by'], *doc.get('investigators', [])]):
        if person not in known:
            conn.execute(sa.insert(officers).values(case_id=case_id, person_id=person,
                                                    registered_at=registered))


def downgrade() -> None:
    # every case's record tables are current: each is projected
    op.add_column('cases', sa.Column('projected', sa.Boolean(), nullable=False,
                                     server_default=sa.true()))
    op.create_index('ix_cases_unprojected', 'cases', ['id'], unique=False,
                    sqlite_where=sa.text('projected = 0'),
                    postgresql_where=sa.text('NOT projected'))
