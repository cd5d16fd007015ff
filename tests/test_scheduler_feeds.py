"""FeedKeeper: the feeds follow the newest stored article, whatever state its crawl is in."""

from __future__ import annotations

import pytest

from dvcrawl.scheduler.feedkeeper import FeedKeeper
from dvcrawl.storage.db import Database
from dvcrawl.storage.models import Article, Source, utcnow


@pytest.fixture
def db(db_url):
    database = Database(db_url)
    with database.session() as s:
        s.add(Source(id="hatinh", name="Hà Tĩnh", start_urls=["http://127.0.0.1:9/"]))
    yield database
    database.dispose()


def store(db, n: int) -> str:
    url = f"http://127.0.0.1:9/bai-{n}.html"
    with db.session() as s:
        s.add(Article(url=url, source_id="hatinh", title=f"Dân vận khéo {n}", text="Nội dung.",
                      relevant=True, published_at=utcnow(), published="2026-11-22"))  # fmt: skip
    return url


def test_rebuilds_only_when_an_article_was_stored_since(db, tmp_path):
    keeper = FeedKeeper(db, tmp_path / "feeds")
    first = store(db, 1)
    assert keeper.rebuild_if_new() is True
    rss = tmp_path / "feeds" / "all.rss"
    assert first in rss.read_text()
    assert keeper.rebuild_if_new() is False  # nothing new: no work
    second = store(db, 2)
    assert keeper.rebuild_if_new() is True
    assert second in rss.read_text()


def test_without_feeds_dir_nothing_is_built(db, tmp_path):
    store(db, 1)
    assert FeedKeeper(db, None).rebuild_if_new() is False
    assert not list(tmp_path.rglob("*.rss"))
