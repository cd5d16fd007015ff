"""Named drops: Scrapy counts each reason (``item_dropped_reasons_count/<Name>``) in its stats.

They are expected (most pages of a re-crawl are already stored), so they log at DEBUG, and no
drop logs the whole item: Scrapy's default put every dropped article's full text in a WARNING.
"""

import logging

from scrapy.exceptions import DropItem
from scrapy.logformatter import LogFormatter


class NotAnArticle(DropItem):
    """The page was a listing, an error page, a login wall, binary, or empty."""


class EmptyBody(DropItem):
    """An article page whose body is too short to be news ("Đang cập nhật")."""


class DuplicateUrl(DropItem):
    """The canonical URL (or an alias of it) is already stored."""


class DropLogFormatter(LogFormatter):
    """Scrapy's formatter, with a dropped item named by its reason alone (settings.py)."""

    def dropped(self, item, exception, response, spider):
        result = super().dropped(item, exception, response, spider)
        if isinstance(exception, NotAnArticle | EmptyBody | DuplicateUrl):
            result["level"] = logging.DEBUG
        return {**result, "msg": "Dropped: %(exception)s", "args": {"exception": exception}}
