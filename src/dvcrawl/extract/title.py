"""The article title: from the article itself (h1 / family title / og:title), never the portal's.

Older portals print the same <title> on every page and put the portal name in an h1 logo, so
<title> is the last resort and portal-name-looking candidates are skipped.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from dvcrawl.extract.junk import BODY_HINT, PAGE_HINT, hint_of
from dvcrawl.extract.text import clean_line, key, text_content
from dvcrawl.headtags import meta_content, tagged
from dvcrawl.profiles import Profile
from dvcrawl.profiles.guard import GuardedSelector
from dvcrawl.textnorm import fold

# " - Cổng TTĐT tỉnh Hà Nam", " | Báo Hà Tĩnh", " – Tạp chí Dân vận": a separator then a portal
# name. Split on the last separator only when the tail looks like a site name.
_SUFFIX = re.compile(r"\s+[-|–—:»·•]\s+(?P<tail>[^-|–—»·•]{2,90})$")
# The separator before a tail that is exactly og:site_name (which may hold a dash itself).
_SEPARATOR = re.compile(r"\s+[-|–—:»·•]\s+$")
# A leading "<site> | " (only the bar and the colon-free dashes: "Tin tức: ..." is a kicker).
_PREFIX = re.compile(r"^(?P<head>[^|–—]{2,60}?)\s+[|–—]\s+")
# Host labels that name no site ("com" in "co.uk", "m" in "m.example.com").
_GENERIC_LABELS = frozenset(
    {"m", "mobile", "amp", "news", "blog", "co", "com", "org", "net", "gov", "edu", "ac"}
)
# Shorter host labels ("ap", "bbc") match too much text by accident.
_MIN_HOST = 5
# What portal names start with (folded words): Cổng (thông tin), Trang (thông tin), Báo, Tạp chí,
# Đảng bộ, Ban ..., UBND, Sở, Tỉnh ủy, Huyện ủy, Thành ủy, Đài, Portal.
_SITE_NAME = re.compile(
    r"^(cổng|trang (thông tin|chủ|tin)|báo|tạp chí|đảng bộ|đảng cộng sản|ban (dân vận|tuyên giáo)"
    r"|ubnd|ủy ban nhân dân|sở |tỉnh ủy|huyện ủy|thành ủy|đài|portal|website|cttđt|ttđt"
    r"|thông tin điện tử)",
    re.I,
)
# class/id words of logo and banner blocks: "logo", "brand", "site-title", "site-name", "banner".
_LOGO_HINT = re.compile(
    r"(?:^|[\s_-])(logo|brand|site-title|site-name|sitename|sitetitle|banner)(?:$|[\s_-])", re.I
)
# A <title> made of a breadcrumb ("Sở Giáo dục > Tin tức > Chi tiết") names no article.
_BREADCRUMB = re.compile(r"\s[>»]\s")
_GENERIC_TITLES = frozenset(
    {"chi tiết", "chi tiết tin", "chi tiết bài viết", "tin tức", "bài viết"}
)
# A bare host name used as a title suffix: "... - hatinh.dcs.vn".
_DOMAIN = re.compile(r"^(?:www\.)?[\w-]+(?:\.[\w-]+)+$")
# Stricter: a whole heading that is a portal name ("Cổng thông tin điện tử tỉnh Hà Nam"), as
# printed in logo h1s. Article titles may start with "Ban Dân vận" or "Báo cáo", so not those.
_SITE_HEADING = re.compile(
    r"^(cổng thông tin|cổng ttđt|trang thông tin|trang tin điện tử|tạp chí|website|portal"
    r"|báo (?!cáo|chí|động|hiệu|đáp|công))"
)
# Where a title taken from metadata is printed on the page (for the date next to it).
_PRINTED = GuardedSelector(
    "h1, h2, h3, h4, [class*='title'], [class*='Title'], [class*='tieu-de'], [class*='tieude'],"
    " [class*='Head'], [class*='headline']"
)
# Styled title blocks: at least this many words ("Tin tức, sự kiện" is a label), at most a
# paragraph's length.
_MIN_TITLE_WORDS = 5
_MAX_TITLE = 250
_FURNITURE = {"header", "nav", "footer", "aside", "a"}
# A heading in these names a menu or the site's footer ("Navigation", "Impressum"), never the story.
_NAVIGATION = {"nav", "footer"}
# class/id words of blocks beside the story: menus, sidebars, lists of other stories.
_ASIDE_HINT = re.compile(
    r"(?:^|[\s_-])(nav|navbar|menu|footer|sidebar|widget|related|teaser|mostread|tinlienquan"
    r"|tinkhac|othernews|other-news)(?:$|[\s_-])",
    re.I,
)
# A metadata title found inside a longer heading must have this many words to count: the rest
# of the heading is a kicker, a date or a subtitle ("Tunesien Große Aufgaben für ...").
_MIN_INNER_WORDS = 3
# Shorter than this is a label ("Tin tức"), not an article title.
_MIN_TITLE = 12


def strip_suffix(title: str, site_name: str = "", host: str = "") -> str:
    """Drop a trailing " - <portal name>" (one or two of them), and a leading "<site> | "
    when it names the site (og:site_name or the host: "Gregory Szorc's Digital Home | ...")."""
    head = title[: -len(site_name)] if site_name and title.endswith(site_name) else ""
    if _SEPARATOR.search(head):  # "... | AOC media - Analyse Opinion Critique"
        title = _SEPARATOR.sub("", head)
    for _ in range(2):
        m = _SUFFIX.search(title)
        if not m:
            break
        tail = m.group("tail").strip()
        if _looks_like_site(tail) or names_site(tail, site_name, host):
            title = title[: m.start()].rstrip()
        else:
            break
    m = _PREFIX.match(title)
    if m and names_site(m.group("head"), site_name, host) and len(title) - m.end() >= _MIN_TITLE:
        title = title[m.end() :].lstrip()
    return title


def _squash_fold(text: str) -> str:
    return "".join(ch for ch in fold(text) if ch.isalnum())


def host_label(url: str) -> str:
    """The distinctive label of the host: "www.hildesheimer-presse.de" -> "hildesheimerpresse"."""
    labels = (urlsplit(url).hostname or "").lower().removeprefix("www.").split(".")[:-1]
    labels = [x for x in labels if x not in _GENERIC_LABELS]
    return _squash_fold(max(labels, key=len)) if labels else ""


def names_site(text: str, site_name: str, host: str) -> bool:
    """Does ``text`` name the site: its og:site_name, or its host's words?"""
    if site_name and key(text) == key(site_name):
        return True
    squashed = _squash_fold(text)
    if len(host) < _MIN_HOST or len(squashed) < _MIN_HOST:
        return False
    return host in squashed or (squashed in host and len(squashed) * 2 >= len(host))


def _looks_like_site(text: str) -> bool:
    """A portal name or a bare domain ("hatinh.dcs.vn", "Baohatinh.vn")."""
    return bool(_SITE_NAME.match(key(text)) or _DOMAIN.match(text.strip()))


def _usable(candidates: list[HtmlElement], site: str) -> list[tuple[str, HtmlElement]]:
    """Candidate headings that can be an article title (not a label, not the portal name)."""
    usable = []
    for el in candidates:
        text = strip_suffix(clean_line(el.text_content()), site)
        k = key(text)
        if (
            len(text) >= _MIN_TITLE
            and not _SITE_HEADING.match(k)
            and k != key(site)
            and not _in_logo(el)
        ):
            usable.append((text, el))
    return usable


def find_title(
    tree: HtmlElement, profile: Profile | None, url: str = ""
) -> tuple[str, HtmlElement | None, str]:
    """The title text, the element that printed it (None when not printed in the body) and
    which rule found it.

    Printed headings win; among them the one that agrees with og:title or <title> (a sidebar
    may also use the family's title class). When no heading agrees, og:title printed on the
    page (an h2 under a logo or menu h1) wins, then a heading that starts <title>, then a
    heading holding the metadata title beside a kicker; a heading in a menu or footer that
    agrees with nothing is never the title. Metadata is the fallback, the portal name never.
    """
    site, host = clean_line(meta_content(tree, ("property", "og:site_name"))), host_label(url)
    og = meta_content(tree, ("property", "og:title"), ("name", "twitter:title"))
    og = strip_suffix(clean_line(og), site, host)
    page = tagged(tree, "title")
    page_title = strip_suffix(clean_line(page[0].text_content()), site, host) if page else ""
    if _BREADCRUMB.search(page_title) or key(page_title) in _GENERIC_TITLES:
        page_title = ""  # "Sở GD&ĐT > Tin tức > Chi tiết": the same on every article
    refs = [key(t) for t in (og, page_title) if t and not _SITE_HEADING.match(key(t))]
    candidates = profile.select("title", tree) if profile else []
    candidates += [h for h in tagged(tree, "h1") if h not in candidates]
    usable = _usable(candidates, site)
    for text, el in usable:  # the printed title that agrees with the page's metadata
        if key(text) in refs:
            return text, el, "heading agreeing with metadata"
    if og and (el := _printed(tree, og)) is not None and not _aside(el):
        return og, el, "og:title printed on the page"
    for text, el in usable:  # <title> with a suffix we could not strip
        if any(ref.startswith(key(text)) for ref in refs):
            return text, el, "heading agreeing with metadata"
    # Headings that agree with nothing: never one in a menu or footer ("Navigation").
    usable = [
        (t, el) for t, el in usable if not any(a.tag in _NAVIGATION for a in el.iterancestors())
    ]
    for _, el in usable:
        if inner := _inner_title(el, (og, page_title)):
            return inner, el, "metadata title inside the heading"
    if usable:
        return (*usable[0], "heading")
    if og and not _SITE_HEADING.match(key(og)):
        return og, _printed(tree, og), "og:title"
    styled = _styled(tree)
    for text, el in styled:  # a title div agreeing with <title>
        if page_title and key(page_title).startswith(key(text)):
            return text, el, "styled block agreeing with <title>"
    if page_title and not _SITE_HEADING.match(key(page_title)):
        return page_title, _printed(tree, page_title), "<title>"
    return (*styled[0], "styled block") if styled else ("", None, "none")


def _inner_title(heading: HtmlElement, metadata: tuple[str, ...]) -> str:
    """The metadata title when the heading prints it in an element of its own beside a
    kicker, a date or a subtitle ("<span>Tunesien</span> <span>Große Aufgaben ...</span>")."""
    parts = {key(x) for x in heading.xpath(".//text()")}
    parts |= {key(el.text_content()) for el in heading.iterdescendants()}
    for title in metadata:
        if len(title.split()) >= _MIN_INNER_WORDS and key(title) in parts:
            return title
    return ""


def _in_logo(el: HtmlElement) -> bool:
    """Inside the site's logo or banner (where old portals put an h1 with the portal name)."""
    for anc in (el, *el.iterancestors()):
        if anc.tag in ("body", "html"):  # their classes describe the layout ("html_logo_left")
            return False
        if anc.tag == "a" or _LOGO_HINT.search(hint_of(anc)):
            return True
    return False


def _aside(el: HtmlElement) -> bool:
    """In a menu, footer, sidebar or list of other stories (an article's header is fine)."""
    return any(
        anc.tag in ("nav", "footer", "aside") or _ASIDE_HINT.search(hint_of(anc))
        for anc in el.iterancestors()
    )


def _in_furniture(el: HtmlElement) -> bool:
    for anc in (el, *el.iterancestors()):
        hint = hint_of(anc)
        if anc.tag in _FURNITURE or PAGE_HINT.search(hint) or BODY_HINT.search(hint):
            return True
    return False


def _styled(tree: HtmlElement) -> list[tuple[str, HtmlElement]]:
    """Title-like blocks ("tieu-de-tin", "title-news", h2) outside page furniture, not links.

    Old portals print the title in a styled div and put the portal name in <title>.
    """
    found = []
    for el in _PRINTED(tree):
        if el.tag in ("title", "h1") or el.find(".//a") is not None or el.getparent() is None:
            continue
        text = clean_line(text_content(el))
        if (
            len(text.split()) >= _MIN_TITLE_WORDS
            and len(text) <= _MAX_TITLE
            and not _SITE_HEADING.match(key(text))
            and not _in_furniture(el)
        ):
            found.append((text, el))
    return found


def _printed(tree: HtmlElement, title: str) -> HtmlElement | None:
    """The element in the page body that prints ``title``, if one does."""
    wanted, most = key(title), 2 * len(title) + 40  # longer text holds more than the title
    for el in _PRINTED(tree):
        text = text_content(el)
        if el.tag != "title" and len(text) <= most and key(text) == wanted:
            return el
    return None
