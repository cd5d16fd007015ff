"""Run one crawl of some sources in this process, each recorded as a run (storage/runs.py).

This is the one crawl path: ``dvcrawl crawl`` calls it, and the scheduler and the Redis
workers run it in a child process per crawl (``dvcrawl crawl --run-id``), because Twisted's
reactor cannot be restarted in one process.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

# Imported here, not by the downloader deep inside the reactor: Scrapy's TLS modules build
# deprecated aliases with inspect.stack(), whose cost grows with the stack's depth (~180 ms of
# CPU from the reactor's frames, ~60 ms from here).
import scrapy.core.downloader.handlers.http11  # noqa: F401
from scrapy import signals
from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.settings import Settings

from dvcrawl import settings as default_settings
from dvcrawl.crawlstate import CrawlState
from dvcrawl.gcpolicy import settle_heap
from dvcrawl.logs import quiet_libraries
from dvcrawl.sources import Source
from dvcrawl.spiders.portal import PortalSpider
from dvcrawl.storage import runs
from dvcrawl.storage.db import Database, open_database
from dvcrawl.storage.runs import RunResult
from dvcrawl.storage.sources import sync_sources

log = logging.getLogger(__name__)


@dataclass
class CrawlSummary:
    sources: list[RunResult]

    def total(self, name: str) -> int:
        return sum(getattr(s, name) for s in self.sources)


# Component settings whose switched-off entries are dropped before Scrapy reads them.
COMPONENT_SETTINGS = ("EXTENSIONS", "SPIDER_MIDDLEWARES", "DOWNLOADER_MIDDLEWARES")


def _drop_switched_off(settings: Settings) -> None:
    """Remove each component dvcrawl switches off (None) from the setting and its ``_BASE``.

    Scrapy imports every key of a component setting to match it with the ``_BASE`` one, the
    switched-off ones too: RemoteControl alone imports aiohttp (~0.2 s of CPU per crawl) and
    the telnet console Twisted's conch, only to be dropped.
    """
    for name in COMPONENT_SETTINGS:
        ours, base = settings.getdict(name), settings.getdict(f"{name}_BASE")
        off = {key for key, value in ours.items() if value is None and key in base}
        if off:
            kept = {key: value for key, value in ours.items() if key not in off}
            settings.set(name, kept, priority="project")
            base = {key: value for key, value in base.items() if key not in off}
            settings.set(f"{name}_BASE", base, priority="default")


def build_settings(db_url: str, overrides: dict | None = None) -> Settings:
    settings = Settings()
    settings.setmodule(default_settings, priority="project")
    _drop_switched_off(settings)
    settings.set("DVCRAWL_DB_URL", db_url, priority="cmdline")
    for key, value in (overrides or {}).items():
        settings.set(key, value, priority="cmdline")
    return settings


def _keep_alive(db: Database, crawler: Crawler, run_id: int) -> None:
    """Stamp the run's row every HEARTBEAT seconds while the crawl runs, so a crawl whose
    process dies is found stale (storage/runs.py) instead of staying "running" for ever."""
    beats: list = []

    def started() -> None:
        # Made here, not before: a LoopingCall imports the reactor, which must be Scrapy's.
        from twisted.internet import task

        beat = task.LoopingCall(runs.heartbeat, db, [run_id])
        beats.append(beat)
        beat.start(runs.HEARTBEAT, now=False).addErrback(
            lambda failure: log.warning("run %d: heartbeat failed: %s", run_id, failure.value)
        )

    def stopped() -> None:
        for beat in beats:
            if beat.running:
                beat.stop()

    crawler.signals.connect(started, signal=signals.engine_started, weak=False)
    crawler.signals.connect(stopped, signal=signals.engine_stopped, weak=False)


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
    results: list[RunResult] = []
    for index, source in enumerate(sources):
        run_id = runs.open_run(db, source.id, (run_ids or {}).get(source.id))
        results.append(RunResult(source.id, run_id))  # replaced when the spider closes
        crawler = _crawler_for(settings, source, first=index == 0)
        _keep_alive(db, crawler, run_id)

        def closed(spider, reason, crawler=crawler, index=index) -> None:
            run_id, source_id = results[index].run_id, results[index].source_id
            result = runs.result_from_stats(source_id, run_id, crawler.stats.get_stats(), reason)
            runs.close_run(db, result)
            results[index] = result
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
    settle_heap()
    process.start()
    runs.count_copies(db, results)
    return CrawlSummary(results)
