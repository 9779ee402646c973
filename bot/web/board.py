"""The web board's pages (issue 17): GET /board/<token> and /board/<token>/item/<id>.

Parse the query → read in one unit of work (bot/operations/board.py) → shape rows
(bot/views/board.py) → render a Jinja2 template, autoescaped (bot/web/templates). The grouping
and filters are query-string links, so they work without JavaScript; the script only filters
the shown rows as one types in the search box.
"""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, Template, select_autoescape

from bot.i18n import t
from bot.operations.board import BoardItem, BoardStamp, board_item, board_page, open_board
from bot.operations.board import BoardPage as BoardPageData
from bot.operations.kept import Kept
from bot.views.board import (
    Grouping,
    Show,
    board_of,
    history_html,
    period_links,
    read_grouping,
    read_show,
    row_of,
)
from bot.views.item import Display
from bot.views.plan import plan_label
from bot.web.public import PublicPage
from storage.item_queries import REPORT_KINDS

HERE = Path(__file__).parent
STATIC = HERE / "static"
STATIC_URL = "/board/static"
# tornado's settings key of the server's kept pages (BoardPages).
PAGES = "board_pages"


@cache
def templates() -> Environment:
    return Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def template(name: str) -> Template:
    return templates().get_template(name)


def page_lang(locale: str) -> str:
    return "en" if locale == "en" else "zh-CN"


@dataclass(frozen=True, slots=True)
class BoardQuery:
    """What a board page's query string asks: the period (as typed), the grouping, the filter."""

    period: str
    grouping: Grouping
    show: Show


class BoardPages(Kept[str, bytes]):
    """The board's pages built last (each a few hundred KiB for a 500-item plan), by the
    version of what they show, the address they were built for and their query string: the
    same board opened again costs its version's one statement (bot/operations/board.py)."""

    def __init__(self, size: int = 32) -> None:
        super().__init__(size)


def page_key(stamp: BoardStamp, base: str, query: BoardQuery, values: dict[str, object]) -> str:
    """The kept page's key: everything the page's bytes follow. `values` (the Mini App's group
    switcher) are plain lists of dicts whose repr is stable."""
    text = (
        f"{stamp.chat_id}|{stamp.version}|{base}|{query.period}|{query.grouping.value}|"
        f"{query.show.value}|{values!r}"
    )
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class BoardView(PublicPage):
    """A page showing a group's board: opened by its token (here) or by the Mini App's user
    (bot/web/mini_app.py); `base` is the board's address, under which its links stay."""

    def page_values(self, locale: str, base: str, group: str) -> dict[str, object]:
        """What every board page's template has: the language, its words, the assets' and the
        board's addresses, the title."""

        def say(key: str, **given: object) -> str:
            return t(locale, key, **given)

        return {
            "lang": page_lang(locale),
            "t": say,
            "sep": say("list.sep"),
            "static": STATIC_URL,
            "base": base,
            "title": say("board.title", group=group),
        }

    def finish_page(self, html: bytes) -> None:
        self.set_header("Content-Type", "text/html; charset=utf-8")
        # The page is the group's plan: no shared cache keeps it.
        self.set_header("Cache-Control", "no-store")
        self.finish(html)

    def board_query(self) -> BoardQuery:
        return BoardQuery(
            self.get_query_argument("period", "")[:16],
            read_grouping(self.get_query_argument("group", "")),
            read_show(self.get_query_argument("show", "")),
        )

    async def show_board(self, stamp: BoardStamp, base: str, **values: object) -> None:
        """The board of `stamp`'s group as the query string asks (period, grouping, filter):
        the page kept for it, else read, built and kept."""
        query = self.board_query()
        pages: BoardPages = self.settings[PAGES]
        key = page_key(stamp, base, query, values)
        html = pages.get(key)
        if html is None:
            page = await board_page(self.svc.deps, stamp.chat_id, query.period)
            if page is None:
                self.not_found()
                return
            # In a thread: the HTTP server shares the bot's event loop, and shaping and
            # rendering a 500-item plan's page would hold commands up meanwhile.
            html = await asyncio.to_thread(self.build_board, page, base, query, values)
            pages.keep(key, html)
        self.finish_page(html)

    def build_board(
        self, page: BoardPageData, base: str, query: BoardQuery, values: dict[str, object]
    ) -> bytes:
        svc = self.svc
        locale = page.locale
        grouping, show = query.grouping, query.show
        display = Display(locale, svc.today(), svc.config.schedule.tz)
        board = board_of(
            page.listing, page.running, page.notes, display, grouping=grouping, show=show
        )
        shown_period = query.period if not page.bad_period else ""

        def link(**changes: str) -> str:
            given = {"period": shown_period, "group": grouping.value, "show": show.value}
            given.update(changes)
            return "?" + urlencode({k: v for k, v in given.items() if v})

        problem = ""
        if board is None:
            problem = t(locale, "board.no_plan" if page.listing.months else "board.no_plans")
        html = template("board.html").render(
            **self.page_values(locale, base, page.chat.title),
            board=board,
            periods=period_links(page.listing, page.periods, locale),
            problem=problem,
            bad_period=page.bad_period,
            groupings=list(Grouping),
            grouping=grouping,
            shows=list(Show),
            show=show,
            link=link,
            **values,
        )
        return html.encode()

    async def show_item(self, found: BoardItem, base: str) -> None:
        """One item's page with its history."""
        svc = self.svc
        locale, item = found.locale, found.item
        display = Display(locale, svc.today(), svc.config.schedule.tz)
        has_report = any(event.kind in REPORT_KINDS for event in found.history)
        html = template("item.html").render(
            **self.page_values(locale, base, found.chat.title),
            period=plan_label(item.plan, locale),
            row=row_of(item, display, has_report, ""),
            content=item.content.strip(),
            history=history_html(found.history, item, display),
        )
        self.finish_page(html.encode())


class BoardPage(BoardView):
    async def get(self, token: str) -> None:
        stamp = await open_board(self.svc.deps, token, self.links)
        if stamp is None:
            self.not_found()
            return
        await self.show_board(stamp, f"/board/{token}")


class BoardItemPage(BoardView):
    async def get(self, token: str, item_id: str) -> None:
        found = await board_item(self.svc.deps, token, int(item_id))
        if found is None:
            self.not_found()
            return
        await self.show_item(found, f"/board/{token}")
