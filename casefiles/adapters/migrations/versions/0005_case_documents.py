"""each case as one JSON document (cases.doc), which actions read and write; the record tables
become its projections (cases.projected), brought up to date in batches

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 06:40:00
"""
from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

from casefiles.adapters.types import AwareDateTime

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('cases', sa.Column('doc', sa.Text(), nullable=True))
    op.add_column('cases', sa.Column('projected', sa.Boolean(), nullable=False,
                                     server_default=sa.true()))
    op.create_index('ix_cases_unprojected', 'cases', ['id'], unique=False,
                    sqlite_where=sa.text('projected = 0'),
                    postgresql_where=sa.text('NOT projected'))
    _documents_from_tables()


# the record tables of this revision, by the case document's list that each one held
_RECORDS = {'evidence': 'evidence', 'proposals': 'proposals', 'notices': 'notices',
            'defences': 'defences', 'hearings': 'hearings', 'reviews': 'reviews',
            'discussions': 'discussions', 'extensions': 'extensions',
            'decisions': 'decisions', 'payments': 'payments', 'instalments': 'instalments',
            'reminders': 'reminders', 'enforcements': 'enforcements',
            'deadlines': 'deadlines', 'documents': 'documents'}
# columns that place a row, not facts of the record
_PLACING = {'case_id', 'seq', 'owner_id'}


def _documents_from_tables() -> None:
    """The cases already there: each one's document, read from the record tables that held it
    until now (which therefore are its projection already). The tables are read as this
    revision has them (reflected, timestamps zone-aware), never through the live repository."""
    conn = op.get_bind()
    tables = {name: _frozen(conn, name) for name in
              ['cases', 'parties', 'penalties', *_RECORDS.values()]}
    cases = tables['cases']
    for (case_id,) in conn.execute(sa.select(cases.c.id)).all():
        doc = _document(conn, tables, str(case_id))
        conn.execute(sa.update(cases).where(cases.c.id == case_id)
                     .values(doc=json.dumps(doc, default=_json_value, ensure_ascii=False)))


def _frozen(conn: Any, name: str) -> sa.Table:
    table = sa.Table(name, sa.MetaData(), autoload_with=conn)
    for column in table.c:
        if isinstance(column.type, sa.DateTime):
            column.type = AwareDateTime()
    return table


def _json_value(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    raise TypeError(f'no JSON for {value!r}')


def _facts(row: Any) -> dict[str, Any]:
    return {k: v for k, v in row._mapping.items() if k not in _PLACING}


def _document(conn: Any, tables: dict[str, sa.Table], case_id: str) -> dict[str, Any]:
    """One case as the JSON document of this revision: its row, its party, its records."""
    cases = tables['cases']
    doc = {k: v for k, v in conn.execute(sa.select(cases).where(cases.c.id == case_id))
           .one()._mapping.items() if k not in ('doc', 'projected')}
    parties = tables['parties']
    doc['party'] = _facts(conn.execute(sa.select(parties)
                                       .where(parties.c.case_id == case_id)).one())
    pens = tables['penalties']
    penalties: dict[str, list[dict[str, Any]]] = {}
    for row in conn.execute(sa.select(pens).where(pens.c.case_id == case_id)
                            .order_by(pens.c.seq)):
        penalties.setdefault(row.owner_id, []).append(_facts(row))
    for attr, name in _RECORDS.items():
        table = tables[name]
        doc[attr] = []
        for row in conn.execute(sa.select(table).where(table.c.case_id == case_id)
                                .order_by(table.c.seq)):
            record = _facts(row)
            if name in ('proposals', 'decisions'):
                record['penalties'] = penalties.get(record['id'], [])
            doc[attr].append(record)
    return doc


def downgrade() -> None:
    # the record tables hold everything the documents do: every case is projected when 0009
    # is downgraded
    op.drop_index('ix_cases_unprojected', table_name='cases')
    op.execute('ALTER TABLE cases DROP COLUMN projected')
    op.execute('ALTER TABLE cases DROP COLUMN doc')
