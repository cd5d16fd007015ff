"""The scheduler process: lock, job store, reconcile, crawl children, back-off, feeds, shutdown.

One BackgroundScheduler runs the jobs in a thread pool; each job thread spawns and waits on a
crawl child. The main thread only watches: signals, the sources file, and the lock.
"""

from __future__ import annotations

import logging
import os
import shlex
import sys
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.base import JobLookupError
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError

from dvcrawl.errors import DvcrawlError
from dvcrawl.health import failure_streak
from dvcrawl.scheduler import jobs
from dvcrawl.scheduler.backoff import backoff_delay
from dvcrawl.scheduler.feedkeeper import FeedKeeper
from dvcrawl.scheduler.isolation import ChildResult, ChildSupervisor, child_env, crawl_argv
from dvcrawl.scheduler.lock import lock_for
from dvcrawl.scheduler.remote import RemoteCrawls
from dvcrawl.scheduler.sourcefile import SourcesFile
from dvcrawl.settings_table import SETTINGS
from dvcrawl.sources import Source
from dvcrawl.storage import runs
from dvcrawl.storage.db import Database
from dvcrawl.storage.runs import RunStatus
from dvcrawl.storage.sources import sync_sources

log = logging.getLogger(__name__)

# How often the main thread looks at the sources file and the lock (seconds).
TICK = 1.0
# How often the feeds are brought up to date with articles stored by running crawls or by
# the workers (seconds): well inside the 30 s freshness target, one indexed lookup each time.
FEEDS_POLL = 5.0


@dataclass
class ScheduleOptions:
    """Everything ``dvcrawl schedule`` was told (durations in seconds; the defaults, bounds
    and meanings of the tuning fields are rows of dvcrawl.settings_table)."""

    sources_path: Path
    db_url: str
    feeds_out: Path | None = None
    # docs/contract.md: default interval for sources that set none
    every: float = SETTINGS["every"].parsed_default()
    # 15 minutes: a whole portal, politely throttled
    timeout: float = SETTINGS["timeout"].parsed_default()
    # address space, not RSS: Scrapy + lxml reserve generously
    memory_mb: int | None = SETTINGS["memory_mb"].parsed_default()
    workers: int = SETTINGS["workers"].parsed_default()  # crawls at once; each is a child process
    standby: bool = True
    lock_poll: float = SETTINGS["lock_poll"].parsed_default()
    grace: float = SETTINGS["grace"].parsed_default()  # between SIGTERM and SIGKILL of a child
    crawl_command: str | None = None  # template; None: python -m dvcrawl crawl ...
    base_url: str | None = None
    redis_url: str | None = None  # set: hand crawls to `dvcrawl worker`s instead of children


class SchedulerService:
    """Runs until ``request_stop``; ``run`` returns the process exit code."""

    def __init__(self, options: ScheduleOptions) -> None:
        self.opts = options
        self.sources = SourcesFile(options.sources_path)
        self.children = ChildSupervisor(grace=options.grace)
        self._stop = threading.Event()
        self._reload = threading.Event()
        self._stopping = False
        self.db: Database | None = None
        self.scheduler: BackgroundScheduler | None = None
        self.feeds: FeedKeeper | None = None
        self.remote: RemoteCrawls | None = None  # Redis mode
        # Runs whose row could not be closed (database away when they ended): retried later.
        self._unclosed: list[tuple[int, ChildResult]] = []
        self._unclosed_lock = threading.Lock()

    # -- control -------------------------------------------------------------------------
    def request_stop(self, *_args) -> None:
        self._stop.set()

    def request_reload(self, *_args) -> None:
        self._reload.set()

    def run(self) -> int:
        """Load, lock, schedule, watch; always leaves the lock released and children gone."""
        self.sources.load()  # an invalid file at start is the operator's to fix now (exit 2)
        self.db = Database(self.opts.db_url)
        self.feeds = FeedKeeper(self.db, self.opts.feeds_out, self.opts.base_url)
        lock = lock_for(self.db)
        try:
            if not self._take_lock(lock):
                return 0 if self._stop.is_set() else 1
            self._start_scheduler()
            self._watch(lock)
            return 0
        finally:
            self._shutdown()
            lock.release()
            self.db.dispose()
            if self.remote is not None:
                self.remote.close()
            self.sources.close()

    def _take_lock(self, lock) -> bool:
        if lock.acquire():
            return True
        where = f"another scheduler is active on this database ({lock.description})"
        if getattr(lock, "unreachable", False):
            where = "the database is unreachable"
        if not self.opts.standby:
            print(f"dvcrawl schedule: {where}; exiting (--no-standby)", file=sys.stderr)
            return False
        print(f"dvcrawl schedule: {where}; waiting as a standby", file=sys.stderr, flush=True)
        while not self._stop.wait(self.opts.lock_poll):
            if lock.acquire():
                log.warning("holding the scheduler lock: taking over")
                return True
        return False

    def _start_scheduler(self) -> None:
        if self.sources.changed():  # edited while we waited as a standby
            self.sources.reload()
        stale = runs.close_stale_runs(self.db, scheduler_lock=True)  # we hold the lock now
        if stale:
            log.warning("closed %d run(s) left open by a process that died", stale)
        store = SQLAlchemyJobStore(engine=self.db.engine, tablename=jobs.JOBS_TABLE)
        self.scheduler = BackgroundScheduler(
            jobstores={"default": store},
            executors={"default": ThreadPoolExecutor(self.opts.workers)},
            timezone=UTC,
        )
        jobs.set_service(self)
        self.scheduler.start(paused=True)
        self._reconcile()
        self.feeds.rebuild()
        if self.opts.redis_url:
            self.remote = RemoteCrawls(self.opts.redis_url)
            log.info("Redis mode: crawls are handed to the workers at %s", self.opts.redis_url)
        self.scheduler.resume()
        log.info("scheduler running: %d sources", len(self.sources.sources))

    def _reconcile(self) -> None:
        report = jobs.reconcile(self.scheduler, self.sources.sources, self.opts.every)
        log.info(
            "schedule: %d added, %d removed, %d rescheduled, %d kept",
            len(report.added),
            len(report.removed),
            len(report.rescheduled),
            len(report.kept),
        )
        with self.db.session() as session:
            sync_sources(session, self.sources.sources)

    def _watch(self, lock) -> None:
        ticks = 0
        while not self._stop.wait(TICK):
            ticks += 1
            try:
                if ticks % int(FEEDS_POLL / TICK) == 0:
                    self._close_unclosed()
                    self.feeds.rebuild_if_new()
                    if self.remote is not None:
                        self.remote.requeue_abandoned()
                if self._reload.is_set() or self.sources.changed():
                    self._reload.clear()
                    if self.sources.reload():
                        self._reconcile()
                if not lock.held():
                    self._regain(lock)
            except (SQLAlchemyError, RedisError, DvcrawlError) as exc:
                log.error("scheduler housekeeping failed (will retry): %s", exc)

    def _close_unclosed(self) -> None:
        """Close the rows of runs that ended while the database was away (oldest first)."""
        with self._unclosed_lock:
            pending, self._unclosed = self._unclosed, []
        for i, (run_id, result) in enumerate(pending):
            try:
                runs.close_after_child(self.db, run_id, result)
            except (SQLAlchemyError, DvcrawlError):
                with self._unclosed_lock:
                    self._unclosed[:0] = pending[i:]
                return
            log.info("run %d closed after the database came back", run_id)

    def _regain(self, lock) -> None:
        """The lock's connection was lost: pause until we hold the lock again."""
        log.error("lost the scheduler lock (database connection gone?): pausing")
        self.scheduler.pause()
        if self._take_lock(lock):
            log.warning("scheduler lock regained: resuming")
            self.scheduler.resume()

    def _shutdown(self) -> None:
        """Stop scheduling, stop the children (SIGTERM, grace, SIGKILL), finish the threads."""
        self._stopping = True
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.pause()
            self.children.stop_all()
            self.scheduler.shutdown(wait=True)
        else:
            self.children.stop_all()
        jobs.set_service(None)
        self._close_unclosed()
        if self.feeds is not None and self.scheduler is not None:
            self.feeds.rebuild_if_new()  # what the stopped crawls stored before they stopped

    # -- one crawl -----------------------------------------------------------------------
    def child_argv(self, source_id: str, run_id: int) -> list[str]:
        """The crawl command for one run (the database URL travels in the environment)."""
        if not self.opts.crawl_command:
            return crawl_argv(self.sources.snapshot, source_id, run_id)
        values = {
            "python": sys.executable,
            "sources": str(self.sources.snapshot),
            "source": source_id,
            "db": self.opts.db_url,
            "run_id": str(run_id),
        }
        return [part.format(**values) for part in shlex.split(self.opts.crawl_command)]

    def run_source(self, source_id: str) -> None:
        """One scheduled crawl: open the run row, run the child, close the row, then react."""
        source = self.sources.by_id(source_id)
        if source is None or self._stopping:
            return
        if self.opts.redis_url:
            self._hand_off(source)
            return
        try:
            run_id = runs.open_run(self.db, source_id, **{runs.SCHEDULED: os.getpid()})
        except (SQLAlchemyError, DvcrawlError) as exc:
            log.error("crawl of %s not started: database error: %s", source_id, exc)
            return
        result = self.children.run(
            self.child_argv(source_id, run_id),
            timeout=float(source.timeout or self.opts.timeout),
            memory_mb=self.opts.memory_mb,
            env=child_env(self.opts.db_url, self.sources.snapshot),
            label=source_id,
        )
        try:
            outcome = runs.close_after_child(self.db, run_id, result)
        except (SQLAlchemyError, DvcrawlError) as exc:
            log.error("crawl of %s ended; its run row will be closed later: %s", source_id, exc)
            with self._unclosed_lock:
                self._unclosed.append((run_id, result))
            return
        log.info(
            "crawl of %s: %s, %d new%s",
            source_id,
            outcome.status,
            outcome.articles_new,
            f" ({outcome.reason})" if outcome.reason else "",
        )
        if not self._stopping:
            self.feeds.rebuild_if_new()  # whatever the status: articles are committed one by one
        if outcome.status != RunStatus.OK:
            self._back_off(source_id, float(source.interval or self.opts.every))

    def _back_off(self, source_id: str, interval: float) -> None:
        """Push the next attempt out to interval × 2^streak (capped); a success resets it."""
        if self._stopping:
            return
        try:
            with self.db.session() as session:
                streak = failure_streak(session, source_id)
        except SQLAlchemyError as exc:
            log.error("no back-off for %s: database error: %s", source_id, exc)
            return
        if streak == 0:
            return
        delay = backoff_delay(interval, streak)
        when = datetime.now(UTC) + timedelta(seconds=delay)
        try:
            self.scheduler.modify_job(jobs.job_id(source_id), next_run_time=when)
        except JobLookupError:
            return  # removed from the sources file meanwhile
        log.warning(
            "%s failed %d time(s) in a row: next attempt in %.0fs", source_id, streak, delay
        )

    def _hand_off(self, source: Source) -> None:
        """Redis mode: queue the crawl for the workers (they open and close its run row)."""
        timeout = float(source.timeout or self.opts.timeout)
        try:
            self.remote.hand_off(source, self.sources.snapshot, timeout)
        except (RedisError, OSError, DvcrawlError) as exc:
            log.error("crawl of %s not handed to the workers: %s", source.id, exc)
            return
        self._back_off(source.id, float(source.interval or self.opts.every))
