"""a collective discussion's own time and chair (issue 14): when it was held and who chaired
it, where these are not the action's time and the head who records it

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 00:10:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from casefiles.adapters.types import AwareDateTime

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('discussions', sa.Column('held_at', AwareDateTime(), nullable=True))
    op.add_column('discussions', sa.Column('chair', sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('discussions') as batch:
        batch.drop_column('chair')
        batch.drop_column('held_at')
