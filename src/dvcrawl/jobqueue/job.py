"""The job a worker runs (in RQ's forked work horse): one whole-source crawl.

It takes the source's lock, opens the run, and runs the very command the scheduler runs in
in-process mode (``dvcrawl crawl --run-id``, in a child with a timeout and a memory cap), then
closes the run from the child's ending if the child could not. Which database, memory cap and
crawl options apply is the worker's choice (``dvcrawl worker`` flags), set before it forks.
"""

from __future__ import annotations

import logging
import os
import socket
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from rq import get_current_job

from dvcrawl.jobqueue.lock import SourceLock, Watchdog
from dvcrawl.jobqueue.queue import RETRIES, connect, lock_key
from dvcrawl.scheduler.isolation import ChildSupervisor, child_env, crawl_argv
from dvcrawl.storage import runs
from dvcrawl.storage.db import open_database

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WorkerConfig:
    """What ``dvcrawl worker`` was told; the horse inherits it through the fork."""

    db_url: str
    redis_url: str
    prefix: str
    memory_mb: int | None = 1024
    grace: float = 10.0
    crawl_args: tuple[str, ...] = field(default=())  # --delay / -s for the crawl child


_config: WorkerConfig | None = None


class CrawlAbandoned(RuntimeError):
    """The crawl was stopped because its worker died or its lock was lost."""


def configure(config: WorkerConfig) -> None:
    """Set by run_worker before RQ forks its first horse."""
    global _config
    _config = config


def crawl_source(source_id: str, sources_toml: str, timeout: float) -> str:
    """Crawl one source once under its lock; the run's final status."""
    if _config is None:
        raise RuntimeError("crawl_source runs only inside `dvcrawl worker`")
    client = connect(_config.redis_url)
    lock = SourceLock(client, lock_key(_config.prefix, source_id))
    if not lock.acquire(wait=timeout):
        log.warning("%s: another worker held it for %gs; crawl skipped", source_id, timeout)
        return "skipped"
    if _is_takeover():  # the persisted frontier makes it resume where the dead crawl stopped
        log.info("%s: taking over a crawl whose worker died; resuming its frontier", source_id)
    try:
        result, tripped = _crawl_locked(_config, lock, source_id, sources_toml, timeout)
    finally:
        lock.release()
        client.close()
    if tripped:  # RQ requeues a failed job (Retry): another worker takes the source over
        raise CrawlAbandoned(f"{source_id}: run {result.run_id} stopped: {tripped}")
    return str(result.status)


def _is_takeover() -> bool:
    """Is this job a retry, after a worker died in its crawl (RQ's Retry count says so)?

    Nothing special is needed: listing validators are committed only once their articles are
    resolved and owed pages are kept (``dvcrawl.frontier``), so the next crawl resumes.
    """
    job = get_current_job()
    return job is not None and job.retries_left is not None and job.retries_left < RETRIES


def _crawl_locked(
    cfg: WorkerConfig,
    lock: SourceLock,
    source_id: str,
    sources_toml: str,
    timeout: float,
) -> tuple[runs.RunResult, str | None]:
    """Run the crawl child under ``lock``; its result, and why the watchdog stopped it."""
    db = open_database(cfg.db_url)
    mark = f"{socket.gethostname()}:{os.getppid()}"
    run_id = runs.open_run(db, source_id, exclusive=True, **{runs.WORKER: mark})
    children = ChildSupervisor(grace=cfg.grace)
    watchdog = Watchdog(lock, children.stop_all, parent=os.getppid())
    watchdog.start()
    try:
        with tempfile.TemporaryDirectory(prefix="dvcrawl-worker-") as tmp:
            sources = Path(tmp) / "sources.toml"
            sources.write_text(sources_toml, encoding="utf-8")
            child = children.run(
                crawl_argv(sources, source_id, run_id, cfg.crawl_args),
                timeout=timeout,
                memory_mb=cfg.memory_mb,
                env=child_env(cfg.db_url, sources),
                label=source_id,
            )
    finally:
        watchdog.finish()
    result = runs.close_after_child(db, run_id, child)
    db.dispose()
    log.info("%s: run %d %s, %d new", source_id, run_id, result.status, result.articles_new)
    return result, watchdog.tripped
