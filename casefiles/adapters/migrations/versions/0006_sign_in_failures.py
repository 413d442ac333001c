"""failed sign-ins in the database, counted alike by every server process

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 10:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from casefiles.adapters.types import AwareDateTime

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'sign_in_failures',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(), nullable=False),
        sa.Column('at', AwareDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id'))
    op.create_index('ix_sign_in_failures_key_at', 'sign_in_failures', ['key', 'at'])
    op.create_index('ix_sign_in_failures_at', 'sign_in_failures', ['at'])


def downgrade() -> None:
    op.drop_index('ix_sign_in_failures_at', table_name='sign_in_failures')
    op.drop_index('ix_sign_in_failures_key_at', table_name='sign_in_failures')
    op.drop_table('sign_in_failures')
