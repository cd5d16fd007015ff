"""Named drops: Scrapy counts each reason (``item_dropped_reasons_count/<Name>``) in its stats."""

from scrapy.exceptions import DropItem


class NotAnArticle(DropItem):
    """The page was a listing, an error page, a login wall, binary, or empty."""


class EmptyBody(DropItem):
    """An article page whose body is too short to be news ("Đang cập nhật")."""


class DuplicateUrl(DropItem):
    """The canonical URL (or an alias of it) is already stored."""
