"""What a CMS family tells the extractor: how to recognise it and where its parts are.

Profiles are data: CSS selectors compiled once. Many portals share a platform, so a profile
describes a family (SharePoint e-portals, the dcs.vn platform, WordPress-like themes), never one
province. Pure: no Scrapy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from dvcrawl.profiles.guard import GuardedSelector
from dvcrawl.profiles.urlrules import GENERIC, UrlRules


def compile_all(selectors: tuple[str, ...]) -> tuple[GuardedSelector, ...]:
    """Compile CSS selectors once (module load), so extraction never re-parses them; guarded,
    so a selector naming a class the page lacks is not run over the page."""
    return tuple(GuardedSelector(s) for s in selectors)


@dataclass(frozen=True)
class Profile:
    """A CMS family: markers that identify it and selectors for title, date, body and junk."""

    name: str
    markers: tuple[str, ...] = ()  # any match in the page means this family
    hosts: tuple[str, ...] = ()  # host suffixes that mean this family (".dcs.vn")
    # Markers count only on Vietnamese pages (lang="vi…" or a .vn host): for families whose
    # markers are class names that pages elsewhere use too.
    vietnamese: bool = False
    title: tuple[str, ...] = ()  # article title, first match wins
    date: tuple[str, ...] = ()  # the date block next to the title
    content: tuple[str, ...] = ()  # the body container, first match wins
    exclude: tuple[str, ...] = ()  # junk inside or around the body
    urls: UrlRules = GENERIC  # article, pagination and article-id URL forms (linkclass asks)
    _compiled: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for part in ("markers", "title", "date", "content", "exclude"):
            self._compiled[part] = compile_all(getattr(self, part))

    def select(self, part: str, tree: HtmlElement) -> list[HtmlElement]:
        """Elements matching the ``part`` selectors, in selector order."""
        found: list[HtmlElement] = []
        for sel in self._compiled[part]:
            found.extend(el for el in sel(tree) if el not in found)
        return found

    def matches(self, tree: HtmlElement, url: str) -> bool:
        """Does this page belong to the family (by host or by a marker element)?"""
        host = (urlsplit(url).hostname or "").lower()
        if any(host == h.lstrip(".") or host.endswith(h) for h in self.hosts):
            return True
        if self.vietnamese and not _is_vietnamese(tree, host):
            return False
        return any(sel.found_in_page(tree) for sel in self._compiled["markers"])


def _is_vietnamese(tree: HtmlElement, host: str) -> bool:
    """The page says it is Vietnamese (``<html lang="vi">``) or is served from a .vn host."""
    lang = (tree.getroottree().getroot().get("lang") or "").lower()
    return lang.startswith("vi") or host.endswith(".vn")
