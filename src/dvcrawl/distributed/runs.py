"""Book-keeping of distributed runs: a pending-request counter per run in Redis, and the
CrawlRun row closed by whichever worker finishes the run's last request.

Every request of a run that enters the shared queue counts +1; it counts -1 when its worker
has handled it completely (page fetched, followers queued, article stored). Zero pending means
the crawl is over, wherever its pages were fetched.
"""

from __future__ import annotations

import logging

import redis

from dvcrawl.distributed.keys import JOB_TTL_SECONDS, Keys
from dvcrawl.storage.db import Database
from dvcrawl.storage.models import CrawlRun, utcnow

log = logging.getLogger(__name__)
PENDING = "pending"
COUNTERS = ("pages_fetched", "articles_new", "relevant_new", "duplicates_new", "errors")


class RunBook:
    def __init__(self, client: redis.Redis, keys: Keys, db: Database) -> None:
        self.client, self.keys, self.db = client, keys, db

    def count(self, run_id: int | None, field: str, amount: int = 1) -> int:
        if run_id is None:
            return 0
        key = self.keys.run(run_id)
        with self.client.pipeline() as pipe:
            pipe.hincrby(key, field, amount)
            pipe.expire(key, JOB_TTL_SECONDS)
            value, _ = pipe.execute()
        return int(value)

    def add_pending(self, run_id: int | None) -> None:
        self.count(run_id, PENDING, 1)

    def done_pending(self, run_id: int | None) -> None:
        """One request of the run is handled; close the run when it was the last."""
        if run_id is not None and self.count(run_id, PENDING, -1) <= 0:
            self.finish(run_id)

    def counters(self, run_id: int) -> dict[str, int]:
        raw = self.client.hgetall(self.keys.run(run_id))
        return {k.decode(): int(v) for k, v in raw.items()}

    def finish(self, run_id: int) -> None:
        values = self.counters(run_id)
        with self.db.session() as session:
            run = session.get(CrawlRun, run_id)
            if run is None or run.status != "running":
                # gone, or given up by the scheduler ("timeout"): its verdict stands
                log.info("run %d finished; its row says %s", run_id, run and run.status)
                return
            run.finished_at = utcnow()
            run.status = "ok"
            run.pages_fetched = values.get("pages_fetched", 0)
            run.articles_new = values.get("articles_new", 0)
            run.errors = values.get("errors", 0)
            run.stats = {"distributed": True, **{k: values.get(k, 0) for k in COUNTERS}}
            source_id = run.source_id
        log.info("%s: run %d finished: %s", source_id, run_id, values)

    def started(self, run_id: int) -> None:
        with self.db.session() as session:
            run = session.get(CrawlRun, run_id)
            if run is not None and run.finished_at is None:
                run.status, run.started_at = "running", utcnow()
