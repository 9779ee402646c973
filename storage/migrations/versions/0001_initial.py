"""Initial schema: chats, people, departments, plans, items, history, reminder outbox.

Revision ID: 0001
Revises:
Create Date: 2026-11-24 00:15:14.703000

"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401, RUF100 - autogenerate renders sqlmodel.sql.sqltypes.AutoString
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "chat",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tg_chat_id", sa.BigInteger(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("type", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("locale", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("is_forum", sa.Boolean(), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chat")),
        sa.UniqueConstraint("tg_chat_id", name=op.f("uq_chat_tg_chat_id")),
    )
    op.create_table(
        "reminder_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_message")),
        sa.UniqueConstraint(
            "chat_id", "message_id", name=op.f("uq_reminder_message_chat_id_message_id")
        ),
    )
    op.create_table(
        "department",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("tg_chat_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["chat_id"], ["chat.id"], name=op.f("fk_department_chat_id_chat"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_department")),
        sa.UniqueConstraint("chat_id", "name", name=op.f("uq_department_chat_id_name")),
    )
    op.create_table(
        "person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("tg_user_id", sa.BigInteger(), nullable=True),
        sa.Column("username", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["chat_id"], ["chat.id"], name=op.f("fk_person_chat_id_chat"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person")),
        sa.UniqueConstraint("chat_id", "name", name=op.f("uq_person_chat_id_name")),
    )
    op.create_index("ix_person_chat_id_tg_user_id", "person", ["chat_id", "tg_user_id"])

    op.create_table(
        "plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("source_text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("month BETWEEN 1 AND 12", name=op.f("ck_plan_month")),
        sa.ForeignKeyConstraint(
            ["chat_id"], ["chat.id"], name=op.f("fk_plan_chat_id_chat"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan")),
        sa.UniqueConstraint("chat_id", "year", "month", name=op.f("uq_plan_chat_id_year_month")),
    )
    op.create_table(
        "department_member",
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["department.id"],
            name=op.f("fk_department_member_department_id_department"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_department_member_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("department_id", "person_id", name=op.f("pk_department_member")),
    )
    op.create_index("ix_department_member_person_id", "department_member", ["person_id"])

    op.create_table(
        "item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("deadline_text", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("recurring", sa.Boolean(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("status IN ('open', 'done')", name=op.f("ck_item_status")),
        sa.CheckConstraint("progress BETWEEN 0 AND 100", name=op.f("ck_item_progress")),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan.id"], name=op.f("fk_item_plan_id_plan"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_item")),
        sa.UniqueConstraint("plan_id", "seq", name=op.f("uq_item_plan_id_seq")),
    )
    op.create_table(
        "item_department",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.CheckConstraint("role IN ('lead', 'assist')", name=op.f("ck_item_department_role")),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["department.id"],
            name=op.f("fk_item_department_department_id_department"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["item.id"],
            name=op.f("fk_item_department_item_id_item"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("item_id", "department_id", name=op.f("pk_item_department")),
    )
    op.create_index("ix_item_department_department_id", "item_department", ["department_id"])

    op.create_table(
        "item_leader",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["item.id"], name=op.f("fk_item_leader_item_id_item"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_item_leader_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("item_id", "person_id", name=op.f("pk_item_leader")),
    )
    op.create_index("ix_item_leader_person_id", "item_leader", ["person_id"])

    op.create_table(
        "item_update",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("author_tg_user_id", sa.BigInteger(), nullable=True),
        sa.Column("author_name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("percent", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('done', 'progress', 'note', 'ack', 'extend', 'reopen', 'edit', 'import')",
            name=op.f("ck_item_update_kind"),
        ),
        sa.CheckConstraint(
            "percent IS NULL OR percent BETWEEN 0 AND 100", name=op.f("ck_item_update_percent")
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["item.id"], name=op.f("fk_item_update_item_id_item"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_item_update")),
    )
    op.create_index("ix_item_update_item_id_created_at", "item_update", ["item_id", "created_at"])

    op.create_table(
        "reminder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("fire_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("chat_id", sa.BigInteger(), nullable=True),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "state IN ('pending', 'claimed', 'sent', 'failed', 'cancelled')",
            name=op.f("ck_reminder_state"),
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["item.id"], name=op.f("fk_reminder_item_id_item"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder")),
        sa.UniqueConstraint(
            "item_id", "kind", "fire_at", name=op.f("uq_reminder_item_id_kind_fire_at")
        ),
    )
    op.create_index("ix_reminder_state_fire_at", "reminder", ["state", "fire_at"])

    op.create_table(
        "reminder_message_item",
        sa.Column("reminder_message_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["item.id"],
            name=op.f("fk_reminder_message_item_item_id_item"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reminder_message_id"],
            ["reminder_message.id"],
            name=op.f("fk_reminder_message_item_reminder_message_id_reminder_message"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "reminder_message_id", "item_id", name=op.f("pk_reminder_message_item")
        ),
    )
    op.create_index("ix_reminder_message_item_item_id", "reminder_message_item", ["item_id"])


def downgrade() -> None:
    op.drop_table("reminder_message_item")
    op.drop_table("reminder")
    op.drop_table("item_update")
    op.drop_table("item_leader")
    op.drop_table("item_department")
    op.drop_table("item")
    op.drop_table("department_member")
    op.drop_table("plan")
    op.drop_table("person")
    op.drop_table("department")
    op.drop_table("reminder_message")
    op.drop_table("chat")
