"""a complaint names the sector it concerns, which the case registered from it keeps; cases
marked for supervision (督办) with a note

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


def downgrade() -> None:
    op.drop_index('ix_supervisions_case_id', table_name='supervisions')
    op.drop_table('supervisions')
    with op.batch_alter_table('complaints') as batch:
        batch.drop_column('sector')
