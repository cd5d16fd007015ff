"""News and magazine sites: provincial papers, the Tạp chí Dân vận (``/tin-tuc/<slug>-<id>.html``).

They mark the article with schema.org/OpenGraph metadata and an ``article`` or ``detail`` block;
around it sit "Kết nối tạp chí", most-read lists and comment counts.
"""

from dvcrawl.profiles.base import Profile

PROFILE = Profile(
    name="news",
    vietnamese=True,  # these markers are on news pages everywhere; the family is Vietnamese
    markers=(
        "meta[property='og:type'][content='article']",
        "[itemtype*='NewsArticle']",
        ".detail-content",
        ".article-detail",
        ".news-detail",
    ),
    title=(
        "h1.detail-title",
        "h1.article-title",
        ".article-detail h1",
        ".news-detail h1",
        "[itemprop='headline']",
        "h1",
    ),
    date=(
        ".detail-time",
        ".article-date",
        ".news-date",
        "[itemprop='datePublished']",
        ".publish-date",
        ".date-time",
    ),
    content=(
        "[itemprop='articleBody']",
        ".detail-content",
        ".article-content",
        ".article-body",
        ".news-detail .content",
        ".article-detail .content",
    ),
    exclude=(".detail-share", ".article-tools", ".related-news", ".box-comment", ".tags"),
)
