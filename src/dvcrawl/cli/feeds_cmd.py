"""``dvcrawl feeds``: (re)build every feed into a directory and say what changed."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from dvcrawl.cli.common import add_db_arg, database_from_args
from dvcrawl.config import data_dir
from dvcrawl.errors import ConfigError

LIMIT_ENV = "DVCRAWL_FEED_LIMIT"
MODE_ENV = "DVCRAWL_PUBLISH_MODE"
HUB_ENV = "DVCRAWL_WEBSUB_HUB"
BASE_URL_ENV = "DVCRAWL_BASE_URL"
TTL_ENV = "DVCRAWL_FEED_TTL"


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


def _whole_number(value: str, what: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise ConfigError(f"{what} must be a whole number, not {value!r}") from None
    if number < 1:
        raise ConfigError(f"{what} must be at least 1, not {number}")
    return number


def options_from_args(args: argparse.Namespace) -> dict:
    """build_feeds keyword arguments: flag, else DVCRAWL_* environment, else the default."""
    mode = args.mode or os.environ.get(MODE_ENV) or "auto"
    if mode not in ("auto", "approved"):
        raise ConfigError(f"--mode must be auto or approved, not {mode!r}")
    return {
        "base_url": args.base_url or os.environ.get(BASE_URL_ENV) or None,
        "limit": _whole_number(args.limit or os.environ.get(LIMIT_ENV) or "50", "--limit"),
        "mode": mode,
        "hub": args.hub or os.environ.get(HUB_ENV) or None,
        "ttl_minutes": _whole_number(args.ttl or os.environ.get(TTL_ENV) or "30", "--ttl"),
    }


def run(args: argparse.Namespace) -> int:
    from dvcrawl.feeds import build_feeds

    options = options_from_args(args)  # bad options fail before the database is opened
    db = database_from_args(args)
    try:
        result = build_feeds(db, args.out or data_dir() / "feeds", **options)
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
