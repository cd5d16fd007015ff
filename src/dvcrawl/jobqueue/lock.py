"""One portal is crawled by at most one worker at a time: a Redis lock per source.

The lock expires unless renewed, so a worker that vanishes (kill -9, power cut) frees its
portal within ``LOCK_TTL`` seconds. While a crawl runs, a watchdog thread renews the lock and
watches the worker: if the lock is lost (Redis unreachable past its expiry) or the worker
process died, the crawl is stopped, so no portal is ever crawled twice at once.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable

import redis
from redis.exceptions import LockError

log = logging.getLogger(__name__)

# Seconds a lock outlives the last renewal; renewed every third of that.
LOCK_TTL = 30.0
# How often a worker waiting for a busy portal tries the lock again.
WAIT_POLL = 1.0


class SourceLock:
    """A Redis lock held by this process for one source (token shared across threads)."""

    def __init__(self, client: redis.Redis, key: str, ttl: float = LOCK_TTL) -> None:
        # thread_local=False: the watchdog thread renews the token the main thread took.
        self._lock = client.lock(key, timeout=ttl, thread_local=False)
        self.key = key

    def acquire(self, wait: float) -> bool:
        """Take the lock, waiting up to ``wait`` seconds for a crawl of it elsewhere to end."""
        deadline = time.monotonic() + wait
        while not self._lock.acquire(blocking=False):
            if time.monotonic() >= deadline:
                return False
            time.sleep(WAIT_POLL)
        return True

    def renew(self) -> bool:
        """Push the expiry out again; False when the lock is no longer ours."""
        try:
            self._lock.reacquire()
        except (LockError, redis.RedisError) as exc:
            log.error("%s: lock lost: %s", self.key, exc)
            return False
        return True

    def release(self) -> None:
        try:
            self._lock.release()
        except (LockError, redis.RedisError) as exc:
            log.warning("%s: release failed (it expires by itself): %s", self.key, exc)


class Watchdog(threading.Thread):
    """Renews ``lock`` while a crawl runs; calls ``stop_crawl`` when the lock is lost or the
    worker (this process's parent, ``parent``) has died."""

    def __init__(self, lock: SourceLock, stop_crawl: Callable[[], None], parent: int) -> None:
        super().__init__(daemon=True, name=f"watchdog {lock.key}")
        self.lock, self.stop_crawl, self.parent = lock, stop_crawl, parent
        self._done = threading.Event()
        self.tripped: str | None = None

    def run(self) -> None:
        while not self._done.wait(LOCK_TTL / 3):
            if os.getppid() != self.parent:
                self.tripped = "its worker process died"
            elif not self.lock.renew():
                self.tripped = "the source lock was lost"
            if self.tripped:
                log.error("%s: stopping the crawl: %s", self.lock.key, self.tripped)
                self.stop_crawl()
                return

    def finish(self) -> None:
        self._done.set()
        self.join(LOCK_TTL)
