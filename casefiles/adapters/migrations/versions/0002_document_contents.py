"""document contents: what each issued document says, fixed at issue

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 04:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'document_contents',
        sa.Column('document_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('case_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('facts', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ),
        sa.PrimaryKeyConstraint('document_id'),
    )
    op.create_index(op.f('ix_document_contents_case_id'), 'document_contents', ['case_id'],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_document_contents_case_id'), table_name='document_contents')
    op.drop_table('document_contents')
