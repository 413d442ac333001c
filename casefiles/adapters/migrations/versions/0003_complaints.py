"""complaints from the public (投诉举报), waiting for an officer; the case_officers read model

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 05:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
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
    op.create_table(
        'read_marks',
        sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('last_history_id', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('name'),
    )


def downgrade() -> None:
    op.drop_table('read_marks')
    op.drop_index('ix_case_officers_person', table_name='case_officers')
    op.drop_table('case_officers')
    op.drop_index(op.f('ix_complaints_status'), table_name='complaints')
    op.drop_index(op.f('ix_complaints_sender_hash'), table_name='complaints')
    op.drop_index(op.f('ix_complaints_received_at'), table_name='complaints')
    op.drop_table('complaints')
