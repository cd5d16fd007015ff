"""Store each article in its own transaction, so a killed crawl leaves no half-written rows."""

from __future__ import annotations

import logging

from dvcrawl.items import ArticleRecord
from dvcrawl.pipelines.drops import DuplicateUrl
from dvcrawl.storage.articles import store_article
from dvcrawl.storage.db import Database, open_database

log = logging.getLogger(__name__)


class StorePipeline:
    def __init__(self, db: Database, stats=None) -> None:
        self.db = db
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(open_database(crawler.settings["DVCRAWL_DB_URL"]), crawler.stats)

    def _inc(self, key: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(key)

    def process_item(self, item: ArticleRecord, spider=None) -> ArticleRecord:
        with self.db.session() as session:
            result = store_article(session, item)
        if not result.created:
            raise DuplicateUrl(f"already stored: {item.url}")
        self._inc("dvcrawl/articles_new")
        if item.relevant:
            self._inc("dvcrawl/relevant_new")
        if result.duplicate_of:
            self._inc("dvcrawl/duplicates_new")
            log.info("stored %s as a copy of %s", item.url, result.duplicate_of)
        return item
