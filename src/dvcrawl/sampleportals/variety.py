"""Seed-drawn layout traits: the same five portals, built differently for every seed.

For any seed but the default, each site draws how it navigates and prints: categories that
differ only in the query string (``danh-muc.aspx?cat=3&page=2``, ``?CategoryID=``, Joomla's
``index.php?option=com_content&view=category&id=N&limitstart=20``), article URLs keyed by a
numeric id and reachable under several section paths (``/Home/Kinh-te/17404/slug`` and
``/Home/Tin-tuc-Su-kien/17404/slug``), weekday or SA/CH article dates, dates in parentheses in
related lists, a canonical link or ``og:url``, and articles that fail once (503) or hang once.
``varied_class`` layers the traits over a site class, so every site keeps its own markup.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from html import escape

from dvcrawl.sampleportals import chrome
from dvcrawl.sampleportals.model import Article
from dvcrawl.sampleportals.sites.base import CATEGORY_NAMES, Route, Site

NAVS = ("native", "cat", "category_id", "joomla")
# Listing sections of a site with query-string navigation: key -> path slug (names in
# CATEGORY_NAMES). "news" stays the all-stories view the sidebars and "Tin mới" blocks show;
# its link leads to "thoisu".
SECTIONS = {
    "danvan": "Cong-tac-dan-van",
    "thoisu": "Tin-tuc-Su-kien",
    "kinhte": "Kinh-te",
    "xahoi": "Xa-hoi",
    "vanhoa": "Van-hoa-The-thao",
    "chinhtri": "Xay-dung-Dang",
}
TOPIC_SECTIONS = {
    "kinhte": "kinhte",
    "nongnghiep": "kinhte",
    "yte": "xahoi",
    "danso": "xahoi",
    "dansinh": "xahoi",
    "thethao": "vanhoa",
    "attendees": "chinhtri",
    "doanthe": "chinhtri",
}
# A second path ID-based portals print for the same story (home page, "Tin nổi bật" box).
ALT_SECTION = ("Tin-tuc-Su-kien", "Tin-noi-bat")
# Query-string listing forms: path, id parameter, paging parameter ("limitstart" counts rows).
NAV_FORMS = {
    "cat": ("/danh-muc.aspx", "cat", "page"),
    "category_id": ("/tin-tuc/danh-sach.aspx", "CategoryID", "page"),
    "joomla": ("/index.php", "id", "limitstart"),
}
JOOMLA_PREFIX = "option=com_content&view=category&"


@dataclass(frozen=True)
class Traits:
    """How one site of a varied network navigates, prints dates, and misbehaves."""

    seed: int
    nav: str  # one of NAVS
    ids: bool  # /Home/<Section>/<id>/<slug>, the same story under several sections
    article_date: str  # "native", "weekday" ("Thứ Tư, 25/12/2024 10:15"), "sa_ch"
    list_date: str  # "native", "weekday", "paren" ("(17/02/2025)")
    canonical: str  # "none", "link" (<link rel=canonical>), "og" (og:url)
    cat_numbers: tuple[int, ...]  # the number of each SECTIONS key, in order
    flaky: int  # articles that answer 503 once
    hang: int  # articles that answer only after the hang time, once

    @property
    def sections(self) -> bool:
        return self.nav != "native"


def draw_traits(seed: int, site_ids: list[str]) -> dict[str, Traits]:
    """Traits per site; every varied world has each query-string form and two ID-based sites."""
    rng = random.Random(f"{seed}:traits")
    navs = ["cat", "category_id", "joomla", "native"]
    navs += [rng.choice(NAVS) for _ in range(len(site_ids) - len(navs))]
    rng.shuffle(navs)
    ids = [i < 2 or rng.random() < 0.3 for i in range(len(site_ids))]
    rng.shuffle(ids)
    hang_site = rng.randrange(len(site_ids))
    out = {}
    for i, sid in enumerate(site_ids):
        base = rng.choice((1, 10, 100, 1000))
        numbers = rng.sample(range(base, base + 40), len(SECTIONS))
        out[sid] = Traits(
            seed=seed,
            nav=navs[i % len(navs)],
            ids=ids[i % len(ids)],
            article_date=rng.choice(("native", "weekday", "sa_ch")),
            list_date=rng.choice(("native", "weekday", "paren")),
            canonical=rng.choice(("none", "link", "og")),
            cat_numbers=tuple(numbers),
            flaky=rng.randint(1, 2),
            hang=1 if i == hang_site else 0,
        )
    return out


def section_for(art: Article) -> str:
    """The section a story is filed under; hidden dân vận stories go to general news."""
    if art.category == "danvan":
        return "danvan"
    return TOPIC_SECTIONS.get(art.topic, "thoisu") if art.num % 4 else "thoisu"


class VariedSite(Site):
    """Mixed in before a site class: its URL forms and date habits follow ``traits``."""

    traits: Traits

    def __init__(self, articles: list[Article]) -> None:
        for art in articles:
            art.section = art.section or section_for(art)
        super().__init__(articles)
        rng = random.Random(f"{self.traits.seed}:faults:{self.spec.id}")
        # Never the newest few: those are on the home page, fetched in the first seconds.
        picks = rng.sample(articles[3:], self.traits.flaky + self.traits.hang)
        self.flaky_pending = {a.num for a in picks[: self.traits.flaky]}
        self.flaky_nums = frozenset(self.flaky_pending)
        self.hang_nums = frozenset(a.num for a in picks[self.traits.flaky :])
        self.hang_pending = set(self.hang_nums)

    # --- sections and URL forms -----------------------------------------------------------
    def listing_keys(self) -> tuple[str, ...]:
        return tuple(SECTIONS) if self.traits.sections else super().listing_keys()

    def listing(self, cat: str) -> list[Article]:
        if not self.traits.sections or cat == "news":
            return super().listing(cat)
        with self.lock:
            return [a for a in self.articles if a.section == cat]

    def _number(self, cat: str) -> int:
        key = "thoisu" if cat == "news" else cat
        return self.traits.cat_numbers[list(SECTIONS).index(key)]

    def listing_path(self, cat: str, page: int = 1) -> str:
        if not self.traits.sections:
            return super().listing_path(cat, page)
        path, id_param, page_param = NAV_FORMS[self.traits.nav]
        prefix = JOOMLA_PREFIX if self.traits.nav == "joomla" else ""
        out = f"{path}?{prefix}{id_param}={self._number(cat)}"
        if page > 1:
            value = (page - 1) * self.page_size if page_param == "limitstart" else page
            out += f"&{page_param}={value}"
        return out

    def _section_path(self, art: Article, section_slug: str) -> str:
        return f"/Home/{section_slug}/{art.num}/{art.slug}"

    def article_path(self, art: Article) -> str:
        if not self.traits.ids:
            return super().article_path(art)
        return self._section_path(art, SECTIONS[self._article_section(art)])

    def _article_section(self, art: Article) -> str:
        if self.traits.sections:
            return art.section or section_for(art)
        return "danvan" if art.category == "danvan" else "thoisu"

    def alias_paths(self, art: Article) -> tuple[str, ...]:
        if not self.traits.ids:
            return ()
        own = SECTIONS[self._article_section(art)]
        return (self._section_path(art, next(s for s in ALT_SECTION if s != own)),)

    def link_variant(self, art: Article, i: int) -> str:
        if self.traits.ids and i % 3 == 1:
            return self.alias_paths(art)[0]
        return super().link_variant(art, i)

    def route(self, path: str, query: dict[str, list[str]]) -> Route | None:
        if self.traits.sections and path == NAV_FORMS[self.traits.nav][0]:
            return self._query_listing(query)
        if self.traits.ids and path.startswith("/Home/"):
            return self._id_article(path)
        return super().route(path, query)

    def _query_listing(self, query: dict[str, list[str]]) -> Route | None:
        _, id_param, page_param = NAV_FORMS[self.traits.nav]
        if self.traits.nav == "joomla" and query.get("view") != ["category"]:
            return None
        number = _int(query.get(id_param, [""])[0])
        keys = [k for k, n in zip(SECTIONS, self.traits.cat_numbers, strict=True) if n == number]
        raw = _int(query.get(page_param, ["1" if page_param == "page" else "0"])[0])
        page = raw // self.page_size + 1 if page_param == "limitstart" else raw
        return self.listing_route(keys[0] if keys else None, page)

    def _id_article(self, path: str) -> Route | None:
        parts = path.strip("/").split("/")
        slugs = set(SECTIONS.values()) | set(ALT_SECTION)
        if len(parts) != 4 or parts[1] not in slugs or not parts[2].isdigit():
            return None
        art = self.find(lambda a: a.num == int(parts[2]))
        return Route("article", article=art) if art else None

    def pager(self, cat: str, page: int, target: str) -> str:
        if self.traits.sections:  # a site's own pager may know only its native forms
            return Site.pager(self, cat, page, target)
        return super().pager(cat, page, target)

    def menu_items(self) -> list[tuple[str, str]]:
        items = super().menu_items()
        if self.traits.sections:
            extra = [(self.listing_path(k), CATEGORY_NAMES[k]) for k in SECTIONS]
            items[1:3] = extra
        return items

    # --- dates and head ---------------------------------------------------------------------
    def fmt_date(self, art: Article) -> str:
        p, style = art.published, self.traits.article_date
        clock = f"{p.hour % 12 or 12}:{p:%M} {'SA' if p.hour < 12 else 'CH'}"
        if style == "weekday":
            return chrome.weekday_date(p.date()) + (f" {p:%H:%M}" if art.has_time else "")
        if style == "sa_ch":
            return f"{p:%d/%m/%Y}" + (f" {clock}" if art.has_time else "")
        return super().fmt_date(art)

    def list_date(self, art: Article) -> str:
        style = self.traits.list_date
        if style == "weekday":
            return chrome.weekday_date(art.published.date(), pad=True)
        if style == "paren":
            return f"({art.published:%d/%m/%Y})"
        return super().list_date(art)

    def render_article(self, art: Article) -> str:
        html = super().render_article(art)
        url = escape(self.base_url + self.article_path(art))
        if self.traits.canonical == "link" and 'rel="canonical"' not in html:
            html = html.replace("</head>", f'<link rel="canonical" href="{url}"></head>', 1)
        elif self.traits.canonical == "og" and 'property="og:url"' not in html:
            html = html.replace("</head>", f'<meta property="og:url" content="{url}"></head>', 1)
        return html

    def add(self, art: Article) -> None:
        art.section = art.section or section_for(art)
        super().add(art)

    def article_fault(self, art: Article) -> int:
        """503 once for flaky articles; a hang (then the page) once for slow ones."""
        with self.lock:
            hang = art.num in self.hang_pending
            self.hang_pending.discard(art.num)
        if hang:
            time.sleep(self.hang_seconds)
        return super().article_fault(art)


def varied_class(cls: type[Site], traits: Traits) -> type[Site]:
    """``cls`` with ``traits`` layered over its URL forms and date habits."""
    return type(f"Varied{cls.__name__}", (VariedSite, cls), {"traits": traits})


def _int(text: str) -> int:
    return int(text) if text.isdigit() else 0
