"""The persisted frontier: failed article pages are owed to later runs, listing validators wait
for their articles, a portal that is down keeps its articles pending, and status reports it."""

from __future__ import annotations

import json

import pytest

from dvcrawl.frontier import ListingLedger
from dvcrawl.storage import frontier as store
from dvcrawl.storage.db import Database
from dvcrawl.storage.frontier import FAILED, PENDING, Owed, RetryPolicy
from dvcrawl.storage.models import CrawlRun, HttpCacheEntry, utcnow
from frontier_portal import FlakyPortal, article_path
from test_crawl import crawl, export

# No retry inside a run, short timeouts, no back-off: each run is one attempt per page.
ONE_TRY = (
    "-s", "RETRY_TIMES=0", "-s", "DOWNLOAD_TIMEOUT=2", "-s", "DVCRAWL_ARTICLE_RETRY_BACKOFF=0",
    "-s", "DVCRAWL_ARTICLE_MAX_ATTEMPTS=3",
)  # fmt: skip


@pytest.fixture
def portal(tmp_path):
    with FlakyPortal() as p:
        (tmp_path / "flaky.toml").write_text(p.sources_toml(), encoding="utf-8")
        yield p


def _crawl(run_cli, tmp_path, db: str):
    return crawl(run_cli, tmp_path / "flaky.toml", db, *ONE_TRY)


def _rows(db_url: str) -> dict[str, store.FrontierEntry]:
    db = Database(db_url)
    try:
        with db.session() as session:
            return {r.url.split("/", 3)[3]: r for r in store.load(session, "flaky")}
    finally:
        db.dispose()


def _home_validators(db_url: str, portal: FlakyPortal) -> str | None:
    db = Database(db_url)
    try:
        with db.session() as session:
            row = session.get(HttpCacheEntry, portal.base_url + "/")
            return row.etag if row else None
    finally:
        db.dispose()


def _articles_asked(portal: FlakyPortal) -> int:
    return sum(n for path, n in portal.requests.items() if path.startswith("/tin-tuc/"))


def _status(run_cli, db_url: str) -> dict:
    done = run_cli("status", "--db", db_url, "--json")
    assert done.returncode == 0, done.stderr
    return {row["source_id"]: row for row in json.loads(done.stdout)}


# -- the pure bookkeeping ----------------------------------------------------------------------
def test_ledger_releases_validators_only_when_every_page_settled():
    ledger = ListingLedger()
    ledger.depend("/home", "a1")
    ledger.depend("/home", "page2")
    ledger.depend("/cat", "a1")  # one article linked from two listings
    assert ledger.hold("/home", ("e1", None)) is False
    assert ledger.hold("/cat", ("e2", None)) is False
    assert ledger.settle(["a1"]) == [("/cat", ("e2", None))]
    ledger.depend("/home", "a5")  # found on page 2 before page 2 is done
    assert ledger.settle(["page2"]) == []
    assert ledger.settle(["a5"]) == [("/home", ("e1", None))]
    ledger.depend("/other", "a1")  # already settled in this run: nothing to wait for
    assert ledger.hold("/other", ("e3", None)) is True
    assert ledger.open_keys() == set()


def test_retry_policy_backs_off_and_gives_up():
    policy = RetryPolicy(max_attempts=4, backoff=60)
    now = utcnow()
    assert policy.next_attempt(1, now) == now  # first retry: the next run
    assert [(policy.next_attempt(n, now) - now).seconds for n in (2, 3, 4)] == [60, 120, 240]
    assert not policy.is_final(3) and policy.is_final(4)


def test_store_counts_attempts_only_when_asked_and_settles(db_url):
    db = Database(db_url)
    policy = RetryPolicy(max_attempts=2, backoff=0)
    urls = [f"http://h/a-{n}" for n in range(3)]
    with db.session() as s:
        store.add_owed(s, "src", [Owed(u, u + "/", "http://h/") for u in urls])
        store.add_owed(s, "src", [Owed(urls[0], urls[0], None)])  # again: kept as it was
    with db.session() as s:
        assert store.record_failures(s, "src", {urls[0]: "HTTP 503"}, policy, count=False) == []
    with db.session() as s:
        assert store.record_failures(s, "src", {urls[0]: "HTTP 503"}, policy, count=True) == []
        assert store.record_failures(s, "src", {urls[0]: "timeout"}, policy, count=True) == [
            urls[0]
        ]
        store.settle(s, "src", [urls[1]])
    with db.session() as s:
        rows = {r.url: r for r in store.load(s, "src")}
        counts = store.counts(s, "src")
    assert set(rows) == {urls[0], urls[2]}
    assert (rows[urls[0]].state, rows[urls[0]].attempts) == (FAILED, 2)
    assert rows[urls[0]].fetch_url == urls[0] + "/" and rows[urls[0]].last_error == "timeout"
    assert (rows[urls[2]].state, rows[urls[2]].attempts) == (PENDING, 0)
    assert (counts.pending, counts.failed, counts.last_error) == (1, 1, "timeout")
    db.dispose()


# -- whole crawls of a loopback portal -------------------------------------------------------
def test_articles_that_failed_once_are_stored_by_the_next_run(portal, tmp_path, db_url, run_cli):
    portal.fail = {article_path(2): ["503"], article_path(6): ["hang"], article_path(7): ["drop"]}
    _crawl(run_cli, tmp_path, db_url)
    stored = {r["url"].split("/", 3)[3] for r in export(run_cli, db_url)}
    assert len(stored) == 5
    owed = _rows(db_url)
    assert set(owed) == {article_path(n).lstrip("/") for n in (2, 6, 7)}
    assert {r.attempts for r in owed.values()} == {1}
    assert owed[article_path(2).lstrip("/")].last_error == "HTTP 503"
    assert _home_validators(db_url, portal) is None, "validators saved before every article"
    assert _status(run_cli, db_url)["flaky"]["articles_pending"] == 3

    _crawl(run_cli, tmp_path, db_url)
    urls = [r["url"] for r in export(run_cli, db_url)]
    assert len(urls) == len(set(urls)) == 8
    assert _rows(db_url) == {}
    assert _home_validators(db_url, portal) is not None

    portal.clear()
    _crawl(run_cli, tmp_path, db_url)
    assert _articles_asked(portal) == 0
    assert len(export(run_cli, db_url)) == 8


def test_portal_down_keeps_articles_pending_then_they_are_given_up_and_alarmed(
    portal, tmp_path, sqlite_url, run_cli
):
    key = article_path(3).lstrip("/")
    portal.fail = {article_path(3): ["503"] * 10}
    _crawl(run_cli, tmp_path, sqlite_url)
    assert _rows(sqlite_url)[key].attempts == 1

    portal.down = True
    _crawl(run_cli, tmp_path, sqlite_url)
    db = Database(sqlite_url)
    with db.session() as s:
        last = s.query(CrawlRun).order_by(CrawlRun.id.desc()).first()
    db.dispose()
    assert last.status == "failed"
    row = _rows(sqlite_url)[key]
    assert (row.state, row.attempts) == (PENDING, 1), "a down portal says nothing of its articles"
    assert row.last_error != "HTTP 503"  # the connection error of this run is shown

    portal.down = False
    _crawl(run_cli, tmp_path, sqlite_url)
    _crawl(run_cli, tmp_path, sqlite_url)
    row = _rows(sqlite_url)[key]
    assert (row.state, row.attempts, row.last_error) == (FAILED, 3, "HTTP 503")
    health = _status(run_cli, sqlite_url)["flaky"]
    assert (health["articles_pending"], health["articles_failed"]) == (0, 1)
    assert any(a.startswith("failed-articles: 1 ") for a in health["alarms"]), health["alarms"]
    table = run_cli("status", "--db", sqlite_url)
    assert "failed-articles" in table.stdout and "pending" in table.stdout.splitlines()[0]

    portal.clear()  # given up on: not asked again, and the listing may now answer 304
    _crawl(run_cli, tmp_path, sqlite_url)
    assert _articles_asked(portal) == 0
    assert len(export(run_cli, sqlite_url)) == 7


def test_every_listing_is_walked_and_validated_after_an_unchanged_recrawl(
    sample_network, tmp_path, sqlite_url, run_cli
):
    """A start URL that redirects to a watched listing (hanam: / -> default.aspx) is dropped by
    the request filter on the second run; it must not hold its listings' validators forever."""
    sources = tmp_path / "sources.toml"
    sources.write_text(sample_network.sources_toml(), encoding="utf-8")
    crawl(run_cli, sources, sqlite_url)
    crawl(run_cli, sources, sqlite_url)
    db = Database(sqlite_url)
    with db.session() as session:
        rows = session.query(HttpCacheEntry).filter(HttpCacheEntry.kind == "listing").all()
    db.dispose()
    assert rows and all(r.walked for r in rows), [r.url for r in rows if not r.walked]


def test_failures_worth_a_retry_are_told_from_pages_that_are_gone():
    from scrapy.exceptions import IgnoreRequest
    from scrapy.http import HtmlResponse, Request
    from scrapy.spidermiddlewares.httperror import HttpError
    from twisted.internet.error import TimeoutError as TwistedTimeout
    from twisted.python.failure import Failure

    from dvcrawl.spiders.frontier_hooks import failure_reason, page_keys

    def http(status: int) -> Failure:
        response = HtmlResponse("http://h/a", status=status, body=b"")
        return Failure(HttpError(response, "ignored"))

    assert failure_reason(http(503)) == "HTTP 503"
    assert failure_reason(http(429)) == "HTTP 429"
    assert failure_reason(http(404)) is None  # gone: settled, never retried
    assert failure_reason(Failure(IgnoreRequest("robots.txt"))) is None
    assert failure_reason(Failure(TwistedTimeout())).startswith("TimeoutError")
    request = Request(
        "http://h/b/",
        meta={"dv_linked_as": "http://h/old", "redirect_urls": ["http://h/b?utm_source=x"]},
    )
    assert page_keys(request) == {"http://h/b", "http://h/old"}
