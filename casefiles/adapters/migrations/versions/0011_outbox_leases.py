"""outbox leases, backoff and parking, so that several workers share the outbox

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 12:20:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from casefiles.adapters.types import AwareDateTime

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

_COLUMNS = ('lease_until', 'leased_by', 'next_attempt_at', 'parked_at')


def upgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lease_until', AwareDateTime(), nullable=True))
        batch_op.add_column(sa.Column('leased_by', sa.String(), nullable=True))
        batch_op.add_column(sa.Column('next_attempt_at', AwareDateTime(), nullable=True))
        batch_op.add_column(sa.Column('parked_at', AwareDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        for name in reversed(_COLUMNS):
            batch_op.drop_column(name)
