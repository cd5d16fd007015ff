"""Redis mode (docs/contract.md: ``DVCRAWL_REDIS_URL`` set): due crawls go to ``dvcrawl worker``s.

The scheduler then runs no child: it queues a whole-source crawl job (dvcrawl.jobqueue), and
the worker that takes it opens and closes the run row through storage/runs.py, exactly as a
scheduler child would. What the scheduler still owns is the schedule: a source whose previous
job is still queued or running is not queued again, back-off reads the same failure streak,
and jobs of workers that died are requeued promptly.
"""

from __future__ import annotations

import logging
from pathlib import Path

from dvcrawl.jobqueue.queue import connect, enqueue_crawl, prefix_from_env, requeue_abandoned
from dvcrawl.sources import Source

log = logging.getLogger(__name__)


class RemoteCrawls:
    """The scheduler's handle on the crawl queue."""

    def __init__(self, redis_url: str, prefix: str | None = None) -> None:
        self.client = connect(redis_url)
        self.prefix = prefix_from_env(prefix)

    def hand_off(self, source: Source, sources_file: Path, timeout: float) -> bool:
        """Queue one crawl of ``source`` unless one is pending; True when queued."""
        queued = enqueue_crawl(
            self.client, self.prefix, source.id, sources_file.read_text("utf-8"), timeout
        )
        if queued:
            log.info("%s: crawl queued for the workers", source.id)
        else:
            log.info("%s: the workers are still on the previous crawl; not queued again", source.id)
        return queued

    def requeue_abandoned(self) -> None:
        requeue_abandoned(self.client, self.prefix)

    def close(self) -> None:
        self.client.close()
