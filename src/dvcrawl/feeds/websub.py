"""WebSub publish pings (https://www.w3.org/TR/websub/#publishing), after feeds changed.

The hub fetches the feed and pushes it to subscribers, so readers learn of news at once instead
of at their next poll. A hub that is down must not fail the build: the error is logged and
reported, the feeds are already written.
"""

from __future__ import annotations

import logging
import urllib.error
import urllib.parse
import urllib.request

log = logging.getLogger(__name__)
# A hub answers a publish ping at once (it fetches later); 10 s covers a slow network.
TIMEOUT_SECONDS = 10


def ping(hub: str, feed_url: str, timeout: float = TIMEOUT_SECONDS) -> str | None:
    """POST ``hub.mode=publish&hub.url=<feed_url>`` to ``hub``; None on success, else the error."""
    body = urllib.parse.urlencode({"hub.mode": "publish", "hub.url": feed_url}).encode()
    request = urllib.request.Request(
        hub,
        data=body,
        method="POST",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            response.read()
    except (urllib.error.URLError, OSError, ValueError) as exc:
        log.warning("WebSub ping to %s for %s failed: %s", hub, feed_url, exc)
        return f"{feed_url}: {exc}"
    log.info("WebSub ping to %s for %s", hub, feed_url)
    return None
