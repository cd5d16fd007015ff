"""Worker heartbeats, and the rescue of requests held by workers that died.

Each worker stamps its id with the time in a sorted set every few seconds. A worker whose
stamp is older than ``timeout`` is dead (SIGKILL, lost machine): any live worker pushes its
processing entries back into the shared queue and removes it. A worker that stops cleanly
re-queues its own entries on the way out.
"""

from __future__ import annotations

import logging
import time

import redis

from dvcrawl.distributed.keys import Keys
from dvcrawl.distributed.queue import REQUEUE_SCRIPT

log = logging.getLogger(__name__)

# Seconds between heartbeats; a worker is dead after DEAD_AFTER missed beats. A busy reactor
# can delay a beat by a few seconds (a slow page parse), hence the generous factor.
DEFAULT_HEARTBEAT = 5.0
DEAD_AFTER = 6


def beat(client: redis.Redis, keys: Keys, worker_id: str, now: float | None = None) -> None:
    client.zadd(keys.workers, {worker_id: time.time() if now is None else now})


def requeue(client: redis.Redis, keys: Keys, worker_id: str) -> int:
    """Push a worker's unfinished requests back into the queue; returns how many."""
    return int(client.eval(REQUEUE_SCRIPT, 2, keys.processing(worker_id), keys.requests))


def rescue_dead(client: redis.Redis, keys: Keys, timeout: float, now: float | None = None) -> int:
    """Re-queue the requests of every worker silent for ``timeout`` seconds; returns how many."""
    limit = (time.time() if now is None else now) - timeout
    rescued = 0
    for raw in client.zrangebyscore(keys.workers, "-inf", limit):
        worker_id = raw.decode()
        # Only the worker that wins the ZREM re-queues, so two rescuers cannot race.
        if client.zrem(keys.workers, worker_id):
            count = requeue(client, keys, worker_id)
            rescued += count
            if count:
                log.warning("worker %s is silent: re-queued its %d requests", worker_id, count)
    return rescued


def leave(client: redis.Redis, keys: Keys, worker_id: str) -> int:
    """A clean exit: hand back what this worker holds and stop counting as alive."""
    count = requeue(client, keys, worker_id)
    client.zrem(keys.workers, worker_id)
    return count


def busy_elsewhere(client: redis.Redis, keys: Keys) -> bool:
    """True while any worker holds a request (it may still queue new ones)."""
    for raw in client.zrange(keys.workers, 0, -1):
        if client.hlen(keys.processing(raw.decode())):
            return True
    return False


def queue_empty(client: redis.Redis, keys: Keys) -> bool:
    return client.zcard(keys.requests) == 0 and client.llen(keys.jobs) == 0
