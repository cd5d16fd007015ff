"""bentre: a WordPress-like provincial newspaper/portal.

URL forms: articles ``/YYYY/MM/DD/<slug>/`` (``rel=canonical``; without the trailing slash they
answer 301), columns ``/category/dan-van/`` and ``/category/tin-tuc/`` paged as
``/category/dan-van/page/2/``. Date "12/10/2020 - 19:57"; captions printed twice, ending
"Ảnh: Q. Hùng"; byline "Quốc Hùng - Văn Minh"; "Chia sẻ bài viết"; "BÌNH LUẬN" form.
No conditional GET: listings always answer 200 without validators.
"""

from __future__ import annotations

import re
from html import escape

from dvcrawl.sampleportals import chrome
from dvcrawl.sampleportals.corpus import SiteSpec
from dvcrawl.sampleportals.model import Article, Block
from dvcrawl.sampleportals.sites.base import CATEGORY_NAMES, Route, Site

SPEC = SiteSpec("bentre", "Báo Đồng Khởi - Bến Tre", "Bến Tre", "baodongkhoi.vn", 3000, "pair")
CATE = {"news": "/category/tin-tuc/", "danvan": "/category/dan-van/"}
# /2020/10/12/some-slug/ (trailing slash optional: without it, 301)
_POST = re.compile(r"^/(\d{4})/(\d{2})/(\d{2})/([a-z0-9-]+)(/?)$")
# /category/dan-van/page/2/
_PAGED = re.compile(r"^(/category/[a-z-]+/)(?:page/(\d+)/?)?$")
PHOTO_CREDITS = ("Q. Hùng", "V. Minh", "T. Lâm", "H. Đức")


class BenTre(Site):
    spec = SPEC
    footer_lines = (
        "Báo Đồng Khởi - Cơ quan của Đảng bộ tỉnh Bến Tre",
        "Số 3 Đồng Khởi, phường An Hội, thành phố Bến Tre",
        "Giấy phép số 108/GP-BTTTT",
        9038311,
    )
    conditional = "none"
    page_size = 8
    robots_extra = ("Disallow: /wp-admin/", "Allow: /wp-admin/admin-ajax.php", "Disallow: /?s=")
    calendar_path = "/lich/"

    def article_path(self, art: Article) -> str:
        return f"/{art.published:%Y/%m/%d}/{art.slug}/"

    def listing_path(self, cat: str, page: int = 1) -> str:
        return CATE[cat] + (f"page/{page}/" if page > 1 else "")

    def link_variant(self, art: Article, i: int) -> str:
        return self.article_path(art).rstrip("/") if i % 4 == 2 else super().link_variant(art, i)

    def route(self, path: str, query: dict[str, list[str]]) -> Route | None:
        if path == "/":
            return Route("home")
        m = _PAGED.match(path)
        if m:
            cat = next((c for c, p in CATE.items() if p == m.group(1)), None)
            page = int(m.group(2) or 1)
            return self.listing_route(cat, page)
        m = _POST.match(path)
        if not m:
            return None
        art = self.find(
            lambda a: a.slug == m.group(4) and f"{a.published:%Y%m%d}" == "".join(m.group(1, 2, 3))
        )
        if art is None:
            return None
        if not m.group(5):
            return Route("redirect", location=self.article_path(art))
        return Route("article", article=art)

    def fmt_date(self, art: Article) -> str:
        return f"{art.published:%d/%m/%Y - %H:%M}"

    def _frame(self, title: str, main: str, head: str = "") -> str:
        side = chrome.item_list(
            "Tin mới", self.entries(self.listing("news")[:6]), "widget"
        ) + chrome.item_list("Xem nhiều nhất", self.entries(self.most_read(6), shift=1), "widget")
        body = (
            f'<div id="page" class="site"><div class="topbar">{chrome.weekday_date(chrome.today(), pad=True)}'
            f'</div><header class="site-header"><a class="site-title" href="/">BÁO ĐỒNG KHỞI</a>'
            f'<p class="site-description">Cơ quan của Đảng bộ Đảng Cộng sản Việt Nam tỉnh Bến Tre</p></header>'
            f"{chrome.mega_menu(self.menu_items(), 'main-navigation')}{chrome.marquee('Bến Tre thi đua lập thành tích chào mừng Đại hội Đảng bộ tỉnh')}"
            f'<div id="content"><div id="primary">{main}</div><div id="secondary" class="widget-area">{side}'
            f'<div class="widget"><h3>Liên kết</h3><a href="https://bentre.gov.vn/">UBND tỉnh Bến Tre</a></div></div></div></div>'
            '<div class="clearfix">' + self.footer()  # never closed, as on the real theme
        )
        return chrome.page(f"{title} - Báo Đồng Khởi", head, body)

    def _blocks(self, art: Article) -> list[Block]:
        """Captions carry a photo credit here ("... Ảnh: Q. Hùng")."""
        credit = PHOTO_CREDITS[art.num % len(PHOTO_CREDITS)]
        return [
            Block(b.kind, f"{b.text}. Ảnh: {credit}") if b.kind == "img" else b for b in art.blocks
        ]

    def render_article(self, art: Article) -> str:
        head = f'<link rel="canonical" href="{self.base_url}{self.article_path(art)}">'
        author = f"<p><strong>{escape(art.author)}</strong></p>" if art.author else ""
        main = (
            f'<article class="post"><header class="entry-header"><h1 class="entry-title">{escape(art.title)}</h1>'
            f'<span class="posted-on">{self.fmt_date(art)}</span></header><div class="entry-content">'
            f"{chrome.article_body(self._blocks(art), subhead='h3', twice=True, img_dir='/wp-content/uploads/')}"
            f'{author}</div><div class="share"><h4>Chia sẻ bài viết</h4>{chrome.share_block()}</div></article>'
            f"{chrome.item_list('Tin liên quan', self.entries(self.related(art)), 'related-posts')}"
            f"{chrome.comment_form('BÌNH LUẬN')}"
        )
        return self._frame(art.title, main, head)

    def render_listing(self, cat: str, page: int, target: str) -> str:
        items = self.entries(self.page_items(cat, page), teasers=True)
        main = f'<h1 class="page-title">Chuyên mục: {CATEGORY_NAMES[cat]}</h1>' + chrome.item_list(
            "", items, "archive"
        )
        return self._frame(CATEGORY_NAMES[cat], main + self.pager(cat, page, target))

    def render_home(self) -> str:
        main = self.home_main("Tin nổi bật", 8, "Xem tiếp »", shift=3)
        return self._frame("Trang chủ", main)

    def render_simple(self, title: str, inner: str) -> str:
        return self._frame(title, inner)
