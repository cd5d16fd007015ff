"""What every sample portal does alike: routing of the shared pages, traps, conditional GET.

A site module subclasses ``Site`` and supplies its URL forms (``article_path``,
``listing_path``, ``route``) and its markup (``render_*``). Everything here is what a crawler
meets on every real portal: robots.txt, a calendar that never ends, a sort parameter that
repeats forever, an error page served with 200, a login wall, a page that fails once.
"""

from __future__ import annotations

import threading
import unicodedata
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from html import escape
from urllib.parse import parse_qs, urlsplit

from dvcrawl.constants import VN_TZ
from dvcrawl.sampleportals import chrome
from dvcrawl.sampleportals.corpus import SiteSpec
from dvcrawl.sampleportals.model import Article

# "news" lists every story; the other sections exist on seed-varied sites only (variety.py).
CATEGORY_NAMES = {
    "danvan": "Công tác dân vận",
    "news": "Tin tức - Sự kiện",
    "thoisu": "Tin tức - Sự kiện",
    "kinhte": "Kinh tế",
    "xahoi": "Xã hội",
    "vanhoa": "Văn hóa - Thể thao",
    "chinhtri": "Xây dựng Đảng",
}
NOT_FOUND_TEXT = "Trang bạn tìm không tồn tại hoặc đã bị xóa."


@dataclass
class Response:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Route:
    """What a path means on this site."""

    kind: str  # "home", "listing", "article", "redirect"
    article: Article | None = None
    cat: str = ""
    page: int = 1
    location: str = ""
    code: int = 301


class Site:
    """One portal: its articles (newest first) and how it answers requests."""

    spec: SiteSpec
    conditional = "etag"  # "etag" (ETag + Last-Modified), "lm" (Last-Modified only), "none"
    page_size = 10
    content_type = "text/html; charset=utf-8"
    server_header = "nginx"
    robots_extra: tuple[str, ...] = ()
    calendar_path = "/lich/"
    error_path = "/so-do-cong"  # linked from the menu, answers 200 with an error text
    login_path = "/dang-nhap"
    flaky_index: int | None = None  # this article answers 503 once
    hang_seconds = 0.0  # how long a hanging article keeps the client waiting (set by the network)
    # managing agency, address, licence, visitor counter start: printed in every footer
    footer_lines: tuple[str, str, str, int] = ("", "", "", 0)

    def __init__(self, articles: list[Article]) -> None:
        self.articles = articles
        self.base_url = ""  # "http://127.0.0.X:PORT", set when the server starts
        self.lock = threading.Lock()
        self.version = 1
        self.last_modified = max(a.published for a in articles).replace(second=0)
        flaky = [articles[self.flaky_index]] if self.flaky_index is not None else []
        # Faults follow the article, not the URL: any spelling of it fails the first time.
        self.flaky_pending = {a.num for a in flaky}
        self.flaky_nums = frozenset(self.flaky_pending)
        self.hang_nums: frozenset[int] = frozenset()

    # --- URL forms and markup: supplied by each site -------------------------------------
    def article_path(self, art: Article) -> str:
        raise NotImplementedError

    def listing_path(self, cat: str, page: int = 1) -> str:
        raise NotImplementedError

    def route(self, path: str, query: dict[str, list[str]]) -> Route | None:
        raise NotImplementedError

    def render_article(self, art: Article) -> str:
        raise NotImplementedError

    def render_listing(self, cat: str, page: int, target: str) -> str:
        raise NotImplementedError

    def render_home(self) -> str:
        raise NotImplementedError

    def render_simple(self, title: str, inner: str) -> str:
        raise NotImplementedError

    def fmt_date(self, art: Article) -> str:
        raise NotImplementedError

    def list_date(self, art: Article) -> str:
        """The date a list item shows (seed-varied sites print it differently)."""
        return self.fmt_date(art)

    def listing_keys(self) -> tuple[str, ...]:
        """The listings this site links (ground truth for "which pages are listings")."""
        return ("danvan", "news")

    def alias_paths(self, art: Article) -> tuple[str, ...]:
        """Other paths serving this same article (ID-based portals on varied seeds)."""
        return ()

    def fault_paths(self, nums: frozenset[int]) -> list[str]:
        with self.lock:
            return [self.article_path(a) for a in self.articles if a.num in nums]

    def article_fault(self, art: Article) -> int:
        """503 the first time a flaky article is asked for, else 0."""
        with self.lock:
            flaky = art.num in self.flaky_pending
            self.flaky_pending.discard(art.num)
        return 503 if flaky else 0

    # --- corpus views ---------------------------------------------------------------------
    def listing(self, cat: str) -> list[Article]:
        with self.lock:
            arts = list(self.articles)
        return arts if cat == "news" else [a for a in arts if a.category == cat]

    def page_count(self, cat: str) -> int:
        return max(1, -(-len(self.listing(cat)) // self.page_size))

    def page_items(self, cat: str, page: int) -> list[Article]:
        start = (page - 1) * self.page_size
        return self.listing(cat)[start : start + self.page_size]

    def find(self, pred) -> Article | None:
        with self.lock:
            return next((a for a in self.articles if pred(a)), None)

    def link_variant(self, art: Article, i: int) -> str:
        """The article's link as some list prints it: sometimes with tracking junk."""
        path = self.article_path(art)
        return path + chrome.TRACKING[i % len(chrome.TRACKING)] if i % 3 == 1 else path

    def entries(self, arts: list[Article], teasers: bool = False, shift: int = 0) -> list[tuple]:
        return [
            (
                self.link_variant(a, i + shift),
                a.title,
                self.list_date(a),
                a.teaser if teasers else "",
            )
            for i, a in enumerate(arts)
        ]

    def most_read(self, n: int = 5) -> list[Article]:
        """A stable pseudo-random pick, as a view counter would give."""
        with self.lock:
            arts = list(self.articles)
        return sorted(arts, key=lambda a: zlib.crc32(f"{a.num}".encode()))[:n]

    def related(self, art: Article, n: int = 5) -> list[Article]:
        """ "Các tin khác": the next older stories of the same column, then the newest."""
        same = self.listing(art.category)
        idx = next((i for i, a in enumerate(same) if a is art), -1)
        return (same[idx + 1 :] + same[:idx])[:n]

    def listing_route(self, cat: str | None, page: int) -> Route | None:
        """A listing page, or None (404) past the last page."""
        if cat is None or not 1 <= page <= self.page_count(cat):
            return None
        return Route("listing", cat=cat, page=page)

    def footer(self) -> str:
        agency, address, licence, counter = self.footer_lines
        return chrome.footer(agency, address, licence, counter + self.version)

    @staticmethod
    def byline(art: Article, tag: str = "strong") -> str:
        """Bylines sit last, bold and right-aligned, on most portals."""
        if not art.author:
            return ""
        return f'<p style="text-align:right"><{tag}>{escape(art.author)}</{tag}></p>'

    def home_main(self, heading: str, count: int, more: str, shift: int = 2) -> str:
        """Home page: the latest stories with teasers, then a block per column."""
        main = chrome.item_list(heading, self.entries(self.listing("news")[:count], teasers=True))
        for cat in ("danvan", "news"):
            block = self.entries(self.listing(cat)[:5], shift=shift)
            main += chrome.item_list(CATEGORY_NAMES[cat], block, "cate-block")
            main += f'<a class="more" href="{self.listing_path(cat)}">{more}</a>'
        return main

    def menu_items(self) -> list[tuple[str, str]]:
        now = datetime.now(VN_TZ)
        return [
            ("/", "Trang chủ"),
            (self.listing_path("news"), CATEGORY_NAMES["news"]),
            (self.listing_path("danvan"), CATEGORY_NAMES["danvan"]),
            (f"{self.calendar_path}?thang={now.month}&nam={now.year}", "Lịch công tác"),
            (self.login_path + "?ReturnUrl=%2fvan-ban-noi-bo", "Văn bản nội bộ"),
            (self.error_path, "Sơ đồ cổng"),
            ("/tim-kiem?q=d%C3%A2n+v%E1%BA%ADn", "Tìm kiếm"),
            ("/admin/", "Quản trị"),
        ]

    def pager(self, cat: str, page: int, target: str) -> str:
        """Numbered links, "Trang sau", and the endless sort/view query loop."""
        count = self.page_count(cat)
        parts = [f'<a href="{self.listing_path(cat, p)}">{p}</a>' for p in range(1, count + 1)]
        if page < count:
            parts.append(f'<a class="next" href="{self.listing_path(cat, page + 1)}">Trang sau</a>')
        if page > 1:
            parts.insert(
                0, f'<a class="prev" href="{self.listing_path(cat, page - 1)}">Trang trước</a>'
            )
        sort = _with_param(target, "sort=new")  # appends forever: ?sort=new&sort=new&...
        view = "list" if "view=grid" in target else "grid"
        toggle = _with_param(self.listing_path(cat, page), f"view={view}")
        loop = f'<a href="{escape(sort)}">Mới nhất</a> <a href="{escape(toggle)}">Dạng {view}</a>'
        return f'<div class="paging">{" ".join(parts)}</div><div class="sort">{loop}</div>'

    # --- request handling -------------------------------------------------------------------
    def add(self, art: Article) -> None:
        """Publish: newest first; listings change, so their validators change too."""
        with self.lock:
            self.articles.insert(0, art)
            self.version += 1
            now = datetime.now(VN_TZ).replace(microsecond=0)
            self.last_modified = max(now, self.last_modified + timedelta(seconds=1))

    def handle(self, method: str, target: str, headers: dict[str, str]) -> Response:
        split = urlsplit(target)
        path, query = split.path, parse_qs(split.query)
        special = self._special(path, query)
        if special is not None:
            return special
        route = self.route(path, query)
        if route is None:
            return self.html(
                self.render_simple("Không tìm thấy trang", f"<p>{NOT_FOUND_TEXT}</p>"), 404
            )
        if route.kind == "redirect":
            return Response(route.code, b"", {"Location": route.location})
        if route.kind == "article" and self.article_fault(route.article):
            return Response(
                503, b"Service Unavailable", {"Content-Type": "text/plain", "Retry-After": "1"}
            )
        if route.kind == "article":
            return self.html(self.nfd(route.article, self.render_article(route.article)))
        return self._conditional(route, target, headers)

    def _special(self, path: str, query: dict[str, list[str]]) -> Response | None:
        if path == "/robots.txt":
            return Response(
                200, self.robots().encode(), {"Content-Type": "text/plain; charset=utf-8"}
            )
        if path == self.calendar_path:
            return self.html(self.calendar(query))
        if path == self.error_path:
            return self.html(
                self.render_simple("Thông báo", f"<h2>Lỗi</h2><p>{NOT_FOUND_TEXT}</p>")
            )
        if path == self.login_path:
            return self.html(self.render_simple("Đăng nhập", LOGIN_FORM))
        if path.startswith(("/admin", "/tim-kiem")):
            return self.html(self.render_simple("Khu vực quản trị", LOGIN_FORM))
        return None

    def robots(self) -> str:
        lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /tim-kiem", *self.robots_extra]
        return "\n".join(lines) + "\n"

    def calendar(self, query: dict[str, list[str]]) -> str:
        """ "Lịch công tác": every month links to the one before it, forever (a crawler trap)."""
        try:
            month, year = int(query.get("thang", ["1"])[0]), int(query.get("nam", ["2026"])[0])
        except ValueError:
            month, year = 1, 2026
        prev_m, prev_y = (month - 1, year) if month > 1 else (12, year - 1)
        next_m, next_y = (month + 1, year) if month < 12 else (1, year + 1)
        inner = (
            f"<h2>Lịch công tác tháng {month}/{year}</h2><p>Chưa có lịch công tác trong tháng.</p>"
            f'<a href="{self.calendar_path}?thang={prev_m}&amp;nam={prev_y}">Tháng trước</a> '
            f'<a href="{self.calendar_path}?thang={next_m}&amp;nam={next_y}">Tháng sau</a>'
        )
        return self.render_simple("Lịch công tác", inner)

    def _conditional(self, route: Route, target: str, headers: dict[str, str]) -> Response:
        """Home and listings: 304 when the client's validators still match."""
        with self.lock:
            etag = f'"v{self.version}-{zlib.crc32(target.encode()):08x}"'
            last = self.last_modified
        validators: dict[str, str] = {}
        if self.conditional == "etag":
            validators["ETag"] = etag
        if self.conditional in ("etag", "lm"):
            validators["Last-Modified"] = format_datetime(last.astimezone(UTC), usegmt=True)
            if _not_modified(headers, etag if self.conditional == "etag" else None, last):
                return Response(304, b"", validators)
        if route.kind == "home":
            body = self.render_home()
        else:
            body = self.render_listing(route.cat, route.page, target)
        resp = self.html(body)
        resp.headers.update(validators)
        return resp

    def html(self, text: str, status: int = 200) -> Response:
        return Response(status, text.encode("utf-8"), {"Content-Type": self.content_type})

    @staticmethod
    def nfd(art: Article, text: str) -> str:
        """Pages typed in "Unicode tổ hợp" reach the crawler decomposed."""
        return unicodedata.normalize("NFD", text) if art.nfd else text


LOGIN_FORM = (
    '<div class="login-wall"><h2>Đăng nhập hệ thống</h2><p>Vui lòng đăng nhập để xem nội dung này.</p>'
    '<form method="post" action="#"><input name="username"><input name="password" type="password">'
    "<button>Đăng nhập</button></form></div>"
)


def _with_param(url: str, param: str) -> str:
    return url + ("&" if "?" in url else "?") + param


def _not_modified(headers: dict[str, str], etag: str | None, last: datetime) -> bool:
    inm = headers.get("if-none-match")
    if inm is not None and etag is not None:
        return etag in [t.strip() for t in inm.split(",")] or inm.strip() == "*"
    ims = headers.get("if-modified-since")
    if ims:
        try:
            return parsedate_to_datetime(ims) >= last.replace(microsecond=0)
        except (TypeError, ValueError):
            return False
    return False
