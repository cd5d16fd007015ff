"""Shared helpers of the distributed tests: a Redis key prefix per test, worker processes."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import redis

from dvcrawl.distributed.keys import Keys, delete_all

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
