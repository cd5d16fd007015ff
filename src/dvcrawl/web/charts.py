"""Per-source activity charts for the operators' page: small inline SVG, drawn on the server.

A portal that went quiet (a flat row of empty days) or keeps failing (a row of red run marks)
is easier to see than to read in a table. No JavaScript and no chart library: the SVG is a few
dozen rectangles, escaped like any other output.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.orm import Session

from dvcrawl.constants import VN_TZ
from dvcrawl.health import FAILED_STATUSES
from dvcrawl.storage.models import Article, CrawlRun

DAYS = 30
# The most recent runs drawn per source: a portal crawled every 30 minutes has ~1,400 in 30
# days; the last 60 show the current pattern and keep the marks readable.
MAX_RUNS = 60
# Geometry (px): one bar per day, then a strip of run marks under the baseline.
BAR_W, BAR_GAP, BAR_MAX_H, RUN_H = 5, 1, 28, 6
WIDTH = DAYS * (BAR_W + BAR_GAP)
HEIGHT = BAR_MAX_H + 4 + RUN_H
# Run outcome → colour (colour-blind safe enough: failures are also taller marks).
OK_COLOUR, FAIL_COLOUR, OTHER_COLOUR, BAR_COLOUR, EMPTY_COLOUR = (
    "#2e7d32",
    "#c62828",
    "#9e9e9e",
    "#1565c0",
    "#cfd8dc",
)


@dataclass
class Activity:
    """One source's last DAYS days: articles stored per day (oldest first) and its runs."""

    first_day: date
    per_day: list[int] = field(default_factory=lambda: [0] * DAYS)
    runs: list[tuple[datetime, str]] = field(
        default_factory=list
    )  # (started, status), oldest first

    @property
    def failed_runs(self) -> int:
        return sum(status in FAILED_STATUSES for _, status in self.runs)


def _vn(moment: datetime) -> datetime:
    """A stored naive-UTC instant in Vietnam time (days and hours are Vietnamese ones)."""
    return moment.replace(tzinfo=UTC).astimezone(VN_TZ).replace(tzinfo=None)


def _vn_day(moment: datetime) -> date:
    return _vn(moment).date()


def activity(session: Session, now: datetime) -> dict[str, Activity]:
    """Source id → its Activity over the DAYS days ending today (``now`` naive UTC)."""
    first = _vn_day(now) - timedelta(days=DAYS - 1)
    since = datetime.combine(first, datetime.min.time(), VN_TZ).astimezone(UTC).replace(tzinfo=None)
    charts: dict[str, Activity] = defaultdict(lambda: Activity(first))
    stored = select(Article.source_id, Article.fetched_at).where(Article.fetched_at >= since)
    for source_id, fetched in session.execute(stored):
        index = (_vn_day(fetched) - first).days
        if 0 <= index < DAYS:
            charts[source_id].per_day[index] += 1
    runs = (
        select(CrawlRun.source_id, CrawlRun.started_at, CrawlRun.status)
        .where(CrawlRun.started_at >= since)
        .order_by(CrawlRun.started_at, CrawlRun.id)
    )
    for source_id, started, status in session.execute(runs):
        charts[source_id].runs.append((started, status))
    for chart in charts.values():
        del chart.runs[:-MAX_RUNS]
    return dict(charts)


def _bars(chart: Activity) -> list[str]:
    top = max(chart.per_day) or 1
    parts = []
    for i, count in enumerate(chart.per_day):
        x = i * (BAR_W + BAR_GAP)
        day = (chart.first_day + timedelta(days=i)).strftime("%d/%m/%Y")
        height = max(1, round(count / top * BAR_MAX_H)) if count else 1
        colour = BAR_COLOUR if count else EMPTY_COLOUR
        parts.append(
            f'<rect class="day" x="{x}" y="{BAR_MAX_H - height}" width="{BAR_W}" '
            f'height="{height}" fill="{colour}"><title>{day}: {count} bài</title></rect>'
        )
    return parts


def _run_marks(chart: Activity) -> list[str]:
    """One mark per run, placed by its day and hour along the same axis as the bars."""
    start = datetime.combine(chart.first_day, datetime.min.time())
    parts = []
    for started, status in chart.runs:
        offset = (_vn(started) - start).total_seconds() / 86400
        x = min(WIDTH - 2, max(0, round(offset * (BAR_W + BAR_GAP))))
        failed = status in FAILED_STATUSES
        colour = FAIL_COLOUR if failed else OK_COLOUR if status == "ok" else OTHER_COLOUR
        height = RUN_H if failed else RUN_H - 2
        label = escape(f"{_vn(started).strftime('%d/%m/%Y %H:%M')}: {status}")
        parts.append(
            f'<rect class="run run-{escape(status)}" x="{x}" y="{HEIGHT - height}" width="2" '
            f'height="{height}" fill="{colour}"><title>{label}</title></rect>'
        )
    return parts


def source_chart(chart: Activity | None) -> Markup:
    """The inline SVG of one source's activity (an empty chart when it has none)."""
    chart = chart or Activity(date.today() - timedelta(days=DAYS - 1))
    stored = sum(chart.per_day)
    summary = f"{stored} bài trong {DAYS} ngày; {len(chart.runs)} lần chạy, {chart.failed_runs} lỗi"
    baseline = f'<line x1="0" y1="{BAR_MAX_H + 1}" x2="{WIDTH}" y2="{BAR_MAX_H + 1}" '
    baseline += 'stroke="#90a4ae" stroke-width="1"/>'
    body = "".join([*_bars(chart), baseline, *_run_marks(chart)])
    return Markup(
        f'<svg class="activity" xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" '
        f'height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(summary)}" data-stored="{stored}" '
        f'data-failed-runs="{chart.failed_runs}"><title>{escape(summary)}</title>{body}</svg>'
    )
