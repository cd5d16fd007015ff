"""Feed settings resolved in one place: explicit value, else DVCRAWL_* environment, else default.

``build_feeds`` resolves its own options here, so every caller (the ``feeds`` command, the
scheduler, the demo) honours the operator's settings; above all ``DVCRAWL_PUBLISH_MODE=approved``
must never be bypassed by a caller that did not pass a mode.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlsplit

from dvcrawl.errors import ConfigError

LIMIT_ENV = "DVCRAWL_FEED_LIMIT"
MODE_ENV = "DVCRAWL_PUBLISH_MODE"
HUB_ENV = "DVCRAWL_WEBSUB_HUB"
BASE_URL_ENV = "DVCRAWL_BASE_URL"
TTL_ENV = "DVCRAWL_FEED_TTL"
MODES = ("auto", "approved")
DEFAULT_LIMIT = 50  # issue 5: "newest N (default 50)"
DEFAULT_TTL_MINUTES = 30  # CONTRACT: the scheduler's default interval is 30 minutes
# Upper bounds: a feed of more than 1,000 entries is a multi-megabyte download every poll, and a
# ttl beyond a week tells readers to stop polling.
MAX_LIMIT = 1000
MAX_TTL_MINUTES = 7 * 24 * 60


@dataclass(frozen=True)
class FeedOptions:
    base_url: str | None
    limit: int
    mode: str
    hub: str | None
    ttl_minutes: int


def _pick(value: object, env: str) -> object:
    return value if value not in (None, "") else os.environ.get(env) or None


def _whole(value: object, default: int, most: int, what: str) -> int:
    """A whole number from 1 to ``most`` ("1e22", "nan", "-3", "50.5" are refused)."""
    if value is None:
        return default
    text = str(value).strip()
    number = int(text) if text.isascii() and text.isdigit() and len(text) < 12 else None
    if isinstance(value, bool) or number is None or not 1 <= number <= most:
        raise ConfigError(f"{what} must be a whole number from 1 to {most}, not {value!r}")
    return number


def _hub(value: object) -> str | None:
    """The WebSub hub: an absolute http(s) URL, as it is written into every feed."""
    if value is None:
        return None
    text = str(value).strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc or not text.isprintable():
        raise ConfigError(
            f"WebSub hub (--hub or ${HUB_ENV}) must be an absolute http(s) URL, not {text!r}"
        )
    return text


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
            _pick(limit, LIMIT_ENV),
            DEFAULT_LIMIT,
            MAX_LIMIT,
            f"feed limit (--limit or ${LIMIT_ENV})",
        ),
        mode=chosen_mode,
        hub=_hub(_pick(hub, HUB_ENV)),
        ttl_minutes=_whole(
            _pick(ttl_minutes, TTL_ENV),
            DEFAULT_TTL_MINUTES,
            MAX_TTL_MINUTES,
            f"feed ttl (--ttl or ${TTL_ENV})",
        ),
    )
