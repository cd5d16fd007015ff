"""WordPress-like news themes (many district and association sites).

Body in ``entry-content``/``post-content``/``td-post-content``; the published date in
``time.entry-date.published`` (themes also print an ``updated`` time, which is not the date).
"""

from dvcrawl.profiles.base import Profile
from dvcrawl.profiles.urlrules import UrlRules

PROFILE = Profile(
    name="wordpress",
    # Evidence of WordPress itself, not theme class names ("entry-content" is everywhere).
    markers=(
        "link[href*='/wp-content/']",
        "script[src*='/wp-content/']",
        "link[href*='/wp-includes/']",
        "script[src*='/wp-includes/']",
        "link[rel='https://api.w.org/']",
        "meta[name='generator'][content^='WordPress']",
    ),
    title=("h1.entry-title", "h1.post-title", ".entry-header h1", "h1.tdb-title-text"),
    date=(
        "time.entry-date.published",
        "time.published",
        ".entry-date",
        ".posted-on",
        ".td-post-date",
    ),
    content=(".entry-content", ".td-post-content", ".post-content", "article .content"),
    exclude=(
        ".sharedaddy",
        ".jp-relatedposts",
        ".entry-footer",
        ".post-navigation",
        ".comments-area",
        ".addtoany_share_save_container",
        ".heateor_sss_sharing_container",
    ),
    # Archives page as /page/N/ or ?paged=N; posts are /YYYY/MM/DD/<slug>/ or ?p=<id>.
    urls=UrlRules(
        article=(r"/(?:19|20)\d{2}/\d{2}/\d{2}/[^/?]+/?$", r"[?&]p=\d+$"),
        pagination=(r"/page/\d+/?$", r"[?&]paged=\d+"),
        ids=(r"[?&]p=(\d+)$",),
    ),
)
