"""a complaint names the sector it concerns, which the case registered from it keeps

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 12:40:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('complaints') as batch:
        batch.add_column(sa.Column('sector', sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('complaints') as batch:
        batch.drop_column('sector')
