"""Progress lines on stderr during long crawls: pages fetched and articles stored so far."""

from __future__ import annotations

import logging

from scrapy import signals
from twisted.internet import task

log = logging.getLogger("dvcrawl.progress")


class ProgressLog:
    """Every ``DVCRAWL_PROGRESS_INTERVAL`` seconds, one line per running source."""

    def __init__(self, stats, interval: float) -> None:
        self.stats = stats
        self.interval = interval
        self.loop: task.LoopingCall | None = None
        self.name = "?"

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler.stats, crawler.settings.getfloat("DVCRAWL_PROGRESS_INTERVAL", 10.0))
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider) -> None:
        self.name = getattr(getattr(spider, "source", None), "id", spider.name)
        if self.interval > 0:
            self.loop = task.LoopingCall(self.report)
            self.loop.start(self.interval, now=False)

    def report(self) -> None:
        get = self.stats.get_value
        log.info(
            "%s: %d pages fetched, %d articles stored, %d errors",
            self.name,
            get("response_received_count", 0),
            get("dvcrawl/articles_new", 0),
            get("log_count/ERROR", 0),
        )

    def spider_closed(self, spider, reason) -> None:
        if self.loop and self.loop.running:
            self.loop.stop()
