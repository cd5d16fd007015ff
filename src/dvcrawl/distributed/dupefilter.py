"""A Redis duplicate filter whose memory fades: the shared seen-requests set stays bounded.

scrapy-redis keeps one ever-growing set per spider; a worker that runs for months would fill
Redis with every URL it ever met. Here fingerprints go into time buckets (one Redis set per
``ttl`` seconds) that expire on their own: a request is remembered for at least ``ttl`` and at
most ``2 * ttl`` seconds. The fingerprint includes the crawl job (``dv_job`` in meta), so each
scheduled crawl of a source starts afresh (its listings are due again) while the workers
sharing one crawl never fetch a URL twice.
"""

from __future__ import annotations

import hashlib
import time

from scrapy_redis.dupefilter import RFPDupeFilter

from dvcrawl.urls import canonicalize

SEEN_TTL_SETTING = "DVCRAWL_SEEN_TTL"
# A day: far longer than one crawl of a portal (minutes), far shorter than "forever".
DEFAULT_SEEN_TTL = 24 * 3600

# Atomic check-and-add over the live buckets: seen in either -> 1, else add to the newest.
# KEYS: current bucket, previous bucket; ARGV: fingerprint, expiry of the current bucket (s).
_SEEN_SCRIPT = """
if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 1 then return 1 end
local added = redis.call('SADD', KEYS[1], ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[2])
if added == 1 then return 0 end
return 1
"""


class ExpiringDupeFilter(RFPDupeFilter):
    """scrapy-redis's RFPDupeFilter with time-bucketed keys that Redis expires."""

    def __init__(self, server, key: str, debug: bool = False, ttl: float = DEFAULT_SEEN_TTL):
        super().__init__(server, key, debug)
        if ttl <= 0:
            raise ValueError(f"{SEEN_TTL_SETTING} must be positive, got {ttl}")
        self.ttl = ttl
        self._script = server.register_script(_SEEN_SCRIPT)

    @classmethod
    def from_spider(cls, spider):
        base = super().from_spider(spider)
        ttl = spider.settings.getfloat(SEEN_TTL_SETTING, DEFAULT_SEEN_TTL)
        return cls(base.server, base.key, base.debug, ttl=ttl)

    def bucket_keys(self, now: float | None = None) -> tuple[str, str]:
        bucket = int((time.time() if now is None else now) // self.ttl)
        return f"{self.key}:{bucket}", f"{self.key}:{bucket - 1}"

    def request_fingerprint(self, request) -> str:
        """Job + canonical URL: ``/a`` and ``/a/`` linked from two listings are one page.

        That is the PortalSpider's own rule (``first_request``), shared by every worker. A
        redirect to another spelling of the same page (``/a`` -> ``/a/``) would filter itself,
        so it gets a namespace of its own; a redirect elsewhere (``/`` -> ``/Pages/default.aspx``)
        is filtered like a link to its target.
        """
        job = request.meta.get("dv_job", "")
        url = canonicalize(request.url) or request.url
        before = request.meta.get("redirect_urls") or []
        if before and (canonicalize(before[-1]) or before[-1]) == url:
            url = f"respelled {request.url}"  # /a/ -> /a: not a repeat of itself
        key = f"{job}|{request.method}|{url}|{(request.body or b'').hex()}"
        return hashlib.sha1(key.encode()).hexdigest()

    def request_seen(self, request) -> bool:
        current, previous = self.bucket_keys()
        # The current bucket must outlive the next one entirely: it is "previous" there.
        expire = int(2 * self.ttl) + 1
        fp = self.request_fingerprint(request)
        return bool(self._script(keys=[current, previous], args=[fp, expire]))

    def clear(self) -> None:
        names = list(self.server.scan_iter(match=f"{self.key}:*", count=500))
        if names:
            self.server.delete(*names)

    def close(self, reason: str = "") -> None:
        """Keep the shared set: other workers still crawl (scrapy-redis would delete it)."""
