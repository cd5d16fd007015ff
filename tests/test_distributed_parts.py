"""The distributed parts one by one, on a real Redis: bounded dupefilter, acknowledged queue,
rescue of a dead worker's requests, jobs and run rows."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest
import scrapy
from tests.test_distributed_support import REDIS_TEST_URL

from dvcrawl.distributed import liveness
from dvcrawl.distributed.dupefilter import ExpiringDupeFilter
from dvcrawl.distributed.enqueue import enqueue_source, parse_job, source_from_dict, source_to_dict
from dvcrawl.distributed.queue import TICKET, ReliablePriorityQueue
from dvcrawl.distributed.runs import RunBook
from dvcrawl.distributed.tracker import Tracker
from dvcrawl.sources import Source
from dvcrawl.storage.db import open_database
from dvcrawl.storage.models import CrawlRun

SOURCE = Source(
    id="hatinh",
    name="Hà Tĩnh",
    start_urls=("http://127.0.0.1:9/", "http://127.0.0.1:9/dan-van/"),
    province="Hà Tĩnh",
    exclude_selectors=(".share",),
    max_pages=50,
)


def _queue(client, keys, worker: str) -> ReliablePriorityQueue:
    spider = scrapy.Spider(name="t")
    queue = ReliablePriorityQueue(client, spider, keys.requests)
    queue.processing_key = keys.processing(worker)
    return queue


def test_seen_requests_expire_after_their_ttl(redis_keys):
    client, keys = redis_keys
    df = ExpiringDupeFilter(client, keys.seen, ttl=1)
    request = scrapy.Request("http://127.0.0.1:9/a", meta={"dv_job": 1})
    assert df.request_seen(request) is False
    assert df.request_seen(request) is True
    # every bucket key carries an expiry: nothing grows without limit
    buckets = list(client.scan_iter(match=f"{keys.seen}:*"))
    assert buckets and all(0 < client.ttl(b) <= 3 for b in buckets)
    time.sleep(2.1)  # past the current and the previous bucket
    assert df.request_seen(request) is False


def test_seen_is_per_crawl_job(redis_keys):
    client, keys = redis_keys
    df = ExpiringDupeFilter(client, keys.seen, ttl=60)
    assert df.request_seen(scrapy.Request("http://127.0.0.1:9/", meta={"dv_job": 1})) is False
    assert df.request_seen(scrapy.Request("http://127.0.0.1:9/", meta={"dv_job": 1})) is True
    # the next scheduled crawl of the source fetches its listings again
    assert df.request_seen(scrapy.Request("http://127.0.0.1:9/", meta={"dv_job": 2})) is False


def test_spellings_of_one_page_are_one_request_but_a_redirect_is_not(redis_keys):
    client, keys = redis_keys
    df = ExpiringDupeFilter(client, keys.seen, ttl=60)
    assert df.request_seen(scrapy.Request("http://127.0.0.1:9/bai/", meta={"dv_job": 1})) is False
    assert df.request_seen(scrapy.Request("http://127.0.0.1:9/bai", meta={"dv_job": 1})) is True
    # /bai -> /bai/ must be fetched after the redirect, though its canonical URL was seen
    moved = {"dv_job": 1, "redirect_urls": ["http://127.0.0.1:9/bai"]}
    assert df.request_seen(scrapy.Request("http://127.0.0.1:9/bai/", meta=moved)) is False
    # and so must /tin/ -> /tin, whose exact URL is the canonical one already seen
    assert df.request_seen(scrapy.Request("http://127.0.0.1:9/tin/", meta={"dv_job": 1})) is False
    moved = {"dv_job": 1, "redirect_urls": ["http://127.0.0.1:9/tin/"]}
    assert df.request_seen(scrapy.Request("http://127.0.0.1:9/tin", meta=moved)) is False
    # a redirect elsewhere is the page it lands on: / -> /Pages/default.aspx, linked too
    moved = {"dv_job": 1, "redirect_urls": ["http://127.0.0.1:9/"]}
    home = "http://127.0.0.1:9/Pages/default.aspx"
    assert df.request_seen(scrapy.Request(home, meta=moved)) is False
    assert df.request_seen(scrapy.Request(home, meta={"dv_job": 1})) is True


def test_bad_ttl_is_refused(redis_keys):
    client, keys = redis_keys
    with pytest.raises(ValueError, match="DVCRAWL_SEEN_TTL"):
        ExpiringDupeFilter(client, keys.seen, ttl=0)


def test_pop_keeps_the_request_until_ack_and_dead_workers_are_rescued(redis_keys):
    client, keys = redis_keys
    dead, alive = _queue(client, keys, "dead"), _queue(client, keys, "alive")
    for i, priority in enumerate([0, 10, 5]):
        dead.push(scrapy.Request(f"http://127.0.0.1:9/{i}", priority=priority))
    first = dead.pop()
    assert first.url.endswith("/1")  # the highest priority first
    second = dead.pop()
    assert len(dead) == 1 and dead.in_flight() == 2
    dead.ack(second.meta[TICKET])
    assert dead.in_flight() == 1
    # "dead" stamped long ago, "alive" just now: only the dead one's request comes back
    liveness.beat(client, keys, "dead", now=time.time() - 100)
    liveness.beat(client, keys, "alive")
    assert liveness.rescue_dead(client, keys, timeout=30) == 1
    assert dead.in_flight() == 0 and len(alive) == 2
    assert alive.pop().url == first.url  # with its priority intact
    assert client.zscore(keys.workers, "dead") is None
    assert liveness.rescue_dead(client, keys, timeout=30) == 0


def test_an_undecodable_request_is_dropped_not_retried_forever(redis_keys):
    client, keys = redis_keys
    queue = _queue(client, keys, "w1")
    client.zadd(keys.requests, {b"not a pickle": 0})
    assert queue.pop() is None
    assert len(queue) == 0 and queue.in_flight() == 0


def test_a_clean_exit_hands_requests_back(redis_keys):
    client, keys = redis_keys
    queue = _queue(client, keys, "w1")
    queue.push(scrapy.Request("http://127.0.0.1:9/x"))
    queue.pop()
    liveness.beat(client, keys, "w1")
    assert liveness.busy_elsewhere(client, keys)
    assert liveness.leave(client, keys, "w1") == 1
    assert len(queue) == 1 and not liveness.busy_elsewhere(client, keys)


def test_source_survives_the_job_round_trip():
    assert source_from_dict(source_to_dict(SOURCE)) == SOURCE


def test_malformed_job_is_named():
    with pytest.raises(ValueError, match="malformed crawl job"):
        parse_job(b'{"source": {}}')


def test_enqueue_opens_a_run_and_queues_the_job(db_url, redis_keys):
    client, keys = redis_keys
    run_id = enqueue_source(REDIS_TEST_URL, SOURCE, db_url, prefix=keys.prefix)
    assert parse_job(client.lindex(keys.jobs, 0)) == (run_id, SOURCE)
    assert parse_job(client.get(keys.job(run_id)))[0] == run_id
    with open_database(db_url).session() as session:
        run = session.get(CrawlRun, run_id)
        assert (run.source_id, run.status, run.finished_at) == ("hatinh", "running", None)
    assert enqueue_source(REDIS_TEST_URL, SOURCE, db_url, prefix=keys.prefix) == run_id + 1


def test_run_closes_when_its_last_request_is_done(sqlite_url, redis_keys):
    client, keys = redis_keys
    db = open_database(sqlite_url)
    run_id = enqueue_source(REDIS_TEST_URL, SOURCE, sqlite_url, prefix=keys.prefix)
    acked: list[str] = []
    tracker = Tracker(acked.append, RunBook(client, keys, db))
    book = tracker.runs
    book.add_pending(run_id)  # a listing in the queue
    tracker.popped(SimpleNamespace(meta={TICKET: "t1", "dv_job": run_id}))
    tracker.hold("t1")  # the listing yielded an article request...
    book.add_pending(run_id)  # ...which entered the queue
    book.count(run_id, "pages_fetched")
    tracker.release("t1")  # the article request is pushed
    tracker.release("t1")  # the listing's callback is over
    assert acked == ["t1"]
    with db.session() as session:
        assert session.get(CrawlRun, run_id).finished_at is None  # the article is pending
    book.done_pending(run_id)
    with db.session() as session:
        run = session.get(CrawlRun, run_id)
        assert (run.status, run.pages_fetched) == ("ok", 1)
        assert run.finished_at is not None


def test_worker_command_names_what_is_missing_or_wrong(run_cli, sqlite_url):
    done = run_cli("worker", "--db", sqlite_url)
    assert done.returncode == 2 and "no Redis: pass --redis URL or set $DVCRAWL_REDIS_URL" in (
        done.stderr
    )
    done = run_cli("worker", "--db", sqlite_url, "--redis", "redis://127.0.0.1:1/0")
    assert done.returncode == 2 and "Redis unreachable at redis://127.0.0.1:1/0" in done.stderr
    done = run_cli("worker", "--db", sqlite_url, "--redis", REDIS_TEST_URL, "--until-idle", "0")
    assert done.returncode == 2 and "--until-idle must be positive, got 0.0" in done.stderr
