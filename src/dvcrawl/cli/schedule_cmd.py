"""``dvcrawl schedule``: crawl every source on its interval until SIGINT/SIGTERM."""

from __future__ import annotations

import argparse
import signal
from pathlib import Path

from dvcrawl.cli.common import add_db_arg, add_sources_arg, sources_path_from_args
from dvcrawl.config import default_feeds_dir, resolve_db_url, resolve_redis_url
from dvcrawl.settings_table import SETTINGS, argtype

# (flag, settings_table key, note) of the duration and number options; their defaults,
# meanings and bounds are rows of dvcrawl.settings_table.
_TUNING = (
    ("--every", "every", ""),
    ("--timeout", "timeout", "; a source's own 'timeout' key wins"),
    ("--memory-mb", "memory_mb", ""),
    ("--workers", "workers", ""),
    ("--lock-poll", "lock_poll", ""),
    ("--grace", "grace", ""),
)


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "schedule",
        help="run the scheduler in the foreground until SIGINT/SIGTERM",
        description="Crawl each source on its interval, each crawl in a child process with a "
        "timeout and a memory cap, and rebuild the feeds as soon as crawls store something. "
        "SIGHUP re-reads the sources file. With $DVCRAWL_REDIS_URL set, due crawls are "
        "handed to `dvcrawl worker` processes instead. See docs/operators.md.",
    )
    add_sources_arg(p)
    add_db_arg(p)
    p.add_argument(
        "--feeds-out",
        metavar="DIR",
        help="rebuild the feeds into DIR (default: ./data/feeds, where `serve` looks)",
    )
    p.add_argument("--base-url", metavar="URL", help="public URL of the feeds directory")
    for flag, key, note in _TUNING:
        default, meaning = SETTINGS[key].default, SETTINGS[key].meaning
        metavar = "N" if isinstance(default, int) else "DURATION"
        text = f"{meaning} (default: {default}{note})"
        p.add_argument(flag, type=argtype(key), default=default, metavar=metavar, help=text)
    p.add_argument(
        "--no-standby",
        dest="standby",
        action="store_false",
        help="exit when another scheduler holds the lock instead of waiting",
    )
    p.add_argument(
        "--crawl-command",
        metavar="TEMPLATE",
        help="advanced: the child command, with {python} {sources} {source} {db} "
        "{run_id} placeholders (default: {python} -m dvcrawl crawl ...)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from dvcrawl.scheduler.service import ScheduleOptions, SchedulerService

    options = ScheduleOptions(
        sources_path=sources_path_from_args(args),
        db_url=resolve_db_url(args.db),
        feeds_out=Path(args.feeds_out) if args.feeds_out else default_feeds_dir(),
        every=args.every,
        timeout=args.timeout,
        memory_mb=args.memory_mb,
        workers=args.workers,
        standby=args.standby,
        lock_poll=args.lock_poll,
        grace=args.grace,
        crawl_command=args.crawl_command,
        base_url=args.base_url,
        redis_url=resolve_redis_url(None),
    )
    service = SchedulerService(options)
    signal.signal(signal.SIGTERM, service.request_stop)
    signal.signal(signal.SIGINT, service.request_stop)
    signal.signal(signal.SIGHUP, service.request_reload)
    return service.run()
