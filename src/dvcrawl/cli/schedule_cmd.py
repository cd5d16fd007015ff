"""``dvcrawl schedule``: crawl every source on its interval until SIGINT/SIGTERM."""

from __future__ import annotations

import argparse
import signal
from pathlib import Path

from dvcrawl.cli.common import add_db_arg, add_sources_arg, sources_path_from_args
from dvcrawl.config import default_feeds_dir, resolve_db_url, resolve_redis_url
from dvcrawl.durations import parse_duration


def _duration(text: str) -> float:
    try:
        return parse_duration(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def _positive_int(text: str) -> int:
    if not text.isdigit() or int(text) <= 0:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {text!r}")
    return int(text)


# (flag, type, default, help) of the duration and number options; the defaults are where
# ScheduleOptions explains them.
_TUNING = (
    ("--every", _duration, "30m", "interval of sources that set none (default: 30m)"),
    ("--timeout", _duration, "15m",
     "wall-clock limit of one crawl (default: 15m; a source's own 'timeout' key wins)"),
    ("--memory-mb", _positive_int, 1024,
     "address-space cap of one crawl child in MB (default: 1024)"),
    ("--workers", _positive_int, 4, "crawls running at once (default: 4)"),
    ("--lock-poll", _duration, "5s", "how often a standby tries to take over (default: 5s)"),
    ("--grace", _duration, "10s",
     "time a crawl gets to stop after SIGTERM before SIGKILL (default: 10s)"),
)  # fmt: skip


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
    for flag, kind, default, text in _TUNING:
        metavar = "DURATION" if kind is _duration else "N"
        p.add_argument(flag, type=kind, default=default, metavar=metavar, help=text)
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
