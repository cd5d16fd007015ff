"""When is a popped request *done*? Reference counts per ticket, and the middleware that keeps them.

A page is handled completely only when its followers are in the shared queue and its article
is stored; Scrapy does both after the callback returns (in parallel tasks), and sends no signal
at the end. So each ticket counts what is still out: the response itself, each request it
yielded (released by the scheduler once pushed), each item (released by item signals).
At zero the processing entry is acknowledged and the run's pending count drops.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable

from scrapy import Request, signals

from dvcrawl.distributed.queue import TICKET
from dvcrawl.distributed.runs import RunBook

log = logging.getLogger(__name__)
PARENT = "dv_parent"  # request meta: ticket of the page that yielded this request
SPIDER_INPUT = "dv_spider_input"  # request meta: the response reached the spider middlewares
JOB = "dv_job"  # request meta: the run id the request belongs to
SOURCE = "dv_source"  # request meta: the source id


class Tracker:
    def __init__(self, ack: Callable[[str], None], runs: RunBook) -> None:
        self._ack = ack
        self.runs = runs
        self._refs: dict[str, list] = {}  # ticket -> [count, run id]
        self.closed = False  # after a clean exit re-queued our entries, count nothing more

    def popped(self, request: Request) -> None:
        self._refs[request.meta[TICKET]] = [1, request.meta.get(JOB)]

    def hold(self, ticket: str | None) -> None:
        if ticket in self._refs:
            self._refs[ticket][0] += 1

    def release(self, ticket: str | None) -> None:
        entry = self._refs.get(ticket) if ticket else None
        if entry is None or self.closed:
            return
        entry[0] -= 1
        if entry[0] <= 0:
            del self._refs[ticket]
            self._ack(ticket)
            self.runs.done_pending(entry[1])

    def in_flight(self) -> int:
        return len(self._refs)


class AckMiddleware:
    """Spider middleware (outermost): counts pages, holds a ticket for what a page yields."""

    def __init__(self, crawler) -> None:
        self.crawler = crawler
        crawler.signals.connect(self.item_stored, signal=signals.item_scraped)
        crawler.signals.connect(self.item_done, signal=signals.item_dropped)
        crawler.signals.connect(self.item_done, signal=signals.item_error)

    @classmethod
    def from_crawler(cls, crawler) -> AckMiddleware:
        return cls(crawler)

    @property
    def tracker(self) -> Tracker:
        return self.crawler.spider.tracker

    def process_spider_input(self, response) -> None:
        response.meta[SPIDER_INPUT] = True
        runs, job = self.tracker.runs, response.meta.get(JOB)
        runs.count(job, "pages_fetched")
        if response.status >= 400:
            runs.count(job, "errors")

    async def process_spider_output(self, response, result) -> AsyncIterator:
        ticket = response.meta.get(TICKET)
        try:
            async for out in result:
                if isinstance(out, Request):
                    out.meta[PARENT] = ticket
                self.tracker.hold(ticket)
                yield out
        finally:
            self.tracker.release(ticket)

    def item_stored(self, item, response, **kwargs) -> None:
        """An article went through every pipeline: it is new in the database."""
        job = _meta(response).get(JOB)
        self.tracker.runs.count(job, "articles_new")
        if getattr(item, "relevant", False):
            self.tracker.runs.count(job, "relevant_new")
        self.item_done(item, response)

    def item_done(self, item, response, **kwargs) -> None:
        self.tracker.release(_meta(response).get(TICKET))


def _meta(response) -> dict:
    """The request meta of an item's response (None for items that came from no page)."""
    try:
        return response.meta if response is not None else {}
    except AttributeError:  # a Failure, or a response detached from its request
        return {}
