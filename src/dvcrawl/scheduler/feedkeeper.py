"""Keep the feed files in step with the database, while crawls run and after they end.

Why a watermark rather than "after each crawl that stored something": a crawl commits each
article as it goes, so a long crawl (or one killed at its timeout) has stored articles long
before its run row says so, or without ever saying so. The newest article id is the truth;
checking it every few seconds costs one primary-key lookup and brings new articles into
the feeds within seconds of being stored (the 30 s freshness target of issue 6).
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from dvcrawl.storage.db import Database
from dvcrawl.storage.models import Article

log = logging.getLogger(__name__)


class FeedKeeper:
    """Rebuilds every feed into ``out_dir`` (atomically, by dvcrawl.feeds) when needed."""

    def __init__(self, db: Database, out_dir: Path | None, base_url: str | None = None) -> None:
        self.db, self.out_dir, self.base_url = db, out_dir, base_url
        self._lock = threading.Lock()
        self._mark: int | None = None  # newest article id in the last build

    def newest(self) -> int:
        with self.db.session() as session:
            return int(session.scalar(select(func.max(Article.id))) or 0)

    def rebuild_if_new(self) -> bool:
        """Rebuild when an article was stored since the last build; True when rebuilt."""
        if self.out_dir is None:
            return False
        try:
            newest = self.newest()
        except SQLAlchemyError as exc:
            log.error("feeds not checked: database error: %s", exc)
            return False
        if newest == self._mark:
            return False
        return self.rebuild(newest)

    def rebuild(self, newest: int | None = None) -> bool:
        """Rebuild now; errors are logged in full and never reach the scheduler."""
        if self.out_dir is None:
            return False
        from dvcrawl.feeds import build_feeds

        with self._lock:
            try:
                mark = self.newest() if newest is None else newest
                result = build_feeds(self.db, self.out_dir, base_url=self.base_url)
            except Exception:  # a feed bug must not stop the crawling; it is logged in full
                log.exception("feeds could not be rebuilt")
                return False
            self._mark = mark
        written = getattr(result, "written", ())
        log.info("feeds rebuilt in %s: %d file(s) written", self.out_dir, len(written))
        return True
