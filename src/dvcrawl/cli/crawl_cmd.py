"""``dvcrawl crawl``: crawl sources once and store new articles."""

from __future__ import annotations

import argparse
import sys

from dvcrawl.cli.common import add_db_arg, add_sources_arg, sources_from_args
from dvcrawl.config import politeness_overrides, resolve_db_url
from dvcrawl.errors import ConfigError
from dvcrawl.settings_table import argtype


def add_politeness_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--delay",
        type=argtype("delay"),
        metavar="SECONDS",
        help="minimum delay between requests to one portal "
        "(default $DVCRAWL_DOWNLOAD_DELAY, else 0.5; AutoThrottle adapts)",
    )
    parser.add_argument(
        "-s",
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a Scrapy setting, e.g. -s CONCURRENT_REQUESTS_PER_DOMAIN=2",
    )


def overrides_from_args(args: argparse.Namespace) -> dict:
    overrides = politeness_overrides(args.delay)
    for item in args.set:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise ConfigError(f"--set expects NAME=VALUE, got {item!r}")
        overrides[name.strip()] = checked_setting(name.strip(), value)
    return overrides


def checked_setting(name: str, value: str) -> str:
    """``value`` if it suits dvcrawl's bounds or the type of Scrapy's default for ``name``.

    ``-s CONCURRENT_REQUESTS=abc`` used to fail inside the crawler after the run was opened,
    leaving it "running" and exiting 0; a number setting must get a finite number.
    """
    import math

    from scrapy.settings import default_settings

    from dvcrawl import settings as dv_settings
    from dvcrawl.settings_table import BY_NAME

    ours = BY_NAME.get(name)
    if ours is not None and ours.scrapy == name:  # dvcrawl's own: the table's bounds
        try:
            ours.parse(value)
        except ValueError as exc:
            raise ConfigError(f"--set {name}: {exc}") from None
        return value
    default = getattr(dv_settings, name, getattr(default_settings, name, None))
    kind = type(default)
    if kind in (int, float) and default is not None:
        try:
            number = kind(value)
        except ValueError:
            raise ConfigError(f"--set {name}: expected {kind.__name__}, got {value!r}") from None
        if not math.isfinite(number) or number < 0:
            raise ConfigError(f"--set {name}: expected a finite number >= 0, got {value!r}")
    elif kind is bool and value.strip().lower() not in ("0", "1", "true", "false"):
        raise ConfigError(f"--set {name}: expected true or false, got {value!r}")
    return value


def print_summary(summary, out=sys.stdout) -> None:
    print(
        f"{'source':<16} {'status':<7} {'pages':>6} {'seen':>6} {'new':>5} {'relevant':>8} "
        f"{'copies':>6} {'errors':>6}",
        file=out,
    )
    for s in summary.sources:
        print(
            f"{s.source_id:<16} {s.status:<7} {s.pages_fetched:>6} {s.articles_seen:>6} "
            f"{s.articles_new:>5} {s.relevant_new:>8} {s.duplicates_new:>6} {s.errors:>6}",
            file=out,
        )


def run(args: argparse.Namespace) -> int:
    sources = sources_from_args(args)
    if args.run_id is not None and len(sources) != 1:
        raise ConfigError("--run-id needs exactly one --source")
    overrides = overrides_from_args(args)  # a bad -s or --delay: refused before any run opens
    from dvcrawl.storage.db import open_database

    db_url = resolve_db_url(args.db)
    open_database(db_url)  # unreachable database: a clear error before any crawling
    from dvcrawl.runner import run_crawl  # Scrapy and Twisted load only when crawling

    run_ids = {sources[0].id: args.run_id} if args.run_id is not None else None
    summary = run_crawl(
        sources,
        db_url,
        refresh=args.refresh,
        run_ids=run_ids,
        overrides=overrides,
    )
    print_summary(summary)
    return 0


def register(sub) -> None:
    p = sub.add_parser("crawl", help="crawl sources once and store new articles")
    add_sources_arg(p)
    p.add_argument(
        "--source",
        action="extend",
        nargs="+",
        metavar="ID",
        help="crawl only these source ids (default: every enabled source)",
    )
    add_db_arg(p)
    p.add_argument(
        "--refresh",
        action="store_true",
        help="fetch known articles and listings again (no incremental skipping)",
    )
    p.add_argument("--run-id", type=int, help=argparse.SUPPRESS)  # the scheduler's CrawlRun row
    add_politeness_args(p)
    p.set_defaults(func=run)
