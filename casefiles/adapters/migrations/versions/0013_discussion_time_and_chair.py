"""a collective discussion's own time and chair (issue 14): when it was held and who chaired
it, where these are not the action's time and the head who records it; the searches of
100,000 cases (issue 14): an index of the parties' 身份证号, and on SQLite a trigram index of
the parties' names (party_names, FTS5), kept by triggers, that finds part of a name without
reading every party; a fine's violation (issue 14: a fine per violation)

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


# one row per party, its own copy of the name (so that it depends on no rowid of parties,
# which VACUUM may renumber); parties are inserted once and rarely renamed, never deleted
_PARTY_NAMES = [
    "CREATE VIRTUAL TABLE party_names USING fts5(name, case_id UNINDEXED, tokenize='trigram')",
    "INSERT INTO party_names (name, case_id) SELECT name, case_id FROM parties",
    ("CREATE TRIGGER party_names_insert AFTER INSERT ON parties BEGIN "
     "INSERT INTO party_names (name, case_id) VALUES (new.name, new.case_id); END"),
    ("CREATE TRIGGER party_names_update AFTER UPDATE OF name, case_id ON parties BEGIN "
     "DELETE FROM party_names WHERE case_id = old.case_id; "
     "INSERT INTO party_names (name, case_id) VALUES (new.name, new.case_id); END"),
    ("CREATE TRIGGER party_names_delete AFTER DELETE ON parties BEGIN "
     "DELETE FROM party_names WHERE case_id = old.case_id; END"),
]


def upgrade() -> None:
    op.add_column('discussions', sa.Column('held_at', AwareDateTime(), nullable=True))
    op.add_column('discussions', sa.Column('chair', sa.String(), nullable=True))
    op.create_index('ix_parties_id_number', 'parties', ['id_number'])
    # a fine for one violation of the proposal (its number from 1), or none: fines together
    op.add_column('penalties', sa.Column('violation', sa.Integer(), nullable=True))
    if op.get_bind().dialect.name == 'sqlite':
        for statement in _PARTY_NAMES:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        for name in ('insert', 'update', 'delete'):
            op.execute(f'DROP TRIGGER party_names_{name}')
        op.execute('DROP TABLE party_names')
    op.drop_index('ix_parties_id_number', table_name='parties')
    with op.batch_alter_table('penalties') as batch:
        batch.drop_column('violation')
    with op.batch_alter_table('discussions') as batch:
        batch.drop_column('chair')
        batch.drop_column('held_at')
