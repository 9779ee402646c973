"""item_department: every item's state carried to its department links once more, as 0012 did.

Databases at 0012 ran a release whose chat (/done, /progress, /reopen, /undo) changed the item
and never its links, so the parts drifted from the items they belong to; from this revision on
the chat changes the parts and the item together (storage/parts.py).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 06:30:00

"""

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The item's own columns were the truth all along (every reader used them): each link takes
    # them, leads and assists alike, for the reason 0012 gives (an assist link may be a
    # responsible department listed second, which the next import makes a lead).
    op.execute(
        "UPDATE item_department SET "
        "status = (SELECT item.status FROM item WHERE item.id = item_department.item_id), "
        "progress = (SELECT item.progress FROM item WHERE item.id = item_department.item_id), "
        "done_at = (SELECT item.done_at FROM item WHERE item.id = item_department.item_id)"
    )


def downgrade() -> None:
    # Nothing to take back: the columns stay (0012's), and the item still holds the aggregate.
    pass
