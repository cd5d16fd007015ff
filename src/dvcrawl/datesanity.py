"""When a publication date can be trusted: the one rule the feeds, the desk and staff edits share.

A portal typo ("2099") or a staff slip must not pin an article to the top of every feed (issue
13, finding 6). A date more than MAX_FUTURE after the article was fetched is doubtful: feeds order
and date it by when it was fetched, the desk flags it. A day of slack covers portals whose clocks
or time zones are off by hours, which is common and harmless.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Protocol

# How far past its fetch time a publication date may lie before it is not believed.
MAX_FUTURE = timedelta(days=1)
# Staff-entered dates: nothing on the portals predates the founding of the state (1945); a later
# bound of one day ahead matches MAX_FUTURE (an article scheduled for tomorrow morning).
STAFF_EARLIEST = date(1945, 1, 1)


class _Dated(Protocol):
    published_at: datetime | None
    fetched_at: datetime | None
    date_doubtful: bool | None


def is_doubtful(published: datetime | None, fetched: datetime | None) -> bool:
    """True when ``published`` lies more than MAX_FUTURE after ``fetched`` (both naive UTC)."""
    if published is None or fetched is None:
        return False
    return published > fetched + MAX_FUTURE


def sort_time(published: datetime | None, fetched: datetime) -> datetime:
    """The instant an article is ordered and dated by: its date if trusted, else its fetch time."""
    if published is None or is_doubtful(published, fetched):
        return fetched
    return published


def flagged(article: _Dated) -> bool:
    """Should staff check this article's date? Extraction's own doubt, or a date in the future."""
    return bool(article.date_doubtful) or is_doubtful(article.published_at, article.fetched_at)


def staff_date_error(moment: datetime, now: datetime | None = None) -> str | None:
    """Why a staff-entered date is out of range (1945-01-01 .. a day ahead), else None."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    latest = (now or datetime.now(UTC)) + MAX_FUTURE
    if aware.date() < STAFF_EARLIEST:
        return f"date {moment.date().isoformat()} is before {STAFF_EARLIEST.isoformat()}"
    if aware > latest:
        return f"date {moment.date().isoformat()} is more than one day ahead"
    return None
