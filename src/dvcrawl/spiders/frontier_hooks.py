"""The spider's side of the persisted frontier, kept apart from link discovery.

``PortalSpider`` calls these hooks where it finds links, makes requests and finishes a
page; Scrapy's signals say when an article is stored or dropped. Nothing here decides what a
link is: that stays in the spider and ``dvcrawl.linkclass``.
"""

from __future__ import annotations

from collections.abc import Iterable

from scrapy import signals
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from dvcrawl.crawlstate import LISTING, CrawlState
from dvcrawl.storage.frontier import ARTICLE, PAGE, Owed, RetryPolicy
from dvcrawl.urls import canonicalize

# HTTP answers worth another try on a later run; any other 4xx means the page is gone.
TRANSIENT_STATUSES = frozenset({408, 425, 429, *range(500, 600)})
COMPLETED_REASONS = ("finished", "closespider_pagecount")


def page_keys(request: Request) -> set[str]:
    """Every canonical URL a request stands for: as linked, before redirects, as fetched."""
    meta = request.meta
    seen = [
        request.url,
        meta.get("dv_linked_as"),
        meta.get("dv_key"),
        *meta.get("dv_aliases", ()),
        *meta.get("redirect_urls", ()),
    ]
    return {key for key in (canonicalize(u) for u in seen if u) if key}


def failure_reason(failure: Failure) -> str | None:
    """Why a request failed, or None when the page is gone for good (404, robots.txt)."""
    if failure.check(HttpError):
        status = failure.value.response.status
        return f"HTTP {status}" if status in TRANSIENT_STATUSES else None
    if failure.check(IgnoreRequest):
        return None
    return f"{failure.type.__name__}: {failure.getErrorMessage()}"[:300]


class FrontierHooks:
    """Mixed into ``PortalSpider``: owed pages, held validators, failures and their retries."""

    state: CrawlState
    crawler: object
    logger: object

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.state.frontier.policy = RetryPolicy(
            max_attempts=settings.getint("DVCRAWL_ARTICLE_MAX_ATTEMPTS", 5),
            backoff=settings.getfloat("DVCRAWL_ARTICLE_RETRY_BACKOFF", 1800.0),
        )
        crawler.signals.connect(spider.item_settled, signal=signals.item_scraped)
        crawler.signals.connect(spider.item_settled, signal=signals.item_dropped)
        crawler.signals.connect(spider.item_failed, signal=signals.item_error)
        crawler.signals.connect(spider.callback_failed, signal=signals.spider_error)
        crawler.signals.connect(spider.request_dropped, signal=signals.request_dropped)
        return spider

    # -- requests ---------------------------------------------------------------------------
    def owed_requests(self) -> list[Request]:
        """What earlier runs left owed (killed, failed), asked for first in this run."""
        requests = []
        for page in self.state.frontier.due:
            if page.kind != PAGE:
                # Through the identity learner, as a linked article is: a killed run may have
                # stored this story under another section path before it could ask for this one.
                requests.extend(self.article_requests(page.fetch_url, page.url, "", 1))
            elif self.first_request(page.url):
                # Depth unknown here: a resumed page follows articles and pages, no new menus.
                requests.append(self.page_request(page.fetch_url, self.max_depth, page.listing_url))
        return requests

    def owner_of(self, response: Response) -> str:
        """The watched listing whose validators wait on this page's links."""
        if response.meta.get("dv_page") and response.meta.get("dv_listing"):
            return response.meta["dv_listing"]
        return response.url

    def owe(self, owner: str, linked: str, url: str) -> bool:
        """Record an article linked from ``owner``; may it be asked for now?"""
        return self.state.frontier.owe(Owed(url, linked, owner, ARTICLE))

    def owe_page(self, owner: str, linked: str, url: str) -> bool:
        """Record a pagination page of ``owner``: paging resumes there after a kill."""
        return self.state.frontier.owe(Owed(url, linked, owner, PAGE))

    def owe_listing(self, owner: str, url: str) -> None:
        """A listing found on ``owner``: ``owner`` stays unvalidated until it is read."""
        self.state.frontier.ledger.depend(owner, url)

    def page_request(self, url: str, depth: int, owner: str | None) -> Request:
        """A pagination page of ``owner``: its links count towards ``owner``'s validators."""
        request = self.listing_request(url, depth, page=True)
        request.meta["dv_listing"] = owner
        return request.replace(errback=self.request_failed)

    # -- validators -------------------------------------------------------------------------
    def remember_watched(self, url: str, etag: str | None, modified: str | None) -> None:
        """Watch a listing; its validators are saved, and it counts as walked, only once its
        pages have settled. Until then the next run reads it in full and pages to its end."""
        if not self.state.frontier.ledger.hold(url, (etag, modified)):
            self.state.remember_page(url, LISTING, walked=False)
            self.crawler.stats.inc_value("dvcrawl/listing_validators_held")
            return
        self.state.remember_page(url, LISTING, etag, modified)

    def may_stop_paging(self, owner: str) -> bool:
        """Stop at a page of known articles only on a listing once walked to its end: a walk
        cut short (killed, a page failed) left older articles unread further down."""
        return self.state.walked(owner)

    def _save_validators(self, ready: Iterable[tuple[str, tuple]]) -> None:
        for url, (etag, modified) in ready:
            self.state.remember_page(url, LISTING, etag, modified)

    # -- outcomes ---------------------------------------------------------------------------
    def settle_page(self, response: Response) -> None:
        """This page is done (read, stored, known, or gone)."""
        self.settle_keys(page_keys(response.request))

    def settle_keys(self, keys: set[str]) -> None:
        """These canonical URLs owe nothing more (a page read, or an article known by its id)."""
        self._save_validators(self.state.frontier.settle(keys))

    def item_settled(self, item, response: Response | None = None, spider=None, **_) -> None:
        if spider is self and response is not None:
            self.settle_page(response)

    def item_failed(self, item, response=None, spider=None, failure=None, **_) -> None:
        if spider is self and response is not None:
            self._failed(response.request, f"not stored: {failure.getErrorMessage()}")

    def callback_failed(self, failure, response=None, spider=None, **_) -> None:
        if spider is self and response is not None:
            self._failed(response.request, f"{failure.type.__name__}: {failure.getErrorMessage()}")

    def request_dropped(self, request: Request, spider=None) -> None:
        """The request filter dropped it: the same page under another address (a start URL
        that redirects to a watched listing) is read by the request it duplicates."""
        if spider is self:
            self.settle_keys(page_keys(request))

    def request_failed(self, failure: Failure) -> None:
        """Errback of owed pages: a transient failure stays owed, a gone page is settled."""
        request = failure.request
        reason = failure_reason(failure)
        if reason is None:
            self.crawler.stats.inc_value("dvcrawl/owed_gone")
            self.settle_keys(page_keys(request))
            return
        self.logger.warning("%s failed (%s); kept for a later run", request.url, reason)
        self._failed(request, reason)

    def _failed(self, request: Request, reason: str) -> None:
        self.crawler.stats.inc_value("dvcrawl/owed_failed")
        self.state.frontier.fail(page_keys(request), reason)

    def closed(self, reason: str) -> None:
        """Count this run's failures, save validators that are now due, report what is owed."""
        statuses = self.crawler.stats.get_value("dvcrawl/start_url_status") or {}
        ready, final = self.state.frontier.close(
            completed=reason in COMPLETED_REASONS,
            portal_up=any(status < 400 for status in statuses.values()),
        )
        self._save_validators(ready)
        unsettled = self.state.frontier.ledger.open_keys()
        if unsettled:
            self.logger.info(
                "%s: %d page(s) not settled in this run (their listings are read in full next "
                "time), e.g. %s",
                self.state.source_id,
                len(unsettled),
                sorted(unsettled)[:3],
            )
        if final:
            self.logger.warning(
                "%s: %d page(s) given up after %d attempts, e.g. %s",
                self.state.source_id,
                len(final),
                self.state.frontier.policy.max_attempts,
                final[0],
            )
