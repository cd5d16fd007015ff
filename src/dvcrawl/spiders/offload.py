"""Article pages analysed in worker processes (``dvcrawl.workpool``), awaited from the spider.

A ``concurrent.futures.Future`` completes on the pool's management thread; its result is
handed to the reactor thread (``callFromThread``) as a Deferred, which Scrapy's coroutine
callbacks await on the asyncio reactor and on the default one alike.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from concurrent.futures import CancelledError, Future
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from scrapy import signals
from scrapy.http import Response, TextResponse
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.defer import Deferred

from dvcrawl.extract import extract_article
from dvcrawl.workpool import PageAnalysis, PagePool, default_workers


def _fire(deferred: Deferred, future: Future) -> None:
    if future.cancelled():
        deferred.errback(CancelledError("the page's analysis was cancelled (pool shut down)"))
    elif future.exception() is not None:
        deferred.errback(future.exception())
    else:
        deferred.callback(future.result())


async def await_future(future: Future) -> Any:
    """The future's result, without blocking the reactor."""
    from twisted.internet import reactor

    deferred: Deferred = Deferred()
    future.add_done_callback(lambda done: reactor.callFromThread(_fire, deferred, done))
    return await maybe_deferred_to_future(deferred)


class OffloadMixin:
    """``PortalSpider``'s article pages analysed in worker processes (``dvcrawl.workpool``)."""

    pool: PagePool | None = None

    def open_pool(self, crawler) -> None:
        """Worker processes for article pages, as many as ``DVCRAWL_EXTRACT_WORKERS`` says."""
        workers = crawler.settings.getint("DVCRAWL_EXTRACT_WORKERS", -1)
        workers = default_workers() if workers < 0 else workers
        if workers:
            self.pool = PagePool(workers)
            crawler.signals.connect(self.close_pool, signal=signals.spider_closed)

    def close_pool(self) -> None:
        """The last spider of the process to close shuts the worker processes down."""
        if self.pool is not None:
            self.pool.close()
            self.pool = None

    async def analysed(self, response: TextResponse) -> PageAnalysis:
        """The page analysed in a worker; in this process if the pool broke (a worker killed)."""
        options = self.extract_options_for(response)
        if self.pool is not None:
            try:
                future = self.pool.submit(response.body, response.url, options)
                return await await_future(future)
            except BrokenProcessPool:
                self.logger.warning("extraction pool broke; analysing pages in this process")
                self.crawler.stats.inc_value("dvcrawl/extract_pool_broken")
                self.close_pool()
        art = extract_article(response.body, response.url, **options)
        return PageAnalysis(art)

    async def parse_article_pooled(self, response: Response) -> AsyncIterator:
        """``parse_article`` with the page analysed in a worker process (dvcrawl.workpool)."""
        if response.status >= 300 or not isinstance(response, TextResponse):  # redirects
            for output in self.parse_article(response):
                yield output
            return
        analysis = await self.analysed(response)
        for output in self.handle_article(response, analysis):
            yield output
