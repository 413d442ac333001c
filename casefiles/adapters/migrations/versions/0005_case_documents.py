"""each case as one JSON document (cases.doc), which actions read and write; the record tables
become its projections (cases.projected), brought up to date in batches

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 06:40:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

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


def _documents_from_tables() -> None:
    """The cases already there: each one's document, read from the record tables that held it
    until now (which therefore are its projection already)."""
    from casefiles.adapters.aggregate import encode
    from casefiles.adapters.repository import CaseRepository

    conn = op.get_bind()
    # the tables as this revision has them: later revisions add columns the code declares
    repo = CaseRepository.as_the_database_is(conn)
    cases = sa.table('cases', sa.column('id', sa.String), sa.column('doc', sa.Text))
    for (case_id,) in conn.execute(sa.select(cases.c.id)).all():
        case = repo.from_tables(case_id)
        if case is not None:
            conn.execute(sa.update(cases).where(cases.c.id == case_id)
                         .values(doc=encode(case)))


def downgrade() -> None:
    # the record tables hold everything the documents do once every case is projected
    conn = op.get_bind()
    from casefiles.adapters.repository import CaseRepository

    repo = CaseRepository.as_the_database_is(conn)
    for case_id in repo.unprojected(1_000_000):
        repo.project(case_id)
    op.drop_index('ix_cases_unprojected', table_name='cases')
    op.execute('ALTER TABLE cases DROP COLUMN projected')
    op.execute('ALTER TABLE cases DROP COLUMN doc')
