"""Per-source crawl logic inside the one worker spider: a PortalSpider per source, reused.

The worker serves every source with one Scrapy spider, so the source-specific logic (link
classes, known articles, watched listings) lives in a ``PortalSpider`` per source that is
never run by a crawler of its own: the worker calls its callbacks and re-binds the requests
they yield to itself (scrapy-redis serialises a callback by the *worker's* method name).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import redis

from dvcrawl.crawlstate import CrawlState
from dvcrawl.distributed.enqueue import parse_job
from dvcrawl.distributed.keys import Keys
from dvcrawl.sources import Source
from dvcrawl.spiders.portal import PortalSpider
from dvcrawl.storage.db import Database

log = logging.getLogger(__name__)


@dataclass
class SourceContext:
    run_id: int
    portal: PortalSpider


class Contexts:
    """One PortalSpider per source, rebuilt (fresh CrawlState from the database) per run.

    A newer run replaces an older one: its CrawlState sees every article stored since, by
    any worker. Requests of an older run still in the queue are served by the newer context.
    """

    def __init__(
        self, db: Database, client: redis.Redis, keys: Keys, sources: dict[str, Source], **kw
    ) -> None:
        self.db, self.client, self.keys, self.sources = db, client, keys, sources
        self.portal_kwargs = kw
        self.by_source: dict[str, SourceContext] = {}

    def for_job(self, source: Source, run_id: int, crawler) -> SourceContext:
        """The context of a newly taken job (always a fresh one)."""
        state = CrawlState(self.db, source.id)
        portal = PortalSpider(source, state, **self.portal_kwargs)
        portal.crawler = crawler  # stats only: the portal spider is never opened by Scrapy
        ctx = SourceContext(run_id, portal)
        self.by_source[source.id] = ctx
        return ctx

    def for_request(self, source_id: str | None, run_id: int | None, crawler):
        """The context serving a request popped from the queue (None when unknown)."""
        ctx = self.by_source.get(source_id or "")
        if ctx is not None and (run_id is None or ctx.run_id >= run_id):
            return ctx
        source = self._lookup(source_id, run_id)
        if source is None:
            log.error("request of unknown source %r (run %r) dropped", source_id, run_id)
            return None
        return self.for_job(source, run_id or 0, crawler)

    def _lookup(self, source_id: str | None, run_id: int | None) -> Source | None:
        """The source of a run: from its job in Redis, else from the worker's sources file."""
        if run_id is not None:
            data = self.client.get(self.keys.job(run_id))
            if data:
                try:
                    return parse_job(data)[1]
                except ValueError as exc:
                    log.error("%s", exc)
        return self.sources.get(source_id or "")
