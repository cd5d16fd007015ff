"""`dvcrawl demo`: the whole job offline, as a newcomer runs it."""

from __future__ import annotations

import json
import re

import feedparser


def test_demo_crawls_stores_and_publishes(tmp_path, run_cli):
    out = tmp_path / "demo"
    done = run_cli("demo", "--out", str(out))
    assert done.returncode == 0, done.stderr[-3000:]
    found = int(
        re.search(r"articles found:\s+(\d+) \(the sample portals publish (\d+)\)", done.stdout)[1]
    )
    published = int(re.search(r"publish (\d+)\)", done.stdout)[1])
    assert found >= 0.98 * published
    assert int(re.search(r"duplicates:\s+(\d+)", done.stdout)[1]) >= 1
    relevant = int(re.search(r"relevant:\s+(\d+)", done.stdout)[1])
    assert 0 < relevant < found
    feed = feedparser.parse(str(out / "feeds" / "all.rss"))
    assert not feed.bozo and feed.entries
    assert (out / "feeds" / "all.atom").exists()
    rows = [
        json.loads(x)
        for x in run_cli("export", "--db", f"sqlite:///{out / 'demo.sqlite'}").stdout.splitlines()
    ]
    assert len(rows) == found

    # A second demo replaces what the first one wrote, and nothing else ...
    (out / "my-notes.txt").write_text("not the demo's")
    assert run_cli("demo", "--out", str(out)).returncode == 0
    assert (out / "my-notes.txt").read_text() == "not the demo's"
    assert (out / ".dvcrawl-demo").is_file() and (out / "feeds" / "all.rss").is_file()
    # ... but never a directory that is not a demo's.
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me")
    done = run_cli("demo", "--out", str(precious))
    assert done.returncode == 2 and "not empty" in done.stderr
    assert (precious / "notes.txt").read_text() == "keep me"
