"""APScheduler jobs: one per source, id "crawl:<source id>", kept in the database's job store.

The job store pickles each job, so the job function is a module-level function taking only the
source id; it reaches the running service through ``set_service``. Reconciling with the
sources file adds new sources, removes deleted ones and reschedules changed intervals, while a
source whose interval did not change keeps its stored next run across restarts.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import Engine, column, inspect, select, table
from sqlalchemy.exc import SQLAlchemyError

from dvcrawl.sources import Source

if TYPE_CHECKING:
    from apscheduler.schedulers.base import BaseScheduler

log = logging.getLogger(__name__)

JOB_PREFIX = "crawl:"
JOBS_TABLE = "apscheduler_jobs"
# Jitter: up to 10% of the interval, at most 5 minutes, so 60 portals on the same interval do
# not all start in the same second after a restart.
JITTER_SHARE = 0.1
MAX_JITTER = 300.0
# A run missed while the scheduler was down still happens if it is at most one interval late
# (at least a minute); coalescing turns a backlog of missed runs into one.
MIN_GRACE = 60


class Runner(Protocol):
    def run_source(self, source_id: str) -> None: ...


_service: Runner | None = None


def set_service(service: Runner | None) -> None:
    """The object ``crawl_job`` hands its work to (the running SchedulerService)."""
    global _service
    _service = service


def crawl_job(source_id: str) -> None:
    """The scheduled job: crawl one source (module-level and picklable by design)."""
    if _service is None:
        log.warning("crawl of %s is due but no scheduler service is running", source_id)
        return
    _service.run_source(source_id)


def job_id(source_id: str) -> str:
    return f"{JOB_PREFIX}{source_id}"


def interval_of(source: Source, default: float) -> float:
    return float(source.interval or default)


def make_trigger(interval: float) -> IntervalTrigger:
    jitter = min(MAX_JITTER, interval * JITTER_SHARE)
    return IntervalTrigger(seconds=interval, jitter=jitter or None, timezone=UTC)


@dataclass
class ReconcileReport:
    added: list[str]
    removed: list[str]
    rescheduled: list[str]
    kept: list[str]


def _add_job(scheduler: BaseScheduler, source: Source, interval: float) -> None:
    # The first run of a new source happens right away (within its jitter), not an interval on.
    first = datetime.now(UTC) + timedelta(seconds=min(interval * JITTER_SHARE, 5.0))
    scheduler.add_job(
        crawl_job,
        trigger=make_trigger(interval),
        args=[source.id],
        id=job_id(source.id),
        name=f"crawl {source.id}",
        replace_existing=True,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=max(MIN_GRACE, int(interval)),
        next_run_time=first,
    )


def reconcile(
    scheduler: BaseScheduler, sources: list[Source], default_interval: float
) -> ReconcileReport:
    """Make the job store match the (enabled) sources; stored next runs are kept when possible."""
    report = ReconcileReport([], [], [], [])
    wanted = {s.id: s for s in sources if s.enabled}
    for job in scheduler.get_jobs():
        sid = job.id.removeprefix(JOB_PREFIX)
        if job.id.startswith(JOB_PREFIX) and sid not in wanted:
            scheduler.remove_job(job.id)
            report.removed.append(sid)
    existing = {job.id: job for job in scheduler.get_jobs()}
    for sid, source in wanted.items():
        interval = interval_of(source, default_interval)
        job = existing.get(job_id(sid))
        if job is None:
            _add_job(scheduler, source, interval)
            report.added.append(sid)
        elif job.trigger.interval.total_seconds() != interval:
            _add_job(scheduler, source, interval)
            report.rescheduled.append(sid)
        else:
            report.kept.append(sid)
    return report


def next_run_times(engine: Engine) -> dict[str, datetime]:
    """Next run of each source (naive UTC) read straight from the job store table, if any."""
    try:
        if not inspect(engine).has_table(JOBS_TABLE):
            return {}
        jobs = table(JOBS_TABLE, column("id"), column("next_run_time"))
        with engine.connect() as conn:
            rows = conn.execute(select(jobs.c.id, jobs.c.next_run_time)).all()
    except SQLAlchemyError as exc:
        log.warning("cannot read the schedule from %s: %s", JOBS_TABLE, exc)
        return {}
    return {
        str(jid).removeprefix(JOB_PREFIX): datetime.fromtimestamp(float(ts), UTC).replace(
            tzinfo=None
        )
        for jid, ts in rows
        if str(jid).startswith(JOB_PREFIX) and ts is not None
    }
