"""The freshness target, end to end: real scheduler, real crawl children, real sample portals.

With ``--every 10s``, an article published on a portal must appear in ``all.rss`` within 30 s.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

from sqlalchemy import create_engine, inspect, select

from dvcrawl.storage.models import CrawlRun

FRESHNESS = 30.0  # seconds: the target


def rss_links(path: Path) -> set[str]:
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError):  # not written yet
        return set()
    return {item.findtext("link") or "" for item in root.iter("item")}


def first_round_done(db_url: str, source_ids: set[str]) -> bool:
    """Every source has finished a crawl: from then on a crawl only fetches what is new."""
    engine = create_engine(db_url)
    try:
        if not inspect(engine).has_table("crawl_runs"):
            return False
        with engine.connect() as conn:
            done = conn.execute(
                select(CrawlRun.source_id).where(CrawlRun.status == "ok").distinct()
            )
            return source_ids <= set(done.scalars())
    finally:
        engine.dispose()


def sources_toml(sources) -> str:
    """A sources file for some of the sample portals (JSON strings are valid TOML strings)."""
    return "\n".join(
        f"[[sources]]\nid = {json.dumps(s.id)}\nname = {json.dumps(s.name, ensure_ascii=False)}\n"
        f"start_urls = {json.dumps(list(s.start_urls))}\n"
        for s in sources
    )


def wait_for(check, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.25)
    return False


def test_published_article_reaches_all_rss_within_30s(tmp_path, sqlite_url, sample_network):
    sources = tmp_path / "sources.toml"
    sites = sample_network.sources[:2]  # two portals: enough to show isolation, half the wait
    sources.write_text(sources_toml(sites))
    feeds, log = tmp_path / "feeds", tmp_path / "schedule.log"
    site = sites[0].id
    argv = [sys.executable, "-m", "dvcrawl", "schedule", "--sources", str(sources),
            "--db", sqlite_url, "--feeds-out", str(feeds), "--every", "10s"]  # fmt: skip
    with open(log, "wb") as out:
        # Local portals need no politeness delay; crawl children inherit the setting.
        env = {**os.environ, "DVCRAWL_DOWNLOAD_DELAY": "0"}
        proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, env=env)
        try:
            # The first round of crawls fills the feed; only then is freshness measurable.
            ids = {s.id for s in sites}
            assert wait_for(lambda: first_round_done(sqlite_url, ids), 240), log.read_text()
            assert wait_for(lambda: rss_links(feeds / "all.rss"), 10), log.read_text()
            article = sample_network.publish(site)
            published = time.monotonic()
            assert article.url not in rss_links(feeds / "all.rss")
            arrived = wait_for(lambda: article.url in rss_links(feeds / "all.rss"), FRESHNESS)
            took = time.monotonic() - published
            assert arrived, f"{article.url} not in all.rss after {FRESHNESS}s\n{log.read_text()}"
            print(f"freshness: {took:.1f}s")
        finally:
            proc.send_signal(signal.SIGTERM)
            code = proc.wait(60)
    assert code == 0, log.read_text()
