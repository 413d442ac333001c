"""complaints from the public (投诉举报), waiting for an officer; case_officers (who finds a case
among their own), filled for the cases already there

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 05:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

from casefiles.adapters.types import AwareDateTime

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'complaints',
        sa.Column('id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('received_at', AwareDateTime(timezone=True), nullable=False),
        sa.Column('reporter', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column('contact', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('location', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column('content', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('sender_hash', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('status', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('handled_by', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column('handled_at', AwareDateTime(timezone=True), nullable=True),
        sa.Column('dismiss_reason', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column('case_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_complaints_received_at'), 'complaints', ['received_at'],
                    unique=False)
    op.create_index(op.f('ix_complaints_sender_hash'), 'complaints', ['sender_hash'],
                    unique=False)
    op.create_index(op.f('ix_complaints_status'), 'complaints', ['status'], unique=False)
    op.create_table(
        'case_officers',
        sa.Column('case_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('person_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('registered_at', AwareDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ),
        sa.PrimaryKeyConstraint('case_id', 'person_id'),
    )
    op.create_index('ix_case_officers_person', 'case_officers', ['person_id', 'registered_at'],
                    unique=False)
    _take_in_existing_cases()


def _take_in_existing_cases() -> None:
    """Cases registered before this migration: their registrant and investigators."""
    conn = op.get_bind()
    cases = sa.table('cases', sa.column('id', sa.String), sa.column('registered_by', sa.String),
                     sa.column('investigators', sa.JSON),
                     sa.column('registered_at', AwareDateTime(timezone=True)))
    officers = sa.table('case_officers', sa.column('case_id', sa.String),
                        sa.column('person_id', sa.String),
                        sa.column('registered_at', AwareDateTime(timezone=True)))
    rows = [{"case_id": c.id, "person_id": p, "registered_at": c.registered_at}
            for c in conn.execute(sa.select(cases))
            for p in dict.fromkeys([c.registered_by, *(c.investigators or [])])]
    if rows:
        op.bulk_insert(officers, rows)


def downgrade() -> None:
    op.drop_index('ix_case_officers_person', table_name='case_officers')
    op.drop_table('case_officers')
    op.drop_index(op.f('ix_complaints_status'), table_name='complaints')
    op.drop_index(op.f('ix_complaints_sender_hash'), table_name='complaints')
    op.drop_index(op.f('ix_complaints_received_at'), table_name='complaints')
    op.drop_table('complaints')
