"""The Vietnamese development set: real pages of Vietnamese portals and papers, read by hand.

Layout (outside git, third-party pages): ``<data_dir>/vietnamese/<id>/page.html`` (or
``page.html.gz``) beside ``expect.json``, whose keys are ``url``, ``provenance``
(``{"repo", "commit", "path"}`` or a string) and the expectations named in ``RealPage``.
``bench/vn_rebuild.py`` writes this layout from ``bench/vietnamese-provenance.json``.

How the expectations read (they were written from the page, never from an extractor):
``first`` is the first sentence of the body *after* the lead (the text is lead + body, so a
page with a lead starts its text with ``lead``, then ``first``); a story opening with a
sub-heading has ``first`` on the line after it. ``datetime`` is the page's own time with its
offset (seconds from the metadata where the page prints only minutes). ``author`` is ``None``
where the page prints no byline; a "Theo X" byline is expected as "X". ``junk`` lists
strings seen on the page outside the story (menus, other stories' headlines, share labels).
"""

from __future__ import annotations

import gzip
import json
import logging
from collections.abc import Iterator
from pathlib import Path

from . import RealPage

NAME = "vietnamese"
log = logging.getLogger(__name__)
# Keys of expect.json that describe the page rather than what extraction must give.
_META_KEYS = frozenset({"url", "provenance", "site", "notes"})


def provenance_text(prov: dict | str | None) -> str:
    """``repo@commit:path`` for a provenance record, so reports can name where a page came from."""
    if isinstance(prov, dict):
        return f"{prov.get('repo', '?')}@{prov.get('commit', '?')}:{prov.get('path', '?')}"
    return prov or ""


def read_page(directory: Path) -> bytes | None:
    """The page's bytes, gunzipped when stored as ``page.html.gz``; None when neither exists."""
    plain, packed = directory / "page.html", directory / "page.html.gz"
    if plain.is_file():
        return plain.read_bytes()
    if packed.is_file():
        return gzip.decompress(packed.read_bytes())
    return None


def load(data_dir: Path) -> Iterator[RealPage]:
    """Every page of the set under ``data_dir / "vietnamese"``, in a stable order.

    A directory without a page or with an unreadable expect.json is skipped with a warning
    naming it, so one broken entry does not hide the rest of the set.
    """
    root = Path(data_dir) / NAME
    for directory in sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []:
        html = read_page(directory)
        try:
            meta = json.loads((directory / "expect.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            log.warning("%s: skipped, no readable expect.json (%s)", directory, exc)
            continue
        if html is None:
            log.warning("%s: skipped, no page.html or page.html.gz", directory)
            continue
        yield RealPage(
            set=NAME,
            id=directory.name,
            url=meta["url"],
            html=html,
            expect={k: v for k, v in meta.items() if k not in _META_KEYS},
            provenance=provenance_text(meta.get("provenance")),
        )
