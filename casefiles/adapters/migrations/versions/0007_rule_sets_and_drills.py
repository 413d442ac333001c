"""the law in force on each date (SPEC §5): a case may be a drill, left out of lists and
statistics; a case keeps its party's code, so that a first violation can be told; every history
entry names the rule sets that judged it and their content SHA-256

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 17:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('cases', sa.Column('drill', sa.Boolean(), nullable=False,
                                     server_default=sa.false()))
    op.add_column('cases', sa.Column('party_code', sa.String(), nullable=True))
    op.create_index('ix_cases_party_code', 'cases', ['party_code'])
    # the cases already there: their party's code, from the record table of parties
    op.execute("UPDATE cases SET party_code = (SELECT COALESCE(p.credit_code, p.id_number) "
               "FROM parties p WHERE p.case_id = cases.id)")
    op.add_column('history', sa.Column('rule_sets', sa.JSON(), nullable=True))
    # the decision's answer to the party's statement (APL art. 45; decide's defence_answer)
    op.add_column('decisions', sa.Column('defence_accepted', sa.Boolean(), nullable=True))
    op.add_column('decisions', sa.Column('defence_reasons', sa.String(), nullable=True))
    # what a 听证笔录 records: times as held, attendees, each side's statements
    op.add_column('hearings', sa.Column('record', sa.JSON(), nullable=False,
                                        server_default='{}'))
    # a transfer's suspected crime, goods and appraisals (移送书)
    op.add_column('decisions', sa.Column('suspected_crime', sa.String(), nullable=True))
    op.add_column('decisions', sa.Column('goods', sa.JSON(), nullable=False,
                                         server_default='[]'))
    op.add_column('decisions', sa.Column('appraisals', sa.JSON(), nullable=False,
                                         server_default='[]'))
    # what records say (issue 13): a record's text, place and person questioned; a
    # discussion's place, recorder and each attendee's opinion
    op.add_column('evidence', sa.Column('content', sa.Text(), nullable=True))
    op.add_column('evidence', sa.Column('place', sa.String(), nullable=True))
    op.add_column('evidence', sa.Column('interviewee', sa.String(), nullable=True))
    op.add_column('discussions', sa.Column('place', sa.String(), nullable=True))
    op.add_column('discussions', sa.Column('recorder', sa.String(), nullable=True))
    op.add_column('discussions', sa.Column('opinions', sa.JSON(), nullable=False,
                                           server_default='[]'))


def downgrade() -> None:
    with op.batch_alter_table('hearings') as batch:
        batch.drop_column('record')
    with op.batch_alter_table('discussions') as batch:
        for name in ('opinions', 'recorder', 'place'):
            batch.drop_column(name)
    with op.batch_alter_table('evidence') as batch:
        for name in ('interviewee', 'place', 'content'):
            batch.drop_column(name)
    with op.batch_alter_table('decisions') as batch:
        for name in ('appraisals', 'goods', 'suspected_crime'):
            batch.drop_column(name)
        batch.drop_column('defence_reasons')
        batch.drop_column('defence_accepted')
    with op.batch_alter_table('history') as batch:
        batch.drop_column('rule_sets')
    op.drop_index('ix_cases_party_code', table_name='cases')
    with op.batch_alter_table('cases') as batch:
        batch.drop_column('party_code')
        batch.drop_column('drill')
