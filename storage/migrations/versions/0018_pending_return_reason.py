"""pending_question.kind may be 'return reason': a reviewer pressed ↩️ 退回 and their next
message in the chat is the reason, kept so that a restart does not lose it.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 10:00:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0018"
down_revision: str | Sequence[str] | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_KINDS = "'import', 'iam', 'done', 'reply'"
NEW_KINDS = f"{OLD_KINDS}, 'return reason'"


def _kinds(kinds: str) -> None:
    # Autogenerate does not see CHECK changes; batch mode rebuilds the table on SQLite.
    with op.batch_alter_table("pending_question", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_pending_question_kind"), type_="check")
        batch_op.create_check_constraint("kind", sa.text(f"kind IN ({kinds})"))


def upgrade() -> None:
    _kinds(NEW_KINDS)


def downgrade() -> None:
    # Revision 0017 knows no such questions; a reviewer then sends /return instead.
    op.execute("DELETE FROM pending_question WHERE kind = 'return reason'")
    _kinds(OLD_KINDS)
