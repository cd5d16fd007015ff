"""Redis mode: with DVCRAWL_REDIS_URL set, the scheduler queues crawls for the workers.

No worker runs here: the test plays the worker by closing the run row itself, so what is
checked is the scheduler's side (one job per source at a time, timeouts, feeds after a run).
"""

from __future__ import annotations

import os
import uuid

import pytest
import redis
from sqlalchemy import create_engine, insert, update
from tests.conftest import REDIS_TEST_URL
from tests.test_scheduler import Scheduler, runs, wait_until, workdir_for

from dvcrawl.storage.models import Article, CrawlRun, utcnow


@pytest.fixture
def redis_env(monkeypatch):
    try:
        client = redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=2)
        client.ping()
    except redis.RedisError:
        if os.environ.get("CI"):
            pytest.fail(f"Redis at {REDIS_TEST_URL} is down")
        pytest.skip(f"Redis at {REDIS_TEST_URL} is not running")
    prefix = f"dvcrawl-test-{uuid.uuid4().hex[:10]}"
    monkeypatch.setenv("DVCRAWL_REDIS_URL", REDIS_TEST_URL)
    monkeypatch.setenv("DVCRAWL_REDIS_PREFIX", prefix)
    yield client, f"{prefix}:jobs"
    names = list(client.scan_iter(match=f"{prefix}:*"))
    if names:
        client.delete(*names)
    client.close()


def close_as_worker(db_url: str, run_id: int, new: int) -> None:
    """What a worker does: store articles, then close the run row."""
    engine = create_engine(db_url)
    with engine.begin() as conn:
        for i in range(new):
            conn.execute(
                insert(Article).values(
                    url=f"http://127.0.0.1:9/{run_id}/{i}", source_id="a", title="t", text="x",
                    relevant=True, status="new", fetched_at=utcnow(), updated_at=utcnow(),
                )
            )  # fmt: skip
        conn.execute(
            update(CrawlRun)
            .where(CrawlRun.id == run_id)
            .values(status="ok", articles_new=new, finished_at=utcnow())
        )
    engine.dispose()


def test_crawls_are_queued_once_at_a_time_and_time_out(tmp_path, sqlite_url, redis_env):
    client, jobs_key = redis_env
    work = workdir_for(tmp_path, {"a": {"interval": "1s", "timeout": "4s"}})
    sched = Scheduler(work, sqlite_url, "--feeds-out", str(tmp_path / "feeds"))
    try:
        wait_until(lambda: runs(sqlite_url, "a"), 20, "the first hand-off")
        sched.wait_for_output("not queued again")  # due again, but the workers are still on it
        assert client.llen(jobs_key) == 1 and len(runs(sqlite_url, "a")) == 1
        first = runs(sqlite_url, "a")[0]
        assert first.stats == {"distributed": True}
        close_as_worker(sqlite_url, first.id, new=2)
        wait_until(lambda: len(runs(sqlite_url, "a")) == 2, 20, "the next hand-off")
        # The feeds are built at start, then again once the worker's run stored something.
        rebuilt = lambda: sched.output().count("feeds rebuilt") >= 2  # noqa: E731
        wait_until(rebuilt, 15, "feeds rebuilt after the worker run")
        wait_until(lambda: runs(sqlite_url, "a")[1].status == "timeout", 20, "the timeout")
        assert "did not finish this crawl within 4s" in runs(sqlite_url, "a")[1].reason
    finally:
        assert sched.stop() == 0
    assert client.llen(jobs_key) >= 2
    assert "child" not in sched.output()  # no crawl child was ever started
