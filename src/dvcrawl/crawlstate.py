"""What earlier runs of a source left behind, for an incremental crawl.

Loaded once when a crawl starts (a few indexed queries, not one per URL) and written back
page by page: known article URLs are not fetched again, watched listings are re-checked with
conditional GET (ETag / Last-Modified), and pages that led nowhere are not fetched again.
Pages earlier runs still owe come from the persisted frontier (``dvcrawl.frontier``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from dvcrawl.frontier import RunFrontier
from dvcrawl.storage.articles import find_article_id, known_urls
from dvcrawl.storage.db import Database
from dvcrawl.storage.httpcache import save_page
from dvcrawl.storage.models import HttpCacheEntry, UrlAlias
from dvcrawl.storage.upsert import insert_ignore

LISTING = "listing"  # first page of a listing: re-requested every run
PAGE = "page"  # pagination page, or a page with nothing to follow: not re-requested
REDIRECT = "redirect"  # an old article address that redirects: not re-requested


@dataclass
class PageMemory:
    kind: str
    etag: str | None
    last_modified: str | None
    walked: bool = True


class CrawlState:
    """Known articles and remembered pages of one source."""

    def __init__(self, db: Database, source_id: str, *, refresh: bool = False) -> None:
        self.db = db
        self.source_id = source_id
        self.refresh = refresh
        with db.session() as session:
            self.known_articles: set[str] = set() if refresh else known_urls(session, source_id)
            rows = session.scalars(
                select(HttpCacheEntry).where(HttpCacheEntry.source_id == source_id)
            )
            self.pages = {
                r.url: PageMemory(r.kind, r.etag, r.last_modified, r.walked) for r in rows
            }
        # Pages earlier runs still owe (killed, failed); rows of pages done since are dropped.
        self.frontier = RunFrontier(db, source_id, self.done_before, refresh)

    @property
    def first_run(self) -> bool:
        return not self.known_articles and not self.pages

    def is_known_article(self, url: str) -> bool:
        """Stored (or given up on) before this run began: paging stops at a page of only such
        articles."""
        return url in self.known_articles or url in self.frontier.given_up

    def watched_listings(self) -> list[str]:
        return sorted(u for u, m in self.pages.items() if m.kind == LISTING)

    def done_before(self, url: str) -> bool:
        """Stored, or read and found to hold no article, by an earlier run. Not a redirect:
        its target may never have been stored (a kill right after the redirect)."""
        memory = self.pages.get(url)
        return url in self.known_articles or (memory is not None and memory.kind == PAGE)

    def walked(self, url: str) -> bool:
        """A listing an earlier run read to its end: paging may stop where news stops."""
        memory = None if self.refresh else self.pages.get(url)
        return memory is not None and memory.kind == LISTING and memory.walked

    def seen_page(self, url: str) -> bool:
        return url in self.pages and not self.refresh

    def validators(self, url: str) -> dict[str, str]:
        """Conditional-GET headers for ``url`` from the last run ({} when none are known)."""
        memory = None if self.refresh else self.pages.get(url)
        headers: dict[str, str] = {}
        if memory and memory.etag:
            headers["If-None-Match"] = memory.etag
        if memory and memory.last_modified:
            headers["If-Modified-Since"] = memory.last_modified
        return headers

    def remember_page(
        self,
        url: str,
        kind: str,
        etag: str | None = None,
        last_modified: str | None = None,
        walked: bool = True,
        session: Session | None = None,
    ) -> None:
        """Record a fetched page (a listing keeps its kind once it has been one), in the
        caller's transaction when it gives one, else in a transaction of its own."""
        old = self.pages.get(url)
        if old and old.kind == LISTING:
            kind = LISTING
        # In memory, the run keeps what it loaded: "walked" is about earlier runs.
        self.pages[url] = PageMemory(kind, etag, last_modified, old.walked if old else walked)
        if session is not None:
            save_page(session, url, self.source_id, kind, etag, last_modified, walked)
            return
        with self.db.session() as own:
            save_page(own, url, self.source_id, kind, etag, last_modified, walked)

    def remember_redirect(self, url: str, target: str) -> None:
        """``url`` redirects to ``target``: never fetch it again, and map it to the article
        (one transaction: a commit is most of either write's cost)."""
        with self.db.session() as session:
            self.remember_page(url, REDIRECT, session=session)
            article_id = find_article_id(session, target)
            if article_id is not None:
                values = {"url": url, "article_id": article_id, "kind": "redirect"}
                insert_ignore(session, UrlAlias, values, ["url"])

    def remember_alias(self, url: str, target: str, kind: str) -> None:
        """``url`` leads to the stored article ``target`` (not fetched: its id said so)."""
        with self.db.session() as session:
            article_id = find_article_id(session, target)
            if article_id is not None:
                values = {"url": url, "article_id": article_id, "kind": kind}
                insert_ignore(session, UrlAlias, values, ["url"])
