"""Redis mode (CONTRACT: ``DVCRAWL_REDIS_URL`` set): due crawls go to ``dvcrawl worker``s.

The scheduler then runs no child: it queues the crawl (dvcrawl.distributed.enqueue) and the
workers close the run row when its last request is handled. What the scheduler still owns is
the schedule itself: a source whose previous hand-off is still running is not queued again
(``max_instances=1`` across processes), and a hand-off the workers did not finish within the
crawl timeout is recorded as "timeout" so the source is queued afresh and backs off.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import select

from dvcrawl.sources import Source
from dvcrawl.storage.db import Database
from dvcrawl.storage.models import CrawlRun, utcnow

log = logging.getLogger(__name__)


def still_running(db: Database, source_id: str, timeout: float) -> bool:
    """Is a hand-off of this source in progress? Ones older than ``timeout`` are timed out."""
    with db.session() as session:
        open_runs = session.scalars(
            select(CrawlRun).where(CrawlRun.source_id == source_id, CrawlRun.status == "running")
        ).all()
        cutoff = utcnow() - timedelta(seconds=timeout)
        busy = False
        for run in open_runs:
            if run.started_at >= cutoff:
                busy = True
                continue
            run.status, run.finished_at = "timeout", utcnow()
            run.reason = f"the workers did not finish this crawl within {timeout:g}s"
        return busy


def hand_off(redis_url: str, db: Database, source: Source, timeout: float) -> int | None:
    """Queue one crawl of ``source`` for the workers unless one is still running; run id."""
    from dvcrawl.distributed.enqueue import enqueue_source

    if still_running(db, source.id, timeout):
        log.info("%s: the workers are still on the previous crawl; not queued again", source.id)
        return None
    return enqueue_source(redis_url, source, db.url)
