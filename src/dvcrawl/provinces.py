"""Today's 34 provinces: a source's province name, old (63 before 1 July 2025) or current.

The divisions and the 2025 merger mapping come from the maintained ``vietnamadminunits``
package (its legacy parser recognises the 63 old names and their usual spellings, its converter
maps each old province to the current one); nothing here is a hand-made table. It is imported
on first use: it loads its data sets and geo libraries (~0.8 s), which only the feeds and the
sources check need.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from dvcrawl.textnorm import fold, slug

# How many valid names an error suggests for an unknown province.
SUGGESTIONS = 3


@dataclass(frozen=True)
class Province:
    """Where a source's province name lands today."""

    name: str  # current short name: "Vĩnh Long"
    slug: str  # "vinh-long", the feed file's province-<slug>
    old_name: str | None  # the pre-2025 name when it differs: "Bến Tre"; else None

    @property
    def old_slug(self) -> str | None:
        return slug(self.old_name) if self.old_name else None


@cache
def current(name: str) -> Province | None:
    """The current province of ``name`` (old or current, with or without "Tỉnh"/"TP."), or None."""
    from vietnamadminunits import ParseMode, convert_address, parse_address

    text = " ".join((name or "").split())
    if not text:
        return None
    old = parse_address(text, mode=ParseMode.LEGACY, level=1)
    if not old.province_key:
        return None
    new = convert_address(text).short_province
    if not new:
        return None
    previous = old.short_province if fold(old.short_province) != fold(new) else None
    return Province(name=new, slug=slug(new), old_name=previous)


def is_known(name: str) -> bool:
    """Whether ``name`` is an old or current province: whether :func:`current` finds one.

    The library's own names are answered from a list shipped with dvcrawl
    (``data/province_names.txt``, held equal to the library's by tests/test_sources.py), so
    checking a sources file, which every ``dvcrawl crawl`` does, does not load the library
    (~0.45 s of CPU and ~46 MB in the crawl process). Other spellings ask the library.
    """
    return " ".join((name or "").split()) in _shipped_names() or current(name) is not None


@cache
def _shipped_names() -> frozenset[str]:
    text = resources.files("dvcrawl").joinpath("data", "province_names.txt").read_text("utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))


@cache
def _names() -> tuple[str, ...]:
    """Every province name the library knows, old and current (short forms), sorted."""
    from vietnamadminunits.parser import parser_from_2025, parser_legacy

    names = {v["provinceShort"] for v in parser_legacy.DICT_PROVINCE.values()}
    names |= {v["provinceShort"] for v in parser_from_2025.DICT_PROVINCE.values()}
    return tuple(sorted(names))


def closest(name: str, count: int = SUGGESTIONS) -> list[str]:
    """The valid province names nearest to ``name`` (compared without diacritics)."""
    by_folded = {fold(n).lower(): n for n in _names()}
    near = difflib.get_close_matches(fold(name).lower(), list(by_folded), n=count, cutoff=0.5)
    return [by_folded[n] for n in near]


@cache
def alias_slugs() -> dict[str, str]:
    """Old province slug → current province slug, for every province merged in 2025."""
    aliases = {}
    for name in _names():
        province = current(name)
        if province and province.old_slug and province.old_slug != province.slug:
            aliases[province.old_slug] = province.slug
    return aliases
