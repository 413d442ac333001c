"""indexes for the lists: case ids by date and by sector and date, open deadlines past due

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 04:45:00
"""
from __future__ import annotations

from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_cases_registered_id', 'cases', ['registered_at', 'id'], unique=False)
    op.create_index('ix_cases_sector_registered', 'cases', ['sector', 'registered_at', 'id'],
                    unique=False)
    op.drop_index('ix_deadlines_open_due', table_name='deadlines')
    op.create_index('ix_deadlines_open', 'deadlines',
                    ['done_on', 'not_applicable', 'due', 'case_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_deadlines_open', table_name='deadlines')
    op.create_index('ix_deadlines_open_due', 'deadlines', ['done_on', 'due'], unique=False)
    op.drop_index('ix_cases_sector_registered', table_name='cases')
    op.drop_index('ix_cases_registered_id', table_name='cases')
