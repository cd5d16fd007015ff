"""scrapy-redis's Scheduler, adapted: reliable pops, per-run accounting, a shared dupefilter.

Differences from ``scrapy_redis.scheduler.Scheduler`` (kept small on purpose):
- the queue is :class:`ReliablePriorityQueue` with this worker's processing hash;
- a request counts as pending for its run *before* it is pushed (so a fast peer that finishes
  it cannot see the run at zero too early);
- no ``spider=`` argument to the stats collector and no ``Spider.log()`` (both deprecated
  since Scrapy 2.13), hence ``open`` and ``next_request`` are re-stated here;
- a request re-scheduled by Scrapy (retry, redirect) or yielded by a page releases the ticket
  of the request it came from, once it is safely in the queue.
"""

from __future__ import annotations

from scrapy.utils.misc import load_object
from scrapy_redis.scheduler import Scheduler

from dvcrawl.distributed.queue import TICKET
from dvcrawl.distributed.tracker import JOB, PARENT


class DistributedScheduler(Scheduler):
    def open(self, spider) -> None:
        # Not super(): scrapy-redis logs through Spider.log(), deprecated in Scrapy 2.13.
        self.spider = spider
        self.queue = load_object(self.queue_cls)(
            server=self.server,
            spider=spider,
            key=self.queue_key % {"spider": spider.name},
            serializer=self.serializer,
        )
        self.queue.processing_key = spider.keys.processing(spider.worker_id)
        if not self.df:
            self.df = load_object(self.dupefilter_cls).from_spider(spider)
        if self.flush_on_start:
            self.flush()
        if len(self.queue):
            spider.logger.info("Resuming crawl (%d requests scheduled)", len(self.queue))
        self.tracker = spider.tracker

    def enqueue_request(self, request) -> bool:
        meta = request.meta
        origins = [meta.pop(TICKET, None), meta.pop(PARENT, None)]
        try:
            if not request.dont_filter and self.df.request_seen(request):
                self.df.log(request, self.spider)
                return False
            self.tracker.runs.add_pending(meta.get(JOB))
            if self.stats:
                self.stats.inc_value("scheduler/enqueued/redis")
            self.queue.push(request)
            return True
        finally:
            for ticket in origins:
                self.tracker.release(ticket)

    def next_request(self):
        # Not super(): scrapy-redis passes ``spider=`` to the stats, deprecated in Scrapy 2.13.
        request = self.queue.pop(self.idle_before_close)
        if request is not None:
            if self.stats:
                self.stats.inc_value("scheduler/dequeued/redis")
            self.tracker.popped(request)
        return request
