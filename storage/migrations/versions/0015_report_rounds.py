"""report_round, report_round_item, report_round_message: the rounds of progress collection
(进展报送): when a chat was asked, which department about which items, and the messages that
asked (edited as answers arrive) and chased.

New tables only: a database of the release before upgrades without touching its rows, and
the collection is off until a chat or the config sets `report`.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 06:10:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0015"
down_revision: str | Sequence[str] | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "report_round",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.Integer(), nullable=False),
        sa.Column("fire_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("chased_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["chat_id"], ["chat.id"], name=op.f("fk_report_round_chat_id_chat"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_round")),
        sa.UniqueConstraint("chat_id", "fire_at", name=op.f("uq_report_round_chat_id_fire_at")),
    )
    op.create_table(
        "report_round_item",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["report_round.id"],
            name=op.f("fk_report_round_item_round_id_report_round"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["department.id"],
            name=op.f("fk_report_round_item_department_id_department"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["item.id"],
            name=op.f("fk_report_round_item_item_id_item"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "round_id", "department_id", "item_id", name=op.f("pk_report_round_item")
        ),
    )
    op.create_index("ix_report_round_item_item_id", "report_round_item", ["item_id"])
    op.create_table(
        "report_round_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("tg_chat_id", sa.BigInteger(), nullable=False),
        sa.Column("tg_message_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("departments", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["report_round.id"],
            name=op.f("fk_report_round_message_round_id_report_round"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_round_message")),
        sa.UniqueConstraint(
            "tg_chat_id",
            "tg_message_id",
            name=op.f("uq_report_round_message_tg_chat_id_tg_message_id"),
        ),
    )
    op.create_index("ix_report_round_message_round_id", "report_round_message", ["round_id"])


def downgrade() -> None:
    op.drop_index("ix_report_round_message_round_id", table_name="report_round_message")
    op.drop_table("report_round_message")
    op.drop_index("ix_report_round_item_item_id", table_name="report_round_item")
    op.drop_table("report_round_item")
    op.drop_table("report_round")
