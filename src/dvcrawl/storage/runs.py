"""The one owner of ``CrawlRun`` rows: open, heartbeat, close, and the statuses they end in.

The in-process crawl (runner.py), the scheduler and the Redis workers all record runs through
this module, so a run of a dead portal reads the same wherever it ran: ``failed``, counted in
the failure streak that drives back-off and the "failing" alarm (health.py).

A running crawl stamps its row every ``HEARTBEAT`` seconds (``stats["heartbeat_at"]``). A row
left "running" by a process that died stops being stamped; once it is ``STALE_AFTER`` old it
is closed as ``interrupted`` by whoever meets it next: the next run of that source, or a
scheduler starting. On the machine that ran it, a row whose opening process is gone (proclife.py)
is closed at once, without waiting for the stamps to go stale: a ``kill -9`` then a rerun
leaves no row "running".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from sqlalchemy import func, select

from dvcrawl import proclife
from dvcrawl.storage.db import Database
from dvcrawl.storage.models import Article, CrawlRun, utcnow


class RunStatus(StrEnum):
    """How a run ended (or that it has not yet)."""

    RUNNING = "running"
    OK = "ok"
    FAILED = "failed"  # the portal did not answer, or the crawl crashed
    TIMEOUT = "timeout"  # killed at its wall-clock limit
    KILLED = "killed"  # ended by a signal nobody of ours sent (OOM killer, an operator)
    STOPPED = "stopped"  # a shutdown of ours (scheduler, worker, Ctrl-C): not the portal's fault
    INTERRUPTED = "interrupted"  # its process died without closing it (found stale later)


# Statuses that count as a failed run for the streak (back-off and the "failing" alarm).
FAILED_STATUSES = frozenset({RunStatus.FAILED, RunStatus.TIMEOUT, RunStatus.KILLED})
# Statuses that say nothing about the portal: skipped when counting the streak.
NEUTRAL_STATUSES = frozenset({RunStatus.RUNNING, RunStatus.STOPPED, RunStatus.INTERRUPTED})

# One table of the counters a run keeps: RunResult field -> the Scrapy stats key it comes from.
STATS_KEYS: Mapping[str, str] = {
    "pages_fetched": "response_received_count",
    "articles_seen": "dvcrawl/articles_seen",
    "articles_new": "dvcrawl/articles_new",
    "relevant_new": "dvcrawl/relevant_new",
    "duplicates_new": "dvcrawl/duplicates_new",
}
# Scrapy stats that count a page that finally failed (retries given up, HTTP errors, crashes).
ERROR_KEYS = ("retry/max_reached", "httperror/response_ignored_count", "spider_exceptions/count")
LISTING_FAILED = "dvcrawl/listing_failed/"
START_URL_STATUS = "dvcrawl/start_url_status"
EXCEPTION_KEY = "downloader/exception_type_count/"
# Marks in a running row's stats: who opened it (a scheduler's or a worker's pid) and when it
# last showed a sign of life.
SCHEDULED = "scheduled_by"
WORKER = "worker"
HEARTBEAT_AT = "heartbeat_at"
OWNER = "owner"  # the process that opened the row (proclife.this_process)
# A crawl stamps its row every HEARTBEAT seconds; four missed stamps is a dead process, not a
# busy one (a page callback never blocks the reactor that long).
HEARTBEAT = 15.0
STALE_AFTER = 4 * HEARTBEAT
# The reason recorded when a child exits cleanly but never closed its run row.
UNRECORDED = "the crawl exited without recording its result"
INTERRUPTED_REASON = "its process stopped without closing the run (found stale)"


@dataclass
class RunResult:
    """What one crawl of one source did; every caller fills it the same way."""

    source_id: str
    run_id: int
    status: RunStatus = RunStatus.RUNNING
    pages_fetched: int = 0
    articles_seen: int = 0
    articles_new: int = 0
    relevant_new: int = 0
    duplicates_new: int = 0
    errors: int = 0
    reason: str | None = None
    stats: dict = field(default_factory=dict)


def count_errors(stats: Mapping) -> int:
    """Pages that finally failed: retries given up, HTTP errors, callback exceptions."""
    listing = sum(v for k, v in stats.items() if k.startswith(LISTING_FAILED))
    return sum(stats.get(k, 0) for k in ERROR_KEYS) + listing


def outcome(stats: Mapping, close_reason: str) -> tuple[RunStatus, str | None]:
    """A run's status and reason from its close reason and what its start URLs answered.

    A portal that is down is a failed run (so it backs off and alarms), not an empty "ok";
    a crawl stopped by a signal (scheduler shutdown, Ctrl-C) is "stopped", not a failure.
    """
    if close_reason == "shutdown":
        return RunStatus.STOPPED, "stopped by a signal (scheduler or worker shutdown, Ctrl-C)"
    if close_reason not in ("finished", "closespider_pagecount"):
        return RunStatus.FAILED, f"spider closed: {close_reason}"
    answered = stats.get(START_URL_STATUS) or {}
    if not any(status < 400 for status in answered.values()):
        errors = sorted(k.rsplit("/", 1)[-1] for k in stats if k.startswith(EXCEPTION_KEY))
        why = ", ".join(f"{url} answered {status}" for url, status in answered.items())
        return RunStatus.FAILED, (
            f"no start URL could be fetched: {why or ', '.join(errors) or 'no answer'}"
        )
    return RunStatus.OK, None


def _jsonable(stats: Mapping) -> dict:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in stats.items()}


def result_from_stats(source_id: str, run_id: int, stats: Mapping, close_reason: str) -> RunResult:
    """The RunResult of a finished Scrapy crawl (pure: stats in, result out)."""
    counters = {name: int(stats.get(key, 0) or 0) for name, key in STATS_KEYS.items()}
    status, reason = outcome(stats, close_reason)
    kept = _jsonable(stats)
    kept.update(articles_seen=counters["articles_seen"], close_reason=close_reason)
    return RunResult(
        source_id, run_id, status, **counters, errors=count_errors(stats), reason=reason, stats=kept
    )


def _stamp(stats: dict | None, **marks) -> dict:
    return {**(stats or {}), **marks, HEARTBEAT_AT: utcnow().isoformat()}


def open_run(
    db: Database, source_id: str, run_id: int | None = None, *, exclusive: bool = False, **marks
) -> int:
    """Open (or restart, when ``run_id`` names an existing row) a running row; its id.

    ``marks`` go into the row's stats (SCHEDULED or WORKER with a pid). Stale rows of the same
    source are closed as interrupted first, so a dead process's run never stays "running";
    ``exclusive``: the caller holds the source's crawl lock (see close_stale_runs).
    """
    close_stale_runs(db, source_id, held_lock=exclusive)
    with db.session() as session:
        run = session.get(CrawlRun, run_id) if run_id else None
        if run is None:
            run = CrawlRun(source_id=source_id)
            session.add(run)
        run.status, run.started_at = RunStatus.RUNNING, utcnow()
        run.stats = _stamp(run.stats, **{OWNER: proclife.this_process(), **marks})
        session.flush()
        return run.id


def heartbeat(db: Database, run_ids: list[int]) -> None:
    """A sign of life for these running rows (called every HEARTBEAT seconds by the crawl)."""
    with db.session() as session:
        for run in session.scalars(select(CrawlRun).where(CrawlRun.id.in_(run_ids))):
            if run.status == RunStatus.RUNNING:
                run.stats = _stamp(run.stats)


def close_run(db: Database, result: RunResult) -> None:
    """Write a crawl's final result into its row."""
    with db.session() as session:
        run = session.get(CrawlRun, result.run_id)
        if run is None:  # deleted under our feet: nothing to record
            return
        run.finished_at = utcnow()
        run.status = result.status
        run.pages_fetched = result.pages_fetched
        run.articles_new = result.articles_new
        run.errors = result.errors
        run.reason = result.reason
        run.stats = result.stats


def close_if_open(
    db: Database, run_id: int, status: RunStatus, reason: str | None, **extra
) -> RunResult:
    """Finalise a row its crawl child left running (hung, crashed, killed); the row's result.

    A child that exited 0 without closing its row is a failure too: its result is unknown.
    """
    with db.session() as session:
        run = session.get(CrawlRun, run_id)
        if run is None:
            return RunResult("", run_id, status, reason=reason)
        if run.status == RunStatus.RUNNING:
            run.status = RunStatus.FAILED if status == RunStatus.OK else status
            run.reason = reason or UNRECORDED
            run.finished_at = utcnow()
            run.stats = {**(run.stats or {}), **extra}
        return RunResult(
            run.source_id,
            run.id,
            RunStatus(run.status),
            pages_fetched=int(run.pages_fetched or 0),
            articles_new=int(run.articles_new or 0),
            errors=int(run.errors or 0),
            reason=run.reason,
        )


def _last_sign_of_life(run: CrawlRun) -> datetime:
    stamp = (run.stats or {}).get(HEARTBEAT_AT)
    try:
        return datetime.fromisoformat(stamp) if stamp else run.started_at
    except (TypeError, ValueError):
        return run.started_at


def close_stale_runs(
    db: Database,
    source_id: str | None = None,
    *,
    held_lock: bool = False,
    scheduler_lock: bool = False,
) -> int:
    """Close as interrupted the running rows (of one source, or all) whose crawl died.

    A row is stale when it has not been stamped for STALE_AFTER seconds, or when the process
    that opened it ran on this machine and is gone (proclife.is_dead). ``held_lock``: the
    caller holds this source's crawl lock, so a worker's row of it is dead whatever its stamp
    says (workers crawl a source only under that lock). ``scheduler_lock``: the caller has just
    become the one scheduler, so rows another scheduler ran in its own children are dead too
    (those children die with their scheduler), however recent their last stamp.
    """
    cutoff = utcnow() - timedelta(seconds=STALE_AFTER)
    query = select(CrawlRun).where(CrawlRun.status == RunStatus.RUNNING)
    if source_id is not None:
        query = query.where(CrawlRun.source_id == source_id)
    with db.session() as session:
        closed = 0
        for run in session.scalars(query):
            stats = run.stats or {}
            orphan = (held_lock and WORKER in stats) or (
                scheduler_lock and SCHEDULED in stats and WORKER not in stats
            )
            dead = proclife.is_dead(stats.get(OWNER))
            if orphan or dead or _last_sign_of_life(run) < cutoff:
                run.status, run.reason = RunStatus.INTERRUPTED, INTERRUPTED_REASON
                run.finished_at = utcnow()
                closed += 1
        return closed


def count_copies(db: Database, results: list[RunResult]) -> None:
    """Copies among each run's new articles, counted once the run is over: an original stored
    after its copy re-points the copy then, so a count taken at store time is short."""
    with db.session() as session:
        for result in results:
            started = session.scalar(
                select(CrawlRun.started_at).where(CrawlRun.id == result.run_id)
            )
            copies = select(func.count()).select_from(Article)
            copies = copies.where(
                Article.source_id == result.source_id,
                Article.fetched_at >= started,
                Article.duplicate_of_id.is_not(None),
            )
            result.duplicates_new = session.scalar(copies) or 0


class ChildEnding(Protocol):
    """How a crawl child ended (dvcrawl.scheduler.isolation.ChildResult)."""

    returncode: int | None
    duration: float

    @property
    def status(self) -> RunStatus: ...

    @property
    def reason(self) -> str | None: ...


def close_after_child(db: Database, run_id: int, child: ChildEnding) -> RunResult:
    """The scheduler's and the workers' close: the child's own record stands, else its ending."""
    return close_if_open(
        db,
        run_id,
        child.status,
        child.reason,
        child_exit=child.returncode,
        child_seconds=round(child.duration, 2),
    )
