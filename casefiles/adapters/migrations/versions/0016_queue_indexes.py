"""indexes the lists read from alone: the cases by state and registration, the open deadlines
with their kind and missed mark, a person's cases with their ids, a case's state by its id

The head's queue gathers the cases of its states, oldest first, with their versions; read
from the table, 100,000 cases cost 30 ms a page. The open deadlines' index gains the kind and
the missed mark, so the decision deadlines near their end and the reminders' counts are read
from it too. "My cases" pages through a person's cases and keeps those in hand (or ended):
with the case id in ix_case_officers_person and the state in ix_cases_report, neither table
is read for that (an officer's 20th page of ended cases: 7 ms, now 2.5).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 03:00:00
"""
from __future__ import annotations

from alembic import op

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

# (index, table, columns before, columns now) of the indexes made wider
_WIDER = [
    ('ix_deadlines_open', 'deadlines', ['done_on', 'not_applicable', 'due', 'case_id'],
     ['done_on', 'not_applicable', 'due', 'case_id', 'kind', 'missed']),
    ('ix_case_officers_person', 'case_officers', ['person_id', 'registered_at'],
     ['person_id', 'registered_at', 'case_id']),
    ('ix_cases_report', 'cases', ['id', 'sector', 'drill'], ['id', 'sector', 'drill', 'state']),
]


def upgrade() -> None:
    op.create_index('ix_cases_state_registered', 'cases',
                    ['state', 'registered_at', 'id', 'version', 'drill'])
    for name, table, _, columns in _WIDER:
        op.drop_index(name, table_name=table)
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, columns, _ in _WIDER:
        op.drop_index(name, table_name=table)
        op.create_index(name, table, columns)
    op.drop_index('ix_cases_state_registered', table_name='cases')
