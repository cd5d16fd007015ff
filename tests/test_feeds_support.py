"""Helpers shared by the feed tests (no tests here): sources and articles written directly."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

from lxml import etree

from dvcrawl.storage.db import Database
from dvcrawl.storage.models import Article, Source

T0 = datetime(2026, 11, 1, 1, 0)  # naive UTC, as stored
NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "content": "http://purl.org/rss/1.0/modules/content/",
}
_serial = itertools.count(1)


def add_source(db: Database, sid: str, name: str, province: str | None = None) -> None:
    with db.session() as s:
        s.add(Source(id=sid, name=name, province=province, start_urls=[f"https://{sid}.vn/"]))


@contextmanager
def feed_db(url: str, *sources: tuple[str, ...]) -> Iterator[Database]:
    """A database at ``url`` holding ``sources`` ((id, name, province) tuples), disposed after."""
    db = Database(url)
    for source in sources:
        add_source(db, *source)
    try:
        yield db
    finally:
        db.dispose()


def add_article(db: Database, source_id: str = "hatinh", *, hours: float = 0, **fields) -> Article:
    """An article published ``hours`` after T0 (relevant, status new unless overridden)."""
    n = next(_serial)
    values = {
        "url": f"https://{source_id}.vn/tin/bai-{n}.html",
        "source_id": source_id,
        "title": f"Bài {n}",
        "text": f"Đoạn đầu của bài {n}.\nĐoạn thứ hai của bài {n}.",
        "published_at": T0 + timedelta(hours=hours),
        "relevant": True,
        "status": "new",
    }
    values.update(fields)
    with db.session() as s:
        article = Article(**values)
        s.add(article)
    return article


def xml(path: Path) -> etree._Element:
    return etree.fromstring(path.read_bytes())


def rss_links(path: Path) -> list[str]:
    return [e.text for e in xml(path).iterfind("channel/item/link")]
