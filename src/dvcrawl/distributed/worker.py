"""Run one worker process: the Scrapy settings that put its frontier in Redis, and the loop.

Any number of these share the work; CrawlerProcess stops cleanly on SIGTERM/SIGINT (the
worker hands its unfinished requests back to the queue on the way out).
"""

from __future__ import annotations

import os
import socket
import uuid

from scrapy.crawler import CrawlerProcess

from dvcrawl.distributed.dupefilter import DEFAULT_SEEN_TTL, SEEN_TTL_SETTING
from dvcrawl.distributed.keys import Keys, connect
from dvcrawl.distributed.liveness import DEFAULT_HEARTBEAT
from dvcrawl.distributed.spider import WorkerSpider
from dvcrawl.errors import ConfigError
from dvcrawl.logs import quiet_libraries
from dvcrawl.runner import build_settings
from dvcrawl.sources import Source
from dvcrawl.storage.db import open_database

PKG = "dvcrawl.distributed"


def seen_ttl_from_env() -> float:
    raw = os.environ.get(SEEN_TTL_SETTING)
    if not raw:
        return DEFAULT_SEEN_TTL
    from dvcrawl.durations import parse_duration

    try:
        return float(parse_duration(raw))
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"${SEEN_TTL_SETTING}: not a duration: {raw!r} ({exc})") from exc


def worker_settings(redis_url: str, keys: Keys, seen_ttl: float) -> dict:
    """scrapy-redis in charge of scheduling; our adapters where it falls short."""
    return {
        "SCHEDULER": f"{PKG}.scheduler.DistributedScheduler",
        "SCHEDULER_PERSIST": True,  # the frontier outlives any one worker
        "SCHEDULER_QUEUE_CLASS": f"{PKG}.queue.ReliablePriorityQueue",
        "SCHEDULER_QUEUE_KEY": keys.requests,
        "SCHEDULER_DUPEFILTER_KEY": keys.seen,
        "DUPEFILTER_CLASS": f"{PKG}.dupefilter.ExpiringDupeFilter",
        SEEN_TTL_SETTING: seen_ttl,
        "REDIS_URL": redis_url,
        "REDIS_START_URLS_KEY": keys.jobs,
        "SPIDER_MIDDLEWARES": {f"{PKG}.tracker.AckMiddleware": 10},
        # A worker runs for months: the per-run page cap of `dvcrawl crawl` does not apply.
        "CLOSESPIDER_PAGECOUNT": 0,
        "LOG_INSTALL_ROOT_HANDLER": False,  # dvcrawl.cli set up logging already
    }


def run_worker(
    db_url: str,
    redis_url: str,
    *,
    sources: list[Source] | None = None,
    until_idle: float | None = None,
    prefix: str | None = None,
    overrides: dict | None = None,
    heartbeat: float = DEFAULT_HEARTBEAT,
) -> None:
    """Serve crawl jobs from Redis until stopped (or idle for ``until_idle`` seconds)."""
    keys = Keys.from_env(prefix)
    client = connect(redis_url)
    db = open_database(db_url)
    settings = build_settings(db_url, worker_settings(redis_url, keys, seen_ttl_from_env()))
    for key, value in (overrides or {}).items():
        settings.set(key, value, priority="cmdline")
    process = CrawlerProcess(settings)
    quiet_libraries()  # Scrapy just set its loggers to DEBUG again
    process.crawl(
        WorkerSpider,
        db=db,
        client=client,
        keys=keys,
        worker_id=f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}",
        sources={s.id: s for s in sources or []},
        until_idle=until_idle,
        max_depth=settings.getint("DVCRAWL_MAX_LISTING_DEPTH"),
        heartbeat=heartbeat,
    )
    process.start()
