"""``dvcrawl export``: every stored article as one JSON object per line (docs/contract.md)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from dvcrawl.cli.common import add_db_arg, database_from_args

if TYPE_CHECKING:
    from dvcrawl.storage.models import Article


def article_json(article: Article, original_url: str | None) -> dict:
    """The contract's fields first, then the extras staff and scripts find useful."""
    relevant = (
        article.relevant if article.relevance_override is None else article.relevance_override
    )
    return {
        "url": article.url,
        "source": article.source_id,
        "title": article.title,
        "published": article.published,
        "author": article.author,
        "text": article.text,
        "relevant": bool(relevant),
        "duplicate_of": original_url,
        "status": article.status,
        "id": article.id,
        "credit": article.credit,
        "lead": article.lead,
        "relevance_score": article.relevance_score,
        "relevance_terms": article.relevance_terms,
        "date_method": article.date_method,
        "date_doubtful": article.date_doubtful,
        "fetched_at": article.fetched_at.isoformat() + "Z" if article.fetched_at else None,
    }


def run(args: argparse.Namespace) -> int:
    from sqlalchemy import select
    from sqlalchemy.orm import aliased

    from dvcrawl.storage.models import Article

    db = database_from_args(args)
    original = aliased(Article)
    query = (
        select(Article, original.url)
        .outerjoin(original, Article.duplicate_of_id == original.id)
        .order_by(Article.id)
        .execution_options(yield_per=500)
    )
    out = sys.stdout
    with db.session() as session:
        for article, original_url in session.execute(query):
            out.write(json.dumps(article_json(article, original_url), ensure_ascii=False) + "\n")
    return 0


def register(sub) -> None:
    p = sub.add_parser("export", help="print every stored article as JSON lines")
    add_db_arg(p)
    p.add_argument("--format", choices=["jsonl"], default="jsonl", help="output format")
    p.set_defaults(func=run)
