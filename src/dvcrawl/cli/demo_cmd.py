"""``dvcrawl demo``: the whole job offline, on the bundled sample portals."""

from __future__ import annotations

import argparse
import logging
import shutil
from pathlib import Path

from dvcrawl.errors import ConfigError
from dvcrawl.settings_table import SETTINGS, argtype

log = logging.getLogger(__name__)


def _count(session, *where) -> int:
    from sqlalchemy import func, select

    from dvcrawl.storage.models import Article

    return session.scalar(select(func.count()).select_from(Article).where(*where)) or 0


def print_summary(db, out_dir: Path, feeds, expected: int) -> None:
    from sqlalchemy import func, select

    from dvcrawl.storage.models import Article

    with db.session() as session:
        total = _count(session)
        relevant = _count(session, Article.relevant.is_(True))
        copies = _count(session, Article.duplicate_of_id.is_not(None))
        sources = session.execute(
            select(Article.source_id, func.count()).group_by(Article.source_id)
        ).all()
    print(f"articles found:   {total} (the sample portals publish {expected})")
    print(f"relevant:         {relevant} about công tác dân vận")
    print(f"duplicates:       {copies} syndicated copies linked to their original")
    for source_id, count in sorted(sources):
        print(f"  {source_id:<12} {count} articles")
    print(f"database:         {db.url}")
    print(f"feeds ({len(feeds.feeds)}):")
    for feed in feeds.feeds:
        if feed.name.startswith("all.") or feed.name.endswith(".opml"):
            print(f"  {feed.path}")
    print(f"  ... and per-source/per-province feeds in {out_dir / 'feeds'}")


DEMO_DB = "demo.sqlite"
# Written by the demo itself before anything else: only a directory holding it is a demo's.
# (A file named demo.sqlite proves nothing: it may be someone's own database.)
DEMO_MARKER = ".dvcrawl-demo"
# Everything a demo writes; a new demo removes exactly these and leaves any other file alone.
DEMO_ENTRIES = (DEMO_DB, f"{DEMO_DB}-wal", f"{DEMO_DB}-shm", "sources.toml", "feeds", DEMO_MARKER)


def _clear_demo(out_dir: Path) -> None:
    for name in DEMO_ENTRIES:
        path = out_dir / name
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            path.unlink()


def prepare_out_dir(out_dir: Path) -> Path:
    """A directory for this demo: a previous demo's files are removed, anything else refused."""
    if out_dir.exists() and not out_dir.is_dir():
        raise ConfigError(f"--out {out_dir} is a file, not a directory")
    try:
        if out_dir.exists() and any(out_dir.iterdir()):
            if not (out_dir / DEMO_MARKER).is_file():
                raise ConfigError(
                    f"--out {out_dir} is not empty and was not written by a demo (no "
                    f"{DEMO_MARKER} file); choose another --out directory"
                )
            _clear_demo(out_dir)  # the sample portals' ports change: old demo rows mean nothing
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / DEMO_MARKER).write_text("written by `dvcrawl demo`\n", encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"--out {out_dir}: cannot write there: {exc.strerror or exc}") from exc
    return out_dir


def run(args: argparse.Namespace) -> int:
    # Imported here: the crawler and the sample portals are heavy, and --help should be quick.
    from dvcrawl.feeds import build_feeds
    from dvcrawl.runner import run_crawl
    from dvcrawl.sampleportals import SampleNetwork
    from dvcrawl.storage.db import open_database

    out_dir = prepare_out_dir(Path(args.out).resolve())
    db_url = f"sqlite:///{out_dir / DEMO_DB}"
    with SampleNetwork(scale=args.scale) as net:
        (out_dir / "sources.toml").write_text(net.sources_toml(), encoding="utf-8")
        log.info("sample portals: %s", ", ".join(net.base_url(s.id) for s in net.sources))
        expected = len(net.expected_articles())
        run_crawl(
            net.sources, db_url, overrides={"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_START_DELAY": 0.05}
        )
    db = open_database(db_url)
    feeds = build_feeds(db, out_dir / "feeds", base_url="http://localhost:8080/feeds/")
    print_summary(db, out_dir, feeds, expected)
    return 0


def register(sub) -> None:
    p = sub.add_parser(
        "demo",
        help="offline demo: crawl the bundled sample portals, store, build feeds, summarise",
    )
    p.add_argument(
        "--out",
        default="dvcrawl-demo",
        help="directory for the demo's database, "
        "sources file and feeds (recreated on each run; default ./dvcrawl-demo)",
    )
    p.add_argument(
        "--scale",
        type=argtype("demo_scale"),
        default=SETTINGS["demo_scale"].default,
        help="multiply the sample articles",
    )
    p.set_defaults(func=run)
