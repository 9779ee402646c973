"""An index on person (tg_user_id, chat_id): the groups an account is bound in (a private chat's
group, the board's groups) and a person's calendar feed look people up by account alone, which
read every group's people through (chat_id, tg_user_id).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 09:00:00

"""

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0017"
down_revision: str | Sequence[str] | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain CREATE INDEX on both backends: no table copy, rows untouched.
    op.create_index("ix_person_tg_user_id_chat_id", "person", ["tg_user_id", "chat_id"])


def downgrade() -> None:
    op.drop_index("ix_person_tg_user_id_chat_id", table_name="person")
