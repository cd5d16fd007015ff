"""``dvcrawl crawl``: crawl sources once and store new articles."""

from __future__ import annotations

import argparse
import sys

from dvcrawl.cli.common import add_db_arg, add_sources_arg, sources_from_args
from dvcrawl.config import politeness_overrides, resolve_db_url
from dvcrawl.errors import ConfigError
from dvcrawl.storage.db import open_database


def add_politeness_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--delay",
        type=float,
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
        overrides[name.strip()] = value
    return overrides


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
    db_url = resolve_db_url(args.db)
    open_database(db_url)  # unreachable database: a clear error before any crawling
    from dvcrawl.runner import run_crawl  # Scrapy and Twisted load only when crawling

    run_ids = {sources[0].id: args.run_id} if args.run_id is not None else None
    summary = run_crawl(
        sources,
        db_url,
        refresh=args.refresh,
        run_ids=run_ids,
        overrides=overrides_from_args(args),
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
