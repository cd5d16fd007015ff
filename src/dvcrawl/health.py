"""Source health: what an operator needs to see at a glance, derived only from stored rows.

Everything here is computed from ``crawl_runs``, ``articles`` and ``frontier``; there is no extra
state that could drift from the truth (the failure streak used for back-off comes from the same
rows).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dvcrawl import proclife
from dvcrawl.sources import Source
from dvcrawl.storage.frontier import counts as frontier_counts
from dvcrawl.storage.models import Article, CrawlRun, utcnow
from dvcrawl.storage.models import Source as SourceRow
from dvcrawl.storage.runs import FAILED_STATUSES, NEUTRAL_STATUSES, OWNER, RunStatus

# How many recent runs a health check reads: enough for a stable median, cheap per source.
RECENT_RUNS = 20
# "Usually has some": the median of at least this many earlier ok runs must be > 0.
MIN_EARLIER_RUNS = 3
# Field coverage compares the last COVERAGE_DAYS with the COVERAGE_BEFORE_DAYS before them;
# a drop of COVERAGE_DROP (absolute share) over at least COVERAGE_MIN_ARTICLES on each side
# is an alarm. 0.3 is what a portal redesign that moves the date/byline out of our selectors
# looks like (most articles lose the field at once), while ordinary variation stays well below.
COVERAGE_DAYS = 7
COVERAGE_BEFORE_DAYS = 30
COVERAGE_DROP = 0.3
COVERAGE_MIN_ARTICLES = 5
# Three failures in a row is beyond a transient network hiccup (one retry, then back-off).
STREAK_ALARM = 3
# What status and the ops page say of a running row whose process is gone from this machine.
GONE_REASON = "its process is gone; the next run of this source closes it"
RATE_DAYS = 7


@dataclass
class SourceHealth:
    """One row of ``dvcrawl status`` and the operators' page."""

    source_id: str
    name: str
    province: str | None = None
    last_started: datetime | None = None
    last_finished: datetime | None = None
    last_status: str | None = None
    last_reason: str | None = None
    next_run: datetime | None = None
    articles_stored: int = 0
    failure_streak: int = 0
    articles_per_day: float = 0.0
    articles_pending: int = 0  # owed by earlier runs (killed, or failed and to be retried)
    articles_failed: int = 0  # given up on after every retry: an operator should look
    alarms: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        """JSON-ready mapping; datetimes (naive UTC inside) as ISO 8601 with "+00:00"."""
        data = asdict(self)
        for key, value in data.items():
            if isinstance(value, datetime):
                data[key] = value.replace(tzinfo=UTC).isoformat(timespec="seconds")
        return data


def streak_of(statuses: Iterable[str]) -> int:
    """Consecutive failures counted from the newest status; "running" rows, runs "stopped"
    by a signal and runs "interrupted" by a dying process say nothing about the portal and
    are skipped."""
    streak = 0
    for status in statuses:
        if status in NEUTRAL_STATUSES:
            continue
        if status not in FAILED_STATUSES:
            break
        streak += 1
    return streak


def recent_runs(session: Session, source_id: str, limit: int = RECENT_RUNS) -> list[CrawlRun]:
    """The newest runs of a source, newest first."""
    query = (
        select(CrawlRun)
        .where(CrawlRun.source_id == source_id)
        .order_by(CrawlRun.started_at.desc(), CrawlRun.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def failure_streak(session: Session, source_id: str) -> int:
    """How many runs in a row, up to now, failed (the back-off reads this)."""
    return streak_of(run.status for run in recent_runs(session, source_id))


def _found(run: CrawlRun) -> int | None:
    """Article links a run found on the listings (new or already known), None if unknowable.

    The runner stores Scrapy's stats verbatim plus "articles_seen" (articles downloaded); the
    spider counts known articles it skipped as "dvcrawl/article_known_skipped". A listing that
    answered 304 Not Modified says nothing about the portal, so such a run is no evidence.
    """
    stats = run.stats or {}
    if stats.get("dvcrawl/listing_not_modified"):
        return None
    seen = stats.get("articles_seen", run.articles_new or 0)
    known = stats.get("dvcrawl/article_known_skipped", 0)
    return int(seen or 0) + int(known or 0)


def no_articles_alarm(runs: Sequence[CrawlRun]) -> str | None:
    """The last ok run found nothing on a source whose earlier runs usually found something."""
    ok = [r for r in runs if r.status == RunStatus.OK and _found(r) is not None]
    if len(ok) < 1 + MIN_EARLIER_RUNS:
        return None
    last, earlier = ok[0], ok[1:]
    found_nothing = (last.pages_fetched or 0) == 0 or _found(last) == 0
    usual = statistics.median(_found(r) for r in earlier)
    if found_nothing and usual > 0:
        return f"no-articles: the last run found no article (earlier runs: median {usual:g})"
    return None


def start_url_alarms(runs: Sequence[CrawlRun]) -> list[str]:
    """Start URLs that answered 404/410 in the newest run that checked them."""
    for run in runs:
        stats = run.stats or {}
        # "dvcrawl/start_url_status" as the spider's Scrapy stats name it; the short key too.
        statuses = stats.get("start_url_status") or stats.get("dvcrawl/start_url_status")
        if isinstance(statuses, dict) and statuses:
            return [
                f"start-url-gone: {url} answers {code}"
                for url, code in sorted(statuses.items())
                if str(code) in ("404", "410")
            ]
    return []


def _coverage(session: Session, source_id: str, since: datetime, until: datetime):
    """(articles, with a date, with an author) fetched in [since, until)."""
    where = (
        Article.source_id == source_id,
        Article.fetched_at >= since,
        Article.fetched_at < until,
    )
    row = session.execute(
        select(func.count(), func.count(Article.published), func.count(Article.author)).where(
            *where
        )
    ).one()
    return int(row[0]), int(row[1]), int(row[2])


def coverage_alarms(session: Session, source_id: str, now: datetime) -> list[str]:
    """A drop in the share of recent articles with a date or an author, versus before."""
    cut = now - timedelta(days=COVERAGE_DAYS)
    recent = _coverage(session, source_id, cut, now + timedelta(seconds=1))
    before = _coverage(session, source_id, cut - timedelta(days=COVERAGE_BEFORE_DAYS), cut)
    if recent[0] < COVERAGE_MIN_ARTICLES or before[0] < COVERAGE_MIN_ARTICLES:
        return []
    alarms = []
    for index, what in ((1, "date"), (2, "author")):
        share_now, share_before = recent[index] / recent[0], before[index] / before[0]
        if share_before - share_now >= COVERAGE_DROP:
            alarms.append(
                f"coverage-drop: {what} found on {share_now:.0%} of recent articles "
                f"(was {share_before:.0%})"
            )
    return alarms


def _fill_runs(health: SourceHealth, runs: Sequence[CrawlRun]) -> None:
    if runs:
        last = runs[0]
        health.last_started, health.last_finished = last.started_at, last.finished_at
        health.last_status, health.last_reason = last.status, last.reason
        if last.status == RunStatus.RUNNING and proclife.is_dead((last.stats or {}).get(OWNER)):
            # Killed on this machine and not yet closed (the next run closes it): say so
            # rather than show a crawl that is no longer there as running.
            health.last_status, health.last_reason = RunStatus.INTERRUPTED, GONE_REASON
    health.failure_streak = streak_of(r.status for r in runs)


def _articles(session: Session, source_id: str, now: datetime) -> tuple[int, float]:
    total = session.scalar(select(func.count()).where(Article.source_id == source_id)) or 0
    week = session.scalar(
        select(func.count()).where(
            Article.source_id == source_id,
            Article.fetched_at >= now - timedelta(days=RATE_DAYS),
        )
    )
    return int(total), round((week or 0) / RATE_DAYS, 2)


def health_of(
    session: Session, ident: tuple[str, str, str | None], next_run: datetime | None, now: datetime
) -> SourceHealth:
    """Health of one source named by (id, name, province)."""
    health = SourceHealth(source_id=ident[0], name=ident[1], province=ident[2], next_run=next_run)
    runs = recent_runs(session, ident[0])
    _fill_runs(health, runs)
    health.articles_stored, health.articles_per_day = _articles(session, ident[0], now)
    alarm = no_articles_alarm(runs)
    health.alarms = [alarm] if alarm else []
    health.alarms += start_url_alarms(runs)
    health.alarms += coverage_alarms(session, ident[0], now)
    owed = frontier_counts(session, ident[0])
    health.articles_pending, health.articles_failed = owed.pending, owed.failed
    if owed.failed:
        health.alarms.append(
            f"failed-articles: {owed.failed} page(s) given up after every retry "
            f"(last error: {owed.last_error or 'unknown'})"
        )
    if health.failure_streak >= STREAK_ALARM:
        health.alarms.append(f"failing: {health.failure_streak} failed runs in a row")
    return health


def _known_sources(session: Session) -> list[tuple[str, str, str | None]]:
    """Sources the database knows: the sources table, plus any id that has runs."""
    idents = {
        row.id: (row.id, row.name, row.province) for row in session.scalars(select(SourceRow))
    }
    for sid in session.scalars(select(CrawlRun.source_id).distinct()):
        idents.setdefault(sid, (sid, sid, None))
    return [idents[k] for k in sorted(idents)]


def source_health(
    session: Session,
    sources: list[Source] | None = None,
    next_runs: dict[str, datetime] | None = None,
) -> list[SourceHealth]:
    """Health of each source (those given, else every source the database knows), in order."""
    now = utcnow()
    if sources is None:
        idents = _known_sources(session)
    else:
        idents = [(s.id, s.name, s.province) for s in sources]
    next_runs = next_runs or {}
    return [health_of(session, ident, next_runs.get(ident[0]), now) for ident in idents]
