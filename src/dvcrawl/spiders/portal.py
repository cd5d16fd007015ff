"""The one generic spider: from a source's start URLs to its article pages.

Listing pages are parsed for links, which ``dvcrawl.linkclass`` sorts into articles,
pagination and further listings; article pages go to ``extract_article``. Incremental by
design (``CrawlState``): known articles are not fetched, watched listings are re-checked with
conditional GET, and paging stops at a page that holds no unknown article.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response, TextResponse

from dvcrawl.articleid import IdentityLearner, Resolution, Verdict
from dvcrawl.crawlstate import LISTING, PAGE, CrawlState
from dvcrawl.extract import extract_article
from dvcrawl.items import ArticleRecord
from dvcrawl.linkclass import LinkKind, classify_link, listing_key
from dvcrawl.profiles import Profile, by_name, detect
from dvcrawl.profiles.urlrules import GENERIC
from dvcrawl.sources import Source
from dvcrawl.urls import accept_canonical_link, canonicalize

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
FAMILY_CHECKS = 10  # listing pages looked at for the CMS family before giving up (generic)


# What an ArticleRecord takes over from an ExtractedArticle.
_EXTRACTED = (
    "title", "text", "published", "author", "credit", "date_method", "date_doubtful",
)  # fmt: skip


def _compile(pattern: str | None) -> re.Pattern[str] | None:
    return re.compile(pattern) if pattern else None


def fetch_form(linked: str, canonical: str) -> str:
    """The URL to request: the canonical one, but with the trailing slash the portal linked.

    Canonical URLs drop a trailing slash (one stored row for ``/a`` and ``/a/``); some servers
    answer only the linked spelling, so that is the one fetched.
    """
    if urlsplit(linked).path.endswith("/"):
        parts = urlsplit(canonical)
        if not parts.path.endswith("/"):
            return urlunsplit(parts._replace(path=parts.path + "/"))
    return canonical


def page_links(response: TextResponse) -> Iterator[tuple[str, str]]:
    """(absolute URL, longest anchor text) of each ``<a href>`` that may lead to a page.

    A plain walk over lxml's tree: Scrapy's LinkExtractor does the same with much more
    per-link work, and compares ``allow_domains`` with host:port (the spider checks hosts).
    The longest text wins because a teaser's photo links to the article with no text at all.
    """
    texts: dict[str, str] = {}
    for element in response.selector.root.iter("a"):
        href = (element.get("href") or "").strip()
        if not href or href.startswith("#") or _FILE_LINK.search(href):
            continue
        if ":" in href.split("/", 1)[0] and not href.startswith(_LINK_SCHEMES):
            continue  # javascript:, mailto:, tel:
        url = response.urljoin(href)
        text = " ".join(element.text_content().split())
        if len(text) >= len(texts.get(url, "")):
            texts[url] = text
    yield from texts.items()


class PortalSpider(scrapy.Spider):
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
        self.profile: Profile | None = by_name(source.profile) if source.profile else None
        self.family_checks = 0
        self.identity = IdentityLearner(self.profile.urls if self.profile else GENERIC)
        self.waiting: dict[str, tuple[str, int]] = {}  # article URL -> (href, depth), deferred
        self.aliased: set[str] = set()  # article URLs not fetched: their id named a known one
        self.produced: set[str] = set()  # linked URLs whose record has been made
        self.pending_aliases: dict[str, list[str]] = {}  # first URL -> aliases found meanwhile
        self.patterns = {
            "article_pattern": _compile(source.article_url_pattern),
            "listing_pattern": _compile(source.listing_url_pattern),
            "deny_pattern": _compile(source.deny_url_pattern),
        }

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.release_waiting, signal=signals.spider_idle)
        return spider

    async def start(self):
        for request in self.initial_requests():
            yield request

    def initial_requests(self) -> list[scrapy.Request]:
        """Start URLs and watched listings (synchronous: the distributed worker calls it too)."""
        return [
            self.listing_request(url, depth=0, root=True)
            for url in dict.fromkeys([*self.start_urls, *self.state.watched_listings()])
            if self.first_listing(canonicalize(url) or url)
        ]

    def on_site(self, url: str) -> bool:
        """Is ``url`` on one of this source's hosts (or a subdomain of one)?"""
        host = urlsplit(url).hostname or ""
        return any(host == d or host.endswith("." + d) for d in self.allowed_domains)

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
            callback=self.parse_article,
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
            return
        if response.status >= 400 or not isinstance(response, TextResponse):
            stats.inc_value(f"dvcrawl/listing_failed/{response.status}")
            return
        self.learn_family(response)
        yield from self.follow_links(response, meta.get("dv_depth", 0))

    def learn_family(self, response: TextResponse) -> None:
        """The source's CMS family from its first listings, so its URL rules apply."""
        if self.profile is not None or self.family_checks >= FAMILY_CHECKS:
            return
        self.family_checks += 1
        found = detect(response.selector.root, response.url)
        if found is not None:
            self.use_profile(found)

    def use_profile(self, profile: Profile) -> None:
        self.logger.info("%s: CMS family %s", self.source.id, profile.name)
        self.profile = profile
        self.identity.rules = profile.urls

    def follow_links(self, response: TextResponse, depth: int) -> Iterator[scrapy.Request]:
        """Queue unknown articles, new listings, and the next page if this one held news."""
        articles, pages = 0, []
        unknown = 0
        for href, text in page_links(response):
            url = canonicalize(href)
            if url is None or not self.on_site(url):
                continue
            kind = classify_link(url, text, profile=self.profile, **self.patterns)
            if kind is LinkKind.ARTICLE:
                articles += 1
                if self.state.is_known_article(url) or self.state.seen_page(url):
                    self.crawler.stats.inc_value("dvcrawl/article_known_skipped")
                    continue
                unknown += 1
                yield from self.article_requests(href, url, depth + 1)
            elif kind is LinkKind.PAGINATION:
                pages.append((href, url))
            elif (
                kind is LinkKind.LISTING
                and depth < self.max_depth
                and not self.state.seen_page(url)
                and self.first_listing(url)
            ):
                yield self.listing_request(fetch_form(href, url), depth + 1)
        if unknown:
            for linked, url in pages:
                if self.first_listing(url):
                    yield self.listing_request(fetch_form(linked, url), depth, page=True)
        elif pages:
            self.crawler.stats.inc_value("dvcrawl/paging_stopped_known")
        self.logger.debug(
            "listing %s: %d article links (%d unknown), %d pagination links",
            response.url,
            articles,
            unknown,
            len(pages),
        )
        self.remember_listing(response, articles)

    # -- article identity (dvcrawl.articleid) ------------------------------------------------
    def article_requests(self, href: str, url: str, depth: int) -> Iterator[scrapy.Request]:
        """The request for an article link, unless its id names an article already asked for."""
        if url in self.requested or url in self.waiting or url in self.aliased:
            return
        verdict, first = self.identity.decide(url)
        if verdict is Verdict.SAME:
            self.crawler.stats.inc_value("dvcrawl/article_same_id_skipped")
            self.alias_of(url, first)
        elif verdict is Verdict.DEFER:
            self.waiting[url] = (href, depth)
        elif self.first_request(url):
            yield self.article_request(fetch_form(href, url), url, depth)

    def alias_of(self, url: str, first: str) -> None:
        """``url`` is the article first asked for as ``first``: store it as an alias."""
        self.aliased.add(url)
        if first in self.produced:
            self.state.remember_alias(url, first, "identity")
        else:
            self.pending_aliases.setdefault(first, []).append(url)

    def learn_identity(self, response: Response, record: ArticleRecord) -> Iterator:
        """Tell the identity learner what this page was; act on what it concludes."""
        linked = response.meta.get("dv_linked_as")
        if linked is None:
            return
        looks = None if record.reject_reason else f"{record.title}\n{record.text[:300]}"
        yield from self.resolve(self.identity.observe(linked, record.url, looks))

    def resolve(self, resolution: Resolution) -> Iterator[scrapy.Request]:
        for url, first in resolution.aliases:
            self.waiting.pop(url, None)
            self.crawler.stats.inc_value("dvcrawl/article_same_id_skipped")
            self.alias_of(url, first)
        for url in resolution.fetch:
            href, depth = self.waiting.pop(url, (url, 1))
            if self.first_request(url):
                yield self.article_request(fetch_form(href, url), url, depth)

    def release_waiting(self) -> None:
        """Nothing else to do, yet articles wait for a verdict that cannot come: fetch them."""
        requests = list(self.resolve(Resolution(fetch=self.identity.release_all())))
        for request in requests:
            self.crawler.engine.crawl(request)
        if requests:
            raise DontCloseSpider

    def take_aliases(self, linked: list[str]) -> list[str]:
        """Aliases found for these URLs while their page was on its way."""
        self.produced.update(linked)
        return [a for url in linked for a in self.pending_aliases.pop(url, ())]

    def remember_listing(self, response: TextResponse, articles: int) -> None:
        """Watch a listing (with its validators) from now on; remember dead ends as such.

        Listings are kept under the URL as fetched, not the canonical one: the slash that
        canonical URLs drop may be the only spelling the server answers.
        """
        meta = response.meta
        if meta.get("dv_root") or (articles >= MIN_LISTING_ARTICLES and not meta.get("dv_page")):
            etag = response.headers.get("ETag")
            modified = response.headers.get("Last-Modified")
            self.state.remember_page(
                response.url,
                LISTING,
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
        if target == origin:  # /a -> /a/: the same page under its other spelling
            request = self.article_request(target_url, target, response.meta["dv_depth"], aliases)
            yield request.replace(dont_filter=True)
        elif not self.state.is_known_article(target) and self.first_request(target):
            yield self.article_request(target_url, target, response.meta["dv_depth"], aliases)

    def parse_article(self, response: Response) -> Iterator:
        if response.status in REDIRECT_STATUSES:
            yield from self.follow_redirect(response)
            return
        if not isinstance(response, TextResponse):
            yield self.record_for(response, None, reject="binary")
            return
        art = extract_article(
            response.body,
            response.url,
            content_selector=self.source.content_selector,
            exclude_selectors=self.source.exclude_selectors,
            profile=self.source.profile,
        )
        if self.profile is None and art.family:
            self.use_profile(by_name(art.family))
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
