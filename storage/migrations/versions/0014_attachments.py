"""attachment: files sent with a report (佐证材料), kept as Telegram's file ids.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 06:10:00

Written on the evidence branch after 0012; chained after 0013 (parts follow items) at the merge.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401, RUF100 - autogenerate renders sqlmodel.sql.sqltypes.AutoString
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0014"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A new table only: no row of the release before changes, and an instance of it still
    # running during a rolling upgrade never reads or writes this table.
    op.create_table(
        "attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("item_event_id", sa.Integer(), nullable=True),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("tg_file_id", sa.Text(), nullable=False),
        sa.Column("tg_file_unique_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("file_name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=True),
        sa.Column("mime_type", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("author_tg_user_id", sa.BigInteger(), nullable=True),
        sa.Column("author_name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('photo', 'document')", name=op.f("ck_attachment_kind")),
        sa.ForeignKeyConstraint(
            ["item_id"], ["item.id"], name=op.f("fk_attachment_item_id_item"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["item_event_id"],
            ["item_event.id"],
            name=op.f("fk_attachment_item_event_id_item_event"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachment")),
    )
    with op.batch_alter_table("attachment", schema=None) as batch_op:
        batch_op.create_index("ix_attachment_item_id", ["item_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("attachment", schema=None) as batch_op:
        batch_op.drop_index("ix_attachment_item_id")

    op.drop_table("attachment")
