"""billing: processed Stripe events, the organization's subscription id and last event time

Revision ID: bill01
Revises: 0001
Create Date: 2026-11-26 05:59:04.375055
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401
from alembic import op

revision: str = 'bill01'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('processed_stripe_event',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('event_id', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('event_type', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('organization_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('stripe_created_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('outcome', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_processed_stripe_event_organization_id_organization'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_processed_stripe_event')),
    sa.UniqueConstraint('event_id', name='uq_processed_stripe_event_event_id')
    )
    with op.batch_alter_table('processed_stripe_event', schema=None) as batch_op:
        batch_op.create_index('ix_processed_stripe_event_organization_id', ['organization_id'], unique=False)

    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.add_column(sa.Column('stripe_subscription_id', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True))
        batch_op.add_column(sa.Column('billing_event_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('organization', schema=None) as batch_op:
        batch_op.drop_column('billing_event_at')
        batch_op.drop_column('stripe_subscription_id')

    with op.batch_alter_table('processed_stripe_event', schema=None) as batch_op:
        batch_op.drop_index('ix_processed_stripe_event_organization_id')

    op.drop_table('processed_stripe_event')
