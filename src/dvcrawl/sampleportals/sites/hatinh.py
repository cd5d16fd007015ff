"""hatinh: a <tỉnh>.dcs.vn party portal (ASP.NET platform shared by many provinces).

URL forms: articles ``/Trang-chu/post/<id>/<slug>`` (also with a trailing slash), legacy
``/tin-tuc/chi-tiet.aspx?id=N`` answering 301 to the new form, columns
``/Trang-chu/cate/<n>/<slug>?page=N``. Date ``22:37 27/12/2022`` under an "EmailPrintAa"
toolbar; byline last, bold and right-aligned; "Ý kiến bạn đọc" form. ETag + Last-Modified.
"""

from __future__ import annotations

import re
from html import escape

from dvcrawl.sampleportals import chrome
from dvcrawl.sampleportals.corpus import SiteSpec
from dvcrawl.sampleportals.model import Article
from dvcrawl.sampleportals.sites.base import CATEGORY_NAMES, Route, Site

SPEC = SiteSpec(
    "hatinh", "Cổng TTĐT Đảng bộ tỉnh Hà Tĩnh", "Hà Tĩnh", "hatinh.dcs.vn", 14000, "unit"
)
CATE = {
    "news": "/Trang-chu/cate/3/tin-tuc-su-kien",
    "danvan": "/Trang-chu/cate/12/cong-tac-dan-van",
}
# /Trang-chu/post/14021/some-slug or /Trang-chu/post/14021/some-slug/
_POST = re.compile(r"^/Trang-chu/post/(\d+)/([a-z0-9-]+)/?$")


class HaTinh(Site):
    spec = SPEC
    server_header = "Microsoft-IIS/10.0"
    footer_lines = (
        "Cơ quan chủ quản: Ban Thường vụ Tỉnh ủy Hà Tĩnh",
        "Số 02, đường Nguyễn Tất Thành, thành phố Hà Tĩnh",
        "Giấy phép số 28/GP-TTĐT do Sở Thông tin và Truyền thông cấp",
        1874520,
    )
    conditional = "etag"
    page_size = 10
    flaky_index = 2
    calendar_path = "/Trang-chu/lich-cong-tac"

    def article_path(self, art: Article) -> str:
        return f"/Trang-chu/post/{art.num}/{art.slug}"

    def listing_path(self, cat: str, page: int = 1) -> str:
        return CATE[cat] + (f"?page={page}" if page > 1 else "")

    def link_variant(self, art: Article, i: int) -> str:
        if i % 4 == 3:
            return f"/tin-tuc/chi-tiet.aspx?id={art.num}"
        if i % 5 == 2:
            return self.article_path(art) + "/"
        return super().link_variant(art, i)

    def route(self, path: str, query: dict[str, list[str]]) -> Route | None:
        if path in ("/", "/Trang-chu", "/Trang-chu/"):
            return Route("home")
        for cat, prefix in CATE.items():
            if path == prefix:
                page = _int(query.get("page", ["1"])[0])
                return self.listing_route(cat, page)
        if path == "/tin-tuc/chi-tiet.aspx":
            art = self.find(lambda a: str(a.num) == query.get("id", [""])[0])
            return Route("redirect", location=self.article_path(art)) if art else None
        m = _POST.match(path)
        if m:
            art = self.find(lambda a: a.num == int(m.group(1)))
            return Route("article", article=art) if art else None
        return None

    def fmt_date(self, art: Article) -> str:
        p = art.published
        return f"{p:%H:%M} {p:%d/%m/%Y}"

    def _frame(self, title: str, crumbs: str, main: str) -> str:
        side = chrome.item_list(
            "Tin mới", self.entries(self.listing("news")[:6])
        ) + chrome.item_list("Đọc nhiều nhất", self.entries(self.most_read(), shift=1))
        banners = '<div class="banner"><a href="https://hatinh.gov.vn/"><img src="/img/bn-ubnd.jpg" alt="UBND tỉnh Hà Tĩnh"></a></div>'
        body = (
            f'<div id="header"><div class="date-bar">{chrome.weekday_date(chrome.today(), pad=True)}</div>'
            f'<div class="logo">ĐẢNG CỘNG SẢN VIỆT NAM - ĐẢNG BỘ TỈNH HÀ TĨNH</div></div>'
            f"{chrome.mega_menu(self.menu_items())}{chrome.marquee('Chào mừng kỷ niệm 96 năm Ngày truyền thống công tác dân vận của Đảng')}"
            f'<div class="breadcrumb">{crumbs}</div><table class="layout"><tr><td class="main">{main}</td></tr></td>'
            f'<td class="sidebar">{side}{banners}</td></tr></table>' + self.footer()
        )
        return chrome.page(f"{title} - Cổng TTĐT Đảng bộ tỉnh Hà Tĩnh", "", body)

    def _crumbs(self, cat: str) -> str:
        return f'<a href="/">Trang chủ</a> » <a href="{self.listing_path(cat)}">{CATEGORY_NAMES[cat]}</a>'

    def render_article(self, art: Article) -> str:
        byline = self.byline(art)
        credit = f"<p><em>Theo: {escape(art.credit)}</em></p>" if art.credit else ""
        main = (
            f'<div class="post-detail"><h1 class="post-title">{escape(art.title)}</h1>{chrome.toolbar()}'
            f'<div class="post-date">{self.fmt_date(art)}</div><div class="post-content">'
            f"{chrome.article_body(art.blocks, subhead='strong', bold_lead=True)}{byline}{credit}</div>"
            f"{chrome.share_block()}{chrome.comment_form('Ý kiến bạn đọc')}"
            f"{chrome.item_list('Các tin khác', self.entries(self.related(art)))}</div>"
        )
        return self._frame(art.title, self._crumbs(art.category), main)

    def render_listing(self, cat: str, page: int, target: str) -> str:
        items = chrome.item_list(
            CATEGORY_NAMES[cat], self.entries(self.page_items(cat, page), teasers=True), "list-news"
        )
        return self._frame(
            CATEGORY_NAMES[cat], self._crumbs(cat), items + self.pager(cat, page, target)
        )

    def render_home(self) -> str:
        main = self.home_main("Tin nổi bật", 10, "Xem thêm", shift=0)
        return self._frame("Trang chủ", '<a href="/">Trang chủ</a>', main)

    def render_simple(self, title: str, inner: str) -> str:
        return self._frame(title, '<a href="/">Trang chủ</a>', inner)


def _int(text: str) -> int:
    return int(text) if text.isdigit() else 0
