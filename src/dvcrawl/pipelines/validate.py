"""Drop what is not an article before any work is spent on it."""

from __future__ import annotations

from dvcrawl.constants import MIN_BODY_CHARS
from dvcrawl.items import ArticleRecord
from dvcrawl.pipelines.drops import EmptyBody, NotAnArticle

__all__ = ["MIN_BODY_CHARS", "ValidatePipeline"]


class ValidatePipeline:
    def process_item(self, item: ArticleRecord, spider=None) -> ArticleRecord:
        if item.reject_reason:
            raise NotAnArticle(f"{item.reject_reason}: {item.url}")
        if len(item.text.strip()) < MIN_BODY_CHARS:
            raise EmptyBody(f"{len(item.text.strip())} characters: {item.url}")
        if not item.title.strip():
            raise NotAnArticle(f"no title: {item.url}")
        return item
