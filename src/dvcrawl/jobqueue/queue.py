"""The Redis side of distributed crawls: the connection, the RQ queue, and one job per source.

Every key derives from one prefix ($DVCRAWL_REDIS_PREFIX, default "dvcrawl"): it names the RQ
queue, the job ids and the per-source locks, so deployments (and tests) can share a server.
"""

from __future__ import annotations

import logging
import re

import redis
from rq import Queue, Retry
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from rq.registry import StartedJobRegistry

from dvcrawl.errors import ConfigError
from dvcrawl.settings_table import SETTINGS

log = logging.getLogger(__name__)

# A job whose worker died (kill -9, power cut) is requeued by RQ's registry clean-up; three
# requeues cover a worker crash loop without retrying a poisoned job for ever.
RETRIES = 3
# RQ's own job timeout sits above the crawl's wall-clock limit (enforced by the worker's child
# supervisor, which records the run as "timeout"), so RQ only ever kills a horse that hung.
JOB_TIMEOUT_MARGIN = 180
# Finished jobs are kept a day (for `rq info` and operators), failed ones a week.
RESULT_TTL = 24 * 3600
FAILURE_TTL = 7 * 24 * 3600
# What RQ job ids may contain (rq.job.JOB_ID_PATTERN); anything else in a prefix becomes "_".
_NOT_IN_JOB_ID = re.compile(r"[^A-Za-z0-9_-]")
PENDING = (JobStatus.QUEUED, JobStatus.STARTED, JobStatus.DEFERRED, JobStatus.SCHEDULED)


def prefix_from_env(prefix: str | None = None) -> str:
    """``prefix`` (``--prefix``), else $DVCRAWL_REDIS_PREFIX, else "dvcrawl"."""
    return prefix or SETTINGS["redis_prefix"].from_env()


def connect(url: str) -> redis.Redis:
    """A client for ``url``; raises a clear ConfigError when Redis does not answer."""
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=60)
        client.ping()
    except (redis.ConnectionError, redis.TimeoutError, ValueError) as exc:
        raise ConfigError(f"Redis unreachable at {url}: {exc}") from exc
    return client


def crawl_queue(client: redis.Redis, prefix: str) -> Queue:
    return Queue(prefix, connection=client)


def job_id(prefix: str, source_id: str) -> str:
    """One job id per source, so a source is never queued twice at once."""
    return _NOT_IN_JOB_ID.sub("_", f"{prefix}-crawl-{source_id}")


def lock_key(prefix: str, source_id: str) -> str:
    return f"{prefix}:lock:{source_id}"


def pending(client: redis.Redis, prefix: str, source_id: str) -> bool:
    """Is a crawl of this source queued or being crawled by a worker?"""
    try:
        job = Job.fetch(job_id(prefix, source_id), connection=client)
    except NoSuchJobError:
        return False
    return job.get_status(refresh=False) in PENDING


def enqueue_crawl(
    client: redis.Redis, prefix: str, source_id: str, sources_toml: str, timeout: float
) -> bool:
    """Queue one crawl of ``source_id`` unless one is pending; True when queued.

    The job carries the text of the sources file, so workers crawl exactly what the scheduler
    validated and need no copy of their own.
    """
    if pending(client, prefix, source_id):
        return False
    crawl_queue(client, prefix).enqueue(
        "dvcrawl.jobqueue.job.crawl_source",
        args=(source_id, sources_toml, float(timeout)),
        job_id=job_id(prefix, source_id),
        job_timeout=int(timeout) + JOB_TIMEOUT_MARGIN,
        retry=Retry(max=RETRIES),
        result_ttl=RESULT_TTL,
        failure_ttl=FAILURE_TTL,
        description=f"crawl {source_id}",
    )
    return True


def requeue_abandoned(client: redis.Redis, prefix: str) -> None:
    """Requeue jobs whose worker died: RQ's own clean-up of its started-job registry.

    Idle workers run it too, but only every few minutes; the scheduler runs it every few
    seconds so that a killed worker's crawl is taken over within a bounded time.
    """
    StartedJobRegistry(queue=crawl_queue(client, prefix)).cleanup()


def delete_all(client: redis.Redis, prefix: str) -> int:
    """Remove every key of this prefix, ours and RQ's (tests, an operator resetting)."""
    names = set(client.scan_iter(match=f"{prefix}:*", count=500))
    names |= set(client.scan_iter(match=f"rq:*{prefix}*", count=500))
    return client.delete(*names) if names else 0
