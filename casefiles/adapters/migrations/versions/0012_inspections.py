"""inspections (SPEC §6): the inspection aggregate and who finds it among their own

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 13:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

from casefiles.adapters.types import AwareDateTime

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'inspections',
        sa.Column('id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('number', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('state', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('sector', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('unit_name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('unit_code', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column('inspected_at', AwareDateTime(), nullable=False),
        sa.Column('inspected_by', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('major_hazard', sa.Boolean(), nullable=False),
        sa.Column('next_due', sa.Date(), nullable=True),
        sa.Column('held_until', sa.Date(), nullable=True),
        sa.Column('documents_pending', sa.Boolean(), nullable=False),
        sa.Column('drill', sa.Boolean(), nullable=False),
        sa.Column('history_length', sa.Integer(), nullable=False),
        sa.Column('history_head', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('doc', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('id'))
    op.create_index('ix_inspections_number', 'inspections', ['number'], unique=True)
    op.create_index('ix_inspections_unit_code', 'inspections', ['unit_code'])
    op.create_index('ix_inspections_state_sector', 'inspections', ['state', 'sector'])
    op.create_index('ix_inspections_inspected_id', 'inspections', ['inspected_at', 'id'])
    op.create_index('ix_inspections_major_state', 'inspections', ['major_hazard', 'state'])
    op.create_index('ix_inspections_held_until', 'inspections', ['held_until'])
    op.create_index('ix_inspections_next_due', 'inspections', ['next_due'])
    op.create_index('ix_inspections_documents_pending', 'inspections', ['documents_pending'])
    op.create_table(
        'inspection_officers',
        sa.Column('inspection_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('person_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('inspected_at', AwareDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['inspection_id'], ['inspections.id']),
        sa.PrimaryKeyConstraint('inspection_id', 'person_id'))
    op.create_index('ix_inspection_officers_person', 'inspection_officers',
                    ['person_id', 'inspected_at'])


def downgrade() -> None:
    op.drop_table('inspection_officers')
    op.drop_table('inspections')
