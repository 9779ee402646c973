"""Whether Telegram takes an address on an inline URL button.

Telegram refuses a message whose URL button points somewhere no phone outside the office could
open (`Bad Request: BUTTON_URL_INVALID`): a non-http scheme, `localhost`, a one-word host name,
an IP address of a private, loopback or link-local network. An office that runs planbot on its
own network (`[http] public_url = "http://192.168.1.20:8080"`) still gets its link, as text:
`/board` sends the button only when this says yes (and resends without it if Telegram refuses
anyway, bot/handlers/board.py).
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

# Names reserved for local use (RFC 6761, RFC 8375, and the common intranet suffixes): never
# resolvable from the internet, so never a button's.
_LOCAL_SUFFIXES = ("localhost", "local", "internal", "lan", "home.arpa", "intranet", "corp")


def button_url_ok(url: str) -> bool:
    """Whether Telegram would accept `url` on an inline URL button (pure)."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
        parts.port  # noqa: B018 — raises for a port that is not a number
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or not host:
        return False
    try:
        # A global address may be a button's; 10.x, 192.168.x, 127.x, fe80::… may not.
        return ipaddress.ip_address(host).is_global
    except ValueError:
        pass
    name = host.rstrip(".")
    labels = name.split(".")
    if len(labels) < 2 or not all(labels):
        return False  # "planbot", "a..b": no domain
    return not any(name == s or name.endswith("." + s) for s in _LOCAL_SUFFIXES)
