"""Kill-and-resume and incremental cost of the crawl, on the sample portals.

1. A first crawl is killed ``--kills`` times at random moments (SIGKILL and SIGTERM in turn,
   each once a random number of further articles is stored, from none to a quarter of what is
   left, plus a random fraction of a second), then run again until a run finishes. Prints the articles missing (target 0) and stored twice (target 0).
2. An unchanged recrawl: article pages fetched (target 0) and pages per source (target <= 12).
3. An epoch with k new articles per source: article pages fetched per source (target <= k + 1).

    python bench/bench_resume.py [--kills 10] [--scale 3] [--seed 7] [--new 3]
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import socketserver
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import func, select

from dvcrawl.sampleportals import SampleNetwork
from dvcrawl.sampleportals.scoring import score_crawl
from dvcrawl.storage.db import Database
from dvcrawl.storage.models import Article, CrawlRun


def crawl(sources: Path, db_url: str, kill_at: int | None = None, sig: int = 0) -> bool:
    """One ``dvcrawl crawl``, sent ``sig`` once ``kill_at`` articles are stored (plus a random
    fraction of a second, to land anywhere in a page's work); True when it hit a live crawl."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "dvcrawl", "crawl", "--sources", str(sources), "--db", db_url,
         "--delay", "0"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    killed = False
    if kill_at is not None:
        db = Database(db_url)
        while proc.poll() is None and len(stored_urls(db)) < kill_at:
            time.sleep(0.05)
        time.sleep(random.uniform(0, 0.5))
        db.dispose()
        if proc.poll() is None:
            proc.send_signal(sig)
            killed = True
    proc.wait(timeout=600)
    return killed


def stored_urls(db: Database) -> list[str]:
    with db.session() as session:
        return list(session.scalars(select(Article.url)))


def article_fetches(net: SampleNetwork) -> tuple[Counter, Counter]:
    """(article pages, all pages) fetched per source since the log was last cleared; an article
    page is one under any of its paths (a varied seed serves one story under several)."""
    articles, pages = Counter(), Counter()
    for r in net.requests:
        if r.path == "/robots.txt":
            continue
        pages[r.site_id] += 1
        if net.page_kind(net.base_url(r.site_id) + r.path) == "article":
            articles[r.site_id] += 1
    return articles, pages


def stored_rows(db: Database) -> list[dict]:
    """The stored articles as score_crawl reads them (url, duplicate_of)."""
    with db.session() as session:
        pairs = session.execute(select(Article.id, Article.url, Article.duplicate_of_id)).all()
    url_of = {i: url for i, url, _ in pairs}
    return [{"url": url, "duplicate_of": url_of.get(dup)} for _, url, dup in pairs]


def kill_and_resume(net, sources: Path, db_url: str, args) -> None:
    random.seed(args.seed)
    db = Database(db_url)
    total = len(net.expected_articles())
    landed = 0
    started = time.monotonic()
    for i in range(args.kills):
        sig = signal.SIGKILL if i % 2 == 0 else signal.SIGTERM
        done = len(stored_urls(db))
        # Anywhere in the next quarter of what is left: start-up, listings or articles.
        kill_at = done + random.randint(0, max(1, (total - done) // 4))
        landed += crawl(sources, db_url, kill_at, sig)
        print(f"kill {i + 1:2d} ({signal.Signals(sig).name}): {len(stored_urls(db))} stored")
    reruns = 0
    while reruns < 3:
        reruns += 1
        crawl(sources, db_url)
        if len(stored_urls(db)) >= len(net.expected_articles()):
            break
    score = score_crawl(net, stored_rows(db))
    with db.session() as session:
        running = session.scalar(
            select(func.count()).select_from(CrawlRun).where(CrawlRun.status == "running")
        )
    print(f"\nkills that hit a running crawl: {landed} of {args.kills}")
    print(f"reruns to finish: {reruns}; total time {time.monotonic() - started:.0f} s")
    print(f"articles expected: {score.expected}, stored: {score.found}")
    print(f"missing: {len(score.missing)} (target 0)")
    print(
        f"stored twice: {len(score.stored_twice)}, not an article: {len(score.unknown)} (target 0)"
    )
    print(f"runs left 'running' by the kills: {running}")
    for url in score.stored_twice[:5]:
        print(f"  stored twice: {url}, as " + "; ".join(score.twice_rows.get(url, [])))
    db.dispose()


def incremental(net, sources: Path, db_url: str, new: int) -> None:
    net.clear_requests()
    crawl(sources, db_url)
    articles, pages = article_fetches(net)
    print("\nunchanged recrawl, per source: article pages / all pages (targets 0 / <= 12)")
    for sid in net.sites:
        print(f"  {sid:<10} {articles[sid]:3d} / {pages[sid]:3d}")
    for sid in net.sites:
        for _ in range(new):
            net.publish(sid)
    net.clear_requests()
    crawl(sources, db_url)
    articles, pages = article_fetches(net)
    print(f"\nepoch with k={new} new articles per source: article pages (target <= {new + 1})")
    for sid in net.sites:
        print(f"  {sid:<10} {articles[sid]:3d}  (all pages {pages[sid]})")
    db = Database(db_url)
    score = score_crawl(net, stored_rows(db))
    db.dispose()
    print(
        f"articles missing after the epoch: {len(score.missing)}, stored twice: "
        f"{len(score.stored_twice)}"
    )


def _quiet(*_args) -> None:
    """A killed crawler resets its connections: the sample server's traceback for each is noise."""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--scale", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7, help="kill moments (and the network)")
    parser.add_argument("--new", type=int, default=3, help="k: new articles per source")
    parser.add_argument("--db", help="database URL (default: a fresh SQLite file)")
    args = parser.parse_args()
    socketserver.BaseServer.handle_error = _quiet
    with (
        tempfile.TemporaryDirectory() as tmp,
        SampleNetwork(scale=args.scale, seed=args.seed) as net,
    ):
        sources = Path(tmp) / "sources.toml"
        sources.write_text(net.sources_toml(), encoding="utf-8")
        db_url = args.db or f"sqlite:///{tmp}/resume.sqlite"
        os.environ.pop("DVCRAWL_DB_URL", None)
        kill_and_resume(net, sources, db_url, args)
        incremental(net, sources, db_url, args.new)
    return 0


if __name__ == "__main__":
    sys.exit(main())
