"""sessions and API tokens kept server-side, so that sign-out and deactivation end them

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 17:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from casefiles.adapters.types import AwareDateTime

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'sessions',
        sa.Column('id', sa.String(), nullable=False),
        sa.Column('person_id', sa.String(), nullable=False),
        sa.Column('kind', sa.String(), nullable=False),
        sa.Column('created_at', AwareDateTime(), nullable=False),
        sa.Column('expires_at', AwareDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'))
    op.create_index('ix_sessions_person', 'sessions', ['person_id'])
    op.create_index('ix_sessions_expires_at', 'sessions', ['expires_at'])


def downgrade() -> None:
    op.drop_index('ix_sessions_expires_at', table_name='sessions')
    op.drop_index('ix_sessions_person', table_name='sessions')
    op.drop_table('sessions')
