"""Templates and their helpers: one Jinja2 environment with autoescape, shared by every route."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from dvcrawl.constants import VN_TZ
from dvcrawl.datesanity import flagged
from dvcrawl.textnorm import strip_unshowable
from dvcrawl.web.charts import source_chart
from dvcrawl.web.security import CSRF_FIELD, csrf_token, signed_in_user

TEMPLATES_DIR = Path(__file__).with_name("templates")
# Blank-line or newline runs between paragraphs of an article's clean text.
_PARAGRAPH_BREAK = re.compile(r"\s*\n\s*")
# Stored instants are naive UTC; staff read Vietnamese time (+07:00, no daylight saving).
_VN_OFFSET = timedelta(hours=7)

# The longest string one template expression shows: an article body of a few hundred KB
# stays whole, a multi-megabyte one cannot freeze a reviewer's browser.
MAX_SHOWN = 200_000


def showable(value):
    """Every ``{{ expression }}``'s value as the desk shows it (Jinja ``finalize``): strings
    without control or bidi characters (textnorm.strip_unshowable) and cut at
    :data:`MAX_SHOWN`; markup the templates built themselves is left alone."""
    if isinstance(value, str) and not isinstance(value, Markup):
        value = strip_unshowable(value)
        return value if len(value) <= MAX_SHOWN else value[:MAX_SHOWN] + " […]"
    return value


# Jinja2Templates turns autoescape on for .html: every scraped string is escaped on output.
templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
templates.env.finalize = showable


def paragraphs(text: str | None) -> list[str]:
    """The article's paragraphs (the template escapes each one)."""
    return [p for p in _PARAGRAPH_BREAK.split(text or "") if p]


def vn_time(moment: datetime | str | None) -> str:
    """Any date staff read, as Vietnamese local time: "22/11/2026 17:35" (the one date filter).

    ``moment`` is a stored naive-UTC instant, or a contract date string: "2025-03-21T09:04:00+07:00"
    shows as "21/03/2025 09:04", a date alone ("2022-01-06") as "06/01/2022". A string that is
    no ISO date is shown as it is.
    """
    if moment is None or moment == "":
        return "—"
    if isinstance(moment, str):
        try:
            if len(moment) == 10:
                return date.fromisoformat(moment).strftime("%d/%m/%Y")
            moment = datetime.fromisoformat(moment)
        except ValueError:
            return moment
        if moment.tzinfo is not None:
            return moment.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M")
        return moment.strftime("%d/%m/%Y %H:%M")  # a contract date without offset is local
    return (moment + _VN_OFFSET).strftime("%d/%m/%Y %H:%M")


def pagequery(params: Mapping[str, str], page: int) -> str:
    """The current query string with ``page`` replaced, for pager links."""
    items = [(k, v) for k, v in params.items() if k != "page"]
    return urlencode([*items, ("page", str(page))])


def is_web_url(url: str | None) -> bool:
    """Only http(s) links are clickable: a scraped "javascript:" URL stays plain text."""
    return bool(url) and url.lower().startswith(("http://", "https://"))


def changes(detail: Mapping | None) -> list[str]:
    """A review event's detail as readable lines: "title: Cũ → Mới"."""
    lines = []
    for key, value in (detail or {}).items():
        if isinstance(value, list) and len(value) == 2 and key != "copies":
            lines.append(f"{key}: {value[0]} → {value[1]}")
        else:
            lines.append(f"{key}: {value}")
    return lines


templates.env.filters.update(
    paragraphs=paragraphs,
    vn_time=vn_time,
    pagequery=pagequery,
    is_web_url=is_web_url,
    changes=changes,
    source_chart=source_chart,
)
# `{% if a is doubtful_date %}`: the date staff should check (datesanity: extraction's doubt or
# a date more than a day after the fetch), flagged on the queue row and the article page.
templates.env.tests["doubtful_date"] = flagged
# Names of review actions as staff read them in an article's history.
templates.env.globals["ACTION_LABELS"] = {
    "approve": "Duyệt",
    "reject": "Loại",
    "reopen": "Đưa về chờ duyệt",
    "relevant": "Đánh dấu liên quan",
    "not_relevant": "Đánh dấu không liên quan",
    "auto_relevance": "Theo máy chấm",
    "edit": "Sửa",
    "merge": "Gộp cụm",
    "split": "Tách khỏi cụm",
}
templates.env.globals["CSRF_FIELD"] = CSRF_FIELD


def render(request: Request, name: str, status_code: int = 200, **context) -> HTMLResponse:
    """Render ``name`` with the signed-in user and the CSRF token every form needs."""
    context.update(
        user=signed_in_user(request),
        csrf=csrf_token(request),
    )
    return templates.TemplateResponse(request, name, context, status_code=status_code)
