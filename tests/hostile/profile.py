"""The hypothesis settings of the hostile suite: a fixed number of examples, the same ones on
every run (`derandomize`), no deadline (an example is a round trip through the bot and the
database), and no example database (CI starts from a fresh clone anyway)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_COMMON = {
    "deadline": None,
    "database": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}
settings.register_profile("hostile", derandomize=True, **_COMMON)
settings.register_profile("hostile-long", derandomize=False, **_COMMON)
LONG = os.environ.get("PLANBOT_HOSTILE_PROFILE") == "long"


def examples(n: int) -> settings:
    """The settings of a hostile test drawing `n` examples in CI (10 × n with the long profile)."""
    if LONG:
        return settings(settings.get_profile("hostile-long"), max_examples=10 * n)
    return settings(settings.get_profile("hostile"), max_examples=n)
