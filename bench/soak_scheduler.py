"""Soak the scheduler: many short runs, printing the scheduler process's RSS as they go.

The target (issue 6): memory of the scheduler process stays flat over 200 runs. It runs a real
``dvcrawl schedule`` process on a throwaway SQLite database with a trivial crawl child (exit 0
after recording its run, or a crash every few runs so the failure path is soaked too), and
reads VmRSS from /proc every 20 finished runs.

    python bench/soak_scheduler.py [--runs 200] [--sources 4] [--every 1s]
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, func, inspect, select

from dvcrawl.storage.models import CrawlRun

# The child: record the run as ok (one new article) except every 7th, which crashes.
CHILD = """
import sys
from datetime import UTC, datetime
from sqlalchemy import create_engine, text
run_id, db = int(sys.argv[1]), sys.argv[2]
if run_id % 7 == 0:
    raise SystemExit("simulated crash")
with create_engine(db).begin() as conn:
    conn.execute(text("UPDATE crawl_runs SET status='ok', articles_new=0, pages_fetched=1, "
                      "finished_at=:f WHERE id=:id"),
                 {"f": datetime.now(UTC).replace(tzinfo=None), "id": run_id})
"""


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def finished_runs(engine) -> int:
    if not inspect(engine).has_table("crawl_runs"):
        return 0
    with engine.connect() as conn:
        query = select(func.count()).where(CrawlRun.status != "running")
        return int(conn.execute(query).scalar() or 0)


def write_inputs(work: Path, n_sources: int) -> Path:
    (work / "child.py").write_text(CHILD)
    lines = [
        f'[[sources]]\nid = "s{i}"\nname = "Soak {i}"\nstart_urls = ["http://127.0.0.1:9/{i}/"]\n'
        for i in range(n_sources)
    ]
    (work / "sources.toml").write_text("\n".join(lines))
    return work / "sources.toml"


def soak(runs: int, n_sources: int, every: str) -> list[tuple[int, int, float]]:
    """(finished runs, RSS KiB, seconds) every 20 runs."""
    work = Path(tempfile.mkdtemp(prefix="dvcrawl-soak-"))
    db_url = f"sqlite:///{work / 'soak.sqlite'}"
    sources = write_inputs(work, n_sources)
    argv = [sys.executable, "-m", "dvcrawl", "-q", "schedule", "--sources", str(sources),
            "--db", db_url, "--every", every, "--crawl-command",
            f"{{python}} {work / 'child.py'} {{run_id}} {{db}}"]  # fmt: skip
    proc = subprocess.Popen(argv, stderr=open(work / "schedule.log", "wb"))  # noqa: SIM115
    engine, began, marks, next_mark = create_engine(db_url), time.monotonic(), [], 20
    try:
        while next_mark <= runs:
            if proc.poll() is not None:
                raise SystemExit(f"scheduler exited early; see {work / 'schedule.log'}")
            done = finished_runs(engine)
            if done >= next_mark:
                marks.append((done, rss_kib(proc.pid), time.monotonic() - began))
                print(f"runs {done:4d}  scheduler RSS {marks[-1][1] / 1024:6.1f} MiB  "
                      f"{marks[-1][2]:6.1f}s", flush=True)  # fmt: skip
                next_mark += 20
            time.sleep(0.2)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(60)
        engine.dispose()
    return marks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--sources", type=int, default=4)
    parser.add_argument("--every", default="1s")
    args = parser.parse_args()
    marks = soak(args.runs, args.sources, args.every)
    first, last = marks[0][1], marks[-1][1]
    print(f"RSS after {marks[0][0]} runs: {first / 1024:.1f} MiB; after {marks[-1][0]}: "
          f"{last / 1024:.1f} MiB ({(last - first) / 1024:+.1f} MiB)")  # fmt: skip


if __name__ == "__main__":
    main()
