"""One unit of work per update: a command that changes items opens one database transaction
(two when the sender's group-admin status must first be asked of Telegram), however many items
it touches; before bot/operations, /done opened 5 and /ack on a 10-item reminder 24. Inside it
the item is read once: /done ran 27 statements when each step read the item again."""

import pytest

from tests.support.chat import bind, item_row, office_time, post_about, seed, tap
from tests.support.harness import running_bot
from tests.support.transactions import counted


@pytest.fixture
async def bot(tmp_path):
    async with running_bot(tmp_path) as harness:
        await seed(harness)
        await bind(harness, "董军", harness.member)
        # Both have written before: the watcher of new accounts has nothing left to record.
        await harness.say("/help", user=harness.member)
        await harness.say("/help", user=harness.admin)
        yield harness


async def _transactions(bot, text, **kw) -> tuple[int, str]:
    with counted(bot.db.engine) as tally:
        replies = await bot.say(text, **kw)
    return tally.transactions, replies[0].text


def _reads_of_item(tally) -> int:
    """How often the statements read an item's row (a listing of many counts once)."""
    return sum(
        1
        for statement, _ in tally.executed
        if " ".join(statement.split()).startswith("SELECT item.id, item.plan_id")
    )


async def test_a_report_reads_its_item_once_in_a_fixed_few_statements(bot):
    """/done and /progress of an item: the group, the plan, the item with its plan and links
    (one statement), who answers for it, the change, the reminders cancelled or re-planned,
    the reminders showing it — the same few statements whatever the database holds."""
    with office_time(2020, 10, 20):
        with counted(bot.db.engine) as done:
            assert "已完成" in (await bot.say("/done 10 已报送"))[0].text
        with counted(bot.db.engine) as progress:
            assert "60%" in (await bot.say("/progress 9 60%", user=bot.admin))[0].text
    assert (done.transactions, _reads_of_item(done)) == (1, 1)
    assert (progress.transactions, _reads_of_item(progress)) == (1, 1)
    assert done.statements <= 12, [s for s, _ in done.executed]
    assert progress.statements <= 10, [s for s, _ in progress.executed]


async def test_each_change_is_one_transaction(bot):
    with office_time(2020, 10, 20):
        done, text = await _transactions(bot, "/done 10 已报送")
        assert (done, "已完成" in text) == (1, True)
        assert (await item_row(bot, 10)).status == "done"
        undone, text = await _transactions(bot, "/undo")
        assert (undone, "已撤销" in text) == (1, True)
        progress, text = await _transactions(bot, "/progress 10 60%")
        assert (progress, "60%" in text) == (1, True)
        reopened, text = await _transactions(bot, "/done 10", user=bot.admin)
        assert reopened == 1, "a configured admin needs no question to Telegram"
        reopened, text = await _transactions(bot, "/reopen 10", user=bot.admin)
        assert (reopened, (await item_row(bot, 10)).status) == (1, "open")


async def test_several_items_done_at_once_are_one_transaction(bot):
    with office_time(2020, 10, 20):
        count, text = await _transactions(bot, "/done 1-3 已报送", user=bot.admin)
    assert count == 1
    assert text.count("：已完成") == 3, text
    assert [(await item_row(bot, n)).status for n in (1, 2, 3)] == ["done"] * 3


async def test_acknowledging_a_ten_item_reminder_is_one_transaction(bot):
    # Only the responsible acknowledge: the admin here leads all ten items.
    for leader in ("高启秀", "郭红萍", "张征军", "董军"):
        await bind(bot, leader, bot.admin)
    with office_time(2020, 10, 20):
        reminder = await post_about(bot, list(range(1, 11)))
        count, text = await _transactions(bot, "/ack", user=bot.admin, reply_to=reminder)
    assert count == 1
    assert all(f"{n}. " in text for n in range(1, 11)), text


async def test_someone_who_may_not_costs_one_question_to_telegram_and_two_transactions(bot):
    with office_time(2020, 10, 20):
        count, text = await _transactions(bot, "/done 9")
    assert count == 2, "the first run changes nothing; the second knows they are no admin"
    assert "只有第 9 项的责任领导" in text
    assert (await item_row(bot, 9)).status == "open"


async def test_reading_the_plan_and_an_item(bot):
    """/plan reads in one transaction and records, after sending, which items its answer
    lists (so a reply to it can mean them): two; /item reads in one."""
    with office_time(2020, 10, 20):
        count, text = await _transactions(bot, "/plan")
        assert (count, "共 10 项" in text) == (2, True)
        count, text = await _transactions(bot, "/item 10")
        assert (count, "档案升级" in text) == (1, True)
        count, text = await _transactions(bot, "/item 99")
        assert (count, "没有第 99 项" in text) == (1, True), text


async def test_a_month_report_is_one_read(bot):
    """/stats and /summary: the chat's language, then the group, the month's plan and its
    report in one read-only transaction (bot/operations/month_reports.py); before, /stats
    opened the same two, the second a writing one."""
    with office_time(2020, 10, 20):
        count, text = await _transactions(bot, "/stats")
        assert (count, "2020年10月" in text) == (2, True), text
        count, text = await _transactions(bot, "/summary 2021-03")
        assert (count, "没有" in text) == (2, True), text


async def test_an_extension_request_and_its_approval_are_two_transactions_and_one(bot):
    """The request is stored in one; the message showing it is remembered, once sent, in a
    second. The approval moves the deadline and re-plans the reminders in one."""
    with office_time(2020, 10, 20):
        with counted(bot.db.engine) as tally:
            request = (await bot.say("/extend 10 11月15日因场地原因"))[-1]
        assert (tally.transactions, request.text.splitlines()[-1]) == (2, "请管理员审批。")
        with counted(bot.db.engine) as tally:
            _, answers = await tap(bot, request, "ext:ok:", bot.admin)
        assert (tally.transactions, answers[0].text) == (1, "已同意延期。")
    assert (await item_row(bot, 10)).deadline_text == "11月15日"
