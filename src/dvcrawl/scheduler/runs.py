"""Run history rows: the scheduler opens one before spawning and closes it if the child didn't.

The crawl child (``dvcrawl crawl --run-id N``) fills in its own statistics and status; only a
child that hung, crashed or was killed leaves the row "running", and then the scheduler writes
what it knows (timeout, exit code, last output line) so no run is ever left open.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from dvcrawl.scheduler.isolation import ChildResult
from dvcrawl.storage.db import Database
from dvcrawl.storage.models import CrawlRun, utcnow

# Stats key marking a row the scheduler opened (value: its pid), so a manual ``dvcrawl crawl``
# running beside it is never mistaken for one of ours.
SCHEDULED = "scheduled_by"
# The reason recorded when a child exits cleanly but never closed its run row.
UNRECORDED = "the crawl exited without recording its result"


@dataclass(frozen=True)
class RunOutcome:
    """What the scheduler needs after a run: its final status and whether it stored anything."""

    run_id: int
    status: str
    articles_new: int
    reason: str | None


def open_run(db: Database, source_id: str) -> int:
    """Create the run row (status "running") the child will update; its id."""
    with db.session() as session:
        stats = {SCHEDULED: os.getpid()}
        run = CrawlRun(source_id=source_id, status="running", started_at=utcnow(), stats=stats)
        session.add(run)
        session.flush()
        return run.id


def close_run(db: Database, run_id: int, result: ChildResult) -> RunOutcome:
    """Finalise the row when the child left it running; report the row's final state."""
    with db.session() as session:
        run = session.get(CrawlRun, run_id)
        if run is None:  # deleted under our feet: nothing to finalise
            return RunOutcome(run_id, result.status, 0, result.reason)
        if run.status == "running":
            run.status = "failed" if result.status == "ok" else result.status
            run.reason = result.reason or UNRECORDED
            run.finished_at = utcnow()
            stats = dict(run.stats or {})
            stats["child_exit"] = result.returncode
            stats["child_seconds"] = round(result.duration, 2)
            run.stats = stats
        return RunOutcome(run.id, run.status, int(run.articles_new or 0), run.reason)


def close_stale_runs(db: Database) -> int:
    """Runs left "running" by a scheduler that died (power cut, SIGKILL): mark them killed.

    Only the active scheduler (holding the lock) calls this, so no live run of ours is touched;
    rows opened by a manual ``dvcrawl crawl`` carry no SCHEDULED mark and are left alone.
    """
    with db.session() as session:
        running = session.query(CrawlRun).filter(CrawlRun.status == "running").all()
        stale = [run for run in running if SCHEDULED in (run.stats or {})]
        for run in stale:
            run.status = "killed"
            run.reason = "the scheduler stopped while this run was in progress"
            run.finished_at = run.finished_at or utcnow()
        return len(stale)
