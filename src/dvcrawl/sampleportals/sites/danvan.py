"""danvan: the central Tạp chí Dân vận magazine, on a common Vietnamese news theme.

URL forms: articles ``/tin-tuc/<slug>-<id>.html``, columns ``/cong-tac-dan-van/`` and
``/thoi-su/`` with ``?page=N``. Dates "Thứ Tư, 06/09/2023 | 15:30" or "Ngày 06/9/2023" (date
only); ``article:published_time`` meta on some pages; "Theo: ..." credits; "Bình luận: 0";
"Đọc nhiều nhất" with teasers; floating Zalo / Messenger / Back to top. ETag + Last-Modified.
"""

from __future__ import annotations

import re
from html import escape

from dvcrawl.sampleportals import chrome
from dvcrawl.sampleportals.corpus import SiteSpec
from dvcrawl.sampleportals.model import Article
from dvcrawl.sampleportals.sites.base import CATEGORY_NAMES, Route, Site

SPEC = SiteSpec("danvan", "Tạp chí Dân vận", "", "tapchidanvan.vn", 70000, "maybe", time_share=0.7)
CATE = {"news": "/thoi-su/", "danvan": "/cong-tac-dan-van/"}
# /tin-tuc/some-slug-70021.html
_POST = re.compile(r"^/tin-tuc/([a-z0-9-]+)-(\d+)\.html$")
CONNECT = (
    '<div class="connect">Kết nối tạp chí:<ul><li><a href="https://facebook.com/tapchidanvan">facebook</a></li>'
    '<li><a href="https://twitter.com/tapchidanvan">Tiwer</a></li><li><a href="https://youtube.com/">Youtube</a></li>'
    '<li><a href="https://google.com/">Google</a></li></ul></div>'
)


class DanVan(Site):
    spec = SPEC
    footer_lines = (
        "Tạp chí Dân vận - Cơ quan của Ban Dân vận Trung ương",
        "Số 105B Quán Thánh, Ba Đình, Hà Nội",
        "Giấy phép hoạt động báo chí điện tử số 352/GP-BTTTT",
        5219043,
    )
    conditional = "etag"
    page_size = 9

    def article_path(self, art: Article) -> str:
        return f"/tin-tuc/{art.slug}-{art.num}.html"

    def listing_path(self, cat: str, page: int = 1) -> str:
        return CATE[cat] + (f"?page={page}" if page > 1 else "")

    def route(self, path: str, query: dict[str, list[str]]) -> Route | None:
        if path in ("/", "/index.html"):
            return Route("home")
        for cat, prefix in CATE.items():
            if path in (prefix, prefix.rstrip("/")):
                raw = query.get("page", ["1"])[0]
                page = int(raw) if raw.isdigit() else 0
                return self.listing_route(cat, page)
        m = _POST.match(path)
        if m:
            art = self.find(lambda a: a.num == int(m.group(2)))
            return Route("article", article=art) if art else None
        return None

    def fmt_date(self, art: Article) -> str:
        p = art.published
        if art.has_time:
            return f"{chrome.weekday_date(p.date(), pad=True)} | {p:%H:%M}"
        return f"Ngày {p.day:02d}/{p.month}/{p.year}"

    def _frame(self, title: str, main: str, head: str = "") -> str:
        most = self.entries(self.most_read(4), teasers=True, shift=2)
        side = chrome.item_list("Đọc nhiều nhất", most, "most-read") + chrome.item_list(
            "Tin mới", self.entries(self.listing("news")[:5])
        )
        body = (
            f'<header><div class="top-bar"><span class="today">{chrome.weekday_date(chrome.today(), pad=True)}</span>'
            f'{CONNECT}</div><div class="logo"><a href="/">TẠP CHÍ DÂN VẬN</a> - Cơ quan của Ban Dân vận Trung ương</div>'
            f"{chrome.mega_menu(self.menu_items())}</header>"
            f'<main><div class="col-main">{main}</div><aside class="col-right"><h2>Đọc nhiều nhất</h2>{side}'
            f'<div class="qc"><a href="https://danvan.vn/"><img src="/banner/ban-dan-van.png" alt="Ban Dân vận Trung ương"></a></div>'
            f"</aside></main>{chrome.floating_social()}" + self.footer()
        )
        return chrome.page(f"{title} | Tạp chí Dân vận", head, body)

    def render_article(self, art: Article) -> str:
        head = f'<meta property="og:url" content="{self.base_url}{self.article_path(art)}">'
        if art.has_time and art.num % 2 == 0:
            head += (
                f'<meta property="article:published_time" content="{art.published.isoformat()}">'
            )
        author = (
            f'<p class="author" style="text-align:right"><b>{escape(art.author)}</b></p>'
            if art.author
            else ""
        )
        credit = f'<p class="source">Theo: {escape(art.credit)}</p>' if art.credit else ""
        main = (
            f'<div class="breadcrumb"><a href="/">Trang chủ</a> / <a href="{self.listing_path(art.category)}">'
            f'{CATEGORY_NAMES[art.category]}</a></div><article class="detail"><h1 class="detail-title">{escape(art.title)}</h1>'
            f'<div class="detail-time">{self.fmt_date(art)}</div><div class="detail-content">'
            f"{chrome.article_body(art.blocks, subhead='h2', bold_lead=True)}</div>{author}{credit}"
            f'<div class="comment-count">Bình luận: 0</div>{chrome.share_block()}</article>'
            f"{chrome.item_list('Tin liên quan', self.entries(self.related(art)), 'related')}"
            f"{chrome.comment_form('Gửi bình luận')}"
        )
        return self._frame(art.title, main, head)

    def render_listing(self, cat: str, page: int, target: str) -> str:
        items = self.entries(self.page_items(cat, page), teasers=True)
        main = f'<h1 class="cate-title">{CATEGORY_NAMES[cat]}</h1>{chrome.item_list("", items, "list")}'
        return self._frame(CATEGORY_NAMES[cat], main + self.pager(cat, page, target))

    def render_home(self) -> str:
        main = chrome.item_list(
            "Tin mới nhất", self.entries(self.listing("news")[:8], teasers=True), "featured"
        )
        for cat in ("danvan", "news"):
            link = f'<a href="{self.listing_path(cat)}">{CATEGORY_NAMES[cat]}</a>'
            main += f"<section><h2>{link}</h2>{chrome.item_list('', self.entries(self.listing(cat)[:6]))}</section>"
        return self._frame("Trang chủ", main)

    def render_simple(self, title: str, inner: str) -> str:
        return self._frame(title, inner)
