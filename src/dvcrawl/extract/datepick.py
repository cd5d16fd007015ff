"""Which date on the page is the publication date, and how it was found (``date_method``).

Order of trust: page metadata (article:published_time, itemprop, JSON-LD), the family's date
block, then the short date line next to the title (the "header block", on Vietnamese pages: it
is read day first), then the date trafilatura found with htmldate. Never the header's
current-date bar (skipped by its place in header/nav furniture above the title, or by being
today), never an "updated" time, never dates inside body sentences or of a list of other
stories (only short lines near the title, and the scan stops at a "Tin liên quan" heading).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta, tzinfo

from lxml import etree
from lxml.html import HtmlElement

from dvcrawl.constants import VN_TZ
from dvcrawl.extract.dates import day_first_certain, is_doubtful, parse_iso, parse_vn
from dvcrawl.extract.junk import PAGE_HINT, TAIL_HEADINGS, hint_of
from dvcrawl.extract.text import key
from dvcrawl.headtags import matching
from dvcrawl.profiles import Profile
from dvcrawl.textnorm import fold

# (tag, its attribute tests, attribute holding the date, method name) for metadata that states
# the publication date: ("meta", (("name", "a"), ("name", "b"))) is meta[name='a'], meta[name='b'].
_META = (
    ("meta", (("property", "article:published_time"),), "content", "meta:article:published_time"),
    ("meta", (("itemprop", "datePublished"),), "content", "meta:itemprop"),
    ("time", (("itemprop", "datePublished"),), "datetime", "meta:itemprop"),
    ("meta", (("name", "pubdate"), ("name", "publishdate")), "content", "meta:pubdate"),
    ("meta", (("name", "dc.date.issued"), ("name", "DC.date.issued")), "content", "meta:dc"),
)
_JSONLD = ("type", "application/ld+json")
# "datePublished": "2022-12-27T22:37:00+07:00" in JSON-LD, even when the JSON is malformed.
_JSONLD_DATE = re.compile(r'"datePublished"\s*:\s*"([^"]+)"')
# Folded words that mark a modification time, not the publication: "Cập nhật", "updated",
# "sửa đổi", "chỉnh sửa", "modified".
_UPDATED = re.compile(r"cap nhat|update|sua doi|chinh sua|modified")
# A text line longer than this is prose: dates in it are events ("Sáng 6/1/2022, ...").
_MAX_DATE_LINE = 90
# Text lines after the title scanned for the date line; the body starts soon after.
_AFTER_TITLE = 12
_BEFORE_TITLE = 3
_FURNITURE_TAGS = {"header", "nav", "footer", "aside"}
# Class words of a date block: furniture above the title (the "today" bar), but below it the
# article's own date line ("<div class=datetime>Thứ Tư, 25/12/2024 10:15</div>").
_DATE_HINT = re.compile(
    r"(?:^|[\s_-])(datetime|date-now|today|currentdate|current-date|date-bar|datebar)(?:$|[\s_-])",
    re.I,
)
# An ISO 8601 moment with its offset, wherever the page states one (JSON, time tags, analytics).
_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?[+-]\d{2}:?\d{2}")
_SAME_MOMENT = timedelta(minutes=1)
# The offsets news sites publish from: Hawaii (UTC-10) to Kiribati (UTC+14).
_WEST, _EAST = timedelta(hours=-10), timedelta(hours=14)
# A date alone in brackets after a headline link: an item of a list of other stories.
_BRACKETED = re.compile(r"^\(\s*[\d/.\-: hg]+\s*\)$")
_TEXT_NODES = etree.XPath("text()", smart_strings=False)


def _from_meta(tree: HtmlElement, zone: tzinfo | None) -> tuple[str, str] | None:
    """Metadata's publication date; an offset-less time is read in ``zone`` (None: unknown,
    the day alone)."""
    for tag, tests, attr, method in _META:
        for el in matching(tree, tag, *tests):
            value = parse_iso(el.get(attr) or "", zone) or _vn(el.get(attr) or "")
            if value:
                return value, method
    for script in matching(tree, "script", _JSONLD):
        m = _JSONLD_DATE.search(script.text or "")
        if m and (value := parse_iso(m.group(1), zone) or _vn(m.group(1))):
            return value, "jsonld"
    return None


def _local_form(tree: HtmlElement, value: str) -> str | None:
    """The UTC metadata moment ``value`` as the page states it elsewhere with its own offset
    (JSON-LD, a time tag): the day its readers saw. Many CMSs write metadata in UTC, which
    moves an evening story of the Americas, or a night one of Asia, to another day."""
    moment = datetime.fromisoformat(value)
    if len(value) <= 10 or moment.utcoffset():
        return None
    for text in _stated_texts(tree):
        for m in _STAMP.finditer(text):
            other = parse_iso(m.group(0))
            stated = datetime.fromisoformat(other) if other else None
            if stated and stated.utcoffset() and abs(stated - moment) < _SAME_MOMENT:
                return other
    return None


def _stated_texts(tree: HtmlElement) -> Iterator[str]:
    """What ``//script/text() | //time/@datetime | //meta/@content`` selects in ``tree``'s
    document, in the same (document) order, from one walk instead of three and a merge. The
    walk covers the root's siblings too: markup after ``</html>`` may land beside it."""
    root = tree.getroottree().getroot()
    tops = (*reversed(list(root.itersiblings(preceding=True))), root, *root.itersiblings())
    for el in (el for top in tops for el in top.iter("script", "time", "meta")):
        if el.tag == "script":
            yield from _TEXT_NODES(el)  # not el.text: it joins a long script's text nodes
        elif (value := el.get("datetime" if el.tag == "time" else "content")) is not None:
            yield value


def _vn(text: str) -> str | None:
    found = parse_vn(text)
    return found.value if found else None


def _from_profile(
    tree: HtmlElement, profile: Profile | None, title_el: HtmlElement | None
) -> tuple[str, str] | None:
    if profile is None:
        return None
    for el in profile.select("date", tree):
        stamp = el.get("datetime")
        text = el.text_content()
        if _UPDATED.search(fold(text)) or _in_furniture(el, title_el):
            continue
        value = (parse_iso(stamp) if stamp else None) or (
            _vn(text) if len(text.strip()) <= _MAX_DATE_LINE else None
        )
        if value:
            return value, f"profile:{profile.name}"
    return None


def _in_furniture(el: HtmlElement, title_el: HtmlElement | None, below: bool = False) -> bool:
    """Inside the page header/nav/sidebar (where the current-date bar lives).

    A block that also holds the article title is the article's own header ("entry-header");
    ``below`` the title, a date class ("datetime", "today") is the article's date line.
    """
    for anc in (el, *el.iterancestors()):
        hint = hint_of(anc)
        if below:
            hint = _DATE_HINT.sub(" ", hint)
        if anc.tag in _FURNITURE_TAGS or PAGE_HINT.search(hint):
            return title_el is None or title_el not in anc.iterdescendants()
    return False


def _lines(tree: HtmlElement) -> list[tuple[str, HtmlElement]]:
    """Non-empty text nodes of the page with their parent element, in document order."""
    return _kept(tree.xpath("//body//text()"))


def _kept(nodes: list) -> list[tuple[str, HtmlElement]]:
    """The non-empty text nodes outside scripts and styles, with their parent element (for a
    tail text, the element it follows)."""
    out = []
    for node in nodes:
        text = str(node).strip()
        parent = node.getparent()
        if text and parent is not None and parent.tag not in ("script", "style"):
            out.append((text, parent))
    return out


def _around(title_el: HtmlElement) -> list[tuple[str, HtmlElement]]:
    """The lines of ``_lines`` from a few before the title to a few after it: the text nodes
    of the body before and after the title are walked by libxml2, and only as many as the
    scan reads are made Python objects (the whole page's were 4 ms on a long page)."""
    own = _kept(title_el.xpath(".//text()[ancestor::body]"))
    return (
        _near(title_el, "preceding", _BEFORE_TITLE + 1)
        + own
        + _near(title_el, "following", _AFTER_TITLE + 3)
    )


def _near(title_el: HtmlElement, axis: str, need: int) -> list[tuple[str, HtmlElement]]:
    """At least ``need`` lines on ``axis`` next to the title (all there are, if fewer)."""
    count = 4 * need
    while True:
        nodes = title_el.xpath(f"{axis}::text()[ancestor::body][position() <= {count}]")
        lines = _kept(nodes)
        if len(lines) >= need or len(nodes) < count:
            return lines
        count *= 4


def _line_date(
    lines: list[tuple[str, HtmlElement]],
    i: int,
    title_el: HtmlElement | None,
    below: bool,
    certain: bool = False,
) -> str | None:
    """A date printed on line ``i`` (its time may sit on the next or previous short line);
    ``certain``: only a date no reader would take month first. Whether the line sits in page
    furniture is asked last: most lines hold no date, and the ancestor walk is the cost."""
    text, el = lines[i]
    if len(text) > _MAX_DATE_LINE:
        return None
    value = _printed(lines, i, certain)
    return value if value and not _in_furniture(el, title_el, below) else None


def _printed(lines: list[tuple[str, HtmlElement]], i: int, certain: bool) -> str | None:
    text, el = lines[i]
    if _BRACKETED.match(text) and _links_nearby(el):
        return None  # "Headline (25/12/2024)": another story's date
    if i > 0 and _UPDATED.search(fold(lines[i - 1][0][-20:])):
        return None  # "Cập nhật:" label in its own span before the date
    prev = lines[i - 1][0] if i > 0 and len(lines[i - 1][0]) < 12 else ""
    nxt = lines[i + 1][0] if i + 1 < len(lines) and len(lines[i + 1][0]) < 24 else ""
    if marker := _UPDATED.search(fold(text)):  # "Ngày đăng: X | Cập nhật: Y" keeps X only
        text, nxt = text[: marker.start()], ""
    if iso := parse_iso(text):  # some portals print "2022-01-06 10:15"
        return iso
    window = f"{prev} {text} {nxt}"
    found = parse_vn(window, pos=len(prev) + 1)
    if found and found.start <= len(prev) + 1 + len(text):
        return None if certain and not day_first_certain(window, found) else found.value
    return None


def _near_title(
    tree: HtmlElement, title_el: HtmlElement | None, certain: bool = False
) -> str | None:
    if title_el is None:
        return None
    lines = _around(title_el)
    inside = set(title_el.iter())
    idx = next((i for i, (_, el) in enumerate(lines) if el in inside), None)
    if idx is None:
        return None
    last_title = max(i for i, (_, el) in enumerate(lines) if el in inside)
    for i in range(last_title + 1, min(len(lines), last_title + 1 + _AFTER_TITLE)):
        if len(lines[i][0]) > 2 * _MAX_DATE_LINE + 60 or key(lines[i][0]) in TAIL_HEADINGS:
            break  # the body or a list of other stories has started: their dates are not ours
        if value := _line_date(lines, i, title_el, True, certain):
            return value
    today = datetime.now(VN_TZ).date().isoformat()
    for i in range(idx - 1, max(-1, idx - 1 - _BEFORE_TITLE), -1):
        value = _line_date(lines, i, title_el, False, certain)
        if value and not value.startswith(today):  # above the title, "today" is the date bar
            return value
    return None


def find_date(
    tree: HtmlElement,
    title_el: HtmlElement | None,
    profile: Profile | None,
    fallback: str | Callable[[], str] | None = None,
    day_first: bool = True,
) -> tuple[str | None, str | None, bool]:
    """(published, date_method, date_doubtful) for the page; (None, None, False) if none.

    ``fallback`` is htmldate's guess (made by trafilatura on the whole page), still marked
    doubtful for staff to check; a function making it is called only when it is wanted. Short
    date lines near the title are read only when ``day_first`` (Vietnamese pages): elsewhere
    "12/10/2020" may be month first.
    """
    # Outside Vietnam the zone of an offset-less metadata time is unknown.
    found = _from_meta(tree, VN_TZ if day_first else None)
    found = found or _from_profile(tree, profile, title_el)
    if found and (local := _local_form(tree, found[0])):
        found = (local, found[1])
    guess = None if day_first else parse_iso((fallback() if callable(fallback) else fallback) or "")
    # Elsewhere htmldate (which weighs metadata against the page) is the better judge;
    # metadata still gives the time and offset when it names the same day.
    if guess and (found is None or not _meta_stands(found[0], guess[:10])):
        found = (guess, "htmldate")
    if not day_first and (found is None or found[1] == "htmldate"):
        # htmldate picks among all the page's dates; the date line by the title, printed so
        # no reader takes it month first ("27.01.2022"), is the page's own word. Its day only:
        # the zone of a printed time is unknown outside Vietnam.
        printed = _near_title(tree, title_el, certain=True)
        if printed and (found is None or not found[0].startswith(printed[:10])):
            found = (printed[:10], "header-block")
    wanted = day_first and (found is None or len(found[0]) == 10)
    near = _near_title(tree, title_el) if wanted else None
    if found is None and near:
        found = (near, "header-block")
    elif found is not None and near and len(near) > 10 and near.startswith(found[0]):
        found = (near, f"{found[1]}+header-block")  # same day; the page also prints the time
    if found is None:
        guess = parse_iso((fallback() if callable(fallback) else fallback) or "")
        if guess and day_first and _not_the_articles(tree, guess[:10]):
            guess = None
        return (guess, "htmldate-fallback", True) if guess else (None, None, False)
    return found[0], found[1], is_doubtful(found[0])


def _meta_stands(stated: str, day: str) -> bool:
    """Does metadata's ``stated`` date stand against htmldate's ``day``? When it names that
    day, or the day next to it with a time at a local offset (the site's own zone: htmldate
    is then a day off), or a UTC time that no offset news sites publish from moves to ``day``.
    """
    if stated.startswith(day):
        return True
    moment = datetime.fromisoformat(stated)
    if len(stated) <= 10 or abs(date.fromisoformat(day) - moment.date()) != timedelta(days=1):
        return False
    if moment.utcoffset():
        return True
    return date.fromisoformat(day) not in {(moment + _WEST).date(), (moment + _EAST).date()}


def _not_the_articles(tree: HtmlElement, day: str) -> bool:
    """Is ``day`` today (the day of fetching), or printed in the page's header/nav furniture or
    by a headline link of another story?

    htmldate reads the whole page, date bar and lists of other stories included.
    """
    if day == datetime.now(VN_TZ).date().isoformat():
        return True
    for text, el in _lines(tree):
        if len(text) > _MAX_DATE_LINE or not (found := parse_vn(text)) or found.value[:10] != day:
            continue
        teaser = _BRACKETED.match(text) or any(a.tag == "li" for a in el.iterancestors())
        if _in_furniture(el, None) or (teaser and _links_nearby(el)):
            return True
    return False


def _links_nearby(el: HtmlElement) -> bool:
    """A link in ``el`` or beside it: the headline a teaser date goes with."""
    parent = el.getparent()
    return el.tag == "a" or (parent is not None and parent.find(".//a") is not None)
