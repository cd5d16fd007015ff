"""Shared helpers of the distributed tests: a Redis key prefix per test, worker processes,
and the load each sample host saw (counted at the sample server)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from pathlib import Path

import pytest
import redis

from dvcrawl.jobqueue.queue import delete_all
from dvcrawl.urls import canonicalize

REDIS_TEST_URL = os.environ.get("DVCRAWL_TEST_REDIS", "redis://127.0.0.1:6379/0")


def redis_or_skip() -> redis.Redis:
    client = redis.Redis.from_url(REDIS_TEST_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        if os.environ.get("CI"):
            pytest.fail("Redis at 127.0.0.1:6379 is down")
        pytest.skip("Redis at 127.0.0.1:6379 is not running")
    return client


def fresh_prefix() -> str:
    return f"dvtest-{uuid.uuid4().hex[:10]}"


def cleanup(client: redis.Redis, prefix: str) -> None:
    delete_all(client, prefix)


def start_worker(db_url: str, prefix: str, log: Path, *extra: str) -> subprocess.Popen:
    """``python -m dvcrawl worker`` in its own process, logging to ``log``."""
    cmd = [
        sys.executable, "-m", "dvcrawl", "worker", "--db", db_url, "--redis", REDIS_TEST_URL,
        "--prefix", prefix, *extra,
    ]  # fmt: skip
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=log.open("w"))


def exported(run_cli, db_url: str) -> list[dict]:
    done = run_cli("export", "--db", db_url)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def assert_every_article_once(network, rows: list[dict], sites: set[str] | None = None) -> None:
    """Every expected article (of ``sites``, default all) stored once, and nothing else."""
    expected = {
        canonicalize(a.url): a
        for a in network.expected_articles()
        if sites is None or a.source_id in sites
    }
    urls = [r["url"] for r in rows]
    twice = [u for u, n in Counter(urls).items() if n > 1]
    assert not twice, f"stored twice: {twice[:5]}"
    # the same bar as the single-process crawl (tests/test_crawl.py)
    missing = sorted(expected.keys() - set(urls))
    assert len(missing) <= 0.02 * len(expected), missing[:10]
    assert set(urls) <= expected.keys(), sorted(set(urls) - expected.keys())[:10]


def copies_mislinked(network, rows: list[dict]) -> list[tuple]:
    """Stored syndicated copies whose ``duplicate_of`` differs from the sample's truth."""
    truth = {canonicalize(a.url): a.duplicate_of for a in network.expected_articles()}
    wrong = []
    for row in rows:
        want = truth.get(row["url"])
        want = canonicalize(want) if want else None
        if row["duplicate_of"] != want:
            wrong.append((row["url"], row["duplicate_of"], want))
    return wrong


def descendants(pid: int) -> list[int]:
    """Every living process below ``pid`` (children, grandchildren, ...), from /proc."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(") ", 1)[1].split()
        except (OSError, IndexError):
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found, frontier = [], [pid]
    while frontier:
        parent = frontier.pop()
        children = [child for child, ppid in parents.items() if ppid == parent]
        found += children
        frontier += children
    return found


class HostLoad:
    """Concurrent requests and requests per second seen by each sample host.

    It wraps each site's ``handle`` (the sample server calls it once per request, in the
    request's thread), so what it counts is what the portal itself would see.
    """

    def __init__(self, network) -> None:
        self._lock = threading.Lock()
        self._in_flight: Counter = Counter()
        self.max_in_flight: Counter = Counter()
        self.times: dict[str, list[float]] = defaultdict(list)
        for site_id, site in network.sites.items():
            site.handle = self._counted(site_id, site.handle)

    def _counted(self, site_id: str, handle):
        def counted(*args, **kwargs):
            with self._lock:
                self._in_flight[site_id] += 1
                self.max_in_flight[site_id] = max(
                    self.max_in_flight[site_id], self._in_flight[site_id]
                )
                self.times[site_id].append(time.monotonic())
            try:
                return handle(*args, **kwargs)
            finally:
                with self._lock:
                    self._in_flight[site_id] -= 1

        return counted

    def peak_rate(self, site_id: str, window: float = 1.0) -> int:
        """The most requests this host received within any ``window`` seconds."""
        times, best, first = sorted(self.times[site_id]), 0, 0
        for last, stamp in enumerate(times):
            while stamp - times[first] > window:
                first += 1
            best = max(best, last - first + 1)
        return best
