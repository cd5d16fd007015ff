"""The review queue, one article's page, and the decisions taken on them (single and bulk)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Path, Request
from fastapi.responses import RedirectResponse, Response

from dvcrawl.storage.models import Article, Source
from dvcrawl.storage.review import (
    STATUSES,
    QueueFilters,
    ReviewError,
    cluster,
    decide,
    history,
    queue_page,
    source_choices,
)
from dvcrawl.textnorm import strip_unshowable
from dvcrawl.web.render import render
from dvcrawl.web.security import check_csrf, current_user, safe_next

router = APIRouter(dependencies=[Depends(current_user), Depends(check_csrf)])
PER_PAGE = 50
_RELEVANCE = {"": None, "yes": True, "no": False}
# Bounds of what the desk reads from a request: ids fit the databases' 32-bit integer keys
# (a 20-digit id overflowed SQLite and PostgreSQL into a 500), pages and dates stay where
# offsets and "+07:00 / next day" arithmetic cannot overflow, and typed text stays short.
MAX_ID = 2**31 - 1
MAX_PAGE = 100_000
FIRST_YEAR, LAST_YEAR = 1900, 2100
MAX_TITLE = 1000
ArticleId = Annotated[int, Path(ge=1, le=MAX_ID)]


def _text(value: str | None, limit: int = 300) -> str | None:
    """A typed filter or field as the database may see it: no NUL or control characters
    (PostgreSQL refuses NUL: a 500 before), at most ``limit`` characters."""
    return strip_unshowable(value)[:limit] or None if value else None


def _parse_day(value: str, label: str) -> date | None:
    if not value:
        return None
    try:
        day = date.fromisoformat(value[:40])
    except ValueError:
        day = None
    if day is None or not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise HTTPException(400, f"{label}: ngày không hợp lệ {value[:40]!r} (YYYY-MM-DD)")
    return day


def parse_filters(params) -> QueueFilters:
    """Queue filters from the query string; a bad value is a 400 naming the field."""
    status = params.get("status", "new")
    if status not in (*STATUSES, "all"):
        raise HTTPException(400, f"trạng thái không hợp lệ {status!r}")
    relevance = params.get("relevance", "")
    if relevance not in _RELEVANCE:
        raise HTTPException(400, f"mức liên quan không hợp lệ {relevance!r}")
    return QueueFilters(
        source=_text(params.get("source")),
        province=_text(params.get("province")),
        status=None if status == "all" else status,
        relevance=_RELEVANCE[relevance],
        date_from=_parse_day(params.get("date_from", ""), "từ ngày"),
        date_to=_parse_day(params.get("date_to", ""), "đến ngày"),
    )


def _page_number(request: Request) -> int:
    return page_number(request.query_params.get("page", "1"))


def page_number(value: str) -> int:
    """A page number from 1 to MAX_PAGE; "²" or a 20-digit number is a 400, not a 500."""
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value[:12]) <= MAX_PAGE:
        raise HTTPException(400, f"số trang không hợp lệ {value[:40]!r}")
    return int(value)


@router.get("/")
def queue(request: Request) -> Response:
    filters = parse_filters(request.query_params)
    page = _page_number(request)
    with request.app.state.db.session() as session:
        result = queue_page(session, filters, page, PER_PAGE)
        sources, provinces = source_choices(session)
    return render(
        request,
        "queue.html",
        articles=result.articles,
        total=result.total,
        more=result.more,
        page=page,
        pages=max(1, -(-result.total // PER_PAGE)),
        filters=filters,
        params=request.query_params,
        sources=sources,
        provinces=provinces,
        statuses=STATUSES,
        source_names={s.id: s.name for s in sources},
    )


@router.get("/articles/{article_id}")
def article_page(request: Request, article_id: ArticleId) -> Response:
    with request.app.state.db.session() as session:
        article = session.get(Article, article_id)
        if article is None:
            raise HTTPException(404, f"không có bài viết {article_id}")
        source = session.get(Source, article.source_id)
        members, events = cluster(session, article), history(session, article_id)
    return render(
        request, "article.html", article=article, source=source, cluster=members, events=events
    )


def _decide(request: Request, ids: list[int], action: str, **form) -> None:
    """Apply one decision; a decision that cannot apply is a 400 saying why."""
    original = form.get("original_id")
    if any(not 1 <= i <= MAX_ID for i in [*ids, *([original] if original is not None else [])]):
        raise HTTPException(400, "mã bài viết không hợp lệ")
    with request.app.state.db.session() as session:
        try:
            decide(session, ids, action, current_user(request), **form)
        except ReviewError as exc:
            raise HTTPException(400, str(exc)) from exc
        except (OverflowError, ValueError) as exc:  # a staff date like 0001-01-01 at +07:00
            raise HTTPException(400, f"giá trị không hợp lệ: {exc}") from exc


@router.post("/articles/{article_id}/decide")
def decide_one(
    request: Request,
    article_id: ArticleId,
    action: str = Form(..., max_length=40),
    title: str | None = Form(None, max_length=MAX_TITLE),
    published: str | None = Form(None, max_length=40),
    original_id: int | None = Form(None),
    next: str = Form(""),
) -> Response:
    title, published = _text(title, MAX_TITLE), _text(published, 40)
    _decide(
        request, [article_id], action, title=title, published=published, original_id=original_id
    )
    return RedirectResponse(safe_next(next, f"/articles/{article_id}"), status_code=303)


@router.post("/articles/bulk")
def decide_bulk(
    request: Request,
    action: str = Form(..., max_length=40),
    ids: Annotated[list[int] | None, Form(max_length=1000)] = None,
    original_id: int | None = Form(None),
    next: str = Form("/"),
) -> Response:
    if not ids:
        raise HTTPException(400, "chưa chọn bài viết nào")
    _decide(request, ids, action, original_id=original_id)
    return RedirectResponse(safe_next(next), status_code=303)
