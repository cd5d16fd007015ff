"""``dvcrawl worker``: an RQ worker on the crawl queue, one whole-source crawl at a time.

RQ forks a work horse per job, so each crawl starts from a fresh process (Scrapy's reactor
cannot restart), and one worker runs one job at a time: one portal in flight per worker.
The heartbeat and registry intervals are shortened from RQ's defaults so that a killed
worker's job is requeued within about a minute and a half (docs/deployment.md).
"""

from __future__ import annotations

import logging
import os
import socket
import uuid

from rq import Worker
from rq.job import Job

from dvcrawl.jobqueue.job import WorkerConfig, configure
from dvcrawl.jobqueue.queue import connect, crawl_queue

log = logging.getLogger(__name__)

# Seconds between the worker's heartbeats while a crawl runs, and how long past a missed one
# its job counts as abandoned (RQ's default margin is 60 s): a job of a worker silent for 35 s
# is requeued by the next registry clean-up. A live job wrongly requeued under extreme load
# is harmless: its second copy waits for the source's lock.
JOB_MONITORING_INTERVAL = 5
HEARTBEAT_MARGIN = 30
# A worker idle in its queue wakes this often (RQ: worker_ttl - 15 s) ...
WORKER_TTL = 20
# ... and cleans the registries (requeues abandoned jobs) at most this often.
MAINTENANCE_INTERVAL = 10


class CrawlWorker(Worker):
    """RQ's forking worker with a shorter abandonment margin (see HEARTBEAT_MARGIN)."""

    def get_heartbeat_ttl(self, job: Job, working_time: float = 0.0) -> int:
        return JOB_MONITORING_INTERVAL + HEARTBEAT_MARGIN


def run_worker(config: WorkerConfig, *, until_idle: float | None = None) -> None:
    """Serve crawl jobs until stopped (SIGTERM: finish the current crawl first), or until
    idle for ``until_idle`` seconds."""
    configure(config)
    client = connect(config.redis_url)
    worker = CrawlWorker(
        [crawl_queue(client, config.prefix)],
        connection=client,
        name=f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}",
        worker_ttl=WORKER_TTL,
        job_monitoring_interval=JOB_MONITORING_INTERVAL,
        maintenance_interval=MAINTENANCE_INTERVAL,
    )
    log.info("worker %s: serving queue %r", worker.name, config.prefix)
    worker.work(
        max_idle_time=int(until_idle) if until_idle else None,
        logging_level=logging.getLevelName(logging.getLogger().level),
        with_scheduler=False,
    )
