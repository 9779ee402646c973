"""The web board's pages (issue 17): GET /board/<token> and /board/<token>/item/<id>.

Parse the query → read in one unit of work (bot/operations/board.py) → shape rows
(bot/views/board.py) → render a Jinja2 template, autoescaped (bot/web/templates). The grouping
and filters are query-string links, so they work without JavaScript; the script only filters
the shown rows as one types in the search box.
"""

from __future__ import annotations

import asyncio
from functools import cache
from pathlib import Path
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, Template, select_autoescape

from bot.i18n import t
from bot.operations.board import BoardItem, board_item, board_page
from bot.operations.board import BoardPage as BoardPageData
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


class BoardView(PublicPage):
    """A page showing a group's board: opened by its token (here) or by the Mini App's user
    (bot/web/mini_app.py); `base` is the board's address, under which its links stay."""

    async def show(self, name: str, locale: str, base: str, group: str, **values: object) -> None:
        """Render template `name` with what every board page has: the language, its words,
        the assets' and the board's addresses, the title. In a thread: the HTTP server shares
        the bot's event loop, and a large plan's page takes long enough to hold up commands."""

        def say(key: str, **given: object) -> str:
            return t(locale, key, **given)

        self.set_header("Content-Type", "text/html; charset=utf-8")
        # The page is the group's plan: no shared cache keeps it.
        self.set_header("Cache-Control", "no-store")
        html = await asyncio.to_thread(
            template(name).render,
            lang=page_lang(locale),
            t=say,
            sep=say("list.sep"),
            static=STATIC_URL,
            base=base,
            title=say("board.title", group=group),
            **values,
        )
        self.finish(html)

    async def show_board(self, page: BoardPageData, base: str, **values: object) -> None:
        """The board of `page` as the query string asks (period, grouping, filter)."""
        svc = self.svc
        period = self.get_query_argument("period", "")[:16]
        grouping = read_grouping(self.get_query_argument("group", ""))
        show = read_show(self.get_query_argument("show", ""))
        locale = page.locale
        display = Display(locale, svc.today(), svc.config.schedule.tz)
        board = board_of(
            page.listing, page.running, page.notes, display, grouping=grouping, show=show
        )
        shown_period = period if not page.bad_period else ""

        def link(**changes: str) -> str:
            query = {"period": shown_period, "group": grouping.value, "show": show.value}
            query.update(changes)
            return "?" + urlencode({k: v for k, v in query.items() if v})

        problem = ""
        if board is None:
            problem = t(locale, "board.no_plan" if page.listing.months else "board.no_plans")
        await self.show(
            "board.html",
            locale,
            base,
            page.chat.title,
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

    async def show_item(self, found: BoardItem, base: str) -> None:
        """One item's page with its history."""
        svc = self.svc
        locale, item = found.locale, found.item
        display = Display(locale, svc.today(), svc.config.schedule.tz)
        has_report = any(event.kind in REPORT_KINDS for event in found.history)
        await self.show(
            "item.html",
            locale,
            base,
            found.chat.title,
            period=plan_label(item.plan, locale),
            row=row_of(item, display, has_report, ""),
            content=item.content.strip(),
            history=history_html(found.history, item, display),
        )


class BoardPage(BoardView):
    async def get(self, token: str) -> None:
        period = self.get_query_argument("period", "")[:16]
        page = await board_page(self.svc.deps, token, period)
        if page is None:
            self.not_found()
            return
        await self.show_board(page, f"/board/{token}")


class BoardItemPage(BoardView):
    async def get(self, token: str, item_id: str) -> None:
        found = await board_item(self.svc.deps, token, int(item_id))
        if found is None:
            self.not_found()
            return
        await self.show_item(found, f"/board/{token}")
