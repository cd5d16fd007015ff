"""The extraction entry point (CONTRACT.md): ``extract_article(html, url)``.

Interim version: trafilatura with NFC normalisation. The Vietnamese-portal cleanup, date,
title and byline rules replace the body of ``extract_article`` (issue 3).
"""

from __future__ import annotations

import unicodedata
from dataclasses import asdict, dataclass

import trafilatura


@dataclass
class ExtractedArticle:
    """What a page says about its article; mapping access works too (``art["title"]``)."""

    url: str
    title: str = ""
    text: str = ""
    published: str | None = None  # "2022-12-27T22:37:00+07:00" or "2022-01-06"
    author: str | None = None
    credit: str | None = None  # "Theo: <source>", kept apart from the body
    canonical_url: str | None = None  # the page's rel=canonical, as given
    date_method: str | None = None  # where the date came from ("meta", "byline-block", ...)
    date_doubtful: bool = False  # future or implausibly old: staff should look
    is_article: bool = True
    reject_reason: str | None = None  # why not an article: "empty", "listing", "error-page"

    def __getitem__(self, key: str):
        return getattr(self, key)

    def keys(self):
        return asdict(self).keys()

    def as_dict(self) -> dict:
        return asdict(self)


def _nfc(value: str | None) -> str | None:
    return unicodedata.normalize("NFC", value) if value else value


def extract_article(
    html: str | bytes,
    url: str,
    *,
    content_selector: str | None = None,
    exclude_selectors: tuple[str, ...] = (),
) -> ExtractedArticle:
    """Extract the article in ``html`` fetched from ``url``."""
    if isinstance(html, bytes):
        html = html.decode("utf-8", errors="replace")
    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, favor_precision=True)
    if doc is None or not doc.text:
        return ExtractedArticle(url=url, is_article=False, reject_reason="empty")
    return ExtractedArticle(
        url=url,
        title=_nfc(doc.title) or "",
        text=_nfc(doc.text) or "",
        published=doc.date,
        author=_nfc(doc.author),
    )
