"""item_update becomes item_event (the history table's class is ItemEvent, not an Update that
reads like telegram.Update); rows, indexes and constraints are kept under the new name.
reminder, reminder_message, extension_request: chat_id becomes tg_chat_id, since it holds a
Telegram chat id, while chat_id elsewhere is our chat row's id.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 20:40:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_KINDS = (
    "kind IN ('done', 'progress', 'note', 'ack', 'extend', 'reopen', 'edit', 'import', "
    "'snooze', 'undo')"
)
_COLUMNS = "id, item_id, author_tg_user_id, author_name, kind, text, percent, created_at, data"


def _history_table(name: str) -> None:
    """The history table as revisions 0002 to 0006 left it, with every name derived from `name`."""
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("author_tg_user_id", sa.BigInteger(), nullable=True),
        sa.Column("author_name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("percent", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data", sa.JSON(), nullable=True),
        sa.CheckConstraint(_KINDS, name=op.f(f"ck_{name}_kind")),
        sa.CheckConstraint(
            "percent IS NULL OR percent BETWEEN 0 AND 100", name=op.f(f"ck_{name}_percent")
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["item.id"], name=op.f(f"fk_{name}_item_id_item"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
    )


def _rename_history(old: str, new: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        # PostgreSQL renames in place: no copy, and the id sequence goes along.
        op.rename_table(old, new)
        for suffix in ("pk_{}", "fk_{}_item_id_item", "ck_{}_kind", "ck_{}_percent"):
            op.execute(
                f"ALTER TABLE {new} RENAME CONSTRAINT {suffix.format(old)} TO {suffix.format(new)}"
            )
        op.execute(f"ALTER INDEX ix_{old}_item_id_created_at RENAME TO ix_{new}_item_id_created_at")
        op.execute(f"ALTER SEQUENCE {old}_id_seq RENAME TO {new}_id_seq")
        return
    # SQLite cannot rename constraints: the table is built under the new names and the rows
    # copied over, ids included, so DeletedItem copies and /undo targets still match.
    _history_table(new)
    op.execute(f"INSERT INTO {new} ({_COLUMNS}) SELECT {_COLUMNS} FROM {old}")
    op.drop_index(f"ix_{old}_item_id_created_at", table_name=old)
    op.drop_table(old)
    op.create_index(f"ix_{new}_item_id_created_at", new, ["item_id", "created_at"])


def _rename_chat_columns(old: str, new: str) -> None:
    # Batch mode: SQLite copies the table (rows kept); PostgreSQL renames in place.
    for table in ("reminder", "extension_request"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(old, new_column_name=new)
    with op.batch_alter_table("reminder_message", schema=None) as batch_op:
        batch_op.drop_constraint(f"uq_reminder_message_{old}_message_id", type_="unique")
        batch_op.alter_column(old, new_column_name=new)
    # A second pass: in the same one, SQLite's copy of the table would leave the new constraint out.
    with op.batch_alter_table("reminder_message", schema=None) as batch_op:
        batch_op.create_unique_constraint(
            f"uq_reminder_message_{new}_message_id", [new, "message_id"]
        )


def upgrade() -> None:
    _rename_history("item_update", "item_event")
    _rename_chat_columns("chat_id", "tg_chat_id")


def downgrade() -> None:
    _rename_chat_columns("tg_chat_id", "chat_id")
    _rename_history("item_event", "item_update")
