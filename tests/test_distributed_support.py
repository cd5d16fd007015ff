"""Shared helpers of the distributed tests: a Redis key prefix per test, worker processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections import Counter
from pathlib import Path

import pytest
import redis

from dvcrawl.distributed.keys import Keys, delete_all
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


def fresh_keys() -> Keys:
    return Keys(f"dvtest-{uuid.uuid4().hex[:10]}")


def cleanup(client: redis.Redis, keys: Keys) -> None:
    delete_all(client, keys)


def start_worker(db_url: str, keys: Keys, log: Path, *extra: str) -> subprocess.Popen:
    """``python -m dvcrawl worker`` in its own process, logging to ``log``."""
    cmd = [
        sys.executable, "-m", "dvcrawl", "worker", "--db", db_url, "--redis", REDIS_TEST_URL,
        "--prefix", keys.prefix, "--delay", "0", *extra,
    ]  # fmt: skip
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=log.open("w"))


def exported(run_cli, db_url: str) -> list[dict]:
    done = run_cli("export", "--db", db_url)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def assert_every_article_once(network, rows: list[dict]) -> None:
    expected = {canonicalize(a.url): a for a in network.expected_articles()}
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
