"""Plain data of the sample network: what a site publishes and what a test expects back."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class ExpectedArticle:
    """The ground truth a crawler should recover from one article page."""

    url: str
    source_id: str
    title: str
    published: str
    author: str | None
    credit: str | None
    text: str
    relevant: bool
    duplicate_of: str | None
    # Other URLs that serve this same article (ID-based portals list one story under several
    # category paths); ``url`` is the one its canonical link names or the first in its section.
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class RequestLogEntry:
    """One request a site answered (tests assert on what was fetched, e.g. robots rules)."""

    site_id: str
    method: str
    path: str  # path with query string, as requested
    status: int
    headers: dict  # request headers, names lower-cased


@dataclass
class Block:
    """A piece of an article body: ``p`` paragraph, ``h`` subheading, ``img`` photo + caption."""

    kind: str
    text: str
    file: str = ""  # image file name (shown as text by some portals)


@dataclass
class Article:
    """One story as one site publishes it; renderers turn it into HTML on request."""

    site_id: str
    num: int  # the site's numeric id (used in URLs of most platforms)
    slug: str
    title: str
    published: datetime  # aware, +07:00
    has_time: bool  # False when the page shows only the date
    blocks: list[Block]
    relevant: bool
    category: str  # "danvan" or "news": the listing it is filed under
    topic: str
    author: str | None = None
    credit: str | None = None  # "Theo: ..." source
    teaser: str = ""
    nfd: bool = False  # page typed in decomposed Unicode
    story: str = ""  # story key: a syndicated copy shares it with its original
    original: Article | None = None  # set on syndicated copies
    section: str = ""  # listing section on seed-varied sites ("" = the category's listing)
    extra: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The clean body as the contract wants it: paragraphs and subheadings, NFC."""
        parts = [b.text for b in self.blocks if b.kind in ("p", "h")]
        return unicodedata.normalize("NFC", "\n".join(parts))

    @property
    def published_iso(self) -> str:
        if self.has_time:
            return self.published.isoformat(timespec="seconds")
        return self.published.date().isoformat()
