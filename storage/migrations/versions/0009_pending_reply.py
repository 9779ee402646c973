"""pending_question.kind may be 'reply': a plain reply to one of our item messages, understood
and waiting for its sender (or an admin) to confirm it.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 22:30:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_KINDS = "'import', 'iam', 'done'"
NEW_KINDS = f"{OLD_KINDS}, 'reply'"


def _kinds(kinds: str) -> None:
    # Autogenerate does not see CHECK changes; batch mode rebuilds the table on SQLite.
    with op.batch_alter_table("pending_question", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_pending_question_kind"), type_="check")
        batch_op.create_check_constraint("kind", sa.text(f"kind IN ({kinds})"))


def upgrade() -> None:
    _kinds(NEW_KINDS)


def downgrade() -> None:
    # Revision 0008 knows no such questions; they are only waiting for a press.
    op.execute("DELETE FROM pending_question WHERE kind = 'reply'")
    _kinds(OLD_KINDS)
