"""Full-text search for staff: words typed with or without diacritics."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy import select

from dvcrawl.storage.models import Article
from dvcrawl.storage.review import source_choices
from dvcrawl.storage.search import search_ids
from dvcrawl.textnorm import strip_unshowable
from dvcrawl.web.queue_routes import page_number
from dvcrawl.web.render import render
from dvcrawl.web.security import current_user

router = APIRouter(dependencies=[Depends(current_user)])
PER_PAGE = 50


@router.get("/search")
def search(
    request: Request, q: Annotated[str, Query(max_length=500)] = "", page: str = "1"
) -> Response:
    number = page_number(page)
    with request.app.state.db.session() as session:
        # One extra id tells whether a next page exists, without counting every match.
        ids = search_ids(
            session, strip_unshowable(q), limit=PER_PAGE + 1, offset=(number - 1) * PER_PAGE
        )
        found = {a.id: a for a in session.scalars(select(Article).where(Article.id.in_(ids)))}
        sources, _ = source_choices(session)
    articles = [found[i] for i in ids[:PER_PAGE] if i in found]
    return render(
        request,
        "search.html",
        q=q,
        articles=articles,
        page=number,
        has_more=len(ids) > PER_PAGE,
        source_names={s.id: s.name for s in sources},
    )
