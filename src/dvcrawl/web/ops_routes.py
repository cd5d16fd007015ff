"""The operators' page: each portal's health and 30-day chart, recent runs and the feeds."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy import select

from dvcrawl.health import source_health
from dvcrawl.storage.models import CrawlRun, utcnow
from dvcrawl.web.charts import activity
from dvcrawl.web.feeds_routes import CONTENT_TYPES, OPML_NAME
from dvcrawl.web.render import render
from dvcrawl.web.security import current_user

router = APIRouter(dependencies=[Depends(current_user)])
RECENT_RUNS = 50  # a day of runs for a few dozen portals crawled every half hour


@dataclass(frozen=True)
class FeedFile:
    name: str
    url: str
    kind: str
    size: int


def feed_files(feeds_dir: Path | None) -> list[FeedFile]:
    """The built feed files in ``feeds_dir`` (only the kinds /feeds/ serves), by name."""
    if feeds_dir is None or not feeds_dir.is_dir():
        return []
    files = []
    for path in sorted(feeds_dir.iterdir()):
        if path.is_file() and path.suffix in CONTENT_TYPES and not path.name.startswith("."):
            kind = path.suffix.lstrip(".").upper()
            files.append(FeedFile(path.name, f"/feeds/{path.name}", kind, path.stat().st_size))
    return files


@router.get("/ops")
def ops(request: Request) -> Response:
    feeds_dir = request.app.state.feeds_dir
    with request.app.state.db.session() as session:
        health = source_health(session)
        charts = activity(session, utcnow())
        runs = list(
            session.scalars(
                select(CrawlRun)
                .order_by(CrawlRun.started_at.desc(), CrawlRun.id.desc())
                .limit(RECENT_RUNS)
            )
        )
    files = feed_files(feeds_dir)
    opml = next((f for f in files if f.name == OPML_NAME), None)
    return render(
        request, "ops.html", health=health, charts=charts, runs=runs, feeds=files, opml=opml
    )
