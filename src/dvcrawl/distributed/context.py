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
from sqlalchemy import select

from dvcrawl.crawlstate import CrawlState
from dvcrawl.distributed.enqueue import parse_job
from dvcrawl.distributed.keys import Keys
from dvcrawl.sources import Source
from dvcrawl.spiders.portal import PortalSpider
from dvcrawl.storage.db import Database
from dvcrawl.storage.models import Article, CrawlRun, UrlAlias

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

    def for_job(
        self, source: Source, run_id: int, crawler, *, mid_run: bool = False
    ) -> SourceContext:
        """The context of a newly taken job, or of a run met mid-way (always a fresh one)."""
        state = CrawlState(self.db, source.id)
        if mid_run:
            state.known_articles -= self._stored_since_run_start(source.id, run_id)
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
        return self.for_job(source, run_id or 0, crawler, mid_run=True)

    def _stored_since_run_start(self, source_id: str, run_id: int) -> set[str]:
        """URLs stored by the other workers during this run.

        The spider stops paging through a listing at a page with no unknown article. A worker
        that joins a run late must not count this run's articles as known, or it would stop
        where a single crawler (which counts only earlier runs' and its own) goes on.
        """
        with self.db.session() as session:
            started = session.scalar(select(CrawlRun.started_at).where(CrawlRun.id == run_id))
            if started is None:
                return set()
            fresh = select(Article.id).where(
                Article.source_id == source_id, Article.fetched_at >= started
            )
            urls = set(session.scalars(select(Article.url).where(Article.id.in_(fresh))))
            urls.update(session.scalars(select(UrlAlias.url).where(UrlAlias.article_id.in_(fresh))))
        return urls

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
