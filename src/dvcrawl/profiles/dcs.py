"""The dcs.vn provincial party portal platform (``<tỉnh>.dcs.vn``, ``/Trang-chu/post/<id>/...``).

Most provincial party committees run the same ASP.NET CMS: a ``post-detail``/``PostDetail`` block
with the title, a date line, a toolbar ("Email Print Aa") and the body. Older variants name the
body ``detail-content`` or ``news-content``.
"""

from dvcrawl.profiles.base import Profile
from dvcrawl.profiles.urlrules import UrlRules

PROFILE = Profile(
    name="dcs",
    hosts=(".dcs.vn",),
    vietnamese=True,  # "post-detail" alone is a common class name elsewhere
    markers=(".post-detail", ".PostDetail", "a[href*='/Trang-chu/post/']"),
    title=(".post-detail h1", ".PostDetail h1", ".post-title", ".PostTitle", "h1.title"),
    date=(".post-date", ".PostDate", ".post-detail .date", ".post-time", ".ngay-dang"),
    content=(
        ".post-content",
        ".PostContent",
        ".post-detail .content",
        ".detail-content",
        ".news-content",
    ),
    exclude=(
        ".post-tools",
        ".post-toolbar",
        ".tool-bar",
        ".post-share",
        ".post-related",
        ".post-comment",
        ".comment-box",
    ),
    # Posts live at /<Trang-chu|Home|category>/post/<id>/<slug>, one id under every category.
    urls=UrlRules(article=(r"/post/\d+",), ids=(r"/post/(\d+)",)),
)
