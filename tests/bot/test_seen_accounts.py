"""The watcher's memory of what it wrote: new, changed or day-old accounts only."""

from datetime import UTC, datetime, timedelta

from bot.chat.seen_accounts import SeenCache
from storage.accounts import SeenAccount

NOW = datetime(2020, 10, 12, 2, 0, tzinfo=UTC)
LISI = SeenAccount(1, "lisi", "李四")
ZHAO = SeenAccount(2, None, "赵六")


def test_only_new_changed_or_day_old_accounts_are_written():
    cache = SeenCache()
    assert cache.to_write([LISI, ZHAO, LISI], NOW) == [LISI, ZHAO]
    cache.written([LISI, ZHAO], NOW)
    assert cache.to_write([LISI, ZHAO], NOW + timedelta(hours=23)) == []
    renamed = SeenAccount(1, "LiSi", "李四")
    assert cache.to_write([renamed, ZHAO], NOW + timedelta(hours=23)) == [renamed]
    assert cache.to_write([ZHAO], NOW + timedelta(days=1)) == [ZHAO]


def test_the_least_recently_seen_account_is_forgotten_first():
    cache = SeenCache(capacity=2)
    cache.written([LISI, ZHAO], NOW)
    cache.to_write([LISI], NOW)  # 李四 is seen again, so 赵六 is now the oldest
    wang = SeenAccount(3, "wangwu", "王五")
    cache.written([wang], NOW)
    assert len(cache) == 2
    assert cache.to_write([LISI, ZHAO, wang], NOW) == [ZHAO]


def test_losing_a_username_to_another_account_means_being_written_again():
    cache = SeenCache()
    cache.written([LISI], NOW)
    cache.written([SeenAccount(2, "LISI", "赵六")], NOW)
    assert cache.to_write([LISI], NOW) == [LISI]
