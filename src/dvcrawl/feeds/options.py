"""Feed settings resolved in one place: explicit value, else DVCRAWL_* environment, else default.

``build_feeds`` resolves its own options here, so every caller (the ``feeds`` command, the
scheduler, the demo) honours the operator's settings; above all ``DVCRAWL_PUBLISH_MODE=approved``
must never be bypassed by a caller that did not pass a mode. Names, defaults and bounds are rows
of dvcrawl.settings_table.
"""

from __future__ import annotations

from dataclasses import dataclass

from dvcrawl.settings_table import PUBLISH_MODES, SETTINGS

MODES = PUBLISH_MODES


@dataclass(frozen=True)
class FeedOptions:
    base_url: str | None
    limit: int
    mode: str
    hub: str | None
    ttl_minutes: int


def resolve(
    *,
    base_url: str | None = None,
    limit: int | str | None = None,
    mode: str | None = None,
    hub: str | None = None,
    ttl_minutes: int | str | None = None,
) -> FeedOptions:
    """The options to use; a bad value is a ConfigError naming the flag and the variable."""
    return FeedOptions(
        base_url=SETTINGS["base_url"].value(base_url, "base URL"),
        limit=SETTINGS["feed_limit"].value(limit, "feed limit"),
        mode=SETTINGS["publish_mode"].value(mode, "publish mode"),
        hub=SETTINGS["hub"].value(hub, "WebSub hub"),
        ttl_minutes=SETTINGS["feed_ttl"].value(ttl_minutes, "feed ttl"),
    )
