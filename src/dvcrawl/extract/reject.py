"""Pages that are not articles: error pages served with 200, login walls, listings, empty pages.

Nothing is stored from them; ``reject_reason`` tells the run's counters why.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from lxml.cssselect import CSSSelector
from lxml.html import HtmlElement

from dvcrawl.constants import MIN_BODY_CHARS
from dvcrawl.extract.text import key

# Error pages, folded to key(): "Trang bạn tìm không tồn tại", "Không tìm thấy trang",
# "404 Not Found", "Bài viết đã bị xóa", "Page not found", "An error occurred".
_ERROR = re.compile(
    r"không tồn tại|không tìm thấy|not found|\b404\b|đã bị xóa|đã bị gỡ|lỗi hệ thống"
    r"|an error occurred|error occurred|sorry, something went wrong|trang lỗi|service unavailable"
    r"|bad gateway|internal server error|access denied|forbidden"
)
# "Đăng nhập", "Login", "Sign in", "Vui lòng đăng nhập để xem".
_LOGIN = re.compile(r"đăng nhập|login|sign in|mật khẩu|password")
_PASSWORD = CSSSelector("input[type='password']")
# Error/login pages print a line or two; a long text that mentions "404" is an article.
_SHORT_PAGE = 800
# A listing: at least this many body lines are link texts, making up this share of the body.
_LISTING_LINES = 4
_LISTING_SHARE = 0.35
# Without the headlines in the text (trafilatura drops link lines): at least this many teaser
# links, no paragraph of article length, and less prose than a summary per teaser.
_LISTING_TEASERS = 8
_LONG_PARAGRAPH = 400
_CHARS_PER_TEASER = 200


def _is_listing(teasers: Collection[str], lines: list[str], body_chars: int) -> bool:
    """Many headline links and little prose: the body is teasers, not one story."""
    # A teaser item: its headline link, then perhaps its date and summary on the same line
    # (str.startswith of a tuple: one C call for every headline, an equal key included).
    heads = tuple(teasers)
    linked = [x for x in lines if key(x).startswith(heads)]
    if len(linked) >= _LISTING_LINES and sum(map(len, linked)) >= _LISTING_SHARE * body_chars:
        return True
    longest = max(map(len, lines), default=0)
    return (
        len(teasers) >= _LISTING_TEASERS
        and longest < _LONG_PARAGRAPH
        and body_chars < _CHARS_PER_TEASER * len(teasers)
    )


def reject_reason(
    original: HtmlElement, teasers: Collection[str], title: str, lines: list[str]
) -> str | None:
    """Why the page is not an article, or None when it is one.

    ``teasers``: keys of the headline links (links.link_targets) where the text came from (the
    body container, else the pruned page), so an unpruned sidebar cannot make a short story
    a "listing".
    """
    body_chars = sum(len(x) for x in lines)
    if body_chars < _SHORT_PAGE:
        head = key(f"{title}\n" + "\n".join(lines[:3]))
        if _ERROR.search(head) or (not lines and _ERROR.search(key(title))):
            return "error-page"
        if _PASSWORD(original) and (body_chars < MIN_BODY_CHARS or _LOGIN.search(head)):
            return "login-wall"
    if _is_listing(teasers, lines, body_chars):
        return "listing"
    if body_chars < MIN_BODY_CHARS:
        return "empty"
    return None
