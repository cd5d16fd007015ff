"""Kill a crawl at a random moment (SIGKILL, then SIGTERM), run it again: every article of the
sample portals is stored exactly once, none lost to a listing that answers 304, and no run is
left "running"."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter

from sqlalchemy import func, select

from dvcrawl.storage.db import Database
from dvcrawl.storage.models import Article, CrawlRun
from test_crawl import FAST, crawl, expected_by_url, export


def stored(db: Database) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(Article)) or 0


def crawl_killed_at(sources, db_url: str, db: Database, at: int, sig: int) -> int:
    """Start a crawl, send ``sig`` once ``at`` articles are stored; the count when it died."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "dvcrawl", "crawl", "--sources", str(sources), "--db", db_url,
         *FAST],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=dict(os.environ),
    )  # fmt: skip
    deadline = time.monotonic() + 300
    while proc.poll() is None and stored(db) < at and time.monotonic() < deadline:
        time.sleep(0.05)
    if proc.poll() is None:
        proc.send_signal(sig)
    proc.wait(timeout=120)
    return stored(db)


def test_killed_crawls_resume_and_store_every_article_once(
    sample_network, tmp_path, db_url, run_cli
):
    sources = tmp_path / "sources.toml"
    sources.write_text(sample_network.sources_toml(), encoding="utf-8")
    expected = expected_by_url(sample_network)
    seed = random.randrange(10**6)
    rng = random.Random(seed)
    db = Database(db_url)
    first = crawl_killed_at(sources, db_url, db, rng.randint(5, len(expected) // 3), signal.SIGKILL)
    second = crawl_killed_at(
        sources, db_url, db, first + rng.randint(5, len(expected) // 3), signal.SIGTERM
    )
    db.dispose()
    assert first < second < len(expected), (seed, first, second)

    crawl(run_cli, sources, db_url)
    urls = [row["url"] for row in export(run_cli, db_url)]
    assert len(urls) == len(set(urls)), f"seed {seed}: an article stored twice"
    missing = sorted(expected.keys() - set(urls))
    assert not missing, f"seed {seed}: {len(missing)} lost, e.g. {missing[:3]}"
    assert set(urls) <= expected.keys()
    db = Database(db_url)
    with db.session() as session:
        statuses = Counter(session.scalars(select(CrawlRun.status)))
    db.dispose()
    # the two killed runs' processes are gone: the rerun closed their rows at once
    assert statuses["running"] == 0 and statuses["interrupted"] >= 1, statuses
