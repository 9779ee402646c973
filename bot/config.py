"""The TOML configuration, validated once at start.

A wrong file must produce one sentence naming the file, the key and what was expected, so
`load_config` turns pydantic's errors into a `ConfigError` with exactly that.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails
from sqlalchemy.exc import ArgumentError

from jobs.parse import MAX_DAYS_BEFORE, MAX_ESCALATE_AFTER
from plans.numbers import parse_telegram_id
from storage.db import normalize_url

TELEGRAM_API = "https://api.telegram.org/bot"
TELEGRAM_FILES = "https://api.telegram.org/file/bot"
DEFAULT_CONFIG_NAME = "planbot.toml"


class ConfigError(Exception):
    """A configuration problem, worded for the person who edits the file; `key` names the
    setting at fault (`[reminders] days_before`) when it is one."""

    def __init__(self, message: str, *, key: str = "") -> None:
        super().__init__(message)
        self.key = key


class _Section(BaseModel):
    # A misspelt key would otherwise be ignored silently and its default used.
    model_config = ConfigDict(extra="forbid")


class RateLimits(_Section):
    """Telegram's flood limits as (messages, seconds) windows; the sandbox takes the same."""

    overall_max_rate: int = Field(default=30, ge=1)
    overall_time_period: float = Field(default=1.0, gt=0)
    group_max_rate: int = Field(default=20, ge=1)
    group_time_period: float = Field(default=60.0, gt=0)
    # Telegram's FAQ: no more than one message a second in any chat, groups included (short
    # bursts may pass, but are not promised); the window above alone would send 20 at once.
    group_burst_max_rate: int = Field(default=1, ge=1)
    group_burst_time_period: float = Field(default=1.0, gt=0)
    private_max_rate: int = Field(default=1, ge=1)
    private_time_period: float = Field(default=1.0, gt=0)
    max_retries: int = Field(default=5, ge=0)


class WebhookConfig(_Section):
    """Where Telegram delivers updates in webhook mode (served by planbot's own HTTP server)."""

    listen: str = "0.0.0.0"
    port: int = Field(default=8080, ge=1, le=65535)
    url_path: str = "telegram"
    # The address Telegram calls, e.g. "https://bot.example.org"; url_path is appended.
    public_url: str = ""
    # Sent back by Telegram in X-Telegram-Bot-Api-Secret-Token; requests without it get 403.
    secret_token: SecretStr = SecretStr("")

    @field_validator("secret_token")
    @classmethod
    def _token_chars(cls, value: SecretStr) -> SecretStr:
        secret = value.get_secret_value()
        if secret and not (
            len(secret) <= 256 and all(c.isascii() and (c.isalnum() or c in "_-") for c in secret)
        ):
            raise ValueError("1 to 256 characters A-Z, a-z, 0-9, _ and -")
        return value


class TelegramConfig(_Section):
    token: SecretStr = SecretStr("")
    base_url: str = TELEGRAM_API
    base_file_url: str = TELEGRAM_FILES
    mode: Literal["polling", "webhook"] = "polling"
    rate_limits: RateLimits = RateLimits()
    webhook: WebhookConfig = WebhookConfig()
    # Several instances on one PostgreSQL: one polls; the others try to take over this often.
    takeover_seconds: float = Field(default=15.0, gt=0, le=60)
    # Updates handled at once across chats (each chat's stay in order): see bot/tracking.py.
    concurrent_updates: int = Field(default=16, ge=1, le=256)

    @model_validator(mode="after")
    def _files_beside_the_api(self) -> TelegramConfig:
        # A self-hosted Bot API serves files next to its methods: left unset, the file URL
        # follows base_url, or downloads would go to api.telegram.org with a token it refuses.
        # Telegram's file address with another server's API (an example file copied and only
        # base_url changed) is the same mistake.
        left = "base_file_url" not in self.model_fields_set or self.base_file_url == TELEGRAM_FILES
        if left:
            self.base_file_url = file_url_for(self.base_url)
        return self

    @model_validator(mode="after")
    def _webhook_complete(self) -> TelegramConfig:
        if self.mode == "webhook":
            if not self.webhook.public_url.startswith(("https://", "http://")):
                raise ValueError(
                    'mode = "webhook" needs [telegram.webhook] public_url, e.g. '
                    '"https://bot.example.org"'
                )
            if not self.webhook.secret_token.get_secret_value():
                raise ValueError(
                    'mode = "webhook" needs [telegram.webhook] secret_token '
                    "(or PLANBOT_WEBHOOK_SECRET)"
                )
        return self


def file_url_for(base_url: str) -> str:
    """The Bot API's file address beside `base_url`: `…/bot` → `…/file/bot`, as Telegram and
    its self-hosted server lay them out."""
    api = base_url.rstrip("/")
    if api.endswith("/bot"):
        return api.removesuffix("bot") + "file/bot"
    return api + "/file/bot"


class HttpConfig(_Section):
    """/healthz and /metrics in polling mode (webhook mode serves them on the webhook port)."""

    listen: str = "127.0.0.1"
    # 0: no HTTP server in polling mode.
    port: int = Field(default=0, ge=0, le=65535)
    # The address people reach the board and calendar feeds at, e.g.
    # "https://plan.example.gov.cn"; empty: /board and /calendar say what to set.
    public_url: str = ""
    # The key access-token links are derived with (storage/access_tokens.py); empty: one is
    # generated once and kept in the database. Changing it replaces every link.
    token_secret: SecretStr = SecretStr("")

    @field_validator("public_url")
    @classmethod
    def _web_address(cls, value: str) -> str:
        if value and not value.startswith(("https://", "http://")):
            raise ValueError('an http(s) address, e.g. "https://plan.example.gov.cn"')
        return value.rstrip("/")


class DatabaseConfig(_Section):
    url: str = "sqlite+aiosqlite:///planbot.db"

    @field_validator("url")
    @classmethod
    def _usable_url(cls, value: str) -> str:
        # A misspelt driver would otherwise surface as a traceback from the first command
        # that opens the database.
        try:
            normalize_url(value)
        except (ValueError, ArgumentError) as exc:
            raise ValueError(f"a database URL planbot can open, got {value!r}: {exc}") from exc
        return value


class ScheduleConfig(_Section):
    timezone: str = "Asia/Shanghai"

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f'an IANA time zone such as "Asia/Shanghai", got "{value}"') from exc
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


class RemindersConfig(_Section):
    """Defaults of every chat's reminder policy; admins change them per chat with /remind."""

    remind_at: str = "09:00"
    days_before: list[int] = [7, 3, 1, 0]
    overdue: bool = True
    escalate_after: int = Field(default=3, ge=0, le=MAX_ESCALATE_AFTER)
    # Mentioned on escalated reminders: plan names (e.g. "官庆军") or Telegram user ids.
    supervisors: list[str | int] = []
    digest: str = "mon 09:00"
    month_post: bool = True
    # The month's 通报 on its last working day (per group: /remind bulletin on|off).
    bulletin: bool = False
    # Progress collection (进展报送): when each group is asked ("fri 16:00", "25 16:00", "off")
    # and when those who have not answered are chased ("next", "next 10:00", "off").
    report: str = "off"
    report_chase: str = "next"
    country: str = "CN"
    workdays_only: bool = True
    extra_holidays: list[date] = []
    extra_workdays: list[date] = []
    # A reminder that fails this many times is marked failed and the admins are told.
    max_attempts: int = Field(default=5, ge=1)
    # Seconds before the first retry of a failed send; doubled each time, at most 30 minutes.
    retry_seconds: float = Field(default=30.0, gt=0)
    # false: no in-process scheduler; run `planbot remind` from cron instead.
    scheduler: bool = True
    # How long an instance holds the reminders it claimed: one that dies mid-send has its
    # unsent rows taken over by another instance after this long. Longer than the largest pass.
    lease_seconds: float = Field(default=1800.0, gt=0)
    # How often the scheduler looks for rows its timer cannot know of (retries, expired
    # leases, rows another instance added).
    sweep_seconds: float = Field(default=60.0, gt=0)

    @field_validator("days_before")
    @classmethod
    def _days_before(cls, value: list[int]) -> list[int]:
        wrong = [n for n in value if not 0 <= n <= MAX_DAYS_BEFORE]
        if wrong:
            raise ValueError(
                f"whole days from 0 to {MAX_DAYS_BEFORE} before the deadline "
                f"(0 = the day itself), e.g. [7, 3, 1, 0], got {wrong[0]}"
            )
        return value

    @field_validator("country")
    @classmethod
    def _known_country(cls, value: str) -> str:
        from jobs.calendar import WorkCalendar

        try:
            WorkCalendar(value)
        except ValueError as exc:
            raise ValueError(
                f'a country code the holidays package knows, such as "CN", got "{value}"'
            ) from exc
        return value

    @field_validator("remind_at")
    @classmethod
    def _clock_time(cls, value: str) -> str:
        from jobs.parse import parse_time

        try:
            parse_time(value)
        except ValueError as exc:
            raise ValueError(f'a time of day such as "09:00", got "{value}"') from exc
        return value

    @field_validator("digest")
    @classmethod
    def _digest(cls, value: str) -> str:
        from jobs.parse import parse_digest

        try:
            parse_digest(value)
        except ValueError as exc:
            raise ValueError(
                f'a weekday and time such as "mon 09:00", or "off", got "{value}"'
            ) from exc
        return value

    @field_validator("report")
    @classmethod
    def _report(cls, value: str) -> str:
        from jobs.parse import parse_report

        try:
            parse_report(value)
        except ValueError as exc:
            raise ValueError(
                f'a weekday or a day of the month and a time such as "fri 16:00" or '
                f'"25 16:00", or "off", got "{value}"'
            ) from exc
        return value

    @field_validator("report_chase")
    @classmethod
    def _report_chase(cls, value: str) -> str:
        from jobs.parse import parse_chase

        try:
            parse_chase(value)
        except ValueError as exc:
            raise ValueError(f'"next", "next 10:00" or "off", got "{value}"') from exc
        return value


class AccessConfig(_Section):
    admins: list[int] = []
    # A chat (a group of the admins, or one admin's private chat) where error reports and other
    # admin notices go instead of each admin's private chat; 0 = none.
    admin_chat: int = 0
    allowed_chats: list[int] = []
    # False: only admins, an item's leaders and its departments' members may change it.
    anyone_can_update: bool = False
    # True: an /iam for a name that leads an item or belongs to a department waits for an
    # admin's yes (anyone could otherwise claim a leader's name and report for them).
    confirm_iam: bool = True

    @field_validator("admin_chat")
    @classmethod
    def _chat_id(cls, value: int) -> int:
        if value != 0 and parse_telegram_id(str(value)) is None:
            raise ValueError(
                f"a Telegram chat id such as -1001234567890, or 0 for none, got {value}"
            )
        return value

    @property
    def notice_chats(self) -> list[int]:
        """Where admin notices (error reports, failed reminders) go: the admin chat when one
        is set, else each admin in private."""
        return [self.admin_chat] if self.admin_chat else list(self.admins)


class SupervisionConfig(_Section):
    """Completion review (issue 16 §3); each group may change it with /review on|off."""

    # True: a department's /done puts its part in review for the supervisors and admins.
    review: bool = False


class I18nConfig(_Section):
    locale: Literal["zh_CN", "en"] = "zh_CN"


class OrgConfig(_Section):
    name: str = ""


class Config(_Section):
    telegram: TelegramConfig = TelegramConfig()
    database: DatabaseConfig = DatabaseConfig()
    schedule: ScheduleConfig = ScheduleConfig()
    reminders: RemindersConfig = RemindersConfig()
    http: HttpConfig = HttpConfig()
    access: AccessConfig = AccessConfig()
    supervision: SupervisionConfig = SupervisionConfig()
    i18n: I18nConfig = I18nConfig()
    org: OrgConfig = OrgConfig()

    @property
    def token(self) -> str:
        return self.telegram.token.get_secret_value()

    @model_validator(mode="after")
    def _board_beside_the_webhook(self) -> Config:
        telegram, http = self.telegram, self.http
        hook_url = telegram.webhook.public_url
        http.public_url = board_public_url(telegram.mode, hook_url, http.public_url)
        return self


def board_public_url(mode: str, webhook_url: str, http_url: str) -> str:
    """The address of the board and calendar links: `[http] public_url`; unset in webhook
    mode, the webhook's `public_url`, since the webhook's server serves the board, the feeds
    and the Mini App on the same port (bot/app.py `webhook`, bot/web/server.py). A separate
    `[http] public_url` is for a board reached at another address than Telegram's (another
    name, or a proxy that serves only the board to the office)."""
    if http_url or mode != "webhook":
        return http_url
    return webhook_url.rstrip("/")


def _describe(error: ErrorDetails) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        return "a known key (this one is not used by planbot; check the spelling)"
    if kind == "literal_error":
        return error["msg"].removeprefix("Input should be ").replace("'", '"')
    if kind == "value_error":
        return error["msg"].removeprefix("Value error, ")
    expected = error["msg"].removeprefix("Input should be ").split(", unable to")[0]
    return f"{expected}, got {error['input']!r}"


def _key(loc: tuple[Any, ...]) -> str:
    """Name the key the way the user sees it in TOML: `[telegram.rate_limits] group_max_rate`."""
    names: list[str] = []
    for part in loc:
        if isinstance(part, int) and names:
            names[-1] += f"[{part}]"
        else:
            names.append(str(part))
    if len(names) > 1:
        return f"[{'.'.join(names[:-1])}] {names[-1]}"
    return names[0] if names else "(top level)"


def _set_nested(data: dict[str, Any], path: list[str], value: str) -> None:
    """data[a][b][c] = value, copying each table on the way: the caller's dicts stay as given."""
    *tables, key = path
    current = data
    for name in tables:
        child = current.get(name)
        child = dict(child) if isinstance(child, dict) else {}
        current[name] = child
        current = child
    current[key] = value


def parse_config(
    data: dict[str, Any], *, source: str, env: Mapping[str, str] | None = None
) -> Config:
    """Validate a TOML document; environment secrets override the file."""
    environ: Mapping[str, str] = os.environ if env is None else env
    data = dict(data)
    # Secrets from the environment win over the file, so the file can be shared without them.
    for variable, section, key in (
        ("PLANBOT_TOKEN", "telegram", "token"),
        ("PLANBOT_DATABASE_URL", "database", "url"),
        ("PLANBOT_WEBHOOK_SECRET", "telegram.webhook", "secret_token"),
    ):
        if environ.get(variable):
            _set_nested(data, [*section.split("."), key], environ[variable])
    try:
        return Config.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        if first["type"] == "value_error" and len(first["loc"]) == 1:
            # A rule about a whole table (e.g. webhook mode needs a public_url): say it as is.
            message = first["msg"].removeprefix("Value error, ")
            section = f"[{first['loc'][0]}]"
            raise ConfigError(f"{source}: {section} {message}", key=section) from None
        key = _key(first["loc"])
        expected = _describe(first)
        raise ConfigError(f"{source}: {key}: expected {expected}", key=key) from None


def find_config(path: str | os.PathLike[str] | None) -> Path | None:
    """The file to read: the one named, else $PLANBOT_CONFIG, else ./planbot.toml if present."""
    if path is not None:
        return Path(path)
    if os.environ.get("PLANBOT_CONFIG"):
        return Path(os.environ["PLANBOT_CONFIG"])
    default = Path(DEFAULT_CONFIG_NAME)
    return default if default.exists() else None


def load_config(path: str | os.PathLike[str] | None = None) -> Config:
    """Read and validate the configuration; with no file at all, the defaults apply."""
    found = find_config(path)
    if found is None:
        return parse_config({}, source="(defaults)")
    try:
        raw = found.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{found}: cannot be read: {exc.strerror}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{found}: expected a UTF-8 text file") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{found}: expected valid TOML: {exc}") from None
    return parse_config(data, source=str(found))
