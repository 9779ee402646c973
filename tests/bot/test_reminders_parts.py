"""Reminders and each department's part (issue 16 §1): an item's reminder pings only the members
of the departments whose part is still open (not done, not awaiting review), goes to the own
chats of only those departments, and names partners (配合) apart without a ping; the leaders
as before. The real scheduler and dispatcher, the sandbox over HTTP, in Chinese and English.
"""

from __future__ import annotations

import re

from bot.sandbox import Message
from storage.item_changes import Author
from storage.models import DepartmentRole, ItemDepartment
from storage.parts import mark_part_done
from tests.bot.test_reminders import Office, at, office_at, seqs
from tests.support.chat import department_group, department_id, item_ids, join
from tests.support.harness import running_bot

assert running_bot  # the chat tests run on both databases (tests/bot/conftest.py)
CLERK = Author(tg_user_id=None, name="张三")


def _block(message: Message, seq: int, *, html: bool = False) -> str:
    """The lines of item `seq` in a reminder, as text or as the HTML sent."""
    # The HTML's blocks are the text's, with the markup.
    index = next(
        i for i, b in enumerate(message.text.split("\n\n")) if re.match(rf"(?:🔴 )?{seq}\. ", b)
    )
    return (message.html if html else message.text).split("\n\n")[index]


def _ping(user_id: int) -> str:
    return f"tg://user?id={user_id}"


async def _partner(office: Office, seq: int, name: str) -> None:
    """办公室 (item 10's department) made a partner (配合) of item `seq` too."""
    (item,) = await item_ids(office.bot, seq)
    department = await department_id(office.bot, name)
    async with office.bot.db.session() as session:
        session.add(
            ItemDepartment(
                item_id=item,
                department_id=department,
                position=9,
                role=DepartmentRole.ASSIST.value,
            )
        )


async def test_only_departments_owing_their_part_are_pinged_or_reminded_in_their_chat(tmp_path):
    async with office_at(tmp_path, at(10, 20, 10)) as office:
        bot = office.bot
        wang, li, zhang = (bot.sandbox.add_user(n) for n in ("小王", "小李", "小张"))
        # Item 4 is led by 组织部 (its own chat, 小王) and 工业制造业工会联合会 (小李); 办公室
        # (its own chat, 小张) is made a partner; 组织部's part is done.
        zuzhi_chat = await department_group(bot, "组织部", wang, "小王")
        await join(bot, "工业制造业工会联合会", "小李", li)
        office_chat = await department_group(bot, "办公室", zhang, "小张")
        await _partner(office, 4, "办公室")
        (item,) = await item_ids(bot, 4)
        zuzhi = await department_id(office.bot, "组织部")
        async with bot.db.session() as session:
            assert (await mark_part_done(session, item, zuzhi, CLERK, at(10, 21))).applied

        (message,) = await office.moment(at(10, 23))
        block, html = _block(message, 4), _block(message, 4, html=True)
        assert "责任部室：组织部 ✅ · 工业制造业工会联合会（小李）｜配合：办公室" in block
        assert _ping(li.id) in html
        assert _ping(wang.id) not in html and _ping(zhang.id) not in html
        # No department still owing has a chat of its own: the leader is pinged in the group.
        assert _ping(office.leaders["高启秀"].id) in html
        assert "未确认：高启秀、小李" in block
        # 组织部's chat has nothing left to be told; 办公室's only its own item 10.
        assert office.new(zuzhi_chat) == []
        (own,) = office.new(office_chat)
        assert seqs(own) == [10] and _ping(zhang.id) in own.html


async def test_a_part_awaiting_review_is_not_reminded_in_english(tmp_path):
    async with office_at(tmp_path, at(10, 20, 10), i18n={"locale": "en"}) as office:
        bot = office.bot
        wang, li = bot.sandbox.add_user("小王"), bot.sandbox.add_user("小李")
        await join(bot, "组织部", "小王", wang)
        await join(bot, "工业制造业工会联合会", "小李", li)
        (item,) = await item_ids(bot, 4)
        union = await department_id(office.bot, "工业制造业工会联合会")
        async with bot.db.session() as session:
            claim = await mark_part_done(session, item, union, CLERK, at(10, 21), review=True)
            assert claim.applied

        (message,) = await office.moment(at(10, 23))
        block, html = _block(message, 4), _block(message, 4, html=True)
        assert "Departments: 组织部（小王） · 工业制造业工会联合会 🟣 in review" in block
        assert _ping(wang.id) in html and _ping(li.id) not in html
        assert "Not yet confirmed: 高启秀, 小王" in block
