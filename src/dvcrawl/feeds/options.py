"""Feed settings resolved in one place: explicit value, else DVCRAWL_* environment, else default.

``build_feeds`` resolves its own options here, so every caller (the ``feeds`` command, the
scheduler, the demo) honours the operator's settings; above all ``DVCRAWL_PUBLISH_MODE=approved``
must never be bypassed by a caller that did not pass a mode.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from dvcrawl.errors import ConfigError

LIMIT_ENV = "DVCRAWL_FEED_LIMIT"
MODE_ENV = "DVCRAWL_PUBLISH_MODE"
HUB_ENV = "DVCRAWL_WEBSUB_HUB"
BASE_URL_ENV = "DVCRAWL_BASE_URL"
TTL_ENV = "DVCRAWL_FEED_TTL"
MODES = ("auto", "approved")
DEFAULT_LIMIT = 50  # issue 5: "newest N (default 50)"
DEFAULT_TTL_MINUTES = 30  # CONTRACT: the scheduler's default interval is 30 minutes


@dataclass(frozen=True)
class FeedOptions:
    base_url: str | None
    limit: int
    mode: str
    hub: str | None
    ttl_minutes: int


def _pick(value: object, env: str) -> object:
    return value if value not in (None, "") else os.environ.get(env) or None


def _whole(value: object, default: int, what: str) -> int:
    if value is None:
        return default
    try:
        number = int(str(value).strip()) if not isinstance(value, bool) else None
    except ValueError:
        number = None
    if number is None or number < 1:
        raise ConfigError(f"{what} must be a whole number of at least 1, not {value!r}")
    return number


def resolve(
    *,
    base_url: str | None = None,
    limit: int | str | None = None,
    mode: str | None = None,
    hub: str | None = None,
    ttl_minutes: int | str | None = None,
) -> FeedOptions:
    """The options to use; a bad value is a ConfigError naming the flag and the variable."""
    chosen_mode = str(_pick(mode, MODE_ENV) or "auto").strip()
    if chosen_mode not in MODES:
        raise ConfigError(
            f"publish mode (--mode or ${MODE_ENV}) must be auto or approved, not {chosen_mode!r}"
        )
    return FeedOptions(
        base_url=_pick(base_url, BASE_URL_ENV),
        limit=_whole(
            _pick(limit, LIMIT_ENV), DEFAULT_LIMIT, f"feed limit (--limit or ${LIMIT_ENV})"
        ),
        mode=chosen_mode,
        hub=_pick(hub, HUB_ENV),
        ttl_minutes=_whole(
            _pick(ttl_minutes, TTL_ENV), DEFAULT_TTL_MINUTES, f"feed ttl (--ttl or ${TTL_ENV})"
        ),
    )
