"""binhphuoc: a provincial party portal on a NukeViet-like CMS.

URL forms: articles ``/vi/news/<column>/<slug>-<id>.html``, columns ``/vi/news/dan-van/`` and
``/vi/news/tin-tuc/`` paged as ``/vi/news/dan-van/page-2``. Date only, "Chủ Nhật, 14/4/2024";
"Gửi cho bạn bè", "Các tin khác", "Xem nhiều nhất"; byline "Lê Dũng Toàn, Ban Dân vận Tỉnh ủy
Bình Phước" after a row of empty paragraphs. No conditional GET.
"""

from __future__ import annotations

import re
from html import escape

from dvcrawl.sampleportals import chrome
from dvcrawl.sampleportals.corpus import SiteSpec
from dvcrawl.sampleportals.model import Article
from dvcrawl.sampleportals.sites.base import CATEGORY_NAMES, Route, Site

SPEC = SiteSpec(
    "binhphuoc",
    "Cổng TTĐT Đảng bộ tỉnh Bình Phước",
    "Bình Phước",
    "binhphuoc.dcs.vn",
    500,
    "comma",
    time_share=0.0,
    nfd_every=6,
)
COLUMN = {"news": "tin-tuc", "danvan": "dan-van"}
# /vi/news/dan-van/some-slug-521.html
_POST = re.compile(r"^/vi/news/([a-z-]+)/([a-z0-9-]+)-(\d+)\.html$")
# /vi/news/dan-van/ or /vi/news/dan-van/page-2
_LIST = re.compile(r"^/vi/news/([a-z-]+)/(?:page-(\d+))?$")


class BinhPhuoc(Site):
    spec = SPEC
    server_header = "Apache"
    footer_lines = (
        "Cơ quan chủ quản: Ban Thường vụ Tỉnh ủy Bình Phước",
        "Số 01 Trần Hưng Đạo, phường Tân Phú, thành phố Đồng Xoài",
        "Giấy phép số 04/GP-TTĐT ngày 20/3/2019",
        2648113,
    )
    conditional = "none"
    page_size = 8
    calendar_path = "/vi/lich-cong-tac/"
    error_path = "/vi/about/so-do-cong.html"

    def article_path(self, art: Article) -> str:
        return f"/vi/news/{COLUMN[art.category]}/{art.slug}-{art.num}.html"

    def listing_path(self, cat: str, page: int = 1) -> str:
        return f"/vi/news/{COLUMN[cat]}/" + (f"page-{page}" if page > 1 else "")

    def route(self, path: str, query: dict[str, list[str]]) -> Route | None:
        if path in ("/", "/vi/"):
            return Route("home")
        m = _LIST.match(path)
        if m:
            cat = next((c for c, col in COLUMN.items() if col == m.group(1)), None)
            page = int(m.group(2) or 1)
            return self.listing_route(cat, page)
        m = _POST.match(path)
        if m:
            art = self.find(lambda a: a.num == int(m.group(3)) and COLUMN[a.category] == m.group(1))
            return Route("article", article=art) if art else None
        return None

    def fmt_date(self, art: Article) -> str:
        return chrome.weekday_date(art.published.date())

    def _frame(self, title: str, main: str) -> str:
        side = chrome.item_list(
            "Xem nhiều nhất", self.entries(self.most_read(), shift=1)
        ) + chrome.item_list("Tin mới", self.entries(self.listing("news")[:5]))
        body = (
            f'<div class="wraper"><div class="header"><div class="day">{chrome.weekday_date(chrome.today())}</div>'
            f'<div class="logo">ĐẢNG BỘ TỈNH BÌNH PHƯỚC</div></div>{chrome.mega_menu(self.menu_items())}'
            f"{chrome.marquee('Đảng bộ tỉnh Bình Phước - Đoàn kết, dân chủ, kỷ cương, sáng tạo, phát triển')}"
            f'<div class="body"><div class="col-left">{main}</div><div class="col-right">{side}'
            f'<div class="banner"><a href="https://binhphuoc.gov.vn/"><img src="/uploads/banner/ubnd.jpg" alt="UBND tỉnh"></a></div>'
            f"</div></div></div>" + self.footer()
        )
        return chrome.page(f"{title} - Đảng bộ tỉnh Bình Phước", "", body)

    def render_article(self, art: Article) -> str:
        gap = "<p>&nbsp;</p>" * 4
        author = self.byline(art)
        main = (
            f'<div class="news-detail"><span class="time">{self.fmt_date(art)}</span><h1>{escape(art.title)}</h1>'
            f'<div class="bodytext">{chrome.article_body(art.blocks, subhead="strong")}{author}{gap}</div>'
            f'<div class="footerdetail"><a href="#" class="sendmail">Gửi cho bạn bè</a> <a href="javascript:print()">In bài viết</a></div>'
            f"{chrome.item_list('Các tin khác', self.entries(self.related(art)), 'other-news')}</div>"
        )
        return self._frame(art.title, main)

    def render_listing(self, cat: str, page: int, target: str) -> str:
        items = self.entries(self.page_items(cat, page), teasers=True)
        return self._frame(
            CATEGORY_NAMES[cat],
            chrome.item_list(CATEGORY_NAMES[cat], items) + self.pager(cat, page, target),
        )

    def render_home(self) -> str:
        main = self.home_main("Tin tiêu điểm", 8, "Xem thêm")
        return self._frame("Trang chủ", main)

    def render_simple(self, title: str, inner: str) -> str:
        return self._frame(title, inner)
