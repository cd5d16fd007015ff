"""Exponential back-off for failing sources, computed from the failure streak alone.

The streak comes from the crawl_runs rows (dvcrawl.health.failure_streak), so there is no
counter that could drift from what actually happened, and a success resets it by itself.
"""

from __future__ import annotations

# Never wait more than six hours between attempts: a portal that was down for a week is
# picked up within a working morning once it is back.
MAX_BACKOFF = 6 * 3600.0
# ... nor more than 24 intervals, so a source crawled every 10s retries within 4 minutes.
MAX_INTERVALS = 24


def backoff_cap(interval: float) -> float:
    """The longest delay for a source crawled every ``interval`` seconds (never below it)."""
    return max(interval, min(MAX_BACKOFF, MAX_INTERVALS * interval))


def backoff_delay(interval: float, streak: int) -> float:
    """Seconds until the next attempt after ``streak`` failures in a row: interval × 2^streak."""
    if streak <= 0:
        return interval
    # min() on the exponent first keeps 2**streak from growing without bound over months.
    return min(backoff_cap(interval), interval * 2 ** min(streak, 32))
