"""Every Redis key dvcrawl uses, derived from one prefix so deployments (and tests) can share
a Redis server without colliding."""

from __future__ import annotations

import os
from dataclasses import dataclass

import redis

PREFIX_ENV = "DVCRAWL_REDIS_PREFIX"
DEFAULT_PREFIX = "dvcrawl"
# A job description outlives its crawl by far; a week covers any sane crawl and cleans up after.
JOB_TTL_SECONDS = 7 * 24 * 3600


@dataclass(frozen=True)
class Keys:
    prefix: str = DEFAULT_PREFIX

    @classmethod
    def from_env(cls, prefix: str | None = None) -> Keys:
        return cls(prefix or os.environ.get(PREFIX_ENV) or DEFAULT_PREFIX)

    @property
    def jobs(self) -> str:
        """List of JSON crawl jobs (RPUSH by enqueue_source, popped by idle workers)."""
        return f"{self.prefix}:jobs"

    @property
    def requests(self) -> str:
        """Sorted set: the shared frontier (scrapy-redis PriorityQueue)."""
        return f"{self.prefix}:requests"

    @property
    def seen(self) -> str:
        """Base of the time-bucketed seen-request sets (``<seen>:<bucket>``)."""
        return f"{self.prefix}:seen"

    @property
    def workers(self) -> str:
        """Sorted set: worker id -> time of its last heartbeat."""
        return f"{self.prefix}:workers"

    def processing(self, worker_id: str) -> str:
        """Hash: requests a worker has popped and not yet finished (ticket -> request)."""
        return f"{self.prefix}:processing:{worker_id}"

    def job(self, run_id: int) -> str:
        """The JSON job of one run, for workers that meet its requests before the job."""
        return f"{self.prefix}:job:{run_id}"

    def run(self, run_id: int) -> str:
        """Hash of one run's counters: pending requests, pages, new articles, errors."""
        return f"{self.prefix}:run:{run_id}"

    def pattern(self) -> str:
        return f"{self.prefix}:*"


def connect(url: str) -> redis.Redis:
    """A client for ``url``; raises a clear ConfigError when Redis does not answer."""
    from dvcrawl.errors import ConfigError

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=30)
        client.ping()
    except (redis.ConnectionError, redis.TimeoutError, ValueError) as exc:
        raise ConfigError(f"Redis unreachable at {url}: {exc}") from exc
    return client


def delete_all(client: redis.Redis, keys: Keys) -> int:
    """Remove every key under the prefix (tests, and an operator resetting a deployment)."""
    names = list(client.scan_iter(match=keys.pattern(), count=500))
    return client.delete(*names) if names else 0
