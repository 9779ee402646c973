"""The reminder window: how far ahead the overdue reminders are planned, so the daily upkeep
adds only the days that entered the window since (it re-planned every overdue item each day).
No row until the first upkeep after the upgrade, which re-plans everything once (and trims the
rows the former 60-day window planned beyond the new 14 days).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 03:30:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reminder_window",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("through", sa.Date(), nullable=False),
        sa.Column("rolled_on", sa.Date(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_window")),
    )


def downgrade() -> None:
    op.drop_table("reminder_window")
