"""plan: quarters and years besides months, archived plans, what the last import said;
deleted_item: the quarter its plan was for

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05 19:10:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Batch mode: SQLite cannot alter constraints in place, so the table is copied (rows kept).
    with op.batch_alter_table("plan", schema=None) as batch_op:
        # Plans imported before have none: a re-import reads their items' history instead.
        batch_op.add_column(sa.Column("imported", sa.JSON(), nullable=True))
        # Every existing plan is a month's (quarter 0) and not an archive.
        batch_op.add_column(
            sa.Column("quarter", sa.Integer(), nullable=False, server_default=sa.text("0"))
        )
        batch_op.add_column(
            sa.Column("archived", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.drop_constraint(op.f("uq_plan_chat_id_year_month"), type_="unique")
        batch_op.drop_constraint(op.f("ck_plan_month"), type_="check")
        batch_op.create_unique_constraint(
            op.f("uq_plan_chat_id_year_quarter_month"), ["chat_id", "year", "quarter", "month"]
        )
        batch_op.create_check_constraint(op.f("ck_plan_month"), "month BETWEEN 0 AND 12")
        batch_op.create_check_constraint(
            op.f("ck_plan_quarter"), "quarter BETWEEN 0 AND 4 AND (quarter = 0 OR month = 0)"
        )
    # A quarter's plan and the year's plan both have month 0: the quarter tells their deleted
    # items apart. Existing records are all of month plans (quarter 0).
    with op.batch_alter_table("deleted_item", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("quarter", sa.Integer(), nullable=False, server_default=sa.text("0"))
        )


def downgrade() -> None:
    # Quarter and year plans have no place in the old table: they go, with their items.
    op.execute("DELETE FROM plan WHERE month = 0")
    op.execute("DELETE FROM deleted_item WHERE month = 0")
    with op.batch_alter_table("deleted_item", schema=None) as batch_op:
        batch_op.drop_column("quarter")
    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_plan_quarter"), type_="check")
        batch_op.drop_constraint(op.f("ck_plan_month"), type_="check")
        batch_op.drop_constraint(op.f("uq_plan_chat_id_year_quarter_month"), type_="unique")
        batch_op.create_unique_constraint(
            op.f("uq_plan_chat_id_year_month"), ["chat_id", "year", "month"]
        )
        batch_op.create_check_constraint(op.f("ck_plan_month"), "month BETWEEN 1 AND 12")
        batch_op.drop_column("archived")
        batch_op.drop_column("quarter")
        batch_op.drop_column("imported")
