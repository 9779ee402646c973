"""Questions waiting for a button: put, looked at, taken once, gone when expired."""

from datetime import UTC, datetime, timedelta

from storage.models import PendingKind
from storage.pending import Where, drop_expired, get_question, put_question, take_question

NOW = datetime(2024, 10, 14, 1, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
PREVIEW = Where(-100123, PendingKind.IMPORT, "a1b2c3")
PAYLOAD = {"text": "2024年10月工作计划\n一、召开主席办公会", "n": [1, 2]}


async def test_a_question_is_taken_once_with_its_payload_and_asker(db):
    async with db.session() as session:
        await put_question(session, PREVIEW, PAYLOAD, 100001, NOW, HOUR)
    async with db.session() as session:
        looked = await get_question(session, PREVIEW, NOW)
    async with db.session() as session:
        taken = await take_question(session, PREVIEW, NOW + timedelta(minutes=5))
    async with db.session() as session:
        again = await take_question(session, PREVIEW, NOW + timedelta(minutes=6))
        after = await get_question(session, PREVIEW, NOW)
    assert looked == taken
    assert taken is not None and taken.payload == PAYLOAD and taken.asked_by == 100001
    assert taken.kind is PendingKind.IMPORT
    assert again is None and after is None


async def test_a_question_is_found_only_in_its_chat_and_kind(db):
    async with db.session() as session:
        await put_question(session, PREVIEW, PAYLOAD, 100001, NOW, HOUR)
    async with db.session() as session:
        elsewhere = Where(-100999, PREVIEW.kind, PREVIEW.token)
        other_kind = Where(PREVIEW.tg_chat_id, PendingKind.IAM, PREVIEW.token)
        assert await take_question(session, elsewhere, NOW) is None
        assert await take_question(session, other_kind, NOW) is None
        assert await get_question(session, PREVIEW, NOW) is not None


async def test_an_expired_question_cannot_be_taken_and_is_dropped(db):
    async with db.session() as session:
        await put_question(session, PREVIEW, PAYLOAD, 100001, NOW, HOUR)
        await put_question(session, Where(-100999, PendingKind.IAM, "x"), {}, 1, NOW, 2 * HOUR)
    async with db.session() as session:
        assert await get_question(session, PREVIEW, NOW + HOUR) is None
        assert await take_question(session, PREVIEW, NOW + HOUR) is None
    async with db.session() as session:
        assert await get_question(session, PREVIEW, NOW + HOUR - timedelta(seconds=1)) is not None
        assert await drop_expired(session, NOW + HOUR) == 1
    async with db.session() as session:
        assert await get_question(session, PREVIEW, NOW) is None
        assert await get_question(session, Where(-100999, PendingKind.IAM, "x"), NOW) is not None


async def test_asking_again_drops_expired_questions_of_every_chat(db):
    async with db.session() as session:
        await put_question(session, PREVIEW, PAYLOAD, 100001, NOW, HOUR)
    later = Where(-100999, PendingKind.IMPORT, "d4e5f6")
    async with db.session() as session:
        await put_question(session, later, PAYLOAD, 100001, NOW + 2 * HOUR, HOUR)
    async with db.session() as session:
        # Looked at as of the first one's lifetime: it is gone from the table, not just stale.
        assert await get_question(session, PREVIEW, NOW) is None
        assert await get_question(session, later, NOW + 2 * HOUR) is not None
