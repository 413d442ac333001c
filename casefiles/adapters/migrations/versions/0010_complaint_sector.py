"""a complaint names the sector it concerns, which the case registered from it keeps; cases
marked for supervision (督办) with a note; the daily sweep's reminder to each person

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 12:40:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from casefiles.adapters.types import AwareDateTime

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('complaints') as batch:
        batch.add_column(sa.Column('sector', sa.String(), nullable=True))
    op.create_table(
        'supervisions',
        sa.Column('id', sa.String(), nullable=False),
        sa.Column('case_id', sa.String(), nullable=False),
        sa.Column('by', sa.String(), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('at', AwareDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id']),
        sa.PrimaryKeyConstraint('id'))
    op.create_index('ix_supervisions_case_id', 'supervisions', ['case_id'])
    op.create_table(
        'person_reminders',
        sa.Column('id', sa.String(), nullable=False),
        sa.Column('person_id', sa.String(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('overdue', sa.Integer(), nullable=False),
        sa.Column('due_soon', sa.Integer(), nullable=False),
        sa.Column('written_at', AwareDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('person_id', 'day'))


def downgrade() -> None:
    op.drop_table('person_reminders')
    op.drop_index('ix_supervisions_case_id', table_name='supervisions')
    op.drop_table('supervisions')
    with op.batch_alter_table('complaints') as batch:
        batch.drop_column('sector')
