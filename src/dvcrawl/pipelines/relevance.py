"""Score each article for công tác dân vận (the pure scorer lives in dvcrawl.relevance)."""

from __future__ import annotations

from dvcrawl.items import ArticleRecord
from dvcrawl.relevance import score_article


class RelevancePipeline:
    def process_item(self, item: ArticleRecord, spider=None) -> ArticleRecord:
        if item.scored:
            return item  # scored off the reactor thread, beside extraction (dvcrawl.workpool)
        result = score_article(item.title, item.text)
        item.relevant = result.relevant
        item.relevance_score = result.score
        item.relevance_terms = list(result.terms)
        return item
