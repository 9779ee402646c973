"""The board as a Telegram Mini App (issue 17): the same page as `/board/<token>`, for the
groups where the person who opened it is bound.

- `GET /app`: the page Telegram opens (the menu button, the private /board's button). Its
  script posts `Telegram.WebApp.initData`, which Telegram puts in the URL fragment, to
- `POST /app/board` (`init_data`, optionally `group`: a group's Telegram id): the data is
  checked as the Bot API documentation says (bot/web/init_data.py), refused (403, one
  sentence) when forged, another bot's or older than a day; then 303 to
- `GET /app/<pass>/<group>` (and `…/item/<id>`): the board of one of the person's groups, with
  a switcher between their groups. The pass (bot/web/app_session.py) stands for the checked
  data until it would have expired, so the board's links stay plain links. A group where the
  person is not bound answers 404 like a wrong token; every page is rate-limited per client
  address like the board's (bot/web/public.py).
"""

from __future__ import annotations

import logging
from http import HTTPStatus

from bot.i18n import t
from bot.operations.mini_app import AppGroup, app_board, app_groups, app_item
from bot.web.app_session import PASS, issue_pass, pass_key, read_pass
from bot.web.board import STATIC_URL, BoardView, page_lang, template
from bot.web.init_data import MAX_AGE, Rejection, validate_init_data

log = logging.getLogger(__name__)

GROUP = r"(-?[0-9]{1,20})"
START_ROUTE = r"/app/board"
BOARD_ROUTE = rf"/app/{PASS}/{GROUP}"
ITEM_ROUTE = rf"/app/{PASS}/{GROUP}/item/([0-9]{{1,12}})"


def _locale_of(language_code: str | None, default: str) -> str:
    """The page's language before a group is chosen: the user's Telegram app's, when we
    speak it."""
    if language_code is None:
        return default
    code = language_code.lower()
    if code.startswith("zh"):
        return "zh_CN"
    return "en" if code.startswith("en") else default


class _AppPage(BoardView):
    def set_default_headers(self) -> None:
        super().set_default_headers()
        # Telegram Web shows Mini Apps in a frame of web.telegram.org; nobody else may frame it.
        self.set_header(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; base-uri 'none'; "
            "frame-ancestors https://web.telegram.org",
        )
        self.set_header("Cache-Control", "no-store")

    def page(
        self, name: str, locale: str, status: HTTPStatus = HTTPStatus.OK, **values: object
    ) -> None:
        """One of the app's own pages (not a board): the start, or a sentence."""
        self.set_status(status)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(
            template(name).render(
                lang=page_lang(locale),
                t=lambda k, **v: t(locale, k, **v),
                static=STATIC_URL,
                title=t(locale, "miniapp.page.title"),
                **values,
            )
        )

    def note(self, status: HTTPStatus, locale: str, key: str) -> None:
        """A page of one sentence: why there is no board to show."""
        self.page("app_note.html", locale, status, note=t(locale, key))

    def key(self) -> bytes:
        return pass_key(self.svc.config.token)

    def known_user(self, text: str) -> int | None:
        """The user a pass was issued to; answers 403 and None when it is not (any more) one."""
        user_id = read_pass(self.key(), text, now=self.svc.now())
        if user_id is None:
            self.note(HTTPStatus.FORBIDDEN, self.svc.config.i18n.locale, "miniapp.page.refused")
        return user_id

    def switcher(self, token: str, groups: list[AppGroup], current: int) -> list[dict[str, object]]:
        return [
            {
                "href": f"/app/{token}/{g.tg_chat_id}",
                "title": g.title,
                "current": g.tg_chat_id == current,
            }
            for g in groups
        ]


class AppShell(_AppPage):
    async def get(self) -> None:
        self.page("app.html", self.svc.config.i18n.locale)


class AppStart(_AppPage):
    async def post(self) -> None:
        svc = self.svc
        default = svc.config.i18n.locale
        user = validate_init_data(
            self.get_body_argument("init_data", ""), svc.config.token, now=svc.now()
        )
        if isinstance(user, Rejection):
            # Not the user's fault as a rule (a page left open a day): say so, log why.
            log.info("Mini App data refused: %s", user.value)
            self.note(HTTPStatus.FORBIDDEN, default, "miniapp.page.refused")
            return
        groups = await app_groups(svc.deps, user.id)
        if not groups:
            self.note(
                HTTPStatus.OK, _locale_of(user.language_code, default), "miniapp.page.no_groups"
            )
            return
        chosen = self.get_body_argument("group", "")
        group = (
            next((g for g in groups if str(g.tg_chat_id) == chosen), None) if chosen else groups[0]
        )
        if group is None:
            self.not_found()
            return
        assert user.auth_date is not None  # set by validate_init_data
        token = issue_pass(self.key(), user.id, user.auth_date + MAX_AGE)
        self.redirect(f"/app/{token}/{group.tg_chat_id}", status=HTTPStatus.SEE_OTHER)


class AppBoard(_AppPage):
    async def get(self, token: str, tg_chat_id: str) -> None:
        user_id = self.known_user(token)
        if user_id is None:
            return
        found = await app_board(self.svc.deps, user_id, int(tg_chat_id))
        if found is None:
            self.not_found()
            return
        await self.show_board(
            found.stamp,
            f"/app/{token}/{tg_chat_id}",
            app_groups=self.switcher(token, found.groups, int(tg_chat_id)),
        )


class AppItem(_AppPage):
    async def get(self, token: str, tg_chat_id: str, item_id: str) -> None:
        user_id = self.known_user(token)
        if user_id is None:
            return
        found = await app_item(self.svc.deps, user_id, int(tg_chat_id), int(item_id))
        if found is None:
            self.not_found()
            return
        await self.show_item(found, f"/app/{token}/{tg_chat_id}")
