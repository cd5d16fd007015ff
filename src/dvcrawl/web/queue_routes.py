"""The review queue, one article's page, and the decisions taken on them (single and bulk)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
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
from dvcrawl.web.render import render
from dvcrawl.web.security import check_csrf, current_user, safe_next

router = APIRouter(dependencies=[Depends(current_user), Depends(check_csrf)])
PER_PAGE = 50
_RELEVANCE = {"": None, "yes": True, "no": False}


def _parse_day(value: str, label: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise HTTPException(400, f"{label}: ngày không hợp lệ {value!r} (YYYY-MM-DD)") from exc


def parse_filters(params) -> QueueFilters:
    """Queue filters from the query string; a bad value is a 400 naming the field."""
    status = params.get("status", "new")
    if status not in (*STATUSES, "all"):
        raise HTTPException(400, f"trạng thái không hợp lệ {status!r}")
    relevance = params.get("relevance", "")
    if relevance not in _RELEVANCE:
        raise HTTPException(400, f"mức liên quan không hợp lệ {relevance!r}")
    return QueueFilters(
        source=params.get("source") or None,
        province=params.get("province") or None,
        status=None if status == "all" else status,
        relevance=_RELEVANCE[relevance],
        date_from=_parse_day(params.get("date_from", ""), "từ ngày"),
        date_to=_parse_day(params.get("date_to", ""), "đến ngày"),
    )


def _page_number(request: Request) -> int:
    value = request.query_params.get("page", "1")
    if not value.isdigit() or int(value) < 1:
        raise HTTPException(400, f"số trang không hợp lệ {value!r}")
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
def article_page(request: Request, article_id: int) -> Response:
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
    with request.app.state.db.session() as session:
        try:
            decide(session, ids, action, current_user(request), **form)
        except ReviewError as exc:
            raise HTTPException(400, str(exc)) from exc


@router.post("/articles/{article_id}/decide")
def decide_one(
    request: Request,
    article_id: int,
    action: str = Form(...),
    title: str | None = Form(None),
    published: str | None = Form(None),
    original_id: int | None = Form(None),
    next: str = Form(""),
) -> Response:
    _decide(
        request, [article_id], action, title=title, published=published, original_id=original_id
    )
    return RedirectResponse(safe_next(next, f"/articles/{article_id}"), status_code=303)


@router.post("/articles/bulk")
def decide_bulk(
    request: Request,
    action: str = Form(...),
    ids: Annotated[list[int] | None, Form()] = None,
    original_id: int | None = Form(None),
    next: str = Form("/"),
) -> Response:
    if not ids:
        raise HTTPException(400, "chưa chọn bài viết nào")
    _decide(request, ids, action, original_id=original_id)
    return RedirectResponse(safe_next(next), status_code=303)
