"""inspection documents through the outbox, and seal/seize requests held for the head

The documents flow now renders an inspection's documents from outbox items the actions queue;
an inspection recorded before this revision has none for the documents it still waits for, so
one is queued here for each. ``approvals_pending`` marks an inspection whose officer asked for
a seal or seize that the head has not approved or refused yet (the head's queue finds it).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 00:10:00
"""
from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

from casefiles.adapters.types import AwareDateTime

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

_OUTBOX = sa.table('outbox', sa.column('case_id', sa.String()), sa.column('kind', sa.String()),
                   sa.column('payload', sa.JSON()), sa.column('created_at', AwareDateTime()),
                   sa.column('attempts', sa.Integer()), sa.column('done_at', AwareDateTime()))
_KIND = 'inspection_document_issued'


def upgrade() -> None:
    with op.batch_alter_table('inspections', schema=None) as batch_op:
        batch_op.add_column(sa.Column('approvals_pending', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    op.create_index('ix_inspections_approvals_pending', 'inspections', ['approvals_pending'],
                    sqlite_where=sa.text('approvals_pending = 1'),
                    postgresql_where=sa.text('approvals_pending = true'))
    conn = op.get_bind()
    payloads: list[dict[str, Any]] = list(conn.execute(sa.select(_OUTBOX.c.payload).where(
        _OUTBOX.c.kind == _KIND, _OUTBOX.c.done_at.is_(None))).scalars())
    queued = {str(p.get('document_id')) for p in payloads}
    rows = []
    now = datetime.now(UTC)
    for inspection_id, doc in conn.execute(sa.text(
            "SELECT id, doc FROM inspections WHERE documents_pending")):
        for d in json.loads(str(doc)).get('documents', []):
            if d.get('sha256') is None and d['id'] not in queued:
                rows.append({'case_id': None, 'kind': _KIND, 'created_at': now, 'attempts': 0,
                             'payload': {'document_id': d['id'], 'kind': d['kind'],
                                         'inspection_id': inspection_id}})
    if rows:
        conn.execute(sa.insert(_OUTBOX), rows)


def downgrade() -> None:
    op.drop_index('ix_inspections_approvals_pending', 'inspections')
    with op.batch_alter_table('inspections', schema=None) as batch_op:
        batch_op.drop_column('approvals_pending')
