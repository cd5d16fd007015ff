"""What flows from the spider through the pipelines: a plain dataclass, no Scrapy Item magic."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dvcrawl.fingerprint import Fingerprint


@dataclass
class ArticleRecord:
    """An extracted article on its way to storage.

    ``url`` is the canonical URL (the unique key); ``aliases`` are the other URLs that led to
    it (the URL as linked, redirect origins) so they map to the stored row.
    """

    url: str
    source_id: str
    title: str
    text: str
    published: str | None = None
    author: str | None = None
    credit: str | None = None
    lead: str | None = None  # the sapo set apart; ``text`` starts with it
    date_method: str | None = None
    date_doubtful: bool = False
    aliases: list[str] = field(default_factory=list)
    relevant: bool = False
    relevance_score: float = 0.0
    relevance_terms: list[str] = field(default_factory=list)
    content_hash: str | None = None
    reject_reason: str | None = None  # set when the page is not an article (dropped, counted)
    scored: bool = False  # relevance already computed (in a worker process: dvcrawl.workpool)
    fingerprint: Fingerprint | None = None  # of ``text``, if computed in a worker process
