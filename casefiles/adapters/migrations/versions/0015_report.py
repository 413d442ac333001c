"""the period report (SPEC §7): appeals, the inspections' dated events, and indexes on the days
the report counts by

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 00:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

from casefiles.adapters.types import AwareDateTime

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

# (index, table, columns) on the days the report filters
_INDEXES = [
    ('ix_cases_registered_report', 'cases', ['registered_at', 'drill', 'sector']),
    ('ix_cases_filed_at', 'cases', ['filed_at', 'drill', 'sector']),
    ('ix_cases_closed_at', 'cases', ['closed_at', 'drill', 'sector']),
    ('ix_cases_report', 'cases', ['id', 'sector', 'drill']),
    ('ix_decisions_report', 'decisions', ['decided_at', 'case_id', 'id']),
    ('ix_decisions_case_report', 'decisions', ['case_id', 'id']),
    ('ix_penalties_report', 'penalties', ['owner_id', 'type', 'amount']),
    ('ix_hearings_held_at', 'hearings', ['held_at', 'status', 'case_id']),
    ('ix_reviews_at', 'reviews', ['at', 'verdict', 'case_id']),
    ('ix_discussions_at', 'discussions', ['at', 'case_id']),
    ('ix_payments_paid_on', 'payments', ['paid_on', 'case_id']),
    ('ix_payments_case_report', 'payments', ['case_id', 'paid_on', 'amount']),
    ('ix_deadlines_due', 'deadlines', ['due', 'not_applicable', 'missed', 'done_on', 'case_id']),
    ('ix_deadlines_done', 'deadlines', ['done_on', 'due', 'missed', 'not_applicable',
                                        'case_id']),
    ('ix_complaints_handled_at', 'complaints', ['handled_at']),
]


def upgrade() -> None:
    op.create_table(
        'appeals',
        sa.Column('id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('case_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('filed_on', sa.Date(), nullable=False),
        sa.Column('body', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('recorded_at', AwareDateTime(), nullable=False),
        sa.Column('recorded_by', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('outcome', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('decided_on', sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_appeals_case_id', 'appeals', ['case_id'])
    op.create_index('ix_appeals_filed_on', 'appeals', ['filed_on', 'kind', 'case_id'])
    op.create_index('ix_appeals_decided_on', 'appeals', ['decided_on', 'kind', 'outcome',
                                                         'case_id'])
    op.create_table(
        'inspection_events',
        sa.Column('inspection_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('ref', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('on', sa.Date(), nullable=False),
        sa.Column('sector', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column('drill', sa.Boolean(), nullable=False),
        sa.Column('unit_code', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.ForeignKeyConstraint(['inspection_id'], ['inspections.id']),
        sa.PrimaryKeyConstraint('inspection_id', 'kind', 'ref'),
    )
    op.create_index('ix_inspection_events_on', 'inspection_events',
                    ['on', 'drill', 'sector', 'kind', 'unit_code'])
    for name, table, columns in _INDEXES:
        op.create_index(name, table, columns)
    _events_of_existing_inspections()


def _events_of_existing_inspections() -> None:
    """The events of the inspections already held (read with the code of this revision)."""
    from casefiles.adapters.inspection_store import decode, write_events

    conn = op.get_bind()
    for (doc,) in conn.execute(sa.text('SELECT doc FROM inspections')):
        write_events(conn, decode(str(doc)))


def downgrade() -> None:
    for name, table, _ in reversed(_INDEXES):
        op.drop_index(name, table_name=table)
    op.drop_index('ix_inspection_events_on', table_name='inspection_events')
    op.drop_table('inspection_events')
    op.drop_index('ix_appeals_decided_on', table_name='appeals')
    op.drop_index('ix_appeals_filed_on', table_name='appeals')
    op.drop_index('ix_appeals_case_id', table_name='appeals')
    op.drop_table('appeals')
