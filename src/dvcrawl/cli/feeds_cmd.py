"""``dvcrawl feeds``: (re)build every feed into a directory and say what changed."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from pathlib import Path

from dvcrawl.cli.common import add_db_arg, database_from_args
from dvcrawl.config import default_feeds_dir
from dvcrawl.feeds.options import BASE_URL_ENV, HUB_ENV, LIMIT_ENV, MODE_ENV, TTL_ENV, resolve


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "feeds",
        help="build RSS, Atom, JSON Feed and OPML files",
        description="Rebuild every feed (all, per source, per province) into DIR. "
        "Files whose content did not change are left untouched.",
    )
    parser.add_argument(
        "--out",
        metavar="DIR",
        type=Path,
        help="directory for the feeds (default: <data dir>/feeds, where `dvcrawl serve` looks)",
    )
    add_db_arg(parser)
    parser.add_argument(
        "--base-url",
        metavar="URL",
        help=f"public URL of the site serving /feeds/ (or of the feeds directory itself); "
        f"default ${BASE_URL_ENV}, else http://localhost:8000/",
    )
    parser.add_argument(
        "--limit", metavar="N", help=f"articles per feed (default ${LIMIT_ENV}, else 50)"
    )
    parser.add_argument(
        "--mode",
        metavar="auto|approved",
        help=f"auto: every relevant article until rejected; approved: only approved ones "
        f"(default ${MODE_ENV}, else auto)",
    )
    parser.add_argument("--hub", metavar="URL", help=f"WebSub hub to ping (default ${HUB_ENV})")
    parser.add_argument(
        "--ttl",
        metavar="MINUTES",
        help=f"feed ttl, the crawl interval (default ${TTL_ENV}, else 30)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from dvcrawl.feeds import build_feeds

    # Flags, else DVCRAWL_* variables, else defaults; bad values fail before the DB is opened.
    options = resolve(
        base_url=args.base_url, limit=args.limit, mode=args.mode, hub=args.hub, ttl_minutes=args.ttl
    )
    db = database_from_args(args)
    try:
        result = build_feeds(db, args.out or default_feeds_dir(), **asdict(options))
    finally:
        db.dispose()
    print(f"feeds: {len(result.written)} written, {len(result.unchanged)} unchanged")
    written = set(result.written)
    for info in result.feeds:
        state = "written" if info.path in written else "unchanged"
        print(f"  {state:9} {info.path}  {info.url}")
    for error in result.ping_errors:
        print(f"  WebSub ping failed: {error}")
    return 0
