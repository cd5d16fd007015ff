"""hanam: a SharePoint 2013 provincial e-portal (many provinces and districts run one).

URL forms: home ``/`` answers 302 to ``/Pages/default.aspx``; articles ``/Pages/<slug>.aspx``;
columns ``/Pages/tin-tuc.aspx`` and ``/Pages/cong-tac-dan-van.aspx`` paged either as ``?Page=2``
or SharePoint-style ``?Paged=TRUE&p_ID=<id>&PageFirstRow=11``. Every page opens with "Skip
Ribbon Commands", has the same <title>, dates "06/01/2022 10:15 SA" (SA/CH = AM/PM), image
file names printed as text, body in ``div.ms-rtestate-field``. The charset is declared only in
a <meta>. Conditional GET by Last-Modified only (no ETag).
"""

from __future__ import annotations

import re
from html import escape

from dvcrawl.sampleportals import chrome
from dvcrawl.sampleportals.corpus import SiteSpec
from dvcrawl.sampleportals.model import Article
from dvcrawl.sampleportals.sites.base import CATEGORY_NAMES, Route, Site

SPEC = SiteSpec(
    "hanam",
    "Cổng thông tin điện tử tỉnh Hà Nam",
    "Hà Nam",
    "hanam.gov.vn",
    1000,
    "district",
    nfd_every=5,
)
CATE = {"news": "/Pages/tin-tuc.aspx", "danvan": "/Pages/cong-tac-dan-van.aspx"}
SITE_TITLE = "Cổng thông tin điện tử tỉnh Hà Nam"
# /Pages/some-slug.aspx
_POST = re.compile(r"^/Pages/([a-z0-9-]+)\.aspx$")
RIBBON = (
    '<div id="ms-designer-ribbon"><a href="javascript:;" class="ms-skip">Skip Ribbon Commands</a>'
    '<a href="#mainContent" class="ms-skip">Skip to main content</a><div id="s4-ribbonrow">'
    '<span class="ms-cui-tts"><a href="javascript:;">Browse</a><a href="javascript:;">Page</a></span>'
    '<a href="/_layouts/15/Authenticate.aspx?Source=%2F">Sign In</a>'
    "<span>Turn on more accessible mode</span><span>Turn off Animations</span></div></div>"
)


class HaNam(Site):
    spec = SPEC
    server_header = "Microsoft-IIS/8.5"
    footer_lines = (
        "Cơ quan chủ quản: Ủy ban nhân dân tỉnh Hà Nam",
        "Đường Trần Phú, phường Quang Trung, thành phố Phủ Lý, tỉnh Hà Nam",
        "Giấy phép số 15/GP-TTĐT ngày 12/6/2014",
        31052287,
    )
    conditional = "lm"
    page_size = 10
    content_type = "text/html"  # charset only in <meta> (SharePoint pages often do this)
    robots_extra = ("Disallow: /_layouts/", "Disallow: /_vti_bin/")
    calendar_path = "/Pages/lich-cong-tac.aspx"
    error_path = "/Pages/so-do-cong.aspx"

    def article_path(self, art: Article) -> str:
        return f"/Pages/{art.slug}.aspx"

    def listing_path(self, cat: str, page: int = 1) -> str:
        return CATE[cat] + (f"?Page={page}" if page > 1 else "")

    def route(self, path: str, query: dict[str, list[str]]) -> Route | None:
        if path == "/":
            return Route("redirect", location="/Pages/default.aspx", code=302)
        if path == "/Pages/default.aspx":
            return Route("home")
        for cat, prefix in CATE.items():
            if path == prefix:
                page = _page(query, self.page_size)
                return self.listing_route(cat, page)
        m = _POST.match(path)
        if m:
            art = self.find(lambda a: a.slug == m.group(1))
            return Route("article", article=art) if art else None
        return None

    def fmt_date(self, art: Article) -> str:
        p = art.published
        hour = p.hour % 12 or 12
        return f"{p:%d/%m/%Y} {hour}:{p:%M} {'SA' if p.hour < 12 else 'CH'}"

    def pager(self, cat: str, page: int, target: str) -> str:
        """SharePoint's own "next" link: Paged=TRUE&p_ID=<last id>&PageFirstRow=<n>."""
        html = super().pager(cat, page, target)
        items = self.page_items(cat, page)
        if page < self.page_count(cat) and items:
            row = page * self.page_size + 1
            nxt = f"{CATE[cat]}?Paged=TRUE&amp;p_ID={items[-1].num}&amp;PageFirstRow={row}"
            html += f'<a class="ms-paging" href="{nxt}"><img src="/_layouts/15/images/next.gif" alt="Trang sau"></a>'
        return html

    def _frame(self, crumbs: str, main: str) -> str:
        side = chrome.item_list(
            "Tin mới", self.entries(self.listing("news")[:5])
        ) + chrome.item_list("Xem nhiều nhất", self.entries(self.most_read(), shift=1))
        body = (
            f'{RIBBON}<div id="s4-workspace"><div class="header"><span class="ngay">{chrome.weekday_date(chrome.today(), pad=True)}</span>'
            f'<div class="banner-top"><img src="/PublishingImages/banner.png" alt="{SITE_TITLE}"></div></div>'
            f"{chrome.mega_menu(self.menu_items())}{chrome.marquee('Cổng thông tin điện tử tỉnh Hà Nam kính chào quý khách')}"
            f'<div class="ms-breadcrumb">{crumbs}</div><div id="mainContent"><div class="col-9">{main}</div>'
            f'<div class="col-3">{side}<div class="lienket"><select><option>Website các sở, ngành</option></select></div></div></div></div>'
            + self.footer()
        )
        return chrome.page(SITE_TITLE, "", body)

    def _crumbs(self, cat: str) -> str:
        return f'<a href="/Pages/default.aspx">Trang chủ</a> &gt; <a href="{self.listing_path(cat)}">{CATEGORY_NAMES[cat]}</a>'

    def render_article(self, art: Article) -> str:
        author = self.byline(art)
        main = (
            f'<div class="tin-chi-tiet"><div class="chuyen-muc">Tin tức, sự kiện</div><h1 class="title-news">{escape(art.title)}</h1>'
            f'<div class="date-news">{self.fmt_date(art)}</div><div class="ms-rtestate-field">'
            f"{chrome.article_body(art.blocks, subhead='strong', filename_text=True, img_dir='/PublishingImages/')}"
            f"{author}</div>{chrome.toolbar('tien-ich')}"
            f"{chrome.item_list('Các tin đã đưa', self.entries(self.related(art)), 'tin-khac')}</div>"
        )
        return self._frame(self._crumbs(art.category), main)

    def render_listing(self, cat: str, page: int, target: str) -> str:
        items = self.entries(self.page_items(cat, page), teasers=True)
        return self._frame(
            self._crumbs(cat),
            chrome.item_list(CATEGORY_NAMES[cat], items) + self.pager(cat, page, target),
        )

    def render_home(self) -> str:
        main = self.home_main("Tin nổi bật", 10, "Xem tiếp")
        return self._frame('<a href="/Pages/default.aspx">Trang chủ</a>', main)

    def render_simple(self, title: str, inner: str) -> str:
        return self._frame(f"<span>{escape(title)}</span>", inner)


def _page(query: dict[str, list[str]], size: int) -> int:
    """?Page=N, or SharePoint's ?Paged=TRUE&PageFirstRow=N (1-based row)."""
    raw = query.get("Page", [""])[0]
    if raw.isdigit():
        return int(raw)
    row = query.get("PageFirstRow", [""])[0]
    if row.isdigit():
        return (int(row) - 1) // size + 1
    return 1 if not raw else 0
