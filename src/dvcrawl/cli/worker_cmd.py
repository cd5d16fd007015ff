"""``dvcrawl worker``: serve whole-source crawl jobs from the Redis queue (dvcrawl.jobqueue)."""

from __future__ import annotations

import argparse

from dvcrawl.cli.common import add_db_arg, add_sources_arg
from dvcrawl.cli.crawl_cmd import add_politeness_args, checked_setting
from dvcrawl.config import REDIS_ENV, resolve_db_url, resolve_redis_url, resolve_sources_path
from dvcrawl.errors import ConfigError
from dvcrawl.settings_table import SETTINGS, argtype


def _crawl_args(args: argparse.Namespace) -> tuple[str, ...]:
    """The worker's --delay and -s, passed on to each crawl child as they were given."""
    extra: list[str] = []
    if args.delay is not None:
        if args.delay < 0:
            raise ConfigError(f"--delay must not be negative, got {args.delay}")
        extra += ["--delay", str(args.delay)]
    for item in args.set:
        if "=" not in item or not item.partition("=")[0].strip():
            raise ConfigError(f"--set expects NAME=VALUE, got {item!r}")
        checked_setting(item.partition("=")[0].strip(), item.partition("=")[2])
        extra += ["-s", item]
    return tuple(extra)


def run(args: argparse.Namespace) -> int:
    from dvcrawl.jobqueue.job import WorkerConfig  # RQ and Redis only when used
    from dvcrawl.jobqueue.queue import prefix_from_env
    from dvcrawl.jobqueue.worker import run_worker
    from dvcrawl.sources import load_sources
    from dvcrawl.storage.db import open_database

    redis_url = resolve_redis_url(args.redis)
    if not redis_url:
        raise ConfigError(f"no Redis: pass --redis URL or set ${REDIS_ENV}")
    if args.until_idle is not None and not 0 < args.until_idle < float("inf"):  # nan too
        raise ConfigError(f"--until-idle must be positive, got {args.until_idle}")
    path = resolve_sources_path(args.sources)
    if path is not None:  # jobs carry their sources; a given file is still checked up front
        load_sources(path)
    db_url = resolve_db_url(args.db)
    open_database(db_url).dispose()  # unreachable database: a clear error before serving
    config = WorkerConfig(
        db_url=db_url,
        redis_url=redis_url,
        prefix=prefix_from_env(args.prefix),
        memory_mb=args.memory_mb,
        crawl_args=_crawl_args(args),
    )
    run_worker(config, until_idle=args.until_idle)
    return 0


def register(sub) -> None:
    p = sub.add_parser(
        "worker",
        help="distributed crawl worker: whole-source crawls from the Redis queue",
        description="Serve crawl jobs queued by `dvcrawl schedule` (with $DVCRAWL_REDIS_URL "
        "set): one whole-source crawl at a time, each in a child process, never a portal "
        "that another worker is crawling. SIGTERM finishes the current crawl first.",
    )
    add_sources_arg(p)
    add_db_arg(p)
    p.add_argument("--redis", metavar="URL", help=f"Redis URL (default: ${REDIS_ENV})")
    p.add_argument(
        "--prefix",
        metavar="NAME",
        help="prefix of the queue and every Redis key (default: $DVCRAWL_REDIS_PREFIX, "
        "else 'dvcrawl')",
    )
    p.add_argument(
        "--until-idle",
        type=float,
        metavar="SECONDS",
        help="exit once the queue has been empty this long (default: run forever)",
    )
    p.add_argument(
        "--memory-mb",
        type=argtype("memory_mb"),
        default=SETTINGS["memory_mb"].default,
        metavar="N",
        help=f"{SETTINGS['memory_mb'].meaning} (default: {SETTINGS['memory_mb'].default})",
    )
    add_politeness_args(p)
    p.set_defaults(func=run)
