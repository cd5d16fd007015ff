"""What a CMS family's URLs say: which links are articles, which are pages of a listing, and
which part of an article URL names the article.

Each family adds its own forms to the generic ones (:data:`GENERIC`); a family's form never
applies to another family's portal (``/page/N`` is WordPress paging, but on a dcs.vn portal it
could be a story called "page"). Pure: regexes compiled once, no Scrapy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Article URL forms every family uses: ASP.NET ``chi-tiet.aspx?id=N``, ``<slug>-12345.html``,
# ``/news/123456``, ``?ItemID=`` / ``?NewsID=`` / ``?ArticleID=``, Joomla's ``view=article``.
GENERIC_ARTICLE = (
    r"chi-?tiet[^/]*\?(?:.*&)?id=\d+",
    r"-\d{3,}\.(?:html?|aspx)$",
    r"/\d{5,}(?:/|\.html?)?$",
    r"[?&](?:itemid|newsid|articleid)=\d+",
    r"[?&]view=(?:article|detail)\b",  # Joomla: index.php?option=com_content&view=article&id=N
)
# Pagination every family uses: ``?page=2``, ``?pg=``, ``?trang=``, ``?pageindex=``, ``?start=``,
# ``?offset=``, ``?pagenumber=``, and a last segment ``page-2`` / ``trang-2`` (NukeViet, Joomla).
GENERIC_PAGINATION = (
    r"[?&](?:page|pg|trang|pageindex|start|offset|pagenumber|limitstart)=\d+",
    r"/(?:page|trang)-\d+/?$",
)
# The id of an article in its URL: a path segment of digits, a ``-12345.html`` suffix, or an
# id-like query value. Checked in this order; the first hit names the article.
GENERIC_ID = (
    r"/(?!(?:19|20)\d{2}/\d{1,2}/)(\d{3,})(?:/|$|\.html?$)",  # not a /2026/05/ date path
    r"-(?!(?:19|20)\d{2}\.)(\d{3,})\.(?:html?|aspx)$",  # not a year: "...-nam-2026.aspx"
    r"[?&](?:id|itemid|newsid|articleid|postid)=(\d+)",
)


def _join(patterns: tuple[str, ...]) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE) if patterns else None


@dataclass(frozen=True)
class UrlRules:
    """A family's article, pagination and article-id URL forms, on top of the generic ones."""

    article: tuple[str, ...] = ()
    pagination: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()  # each with one group: the article's id
    _compiled: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._compiled["article"] = _join((*self.article, *GENERIC_ARTICLE))
        self._compiled["pagination"] = _join((*self.pagination, *GENERIC_PAGINATION))
        ids = (*self.ids, *GENERIC_ID)
        self._compiled["id"] = tuple(re.compile(p, re.IGNORECASE) for p in ids)

    def is_article_url(self, url: str) -> bool:
        return bool(self._compiled["article"].search(url))

    def is_pagination_url(self, url: str) -> bool:
        return bool(self._compiled["pagination"].search(url))

    def article_id(self, url: str) -> str | None:
        """The number that names the article in ``url`` (``17404`` in ``/Kinh-te/17404/x``)."""
        for pattern in self._compiled["id"]:
            match = pattern.search(url)
            if match:
                return match.group(1)
        return None


#: Rules of a portal whose family is not known: the generic forms alone.
GENERIC = UrlRules()
