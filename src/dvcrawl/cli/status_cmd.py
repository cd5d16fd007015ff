"""``dvcrawl status``: one row per source (last run, result, next run, articles pending and
given up, streak, alarms)."""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from typing import TYPE_CHECKING

from dvcrawl.cli.common import add_db_arg, add_sources_arg, database_from_args
from dvcrawl.config import resolve_sources_path

if TYPE_CHECKING:
    from dvcrawl.health import SourceHealth

COLUMNS = (
    "source", "last run", "result", "next run", "articles", "/day", "pending", "failed", "streak",
    "alarms",
)  # fmt: skip


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "status",
        help="health of each source: last run, result, next run, failure streak, alarms",
        description="One row per source. Without --sources (or $DVCRAWL_SOURCES), every "
        "source the database knows. Times are UTC.",
    )
    add_sources_arg(p)
    add_db_arg(p)
    p.add_argument("--json", action="store_true", help="a JSON array on stdout, for scripts")
    p.set_defaults(func=run)


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S") if value else "-"


def _row(h: SourceHealth) -> tuple[str, ...]:
    from dvcrawl.storage.runs import RunStatus

    result = h.last_status or "never run"
    if h.last_reason and h.last_status != RunStatus.OK:
        result += f": {h.last_reason[:60]}"
    return (
        h.source_id,
        _when(h.last_started),
        result,
        _when(h.next_run),
        str(h.articles_stored),
        f"{h.articles_per_day:g}",
        str(h.articles_pending),
        str(h.articles_failed),
        str(h.failure_streak),
        "; ".join(h.alarms) or "-",
    )


def format_table(rows: list[SourceHealth]) -> str:
    """A plain aligned text table (the last column is left ragged: alarms can be long)."""
    cells = [COLUMNS, *(_row(h) for h in rows)]
    widths = [max(len(r[i]) for r in cells) for i in range(len(COLUMNS) - 1)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=False)) + "  " + r[-1]
             for r in cells]  # fmt: skip
    return "\n".join(line.rstrip() for line in lines)


def run(args: argparse.Namespace) -> int:
    from dvcrawl.health import source_health
    from dvcrawl.scheduler.jobs import next_run_times
    from dvcrawl.sources import load_sources

    path = resolve_sources_path(args.sources)
    sources = load_sources(path) if path else None
    db = database_from_args(args)
    try:
        next_runs = next_run_times(db.engine)
        with db.session() as session:
            rows = source_health(session, sources, next_runs)
    finally:
        db.dispose()
    if args.json:
        print(json.dumps([h.as_json() for h in rows], ensure_ascii=False, indent=2))
    else:
        print(format_table(rows))
    return 0
