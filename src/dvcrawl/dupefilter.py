"""One request per page per run, whatever spelling leads to it.

Scrapy's default filter fingerprints the URL as written, so ``/a?utm_source=zalo``, ``/a/``
and the target of a legacy ``chi-tiet.aspx?id=N`` redirect would each be fetched again. This
filter keys requests on the canonical URL (``dvcrawl.urls.canonicalize``) instead.
"""

from __future__ import annotations

import logging

from scrapy.dupefilters import BaseDupeFilter

from dvcrawl.urls import canonicalize

log = logging.getLogger(__name__)


class CanonicalDupeFilter(BaseDupeFilter):
    def __init__(self, stats=None) -> None:
        self.seen: set[str] = set()
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    @staticmethod
    def key(method: str, url: str) -> str:
        return f"{method} {canonicalize(url) or url}"

    def request_seen(self, request) -> bool:
        key = self.key(request.method, request.url)
        if key in self.seen:
            # A redirect between two spellings of one page (/a -> /a/) is that fetch going on;
            # RedirectMiddleware's REDIRECT_MAX_TIMES bounds a loop.
            chain = request.meta.get("redirect_urls") or ()
            return not any(self.key(request.method, url) == key for url in chain)
        self.seen.add(key)
        return False

    def log(self, request, spider) -> None:
        log.debug("already requested in this run: %s", request.url)
        if self.stats is not None:
            self.stats.inc_value("dupefilter/filtered")
