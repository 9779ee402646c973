"""message_id becomes tg_message_id in reminder, reminder_message, extension_request and digest:
it holds a Telegram message id, and reminder_message_item.reminder_message_id beside it is our
row id. Telegram ids are tg_… everywhere; row ids never are.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 22:30:00

"""

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _rename(old: str, new: str) -> None:
    # Batch mode: SQLite copies the table (rows kept); PostgreSQL renames in place.
    for table in ("reminder", "extension_request", "digest"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(old, new_column_name=new)
    with op.batch_alter_table("reminder_message", schema=None) as batch_op:
        batch_op.drop_constraint(f"uq_reminder_message_tg_chat_id_{old}", type_="unique")
        batch_op.alter_column(old, new_column_name=new)
    # A second pass: in the same one, SQLite's copy of the table would leave the new constraint out.
    with op.batch_alter_table("reminder_message", schema=None) as batch_op:
        batch_op.create_unique_constraint(
            f"uq_reminder_message_tg_chat_id_{new}", ["tg_chat_id", new]
        )


def upgrade() -> None:
    _rename("message_id", "tg_message_id")


def downgrade() -> None:
    _rename("tg_message_id", "message_id")
