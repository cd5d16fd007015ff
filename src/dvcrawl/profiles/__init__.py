"""CMS-family profiles, most specific first; ``detect`` picks the family of a page."""

from __future__ import annotations

from lxml.html import HtmlElement

from dvcrawl.profiles import dcs, news, sharepoint, wordpress
from dvcrawl.profiles.base import Profile

# Order matters: SharePoint and dcs markers are specific; "news" matches any page that says
# og:type=article, so it comes last.
FAMILIES: tuple[Profile, ...] = (
    sharepoint.PROFILE,
    dcs.PROFILE,
    wordpress.PROFILE,
    news.PROFILE,
)


BY_NAME: dict[str, Profile] = {p.name: p for p in FAMILIES}


def by_name(name: str) -> Profile:
    """The family called ``name`` (a source's ``profile`` key); a clear error if unknown."""
    try:
        return BY_NAME[name]
    except KeyError:
        known = ", ".join(sorted(BY_NAME))
        raise ValueError(f"unknown CMS family {name!r}; known families: {known}") from None


def detect(tree: HtmlElement, url: str) -> Profile | None:
    """The first family whose markers or host match the page, else None (generic page)."""
    for profile in FAMILIES:
        if profile.matches(tree, url):
            return profile
    return None


__all__ = ["BY_NAME", "FAMILIES", "Profile", "by_name", "detect"]
