"""The worker spider: scrapy-redis's RedisSpider, bridged to Scrapy's current spider API.

Adapter notes (scrapy-redis 0.9.1 was written for Scrapy < 2.13):
- Scrapy >= 2.13 starts a spider through ``async def start()``; RedisMixin only provides the
  old ``start_requests()``, which Scrapy 2.19 no longer calls. ``start()`` here yields nothing:
  jobs are taken when the spider is idle, through RedisMixin's ``spider_idle`` hook.
- Jobs are our JSON (run id + source), turned into the source's start requests by
  :meth:`WorkerSpider.start_job` instead of RedisMixin's ``make_request_from_data``.
- An idle engine re-polls its scheduler only every 5 s; a 1 s tick wakes it when the shared
  queue has work (through ``engine._slot.nextcall``, checked by tests/test_distributed_compat).
"""

from __future__ import annotations

import logging
import time

from scrapy import Request, signals
from scrapy.exceptions import DontCloseSpider, IgnoreRequest
from scrapy_redis.spiders import RedisSpider
from twisted.internet import task

from dvcrawl.distributed import liveness
from dvcrawl.distributed.context import Contexts, SourceContext
from dvcrawl.distributed.enqueue import parse_job
from dvcrawl.distributed.queue import TICKET
from dvcrawl.distributed.runs import RunBook
from dvcrawl.distributed.tracker import JOB, SOURCE, SPIDER_INPUT, Tracker

log = logging.getLogger(__name__)
TICK_SECONDS = 1.0


class WorkerSpider(RedisSpider):
    name = "dvcrawl-worker"

    def __init__(self, db, client, keys, worker_id, sources=None, until_idle=None, **kwargs):
        max_depth = kwargs.pop("max_depth", 3)
        self.heartbeat = float(kwargs.pop("heartbeat", liveness.DEFAULT_HEARTBEAT))
        super().__init__(**kwargs)
        self.db, self.client, self.keys, self.worker_id = db, client, keys, worker_id
        self.redis_key = keys.jobs
        self.until_idle = until_idle
        self.idle_since: float | None = None
        self.contexts = Contexts(db, client, keys, sources or {}, max_depth=max_depth)
        self.tracker = Tracker(self._ack, RunBook(client, keys, db))
        self._ticker: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.opened, signal=signals.spider_opened)
        crawler.signals.connect(spider.closed_cleanly, signal=signals.spider_closed)
        return spider

    async def start(self):
        """Nothing up front: jobs arrive through Redis (see the module notes)."""
        return
        yield  # an async generator, as Scrapy requires

    # -- life cycle -------------------------------------------------------------------------
    def opened(self, spider) -> None:
        liveness.beat(self.client, self.keys, self.worker_id)
        liveness.rescue_dead(self.client, self.keys, self.heartbeat * liveness.DEAD_AFTER)
        self._ticker = task.LoopingCall(self.tick)
        self._ticker.start(TICK_SECONDS, now=False)
        log.info("worker %s ready (jobs at %s)", self.worker_id, self.keys.jobs)

    def tick(self) -> None:
        """Heartbeat, rescue of dead peers' requests, and a nudge when the queue has work."""
        liveness.beat(self.client, self.keys, self.worker_id)
        liveness.rescue_dead(self.client, self.keys, self.heartbeat * liveness.DEAD_AFTER)
        if not liveness.queue_empty(self.client, self.keys):
            slot = getattr(self.crawler.engine, "_slot", None)
            if slot is not None:
                slot.nextcall.schedule()

    def closed_cleanly(self, spider, reason) -> None:
        if self._ticker is not None and self._ticker.running:
            self._ticker.stop()
        self.tracker.closed = True
        handed_back = liveness.leave(self.client, self.keys, self.worker_id)
        log.info(
            "worker %s stopped (%s): %d pages fetched, %d requests handed back",
            self.worker_id,
            reason,
            self.crawler.stats.get_value("response_received_count", 0),
            handed_back,
        )

    def _ack(self, ticket: str) -> None:
        self.client.hdel(self.keys.processing(self.worker_id), ticket)

    # -- jobs -------------------------------------------------------------------------------
    def schedule_next_requests(self) -> None:
        for data in self.fetch_data(self.redis_key, self.redis_batch_size):
            self.start_job(data)

    def start_job(self, data: bytes) -> None:
        """Queue a job's start requests; the job counts as pending until they are queued."""
        try:
            run_id, source = parse_job(data)
        except ValueError as exc:
            log.error("%s", exc)
            return
        ctx = self.contexts.for_job(source, run_id, self.crawler)
        runs = self.tracker.runs
        runs.started(run_id)
        runs.add_pending(run_id)
        try:
            for request in ctx.portal.initial_requests():
                self.crawler.engine.crawl(self.adopt(request, ctx))
        finally:
            runs.done_pending(run_id)
        log.info("%s: run %d started by %s", source.id, run_id, self.worker_id)

    def spider_idle(self) -> None:
        """Take new jobs; with ``until_idle``, stop once the whole cluster has been idle that long."""
        self.schedule_next_requests()
        if self.until_idle is None:
            raise DontCloseSpider
        if liveness.queue_empty(self.client, self.keys) and not liveness.busy_elsewhere(
            self.client, self.keys
        ):
            self.idle_since = self.idle_since or time.monotonic()
            if time.monotonic() - self.idle_since >= self.until_idle:
                return
        else:
            self.idle_since = None
        raise DontCloseSpider

    # -- callbacks: delegate to the source's PortalSpider -----------------------------------
    def adopt(self, request: Request, ctx: SourceContext) -> Request:
        """Make a PortalSpider request ours: our callback of the same name, source and run."""
        request.callback = getattr(self, request.callback.__name__)
        request.errback = self.on_error
        request.meta[SOURCE] = ctx.portal.source.id
        request.meta[JOB] = ctx.run_id
        return request

    def _delegate(self, name: str, response):
        meta = response.meta
        ctx = self.contexts.for_request(meta.get(SOURCE), meta.get(JOB), self.crawler)
        if ctx is None:
            return
        for out in getattr(ctx.portal, name)(response):
            yield self.adopt(out, ctx) if isinstance(out, Request) else out

    def parse_listing(self, response):
        return self._delegate("parse_listing", response)

    def parse_article(self, response):
        return self._delegate("parse_article", response)

    def on_error(self, failure) -> None:
        """A page that finally failed: count it; its ticket is done unless the middleware has it."""
        request = failure.request
        if not failure.check(IgnoreRequest):  # robots.txt and off-site refusals are no errors
            log.warning("%s failed: %s", request.url, failure.getErrorMessage())
        if not request.meta.get(SPIDER_INPUT):
            if not failure.check(IgnoreRequest):
                self.tracker.runs.count(request.meta.get(JOB), "errors")
            self.tracker.release(request.meta.get(TICKET))
