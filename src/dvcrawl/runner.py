"""Run one crawl of some sources in this process, and record each as a CrawlRun row.

Twisted's reactor cannot be restarted, so this runs once per process: the CLI calls it once,
and the scheduler runs every crawl in a child process (``dvcrawl crawl --run-id``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from scrapy import signals
from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.settings import Settings
from sqlalchemy import func, select

from dvcrawl import settings as default_settings
from dvcrawl.crawlstate import CrawlState
from dvcrawl.logs import quiet_libraries
from dvcrawl.sources import Source
from dvcrawl.spiders.portal import PortalSpider
from dvcrawl.storage.db import Database, open_database
from dvcrawl.storage.models import Article, CrawlRun, utcnow
from dvcrawl.storage.sources import sync_sources

log = logging.getLogger(__name__)


@dataclass
class SourceRunStats:
    source_id: str
    run_id: int
    status: str = "running"
    pages_fetched: int = 0
    articles_seen: int = 0
    articles_new: int = 0
    relevant_new: int = 0
    duplicates_new: int = 0
    errors: int = 0
    reason: str | None = None
    stats: dict = field(default_factory=dict)


@dataclass
class CrawlSummary:
    sources: list[SourceRunStats]

    def total(self, name: str) -> int:
        return sum(getattr(s, name) for s in self.sources)


def build_settings(db_url: str, overrides: dict | None = None) -> Settings:
    settings = Settings()
    settings.setmodule(default_settings, priority="project")
    settings.set("DVCRAWL_DB_URL", db_url, priority="cmdline")
    for key, value in (overrides or {}).items():
        settings.set(key, value, priority="cmdline")
    return settings


_EXCEPTION_KEY = "downloader/exception_type_count/"


def _errors(stats: dict) -> int:
    """Pages that finally failed: retries given up, HTTP errors, callback exceptions."""
    return (
        stats.get("retry/max_reached", 0)
        + stats.get("httperror/response_ignored_count", 0)
        + stats.get("spider_exceptions/count", 0)
        + sum(v for k, v in stats.items() if k.startswith("dvcrawl/listing_failed/"))
    )


def _jsonable(stats: dict) -> dict:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in stats.items()}


def _outcome(stats: dict, reason: str) -> tuple[str, str | None]:
    """A run's status and reason from its close reason and what its start URLs answered.

    A portal that is down is a failed run (so it backs off and alarms), not an empty "ok";
    a crawl stopped by a signal (scheduler shutdown, Ctrl-C) is "stopped", not a failure.
    """
    if reason == "shutdown":
        return "stopped", "stopped by a signal (scheduler shutdown or Ctrl-C)"
    if reason not in ("finished", "closespider_pagecount"):
        return "failed", f"spider closed: {reason}"
    answered = stats.get("dvcrawl/start_url_status") or {}
    if not any(status < 400 for status in answered.values()):
        errors = sorted(k.rsplit("/", 1)[-1] for k in stats if k.startswith(_EXCEPTION_KEY))
        why = ", ".join(f"{url} answered {status}" for url, status in answered.items())
        return "failed", f"no start URL could be fetched: {why or ', '.join(errors) or 'no answer'}"
    return "ok", None


def _finish_run(db: Database, result: SourceRunStats, stats: dict, reason: str) -> None:
    result.pages_fetched = stats.get("response_received_count", 0)
    result.articles_seen = stats.get("dvcrawl/articles_seen", 0)
    result.articles_new = stats.get("dvcrawl/articles_new", 0)
    result.relevant_new = stats.get("dvcrawl/relevant_new", 0)
    result.duplicates_new = stats.get("dvcrawl/duplicates_new", 0)
    result.errors = _errors(stats)
    result.status, result.reason = _outcome(stats, reason)
    result.stats = _jsonable(stats)
    result.stats.update(articles_seen=result.articles_seen, close_reason=reason)
    with db.session() as session:
        run = session.get(CrawlRun, result.run_id)
        run.finished_at = utcnow()
        run.status = result.status
        run.pages_fetched = result.pages_fetched
        run.articles_new = result.articles_new
        run.errors = result.errors
        run.reason = result.reason
        run.stats = result.stats


def _open_run(db: Database, source_id: str, run_id: int | None) -> int:
    with db.session() as session:
        run = session.get(CrawlRun, run_id) if run_id else None
        if run is None:
            run = CrawlRun(source_id=source_id, status="running")
            session.add(run)
            session.flush()
        run.status, run.started_at = "running", utcnow()
        return run.id


def _crawler_for(settings: Settings, source: Source, first: bool) -> Crawler:
    """A crawler with this source's page cap; the first one installs the Twisted reactor."""
    per_source = settings.copy()
    per_source.set(
        "CLOSESPIDER_PAGECOUNT",
        source.max_pages or settings.getint("DVCRAWL_MAX_PAGES"),
        priority="cmdline",
    )
    return Crawler(PortalSpider, per_source, init_reactor=first)


def run_crawl(
    sources: list[Source],
    db_url: str,
    *,
    refresh: bool = False,
    run_ids: dict[str, int] | None = None,
    overrides: dict | None = None,
) -> CrawlSummary:
    """Crawl ``sources`` once, concurrently, into ``db_url``; blocks until every one is done."""
    db = open_database(db_url)
    with db.session() as session:
        sync_sources(session, sources)
    settings = build_settings(db_url, overrides)
    process = CrawlerProcess(settings)
    quiet_libraries()  # Scrapy just set its loggers to DEBUG again
    results: list[SourceRunStats] = []
    for index, source in enumerate(sources):
        result = SourceRunStats(source.id, _open_run(db, source.id, (run_ids or {}).get(source.id)))
        results.append(result)
        crawler = _crawler_for(settings, source, first=index == 0)

        def closed(spider, reason, crawler=crawler, result=result) -> None:
            _finish_run(db, result, crawler.stats.get_stats(), reason)
            log.info(
                "%s: finished (%s): %d pages, %d articles seen, %d new, %d errors",
                result.source_id,
                reason,
                result.pages_fetched,
                result.articles_seen,
                result.articles_new,
                result.errors,
            )

        crawler.signals.connect(closed, signal=signals.spider_closed, weak=False)
        state = CrawlState(db, source.id, refresh=refresh)
        process.crawl(
            crawler,
            source=source,
            state=state,
            max_depth=settings.getint("DVCRAWL_MAX_LISTING_DEPTH"),
            max_pages=settings.getint("DVCRAWL_MAX_PAGES"),
        )
    process.start()
    _count_copies(db, results)
    return CrawlSummary(results)


def _count_copies(db: Database, results: list[SourceRunStats]) -> None:
    """Copies among this run's new articles, counted once the run is over: an original
    stored after its copy re-points the copy then, so a count taken at store time is short."""
    with db.session() as session:
        for result in results:
            started = session.scalar(
                select(CrawlRun.started_at).where(CrawlRun.id == result.run_id)
            )
            result.duplicates_new = (
                session.scalar(
                    select(func.count())
                    .select_from(Article)
                    .where(
                        Article.source_id == result.source_id,
                        Article.fetched_at >= started,
                        Article.duplicate_of_id.is_not(None),
                    )
                )
                or 0
            )
