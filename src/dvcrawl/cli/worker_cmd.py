"""``dvcrawl worker``: a distributed crawl worker fed by the shared Redis queue."""

from __future__ import annotations

import argparse

from dvcrawl.cli.common import add_db_arg, add_sources_arg
from dvcrawl.cli.crawl_cmd import add_politeness_args, overrides_from_args
from dvcrawl.config import REDIS_ENV, resolve_db_url, resolve_redis_url, resolve_sources_path
from dvcrawl.errors import ConfigError
from dvcrawl.sources import load_sources


def _positive(name: str, value: float | None) -> None:
    if value is not None and value <= 0:
        raise ConfigError(f"{name} must be positive, got {value}")


def run(args: argparse.Namespace) -> int:
    from dvcrawl.distributed.worker import run_worker  # Scrapy and Redis only when used

    redis_url = resolve_redis_url(args.redis)
    if not redis_url:
        raise ConfigError(f"no Redis: pass --redis URL or set ${REDIS_ENV}")
    _positive("--until-idle", args.until_idle)
    _positive("--heartbeat", args.heartbeat)
    path = resolve_sources_path(args.sources)
    # Jobs carry their source; a sources file only serves requests whose job has expired.
    sources = load_sources(path) if path is not None else []
    run_worker(
        resolve_db_url(args.db),
        redis_url,
        sources=sources,
        until_idle=args.until_idle,
        prefix=args.prefix,
        overrides=overrides_from_args(args),
        heartbeat=args.heartbeat,
    )
    return 0


def register(sub) -> None:
    p = sub.add_parser("worker", help="distributed crawl worker: take requests from Redis")
    add_sources_arg(p)
    add_db_arg(p)
    p.add_argument("--redis", metavar="URL", help=f"Redis URL (default: ${REDIS_ENV})")
    p.add_argument(
        "--prefix",
        metavar="NAME",
        help="prefix of every Redis key (default: $DVCRAWL_REDIS_PREFIX, else 'dvcrawl')",
    )
    p.add_argument(
        "--until-idle",
        type=float,
        metavar="SECONDS",
        help="exit once no worker has had anything to do for this long (default: run forever)",
    )
    p.add_argument(
        "--heartbeat",
        type=float,
        default=5.0,
        metavar="SECONDS",
        help="seconds between liveness stamps; a worker silent for 6 beats is presumed dead",
    )
    add_politeness_args(p)
    p.set_defaults(func=run)
