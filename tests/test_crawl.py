"""The crawl end to end, against the sample portals on loopback: found, stored once, polite."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from dvcrawl.storage.db import open_database
from dvcrawl.storage.models import CrawlRun
from dvcrawl.urls import canonicalize

FAST = ("--delay", "0")


def expected_by_url(network) -> dict:
    """The sample portals' articles keyed by canonical URL (trailing slash dropped)."""
    return {canonicalize(a.url): a for a in network.expected_articles()}


@pytest.fixture
def sources_file(sample_network, tmp_path):
    path = tmp_path / "sources.toml"
    path.write_text(sample_network.sources_toml(), encoding="utf-8")
    return path


def export(run_cli, db: str) -> list[dict]:
    done = run_cli("export", "--db", db)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def crawl(run_cli, sources_file, db: str, *extra: str):
    done = run_cli("crawl", "--sources", str(sources_file), "--db", db, *FAST, *extra)
    assert done.returncode == 0, done.stderr[-3000:]
    return done


CONTRACT_FIELDS = {
    "url",
    "source",
    "title",
    "published",
    "author",
    "text",
    "relevant",
    "duplicate_of",
    "status",
}


def test_first_crawl_finds_articles_once_and_second_adds_nothing(
    sample_network, sources_file, sqlite_url, run_cli
):
    done = crawl(run_cli, sources_file, sqlite_url)
    assert "articles stored" in done.stderr or "finished" in done.stderr  # progress on stderr
    rows = export(run_cli, sqlite_url)
    expected = expected_by_url(sample_network)
    urls = [r["url"] for r in rows]
    assert len(urls) == len(set(urls)), "an article was stored twice"
    found = expected.keys() & set(urls)
    assert len(found) >= 0.98 * len(expected), sorted(expected.keys() - set(urls))[:10]
    assert set(urls) <= expected.keys(), sorted(set(urls) - expected.keys())[:10]
    for row in rows:
        assert row.keys() >= CONTRACT_FIELDS
        assert row["status"] == "new"
        assert row["source"] == expected[row["url"]].source_id

    crawl(run_cli, sources_file, sqlite_url)
    assert len(export(run_cli, sqlite_url)) == len(rows)


def test_transient_failures_are_retried_and_runs_recorded(
    sample_network, sources_file, sqlite_url, run_cli
):
    crawl(run_cli, sources_file, sqlite_url)
    stored = {r["url"] for r in export(run_cli, sqlite_url)}
    flaky = sample_network.flaky_urls()
    assert flaky
    for url in flaky:
        assert canonicalize(url) in stored
        path = url.split("/", 3)[3]
        answers = [r.status for r in sample_network.requests if r.path.strip("/") == path]
        assert answers[:2] == [503, 200], answers
    with open_database(sqlite_url).session() as session:
        runs = session.scalars(select(CrawlRun)).all()
    assert {r.source_id for r in runs} == {s.id for s in sample_network.sources}
    for run in runs:
        assert run.status == "ok" and run.finished_at is not None
        assert run.pages_fetched > run.articles_new > 0
        assert run.stats["articles_seen"] >= run.articles_new
        assert "start_url_status" in str(run.stats)


def test_crawl_is_polite(sample_network, sources_file, sqlite_url, run_cli):
    crawl(run_cli, sources_file, sqlite_url)
    requests = sample_network.requests
    assert requests
    paths = [r.path for r in requests]
    # robots.txt read first on every site, its disallowed paths never fetched
    sites = {r.site_id for r in requests}
    for site in sites:
        first = next(r for r in requests if r.site_id == site)
        assert first.path == "/robots.txt"
    assert not [p for p in paths if p.startswith(("/admin", "/tim-kiem"))]
    # traps: no calendar chain, no repeated-parameter loop
    assert len([p for p in paths if "thang=" in p or "nam=" in p]) == 0
    assert not [p for p in paths if p.count("sort=") > 1]
    agents = {r.headers.get("user-agent", "") for r in requests}
    assert all(a.startswith("dvcrawl/") and "+http" in a for a in agents), agents


def test_each_article_page_fetched_once(sample_network, sources_file, sqlite_url, run_cli):
    crawl(run_cli, sources_file, sqlite_url)
    expected_paths = {a.url.split("/", 3)[3] for a in sample_network.expected_articles()}
    fetched: dict[str, int] = {}
    for r in sample_network.requests:
        path = r.path.split("?")[0].split("#")[0].lstrip("/").rstrip("/")
        if path in expected_paths and r.status == 200:
            fetched[path] = fetched.get(path, 0) + 1
    twice = {p: n for p, n in fetched.items() if n > 1}
    assert not twice, twice


def test_bad_input_exit_codes(tmp_path, run_cli, sqlite_url):
    bad = tmp_path / "bad.toml"
    bad.write_text('[[sources]]\nid = "a"\nname = "A"\nstart_urls = ["http://a.vn/"]\nfoo = 1\n')
    done = run_cli("crawl", "--sources", str(bad), "--db", sqlite_url)
    assert done.returncode == 2
    assert f"{bad}: source 'a', key 'foo': unknown key" in done.stderr
    assert not (tmp_path / "dvcrawl.sqlite").exists(), "nothing may be written on bad input"

    good = tmp_path / "good.toml"
    good.write_text('[[sources]]\nid = "a"\nname = "A"\nstart_urls = ["http://127.0.0.1:9/"]\n')
    done = run_cli(
        "crawl", "--sources", str(good), "--db", "postgresql+psycopg://nobody@127.0.0.1:1/x"
    )
    assert done.returncode == 2
    assert "database unreachable" in done.stderr

    done = run_cli("crawl", "--sources", str(good), "--source", "zzz", "--db", sqlite_url)
    assert done.returncode == 2 and "unknown source id(s): zzz" in done.stderr

    done = run_cli("crawl", "--db", sqlite_url, env={"DVCRAWL_SOURCES": ""})
    assert done.returncode == 2 and "no sources file" in done.stderr


def test_unreachable_portal_still_exits_zero(tmp_path, run_cli, sqlite_url):
    sources = tmp_path / "s.toml"
    sources.write_text(
        '[[sources]]\nid = "gone"\nname = "Gone"\nstart_urls = ["http://127.0.0.1:9/"]\n'
    )
    done = run_cli(
        "crawl",
        "--sources",
        str(sources),
        "--db",
        sqlite_url,
        *FAST,
        "-s",
        "RETRY_TIMES=0",
        "-s",
        "DOWNLOAD_TIMEOUT=5",
    )
    assert done.returncode == 0, done.stderr
    assert "gone" in done.stdout
    # ... but the run is a failure, so the scheduler backs off and the status page alarms.
    with open_database(sqlite_url).session() as session:
        run = session.scalars(select(CrawlRun)).one()
    assert run.status == "failed"
    assert run.reason.startswith("no start URL could be fetched")


def test_max_pages_caps_the_requests_of_a_run(sample_network, tmp_path, sqlite_url, run_cli):
    site = sample_network.sources[1]
    urls = ", ".join(f'"{u}"' for u in site.start_urls)
    sources = tmp_path / "capped.toml"
    sources.write_text(
        f'[[sources]]\nid = "{site.id}"\nname = "x"\nstart_urls = [{urls}]\nmax_pages = 5\n'
    )
    crawl(run_cli, sources, sqlite_url)
    pages = [r for r in sample_network.requests if r.path != "/robots.txt" and r.status < 300]
    assert 0 < len(pages) <= 5, [r.path for r in pages]


def test_refresh_fetches_again_and_stores_nothing_twice(
    sample_network, sources_file, sqlite_url, run_cli
):
    done = crawl(run_cli, sources_file, sqlite_url)
    copies = sum(int(line.split()[6]) for line in done.stdout.splitlines()[1:])
    assert copies == sum(1 for a in sample_network.expected_articles() if a.duplicate_of)
    stored = len(export(run_cli, sqlite_url))
    sample_network.clear_requests()
    crawl(run_cli, sources_file, sqlite_url, "--refresh")
    articles = {canonicalize(a.url) for a in sample_network.expected_articles()}
    refetched = {
        canonicalize(sample_network.base_url(r.site_id) + r.path)
        for r in sample_network.requests
        if r.status == 200
    }
    assert len(articles & refetched) >= 0.98 * len(articles)
    assert len(export(run_cli, sqlite_url)) == stored
