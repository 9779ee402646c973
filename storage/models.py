"""The tables.

Conventions:
- Surrogate integer primary keys everywhere; Telegram ids are plain BigInteger columns, because a
  group's id changes when Telegram upgrades it to a supergroup and we want to update one column,
  not rewrite every foreign key.
- Every instant is a `UTCDateTime` (aware, UTC); deadlines are plain dates.
- Children that cannot live without their parent use ON DELETE CASCADE in the database, and the
  ORM relationships use passive_deletes so the database does that work.
- Relationships are `lazy="raise_on_sql"`: under AsyncSession an implicit load would fail with an
  obscure MissingGreenlet; this turns it into a clear error at the line that forgot selectinload.
- Enumerated values are strings guarded by CHECK constraints rather than native enums, so adding a
  value is a one-line migration on both backends.
"""

from datetime import date, datetime
from enum import StrEnum
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.ext.mutable import MutableDict
from sqlmodel import Field, Relationship, SQLModel

from storage.types import UTCDateTime, utcnow

# Named constraints are required for Alembic batch mode on SQLite (it must be able to refer to a
# constraint by name to drop or alter it), and they make migrations identical across backends.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class ItemStatus(StrEnum):
    OPEN = "open"
    DONE = "done"


class DepartmentRole(StrEnum):
    LEAD = "lead"
    ASSIST = "assist"


class PartStatus(StrEnum):
    """A lead department's part of an item; REVIEW is a done claim awaiting a supervisor."""

    OPEN = "open"
    DONE = "done"
    REVIEW = "review"


class ItemEventKind(StrEnum):
    DONE = "done"
    PROGRESS = "progress"
    NOTE = "note"
    ACK = "ack"
    EXTEND = "extend"
    REOPEN = "reopen"
    EDIT = "edit"
    IMPORT = "import"
    SNOOZE = "snooze"
    UNDO = "undo"


class ReminderKind(StrEnum):
    """The kinds the reminder policy uses today; the column is not restricted to them."""

    BEFORE = "before"
    DUE = "due"
    OVERDUE = "overdue"


class ReminderState(StrEnum):
    PENDING = "pending"
    CLAIMED = "claimed"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"


def _one_of(column: str, values: type[StrEnum]) -> str:
    return f"{column} IN ({', '.join(repr(v.value) for v in values)})"


def _created_at() -> Any:
    return Field(default_factory=utcnow, sa_type=UTCDateTime())


def _updated_at() -> Any:
    return Field(
        default_factory=utcnow, sa_type=UTCDateTime(), sa_column_kwargs={"onupdate": utcnow}
    )


def _parent(target: str) -> Any:
    """A required foreign key whose row goes when the parent goes."""
    return Field(foreign_key=target, ondelete="CASCADE")


def _lazy(**kwargs: Any) -> dict[str, Any]:
    return {"lazy": "raise_on_sql", **kwargs}


class Chat(SQLModel, table=True):
    __tablename__: ClassVar[str] = "chat"

    id: int | None = Field(default=None, primary_key=True)
    tg_chat_id: int = Field(sa_type=sa.BigInteger(), unique=True)
    title: str = ""
    # Telegram's chat type: private, group, supergroup or channel.
    type: str = ""
    # None means "use the bot's default locale".
    locale: str | None = None
    is_forum: bool = False
    # Per-chat policy (reminder offsets, quiet hours...) owned by jobs/bot. MutableDict notices
    # `settings[key] = value`; a change inside a nested value needs the key reassigned.
    settings: dict[str, Any] = Field(
        default_factory=dict, sa_type=MutableDict.as_mutable(sa.JSON())
    )
    created_at: datetime = _created_at()


class Person(SQLModel, table=True):
    __tablename__: ClassVar[str] = "person"
    __table_args__ = (
        sa.UniqueConstraint("chat_id", "name"),
        sa.Index("ix_person_chat_id_tg_user_id", "chat_id", "tg_user_id"),
        # An account's names across groups (the groups a private chat means, a person's feed):
        # led by tg_user_id so that lookup is a search, not a walk over every group's people;
        # chat_id in it answers "which groups" from the index alone.
        sa.Index("ix_person_tg_user_id_chat_id", "tg_user_id", "chat_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = _parent("chat.id")
    # Normalised by plans before it gets here; the key people are matched on.
    name: str
    tg_user_id: int | None = Field(default=None, sa_type=sa.BigInteger())
    username: str | None = None
    created_at: datetime = _created_at()


class DepartmentMember(SQLModel, table=True):
    __tablename__: ClassVar[str] = "department_member"
    __table_args__ = (sa.Index("ix_department_member_person_id", "person_id"),)

    department_id: int = Field(foreign_key="department.id", ondelete="CASCADE", primary_key=True)
    person_id: int = Field(foreign_key="person.id", ondelete="CASCADE", primary_key=True)


class Department(SQLModel, table=True):
    __tablename__: ClassVar[str] = "department"
    __table_args__ = (sa.UniqueConstraint("chat_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = _parent("chat.id")
    name: str
    # The department's own Telegram group, if reminders should go there too.
    tg_chat_id: int | None = Field(default=None, sa_type=sa.BigInteger())
    created_at: datetime = _created_at()

    members: list["Person"] = Relationship(
        link_model=DepartmentMember, sa_relationship_kwargs=_lazy(order_by="Person.id")
    )


class PlanPeriod(StrEnum):
    """What a plan covers: a month (月度计划), a quarter (季度计划) or a year (年度任务分解)."""

    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


class Plan(SQLModel, table=True):
    __tablename__: ClassVar[str] = "plan"
    __table_args__ = (
        sa.UniqueConstraint("chat_id", "year", "quarter", "month"),
        sa.CheckConstraint("month BETWEEN 0 AND 12", name="month"),
        sa.CheckConstraint(
            "quarter BETWEEN 0 AND 4 AND (quarter = 0 OR month = 0)", name="quarter"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = _parent("chat.id")
    year: int
    # 1–12 for a month's plan; 0 for a quarter's or the year's (then `quarter` says which).
    month: int
    # 1–4 for a quarter's plan, else 0. Month and quarter both 0: the year's plan.
    quarter: int = 0
    # Imported to keep a record (its deadlines were all past): shown by /plan, never reminded.
    archived: bool = False
    title: str = Field(default="", sa_type=sa.Text())
    source_text: str = Field(default="", sa_type=sa.Text())
    # What the last import's document said of each item, by Item.id as a string: {"title",
    # "content", "leaders", "departments", "deadline", "deadline_text", "recurring"}. The next
    # import compares against it to tell a field the chat changed (an extension, /edit) from one
    # the document changed. None for plans imported before it was kept (see storage.plans).
    imported: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON())
    created_at: datetime = _created_at()
    updated_at: datetime = _updated_at()

    items: list["Item"] = Relationship(
        back_populates="plan",
        cascade_delete=True,
        passive_deletes=True,
        sa_relationship_kwargs=_lazy(order_by="Item.seq"),
    )

    @property
    def period(self) -> PlanPeriod:
        if self.month:
            return PlanPeriod.MONTH
        return PlanPeriod.QUARTER if self.quarter else PlanPeriod.YEAR


class Item(SQLModel, table=True):
    __tablename__: ClassVar[str] = "item"
    __table_args__ = (
        sa.UniqueConstraint("plan_id", "seq"),
        sa.CheckConstraint(_one_of("status", ItemStatus), name="status"),
        sa.CheckConstraint("progress BETWEEN 0 AND 100", name="progress"),
    )

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = _parent("plan.id")
    seq: int
    title: str = Field(sa_type=sa.Text())
    content: str = Field(default="", sa_type=sa.Text())
    deadline: date | None = None
    # The deadline in the document's words ("十月份"), shown back to people.
    deadline_text: str = ""
    recurring: bool = False
    # "Remind me tomorrow": no reminder for this item before this day.
    snoozed_until: date | None = None
    status: str = ItemStatus.OPEN.value
    progress: int = 0
    done_at: datetime | None = Field(default=None, sa_type=UTCDateTime())
    created_at: datetime = _created_at()
    updated_at: datetime = _updated_at()

    plan: Plan = Relationship(back_populates="items", sa_relationship_kwargs=_lazy())
    leader_links: list["ItemLeader"] = Relationship(
        back_populates="item",
        cascade_delete=True,
        passive_deletes=True,
        sa_relationship_kwargs=_lazy(order_by="ItemLeader.position"),
    )
    department_links: list["ItemDepartment"] = Relationship(
        back_populates="item",
        cascade_delete=True,
        passive_deletes=True,
        sa_relationship_kwargs=_lazy(order_by="ItemDepartment.position"),
    )

    @property
    def leaders(self) -> list["Person"]:
        """Leaders in document order; needs leader_links and their person loaded."""
        return [link.person for link in self.leader_links]

    @property
    def departments(self) -> list["Department"]:
        """Departments in document order; needs department_links and their department loaded."""
        return [link.department for link in self.department_links]


class ItemLeader(SQLModel, table=True):
    __tablename__: ClassVar[str] = "item_leader"
    __table_args__ = (sa.Index("ix_item_leader_person_id", "person_id"),)

    item_id: int | None = Field(
        default=None, foreign_key="item.id", ondelete="CASCADE", primary_key=True
    )
    person_id: int | None = Field(
        default=None, foreign_key="person.id", ondelete="CASCADE", primary_key=True
    )
    position: int = 0

    item: Item = Relationship(back_populates="leader_links", sa_relationship_kwargs=_lazy())
    person: Person = Relationship(sa_relationship_kwargs=_lazy())


class ItemDepartment(SQLModel, table=True):
    __tablename__: ClassVar[str] = "item_department"
    __table_args__ = (
        sa.Index("ix_item_department_department_id", "department_id"),
        sa.CheckConstraint(_one_of("role", DepartmentRole), name="role"),
        sa.CheckConstraint(_one_of("status", PartStatus), name="status"),
        sa.CheckConstraint("progress BETWEEN 0 AND 100", name="progress"),
    )

    item_id: int | None = Field(
        default=None, foreign_key="item.id", ondelete="CASCADE", primary_key=True
    )
    department_id: int | None = Field(
        default=None, foreign_key="department.id", ondelete="CASCADE", primary_key=True
    )
    position: int = 0
    role: str = DepartmentRole.LEAD.value
    # The department's own part (storage.parts). Only lead links are required for the item to
    # be done; an assist link keeps these at their defaults and is never waited for.
    status: str = PartStatus.OPEN.value
    progress: int = 0
    done_at: datetime | None = Field(default=None, sa_type=UTCDateTime())

    item: Item = Relationship(back_populates="department_links", sa_relationship_kwargs=_lazy())
    department: Department = Relationship(sa_relationship_kwargs=_lazy())


class ItemEvent(SQLModel, table=True):
    """One entry in an item's history (a report, a reminder acknowledged, an import change)."""

    __tablename__: ClassVar[str] = "item_event"
    __table_args__ = (
        sa.Index("ix_item_event_item_id_created_at", "item_id", "created_at"),
        sa.CheckConstraint(_one_of("kind", ItemEventKind), name="kind"),
        sa.CheckConstraint("percent IS NULL OR percent BETWEEN 0 AND 100", name="percent"),
    )

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = _parent("item.id")
    # None for changes made by the bot itself (imports, schedules).
    author_tg_user_id: int | None = Field(default=None, sa_type=sa.BigInteger())
    author_name: str = ""
    kind: str
    text: str = Field(default="", sa_type=sa.Text())
    percent: int | None = None
    # Structured details: what the item looked like before (so /undo can restore it), an
    # extension's dates, an edit's field. JSON, so new kinds need no migration.
    data: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON())
    created_at: datetime = _created_at()


class DeletionWay(StrEnum):
    DELETE = "delete"  # an admin's /delete
    IMPORT = "import"  # a re-import confirmed with "delete the items no longer in the document"


class DeletedItem(SQLModel, table=True):
    """What an item was when it was deleted, who deleted it, when and how, with its history.

    Deleting an item takes its ItemEvent rows with it (cascade); this row is what stays, so the
    office can still answer "what happened to item 9?". It copies values rather than pointing at
    the plan or people: those may change or go later, and a record must not change with them.
    """

    __tablename__: ClassVar[str] = "deleted_item"
    __table_args__ = (
        # /item N of a plan whose item N is gone looks up the newest record by these.
        sa.Index("ix_deleted_item_lookup", "chat_id", "year", "month", "seq", "deleted_at"),
        sa.CheckConstraint(_one_of("how", DeletionWay), name="how"),
    )

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = _parent("chat.id")
    year: int
    month: int
    # A quarter's plan (1–4) or, with month 0 and quarter 0, the year's.
    quarter: int = 0
    seq: int
    title: str = Field(sa_type=sa.Text())
    content: str = Field(default="", sa_type=sa.Text())
    leaders: list[str] = Field(default_factory=list, sa_type=sa.JSON())
    departments: list[str] = Field(default_factory=list, sa_type=sa.JSON())
    deadline: date | None = None
    deadline_text: str = ""
    status: str = ItemStatus.OPEN.value
    progress: int = 0
    done_at: datetime | None = Field(default=None, sa_type=UTCDateTime())
    # The admin who pressed /delete's confirm, or who imported the plan; None for a re-import
    # from the command line.
    deleted_by_tg_user_id: int | None = Field(default=None, sa_type=sa.BigInteger())
    deleted_by_name: str = ""
    deleted_at: datetime = _created_at()
    how: str
    # The item's ItemEvent rows, oldest first: [{"kind", "author_tg_user_id", "author_name", "text",
    # "percent", "data", "created_at"}] with the instant as an ISO string.
    history: list[dict[str, Any]] = Field(default_factory=list, sa_type=sa.JSON())


class Reminder(SQLModel, table=True):
    """The outbox: one row per reminder that should be (or was) sent."""

    __tablename__: ClassVar[str] = "reminder"
    __table_args__ = (
        sa.UniqueConstraint("item_id", "kind", "fire_at"),
        # What is due, and when next: a range of one state's fire times.
        sa.Index("ix_reminder_state_fire_at", "state", "fire_at"),
        # An item's rows in one state (/done cancels its pending ones). Both columns, so that no
        # planner prefers the index above for `item_id IN (…) AND state = …`: it would walk
        # every pending row of every group (revision 0010).
        sa.Index("ix_reminder_item_id_state", "item_id", "state"),
        # The rows a sent message carried (/ack, a reply to a reminder). Only sent rows have
        # one, so the index leaves the planned ones out.
        sa.Index(
            "ix_reminder_tg_message",
            "tg_chat_id",
            "tg_message_id",
            sqlite_where=sa.text("tg_message_id IS NOT NULL"),
            postgresql_where=sa.text("tg_message_id IS NOT NULL"),
        ),
        sa.CheckConstraint(_one_of("state", ReminderState), name="state"),
    )

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = _parent("item.id")
    kind: str
    fire_at: datetime = Field(sa_type=UTCDateTime())
    state: str = ReminderState.PENDING.value
    attempts: int = 0
    # A claim expires so that a crash between claim and send does not lose the reminder.
    claimed_until: datetime | None = Field(default=None, sa_type=UTCDateTime())
    # The Telegram chat it goes to and the message that carried it.
    tg_chat_id: int | None = Field(default=None, sa_type=sa.BigInteger())
    tg_message_id: int | None = Field(default=None, sa_type=sa.BigInteger())
    last_error: str | None = Field(default=None, sa_type=sa.Text())
    # From the policy's escalate_after-th overdue reminder on: leaders and supervisors mentioned.
    escalated: bool = False
    created_at: datetime = _created_at()
    updated_at: datetime = _updated_at()

    item: Item = Relationship(sa_relationship_kwargs=_lazy())


class ReminderMessage(SQLModel, table=True):
    """A sent Telegram message, so a reply to it can be mapped back to its items."""

    __tablename__: ClassVar[str] = "reminder_message"
    __table_args__ = (sa.UniqueConstraint("tg_chat_id", "tg_message_id"),)

    id: int | None = Field(default=None, primary_key=True)
    tg_chat_id: int = Field(sa_type=sa.BigInteger())
    tg_message_id: int = Field(sa_type=sa.BigInteger())
    # What the message was: "reminder", "digest", "plan" (a /plan answer), "extension".
    kind: str = "reminder"
    sent_at: datetime = _created_at()

    item_links: list["ReminderMessageItem"] = Relationship(
        back_populates="reminder_message",
        cascade_delete=True,
        passive_deletes=True,
        sa_relationship_kwargs=_lazy(order_by="ReminderMessageItem.position"),
    )


class ReminderMessageItem(SQLModel, table=True):
    __tablename__: ClassVar[str] = "reminder_message_item"
    __table_args__ = (sa.Index("ix_reminder_message_item_item_id", "item_id"),)

    reminder_message_id: int | None = Field(
        default=None, foreign_key="reminder_message.id", ondelete="CASCADE", primary_key=True
    )
    item_id: int = Field(foreign_key="item.id", ondelete="CASCADE", primary_key=True)
    # Order of the items in the message, so "/done 2" in a reply can mean the second one.
    position: int = 0

    reminder_message: ReminderMessage = Relationship(
        back_populates="item_links", sa_relationship_kwargs=_lazy()
    )
    item: Item = Relationship(sa_relationship_kwargs=_lazy())


class ExtensionState(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class ExtensionRequest(SQLModel, table=True):
    """A responsible person asks for a later deadline; a leader or an admin decides."""

    __tablename__: ClassVar[str] = "extension_request"
    __table_args__ = (
        sa.Index("ix_extension_request_item_id", "item_id"),
        sa.CheckConstraint(_one_of("state", ExtensionState), name="state"),
    )

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = _parent("item.id")
    requester_tg_user_id: int = Field(sa_type=sa.BigInteger())
    requester_name: str = ""
    old_deadline: date | None = None
    new_deadline: date
    reason: str = Field(default="", sa_type=sa.Text())
    state: str = ExtensionState.PENDING.value
    decided_by_tg_user_id: int | None = Field(default=None, sa_type=sa.BigInteger())
    decided_by_name: str = ""
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime())
    # The message with the Approve / Reject buttons, to edit once decided.
    tg_chat_id: int | None = Field(default=None, sa_type=sa.BigInteger())
    tg_message_id: int | None = Field(default=None, sa_type=sa.BigInteger())
    created_at: datetime = _created_at()

    item: Item = Relationship(sa_relationship_kwargs=_lazy())


class DigestKind(StrEnum):
    WEEKLY = "weekly"
    MONTH_POST = "month_post"
    # The month's 通报 on its last working day (issue 16 §5).
    BULLETIN = "bulletin"
    # Progress collection (jobs/collection.py): the ask, and the chase of who did not answer.
    REPORT = "report"
    REPORT_CHASE = "report_chase"


class Digest(SQLModel, table=True):
    """The outbox of per-chat digests (weekly overview, the month's plan on its first day)."""

    __tablename__: ClassVar[str] = "digest"
    __table_args__ = (
        sa.UniqueConstraint("chat_id", "kind", "fire_at"),
        sa.Index("ix_digest_state_fire_at", "state", "fire_at"),
        sa.CheckConstraint(_one_of("state", ReminderState), name="state"),
    )

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = _parent("chat.id")
    kind: str
    fire_at: datetime = Field(sa_type=UTCDateTime())
    state: str = ReminderState.PENDING.value
    attempts: int = 0
    claimed_until: datetime | None = Field(default=None, sa_type=UTCDateTime())
    tg_message_id: int | None = Field(default=None, sa_type=sa.BigInteger())
    last_error: str | None = Field(default=None, sa_type=sa.Text())
    created_at: datetime = _created_at()
    updated_at: datetime = _updated_at()


class ReminderWindow(SQLModel, table=True):
    """How far ahead every open item's overdue reminders are in the outbox: one row, id 1.

    Overdue reminders never end, so they are planned only a window ahead
    (jobs/window.py:HORIZON_DAYS); the daily upkeep adds just the days after `through` that
    have entered the window since, instead of re-planning every item (revision 0011).
    """

    __tablename__: ClassVar[str] = "reminder_window"

    id: int | None = Field(default=None, primary_key=True)
    # The last day whose overdue reminders are planned for every open item.
    through: date
    # The local day of the pass that planned it: a new month re-plans the recurring items.
    rolled_on: date
    updated_at: datetime = _updated_at()


class TelegramAccount(SQLModel, table=True):
    """A Telegram user the bot has seen, so `/bind @username` works after a restart.

    Bot API bots cannot look a user up by @username; this table is the only way back from a
    username to an account. It is not per chat: one person in several groups is one row.
    """

    __tablename__: ClassVar[str] = "tg_account"
    __table_args__ = (sa.Index("ix_tg_account_username_key", "username_key"),)

    id: int | None = Field(default=None, primary_key=True)
    tg_user_id: int = Field(sa_type=sa.BigInteger(), unique=True)
    # As Telegram spells it, without "@", for showing; None once the account dropped it or
    # another account took it over.
    username: str | None = None
    # The username lower-cased, which lookups compare (Telegram usernames ignore case). An index
    # on lower(username) would do without this column, but Alembic cannot compare expression
    # indexes on SQLite, so every autogenerate would warn and the schema test could not see it.
    username_key: str | None = None
    full_name: str = ""
    last_seen: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime())


class PendingKind(StrEnum):
    IMPORT = "import"
    IAM = "iam"
    DONE = "done"
    # What a plain reply to one of our item messages was understood as, until confirmed.
    REPLY = "reply"
    # A reviewer pressed ↩️ 退回 and owes the reason: their next message in the chat.
    RETURN_REASON = "return reason"


class PendingQuestion(SQLModel, table=True):
    """A question in a chat waiting for a button press: an /import preview, an /iam an admin
    must confirm, a "which one?" of /done, a plain reply's meaning waiting for its ✅ — and
    the reason a reviewer owes after ↩️ 退回, waiting for their next message.

    Kept here rather than in the process so a restart (every deploy) does not turn the buttons
    into "expired". The payload is JSON, never pickled: what is needed to redo the action.
    """

    __tablename__: ClassVar[str] = "pending_question"
    __table_args__ = (
        # Random tokens are unique anyway; /done's questions use their message id, unique per chat.
        sa.UniqueConstraint("tg_chat_id", "token"),
        sa.Index("ix_pending_question_expires_at", "expires_at"),
        sa.CheckConstraint(_one_of("kind", PendingKind), name="kind"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # Telegram's id: a preview is made before our chat row exists (the import creates it).
    tg_chat_id: int = Field(sa_type=sa.BigInteger())
    token: str
    kind: str
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON())
    asked_by_tg_user_id: int = Field(sa_type=sa.BigInteger())
    created_at: datetime = _created_at()
    expires_at: datetime = Field(sa_type=UTCDateTime())


# -- evidence (佐证材料) --------------------------------------------------------------------------


class AttachmentKind(StrEnum):
    """How Telegram holds the file, which decides how it is sent back (sendPhoto/sendDocument)."""

    PHOTO = "photo"
    DOCUMENT = "document"


class Attachment(SQLModel, table=True):
    """A file sent with a report (`/done 3` as a photo's caption): evidence of that update.

    Only Telegram's reference is kept, never the bytes: the bot sends the file again by its
    file_id. It belongs to the item and to the ItemEvent the report wrote; an /undo of that
    report takes it away with it (storage.attachments).
    """

    __tablename__: ClassVar[str] = "attachment"
    __table_args__ = (
        sa.Index("ix_attachment_item_id", "item_id"),
        sa.CheckConstraint(_one_of("kind", AttachmentKind), name="kind"),
    )

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = _parent("item.id")
    # The update it is evidence of; None once that history row is gone.
    item_event_id: int | None = Field(
        default=None, foreign_key="item_event.id", ondelete="SET NULL"
    )
    kind: str
    # Telegram's ids: file_id to send it again (this bot's only), file_unique_id to tell two
    # sends of the same file apart from two files.
    tg_file_id: str = Field(sa_type=sa.Text())
    tg_file_unique_id: str = ""
    file_name: str = ""
    # Bytes, as Telegram reported it; None when it did not say.
    size: int | None = Field(default=None, sa_type=sa.BigInteger())
    mime_type: str = ""
    # As ItemEvent keeps its author: who sent it.
    author_tg_user_id: int | None = Field(default=None, sa_type=sa.BigInteger())
    author_name: str = ""
    created_at: datetime = _created_at()


class ReportRound(SQLModel, table=True):
    """One progress collection (进展报送, jobs/collection.py): a chat asked at `fire_at`; what
    was asked is in ReportRoundItem, the messages that asked in ReportRoundMessage.

    One row per chat and ask time, so an instance that sends an ask another instance began
    (its lease ran out) finds the same round and asks the same things.
    """

    __tablename__: ClassVar[str] = "report_round"
    __table_args__ = (sa.UniqueConstraint("chat_id", "fire_at"),)

    id: int | None = Field(default=None, primary_key=True)
    chat_id: int = _parent("chat.id")
    fire_at: datetime = Field(sa_type=UTCDateTime())
    # When those who had not reported were chased; None until then.
    chased_at: datetime | None = Field(default=None, sa_type=UTCDateTime())
    created_at: datetime = _created_at()


class ReportRoundItem(SQLModel, table=True):
    """An item a department was asked about in a round (its open lead part then)."""

    __tablename__: ClassVar[str] = "report_round_item"
    # A report on an item finds the rounds that asked about it through this index, so an
    # answer edits only those rounds' messages.
    __table_args__ = (sa.Index("ix_report_round_item_item_id", "item_id"),)

    round_id: int = Field(foreign_key="report_round.id", ondelete="CASCADE", primary_key=True)
    department_id: int = Field(foreign_key="department.id", ondelete="CASCADE", primary_key=True)
    item_id: int = Field(foreign_key="item.id", ondelete="CASCADE", primary_key=True)
    # Order of the departments in the ask.
    position: int = 0


class ReportRoundMessage(SQLModel, table=True):
    """A Telegram message of a round: an ask (edited as answers arrive) or its chase."""

    __tablename__: ClassVar[str] = "report_round_message"
    __table_args__ = (
        sa.UniqueConstraint("tg_chat_id", "tg_message_id"),
        sa.Index("ix_report_round_message_round_id", "round_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="report_round.id", ondelete="CASCADE")
    tg_chat_id: int = Field(sa_type=sa.BigInteger())
    tg_message_id: int = Field(sa_type=sa.BigInteger())
    # "report" (the ask) or "report_chase".
    kind: str
    # The departments the message shows (ids), in order.
    departments: list[int] = Field(default_factory=list, sa_type=sa.JSON())
    created_at: datetime = _created_at()


class AccessKind(StrEnum):
    BOARD = "board"
    ICS = "ics"


class AccessToken(SQLModel, table=True):
    """One scope's link to a read-only page (the web board, a calendar feed).

    The token itself is not stored: it is derived from the server secret, the scope and the
    row's generation (storage/access_tokens.py), so `/board` can show the same link again
    without keeping it in plain text; the row keeps its sha256 for the lookup. A reset revokes
    the row and inserts the scope's next generation.
    """

    __tablename__: ClassVar[str] = "access_token"
    __table_args__ = (
        # A scope's generations are numbered once: two writers resetting together cannot both
        # issue generation n+1.
        sa.UniqueConstraint("kind", "scope", "generation"),
        sa.CheckConstraint(_one_of("kind", AccessKind), name="kind"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str
    # "chat:<id>", "user:<tg id>" or "department:<id>": what the token is bound into, and
    # what finds the scope's live row (the three columns below say the same, for joins).
    scope: str
    chat_id: int | None = Field(default=None, foreign_key="chat.id", ondelete="CASCADE")
    # A person's feed: their Telegram account, across groups.
    tg_user_id: int | None = Field(default=None, sa_type=sa.BigInteger())
    department_id: int | None = Field(default=None, foreign_key="department.id", ondelete="CASCADE")
    generation: int = 1
    token_hash: str = Field(unique=True)
    created_at: datetime = _created_at()
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime())


class ServerSecret(SQLModel, table=True):
    """Secrets the server generates once and every instance shares (the access-token key when
    `[http] token_secret` is not configured): a multi-instance deployment must derive the same
    links on each instance, and a restart must not change them."""

    __tablename__: ClassVar[str] = "server_secret"

    name: str = Field(primary_key=True)
    # Hex of the random bytes.
    value: str
    created_at: datetime = _created_at()
