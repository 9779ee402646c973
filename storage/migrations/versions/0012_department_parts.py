"""item_department: each department's own part of an item (status, progress, done_at), with
every item's single state carried over to all its departments.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 05:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Batch mode: SQLite cannot add a CHECK constraint in place, so the table is copied (rows
    # kept). The server defaults fill the existing rows, and stay: an instance of the release
    # before, still running during a rolling upgrade, inserts links without these columns.
    with op.batch_alter_table("item_department", schema=None) as batch_op:
        batch_op.add_column(sa.Column("status", sa.String(), nullable=False, server_default="open"))
        batch_op.add_column(
            sa.Column("progress", sa.Integer(), nullable=False, server_default=sa.text("0"))
        )
        batch_op.add_column(sa.Column("done_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_check_constraint(
            op.f("ck_item_department_status"), "status IN ('open', 'done', 'review')"
        )
        batch_op.create_check_constraint(
            op.f("ck_item_department_progress"), "progress BETWEEN 0 AND 100"
        )
    # Until now the item had one state, shared by all its departments: it becomes every
    # department's part. Assist links too: before this release the import made only the first
    # department listed lead, so an "assist" link may be a responsible department written
    # second, which the next import (reading 配合 apart now) makes a lead; its part must then
    # be the item's state, not a fresh open one. An assist part is never waited for anyway.
    op.execute(
        "UPDATE item_department SET "
        "status = (SELECT item.status FROM item WHERE item.id = item_department.item_id), "
        "progress = (SELECT item.progress FROM item WHERE item.id = item_department.item_id), "
        "done_at = (SELECT item.done_at FROM item WHERE item.id = item_department.item_id)"
    )


def downgrade() -> None:
    # The item's own columns still hold the aggregate: the parts can go without loss for the
    # release before.
    with op.batch_alter_table("item_department", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_item_department_progress"), type_="check")
        batch_op.drop_constraint(op.f("ck_item_department_status"), type_="check")
        batch_op.drop_column("done_at")
        batch_op.drop_column("progress")
        batch_op.drop_column("status")
