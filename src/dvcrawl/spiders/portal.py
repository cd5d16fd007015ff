"""The one generic spider: from a source's start URLs to its article pages.

Listing pages are parsed for links, which ``dvcrawl.linkclass`` sorts into articles,
pagination and further listings; article pages go to ``extract_article``. Incremental by
design (``CrawlState``): known articles are not fetched, watched listings are re-checked with
conditional GET, and paging stops at a page that holds no unknown article.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import scrapy
from scrapy import signals
from scrapy.http import Response, TextResponse
from scrapy.utils.response import get_base_url

from dvcrawl.crawlstate import PAGE, CrawlState
from dvcrawl.extract import extract_article
from dvcrawl.items import ArticleRecord
from dvcrawl.linkclass import LinkKind, classify_link, listing_key
from dvcrawl.sources import Source
from dvcrawl.spiders.frontier_hooks import FrontierHooks
from dvcrawl.spiders.learning import PortalLearning
from dvcrawl.spiders.offload import OffloadMixin
from dvcrawl.urls import accept_canonical_link, canonicalize, fetch_form, host_of, join_link
from dvcrawl.workpool import PageAnalysis, PagePool

# Links to files, not pages: never fetched as listings or articles.
_FILE_LINK = re.compile(
    r"\.(?:jpe?g|png|gif|webp|svg|bmp|ico|pdf|docx?|xlsx?|pptx?|odt|zip|rar|7z|mp[34]|avi|mov"
    r"|wmv|flv|css|js|xml|rss|exe|apk)(?:[?#]|$)",
    re.IGNORECASE,
)
_LINK_SCHEMES = ("http://", "https://", "/", "./", "../")

# A listing that links to fewer articles than this is a dead end (an "about" page, a form).
MIN_LISTING_ARTICLES = 3
ARTICLE_PRIORITY = 10  # articles first: the frontier stays small and results arrive early
ROOT_STATUSES = [304, *range(400, 600)]
REDIRECT_STATUSES = [301, 302, 303, 307, 308]
MAX_REDIRECTS = 5  # an article address moved more often than this is a loop
# Links remembered per spider (canonical form, kind): every menu and sidebar link of a portal
# fits; past this the memory starts again (a few MB at most).
LINK_MEMO = 20_000


# What an ArticleRecord takes over from an ExtractedArticle.
_EXTRACTED = (
    "title", "text", "published", "author", "credit", "date_method", "date_doubtful", "lead",
)  # fmt: skip


def _compile(pattern: str | None) -> re.Pattern[str] | None:
    return re.compile(pattern) if pattern else None


def page_links(response: TextResponse) -> Iterator[tuple[str, str]]:
    """(absolute URL, longest anchor text) of each ``<a href>`` that may lead to a page.

    A plain walk over lxml's tree: Scrapy's LinkExtractor does the same with much more
    per-link work, and compares ``allow_domains`` with host:port (the spider checks hosts).
    The longest text wins because a teaser's photo links to the article with no text at all.
    """
    texts: dict[str, str] = {}
    base = get_base_url(response)
    for element in response.selector.root.iter("a"):
        href = (element.get("href") or "").strip()
        if not href or href.startswith("#") or _FILE_LINK.search(href):
            continue
        if ":" in href.split("/", 1)[0] and not href.startswith(_LINK_SCHEMES):
            continue  # javascript:, mailto:, tel:
        url = join_link(base, href)
        text = " ".join(element.text_content().split())
        if len(text) >= len(texts.get(url, "")):
            texts[url] = text
    yield from texts.items()


class PortalSpider(FrontierHooks, PortalLearning, OffloadMixin, scrapy.Spider):
    name = "portal"

    def __init__(
        self,
        source: Source,
        state: CrawlState,
        max_depth: int = 3,
        max_pages: int | None = None,
        **kwargs,
    ) -> None:
        super().__init__(name=f"portal:{source.id}", **kwargs)
        self.source = source
        self.state = state
        self.max_depth = source.max_depth if source.max_depth is not None else max_depth
        # Pages asked for per run, at most (CLOSESPIDER_PAGECOUNT alone lets requests already
        # queued go out, so the cap is kept here, before a request is made).
        self.max_pages = source.max_pages or max_pages
        self.allowed_domains = list(source.domains)
        self.start_urls = list(source.start_urls)
        self.requested: set[str] = set()  # canonical URLs asked for in this run
        self.listing_keys: set[str] = set()  # listings asked for, presentation parameters off
        self.init_learning(source.profile)
        self.pool: PagePool | None = None  # worker processes for article pages (from_crawler)
        self.extract_options = {
            "content_selector": source.content_selector,
            "exclude_selectors": source.exclude_selectors,
            "profile": source.profile,
        }
        self.patterns = {
            "article_pattern": _compile(source.article_url_pattern),
            "listing_pattern": _compile(source.listing_url_pattern),
            "deny_pattern": _compile(source.deny_url_pattern),
        }
        self._site_urls: dict[str, str | None] = {}  # site_url's answers
        self._kinds: dict[tuple[str, str], LinkKind] = {}  # classify's, under _kinds_profile
        self._kinds_profile = self.profile

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.release_waiting, signal=signals.spider_idle)
        spider.can_wait = True
        spider.open_pool(crawler)
        return spider

    async def start(self):
        for request in self.initial_requests():
            # What StartSpiderMiddleware did (settings.py): the scheduler keeps start requests
            # in their own first-in first-out queue. Set here, no middleware layer wraps every
            # callback's output to find them.
            request.meta.setdefault("is_start_request", True)
            yield request

    def initial_requests(self) -> list[scrapy.Request]:
        """Pages earlier runs still owe, start URLs and watched listings (synchronous: the
        distributed worker calls it too)."""
        return self.owed_requests() + [
            self.listing_request(url, depth=0, root=True)
            for url in dict.fromkeys([*self.start_urls, *self.state.watched_listings()])
            if self.first_listing(canonicalize(url) or url)
        ]

    def on_site(self, url: str) -> bool:
        """Is ``url`` on one of this source's hosts (or a subdomain of one)?"""
        host = host_of(url)
        return any(host == d or host.endswith("." + d) for d in self.allowed_domains)

    # -- links, remembered per URL: menus and sidebars repeat them on every listing page ------
    def site_url(self, link: str) -> str | None:
        """The canonical form of an absolute ``link`` when it is on this source's site."""
        try:
            return self._site_urls[link]
        except KeyError:
            pass
        url = canonicalize(link)
        if url is not None and not self.on_site(url):
            url = None
        if len(self._site_urls) >= LINK_MEMO:
            self._site_urls.clear()
        self._site_urls[link] = url
        return url

    def link_kinds(self) -> dict[tuple[str, str], LinkKind]:
        """Kinds of (URL, anchor text) found so far under the source's current CMS family."""
        if self._kinds_profile is not self.profile:  # the family was learned: other rules
            self._kinds.clear()
            self._kinds_profile = self.profile
        return self._kinds

    def classify(self, kinds: dict, url: str, text: str) -> LinkKind:
        """``classify_link`` with the source's patterns and family, remembered in ``kinds``."""
        if len(kinds) >= LINK_MEMO:
            kinds.clear()
        kind = kinds[url, text] = classify_link(url, text, profile=self.profile, **self.patterns)
        return kind

    def first_listing(self, url: str) -> bool:
        """A listing not yet asked for in this run, also not sorted or drawn another way.

        ``?cat=1`` and ``?cat=2`` are two listings; ``?cat=1&sort=new`` is ``?cat=1`` again
        (``linkclass.listing_key``).
        """
        key = listing_key(url)
        if key in self.listing_keys or not self.first_request(url):
            return False
        self.listing_keys.add(key)
        return True

    def first_request(self, canonical: str) -> bool:
        """True the first time a canonical URL is asked for in this run (one fetch per page)."""
        if canonical in self.requested:
            return False
        if self.max_pages is not None and len(self.requested) >= self.max_pages:
            self.crawler.stats.inc_value("dvcrawl/page_cap_reached")
            return False
        self.requested.add(canonical)
        return True

    # -- requests ---------------------------------------------------------------------------
    def listing_request(
        self, url: str, depth: int, root: bool = False, page: bool = False
    ) -> scrapy.Request:
        meta = {"dv_depth": depth, "dv_root": root, "dv_page": page}
        if root:
            # 304 and a start URL that now fails are ours to see; redirects are still followed.
            meta["handle_httpstatus_list"] = ROOT_STATUSES
        return scrapy.Request(
            url,
            callback=self.parse_listing,
            errback=None if root else self.request_failed,  # a start URL's failure is the run's
            headers=self.state.validators(url) if root else None,
            meta=meta,
            priority=-depth,
        )

    def article_request(
        self, url: str, canonical: str, depth: int, aliases: tuple[str, ...] = ()
    ) -> scrapy.Request:
        # Redirects are followed by the spider (parse_article), so that an old address whose
        # target was already fetched is still remembered, mapped, and never fetched again.
        return scrapy.Request(
            url,
            callback=self.parse_article_pooled if self.pool is not None else self.parse_article,
            errback=self.request_failed,
            meta={
                "dv_depth": depth,
                "dv_linked_as": canonical,
                "dv_aliases": aliases,
                "dont_redirect": True,
                "handle_httpstatus_list": REDIRECT_STATUSES,
            },
            priority=ARTICLE_PRIORITY,
        )

    # -- callbacks --------------------------------------------------------------------------
    def parse_listing(self, response: Response) -> Iterator:
        stats = self.crawler.stats
        meta = response.meta
        if meta.get("dv_root"):
            statuses = stats.get_value("dvcrawl/start_url_status") or {}
            statuses[response.url] = response.status
            stats.set_value("dvcrawl/start_url_status", statuses)
        if response.status == 304:
            stats.inc_value("dvcrawl/listing_not_modified")
        elif response.status >= 400 or not isinstance(response, TextResponse):
            stats.inc_value(f"dvcrawl/listing_failed/{response.status}")
        else:
            self.learn_family(response)
            yield from self.follow_links(response, meta.get("dv_depth", 0))
        self.settle_page(response)

    def follow_links(self, response: TextResponse, depth: int) -> Iterator[scrapy.Request]:
        """Queue unknown articles, new listings, and the next page if this one held news."""
        articles, pages = 0, []
        unknown = known = 0
        owner = self.owner_of(response)
        kinds = self.link_kinds()
        for href, text in page_links(response):
            url = self.site_url(href)
            if url is None:
                continue
            kind = kinds.get((url, text)) or self.classify(kinds, url, text)
            if kind is LinkKind.ARTICLE:
                articles += 1
                if self.state.is_known_article(url) or self.state.seen_page(url):
                    known += 1
                    continue
                unknown += 1
                if self.owe(owner, fetch_form(href, url), url):
                    yield from self.article_requests(href, url, text, depth + 1)
            elif kind is LinkKind.PAGINATION:
                pages.append((href, url))
            elif (
                kind is LinkKind.LISTING
                and depth < self.max_depth
                and not self.state.seen_page(url)
                and self.first_listing(url)
            ):
                self.owe_listing(owner, url)
                yield self.listing_request(fetch_form(href, url), depth + 1)
        if unknown or not self.may_stop_paging(owner):
            for linked, url in pages:
                # A page variant (?page=2&sort=new) is not asked for, so it is owed by no one.
                if self.first_listing(url) and self.owe_page(owner, fetch_form(linked, url), url):
                    yield self.page_request(fetch_form(linked, url), depth, owner)
        elif pages:
            self.crawler.stats.inc_value("dvcrawl/paging_stopped_known")
        if known:
            self.crawler.stats.inc_value("dvcrawl/article_known_skipped", known)
        self.logger.debug(
            "listing %s: %d article links (%d unknown), %d pagination links",
            response.url,
            articles,
            unknown,
            len(pages),
        )
        self.remember_listing(response, articles)

    def remember_listing(self, response: TextResponse, articles: int) -> None:
        """Watch a listing (with its validators) from now on; remember dead ends as such.

        Listings are kept under the URL as fetched, not the canonical one: the slash that
        canonical URLs drop may be the only spelling the server answers.
        """
        meta = response.meta
        self.state.frontier.save_owed()  # before its validators: a kill then loses no link
        if meta.get("dv_root") or (articles >= MIN_LISTING_ARTICLES and not meta.get("dv_page")):
            etag = response.headers.get("ETag")
            modified = response.headers.get("Last-Modified")
            self.remember_watched(
                response.url,
                etag.decode("latin-1") if etag else None,
                modified.decode("latin-1") if modified else None,
            )
        elif articles < MIN_LISTING_ARTICLES:
            self.state.remember_page(canonicalize(response.url) or response.url, PAGE)

    def follow_redirect(self, response: Response) -> Iterator[scrapy.Request]:
        """An article address that moved: remember it, and fetch the target unless known."""
        location = response.headers.get("Location")
        origin = response.meta["dv_linked_as"]
        aliases = (*response.meta.get("dv_aliases", ()), origin)
        target_url = response.urljoin(location.decode("latin-1")) if location else None
        target = canonicalize(target_url) if target_url else None
        if target is None or not self.on_site(target) or len(aliases) > MAX_REDIRECTS:
            self.crawler.stats.inc_value("dvcrawl/redirect_dropped")
            return
        self.state.remember_redirect(origin, target)
        yield from self.learn_redirect(origin, target)
        if target == origin:  # /a -> /a/: the same page under its other spelling
            request = self.article_request(target_url, target, response.meta["dv_depth"], aliases)
            yield request.replace(dont_filter=True)
        elif not self.state.is_known_article(target):
            yield from self.redirect_target(target_url, target, response.meta["dv_depth"], aliases)

    def parse_article(self, response: Response) -> Iterator:
        if response.status in REDIRECT_STATUSES:
            followed = list(self.follow_redirect(response))
            if not followed:  # dropped, or its target is known: nothing more owed for it
                self.settle_page(response)
            yield from followed
            return
        if not isinstance(response, TextResponse):
            yield self.record_for(response, None, reject="binary")
            return
        art = extract_article(response.body, response.url, **self.extract_options_for(response))
        yield from self.handle_article(response, PageAnalysis(art))

    def extract_options_for(self, response: Response) -> dict:
        """The source's extraction options plus how this response says it is encoded."""
        return {**self.extract_options, "content_type": response.headers.get("Content-Type")}

    def handle_article(self, response: TextResponse, analysis: PageAnalysis) -> Iterator:
        """The record of an analysed page, and what the page teaches about the portal."""
        art = analysis.article
        self.learn_family_from(art.family)
        if not art.is_article:
            record = self.record_for(response, art, reject=art.reject_reason or "not-article")
            yield record
            if art.reject_reason == "listing":
                yield from self.follow_links(response, response.meta.get("dv_depth", 1))
            else:
                self.state.remember_page(canonicalize(response.url) or response.url, PAGE)
        else:
            self.crawler.stats.inc_value("dvcrawl/articles_seen")
            record = self.record_for(response, art)
            if analysis.relevance is not None:
                record.relevant = analysis.relevance.relevant
                record.relevance_score = analysis.relevance.score
                record.relevance_terms = list(analysis.relevance.terms)
                record.scored = True
            record.fingerprint = analysis.fingerprint
            yield record
        yield from self.learn_identity(response, record)

    def record_for(self, response: Response, art, reject: str | None = None) -> ArticleRecord:
        """The record of an article page: canonical URL plus every URL that led to it."""
        page_url = canonicalize(response.url) or response.url
        canonical = page_url
        if art is not None and art.canonical_url:
            canonical = accept_canonical_link(page_url, art.canonical_url) or page_url
        seen = [
            response.meta.get("dv_linked_as"),
            *response.meta.get("dv_aliases", ()),
            *response.meta.get("redirect_urls", ()),
        ]
        linked = [a for a in (canonicalize(u) for u in seen if u) if a]
        aliases = [a for a in [*linked, *self.take_aliases(linked)] if a != canonical]
        if page_url != canonical:
            aliases.append(page_url)
            self.requested.add(canonical)  # a later link to the canonical URL is this page
        extracted = {name: getattr(art, name) for name in _EXTRACTED} if art is not None else {}
        return ArticleRecord(
            url=canonical,
            source_id=self.source.id,
            title=extracted.pop("title", ""),
            text=extracted.pop("text", ""),
            aliases=aliases,
            reject_reason=reject,
            **extracted,
        )
