"""``dvcrawl feeds``: (re)build every feed into a directory and say what changed."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from dvcrawl.cli import EXIT_USAGE
from dvcrawl.cli.common import add_db_arg, database_from_args
from dvcrawl.config import default_feeds_dir
from dvcrawl.feeds.options import resolve
from dvcrawl.settings_table import SETTINGS

if TYPE_CHECKING:
    from dvcrawl.feeds import FeedBuildResult

BASE_URL_ENV, HUB_ENV, LIMIT_ENV, MODE_ENV, TTL_ENV = (
    SETTINGS[key].env for key in ("base_url", "hub", "feed_limit", "publish_mode", "feed_ttl")
)


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
    parser.add_argument(
        "--topic",
        metavar="SLUG",
        help="build only the feeds of this topic (topic-SLUG.rss|.atom|.json)",
    )
    parser.add_argument(
        "--allow-empty",
        action="store_true",
        help="let a feed that has entries be replaced by an empty one (by default it is kept)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from dvcrawl.feeds import build_feeds, feeds_base_url
    from dvcrawl.topics import topic_by_slug

    # Flags, else DVCRAWL_* variables, else defaults; bad values fail before the DB is opened.
    options = resolve(
        base_url=args.base_url, limit=args.limit, mode=args.mode, hub=args.hub, ttl_minutes=args.ttl
    )
    feeds_base_url(options.base_url)
    if args.topic is not None:
        topic_by_slug(args.topic)
    db = database_from_args(args)  # a missing or unmigrated database is refused
    try:
        result = build_feeds(
            db,
            args.out or default_feeds_dir(),
            **asdict(options),
            topic=args.topic,
            allow_empty=args.allow_empty,
        )
    finally:
        db.dispose()
    _report(result)
    if result.kept:
        print(
            f"dvcrawl feeds: kept {len(result.kept)} feeds that have entries instead of emptying "
            f"them: the database ({db.url}) has no publishable articles for them; "
            "pass --allow-empty to empty them",
            file=sys.stderr,
        )
    # Nothing publishable at all is most likely the wrong database: not a success.
    return EXIT_USAGE if result.nothing_publishable else 0


def _report(result: FeedBuildResult) -> None:
    print(f"feeds: {len(result.written)} written, {len(result.unchanged)} unchanged")
    written = set(result.written)
    for info in result.feeds:
        state = "written" if info.path in written else "unchanged"
        print(f"  {state:9} {info.path}  {info.url}")
    for error in result.ping_errors:
        print(f"  WebSub ping failed: {error}")
