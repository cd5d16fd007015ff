"""Hand one crawl of one source to the workers: a CrawlRun row plus a job in Redis.

This is the single call the scheduler makes when ``DVCRAWL_REDIS_URL`` is set. The job carries
the whole source definition, so workers need no copy of the scheduler's sources file.
"""

from __future__ import annotations

import dataclasses
import json
import logging

from dvcrawl.distributed.keys import JOB_TTL_SECONDS, Keys, connect
from dvcrawl.sources import Source
from dvcrawl.storage.db import open_database
from dvcrawl.storage.models import CrawlRun
from dvcrawl.storage.sources import sync_sources

log = logging.getLogger(__name__)
_TUPLE_FIELDS = {f.name for f in dataclasses.fields(Source) if "tuple" in str(f.type)}


def source_to_dict(source: Source) -> dict:
    return {
        k: list(v) if isinstance(v, tuple) else v for k, v in dataclasses.asdict(source).items()
    }


def source_from_dict(data: dict) -> Source:
    """The inverse of :func:`source_to_dict` (unknown keys from a newer scheduler are ignored)."""
    names = {f.name for f in dataclasses.fields(Source)}
    kwargs = {k: v for k, v in data.items() if k in names}
    for name in _TUPLE_FIELDS & kwargs.keys():
        kwargs[name] = tuple(kwargs[name])
    return Source(**kwargs)


def job_payload(source: Source, run_id: int) -> str:
    return json.dumps({"run_id": run_id, "source": source_to_dict(source)}, ensure_ascii=False)


def parse_job(data: bytes | str) -> tuple[int, Source]:
    """(run id, source) of a job; ValueError names what is wrong with a malformed one."""
    try:
        job = json.loads(data)
        return int(job["run_id"]), source_from_dict(job["source"])
    except (ValueError, KeyError, TypeError) as exc:
        raise ValueError(f"malformed crawl job {data!r:.200}: {exc}") from exc


def enqueue_source(
    redis_url: str, source: Source, db_url: str, *, prefix: str | None = None
) -> int:
    """Open a CrawlRun for ``source`` and queue its crawl for the workers; returns the run id."""
    keys = Keys.from_env(prefix)
    client = connect(redis_url)
    db = open_database(db_url)
    try:  # the scheduler calls this for months: release the connections every time
        with db.session() as session:
            sync_sources(session, [source])
            run = CrawlRun(source_id=source.id, status="running", stats={"distributed": True})
            session.add(run)
            session.flush()
            run_id = run.id
        payload = job_payload(source, run_id)
        with client.pipeline() as pipe:
            pipe.set(keys.job(run_id), payload, ex=JOB_TTL_SECONDS)
            pipe.rpush(keys.jobs, payload)
            pipe.execute()
    finally:
        db.dispose()
        client.close()
    log.info("queued crawl of %s for the workers (run %d)", source.id, run_id)
    return run_id
