"""Indexes for the reminder lookups commands make, so that their cost does not grow with the
outbox: an item's rows by state (/done cancelling its pending reminders walked the
(state, fire_at) index over every pending row of every group: 700 ms at 100,000 items) and the
rows a sent message carried (/ack read the whole table).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 01:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SENT_ONLY = sa.text("tg_message_id IS NOT NULL")


def upgrade() -> None:
    # Plain CREATE INDEX on both backends: no table copy, rows untouched.
    op.create_index("ix_reminder_item_id_state", "reminder", ["item_id", "state"])
    op.create_index(
        "ix_reminder_tg_message",
        "reminder",
        ["tg_chat_id", "tg_message_id"],
        sqlite_where=SENT_ONLY,
        postgresql_where=SENT_ONLY,
    )


def downgrade() -> None:
    op.drop_index("ix_reminder_tg_message", table_name="reminder")
    op.drop_index("ix_reminder_item_id_state", table_name="reminder")
