"""Incremental crawling, counted at the sample portals: a second run costs one request per
watched listing; k new articles cost k article fetches plus the listing pages that hold them."""

from __future__ import annotations

from collections import Counter
from urllib.parse import urlsplit

from sqlalchemy import select

from dvcrawl.storage.db import open_database
from dvcrawl.storage.models import HttpCacheEntry
from dvcrawl.urls import canonicalize
from test_crawl import crawl, export


def _key(path: str) -> str:
    return canonicalize("http://h" + path).split("http://h", 1)[1]


def _article_keys(network) -> set[str]:
    return {
        _key(urlsplit(a.url).path + (f"?{urlsplit(a.url).query}" if urlsplit(a.url).query else ""))
        for a in network.expected_articles()
    }


def _page_requests(network) -> list:
    return [r for r in network.requests if r.path != "/robots.txt"]


def test_unchanged_site_costs_one_request_per_watched_listing(
    sample_network, tmp_path, sqlite_url, run_cli
):
    sources = tmp_path / "sources.toml"
    sources.write_text(sample_network.sources_toml(), encoding="utf-8")
    crawl(run_cli, sources, sqlite_url)
    stored = len(export(run_cli, sqlite_url))
    with open_database(sqlite_url).session() as session:
        rows = session.scalars(select(HttpCacheEntry).where(HttpCacheEntry.kind == "listing")).all()
        watched = [r.url for r in rows]
        validated = {
            (urlsplit(r.url).netloc, _key(urlsplit(r.url).path))
            for r in rows
            if r.etag or r.last_modified
        }
    assert len(watched) >= 2 * len(sample_network.sources)  # home + dân vận at least, per site

    sample_network.clear_requests()
    crawl(run_cli, sources, sqlite_url)
    requests = _page_requests(sample_network)
    articles = _article_keys(sample_network)
    assert not [r.path for r in requests if _key(r.path) in articles], "an article was refetched"
    per_page = Counter((r.site_id, _key(r.path)) for r in requests)
    assert max(per_page.values()) == 1, per_page.most_common(3)
    # One answer per watched listing; a start URL that redirects (hanam's / -> default.aspx)
    # costs its redirect too.
    answered = [r for r in requests if r.status not in (301, 302, 303, 307, 308)]
    assert len(answered) == len(watched), sorted(per_page)
    # Conditional GET: every listing that had validators is answered 304.
    assert validated, "no portal gave validators"
    for r in answered:
        host = urlsplit(sample_network.base_url(r.site_id)).netloc
        if (host, _key(r.path)) in validated:
            assert r.status == 304, (r.site_id, r.path, r.status)
    assert len(export(run_cli, sqlite_url)) == stored

    new = [sample_network.publish("hatinh"), sample_network.publish("bentre")]
    sample_network.clear_requests()
    crawl(run_cli, sources, sqlite_url)
    fetched = [
        _key(r.path)
        for r in _page_requests(sample_network)
        if _key(r.path) in _article_keys(sample_network)
    ]
    assert sorted(fetched) == sorted(_key(urlsplit(a.url).path) for a in new)
    rows = {r["url"] for r in export(run_cli, sqlite_url)}
    assert {canonicalize(a.url) for a in new} <= rows
    assert len(rows) == stored + 2
