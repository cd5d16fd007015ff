"""trafilatura's evaluation set: ~990 web pages, body segments that must / must not appear,
and for most of them the title, author and date.

Layout: ``DATA/trafilatura`` is a clone of adbar/trafilatura (``tests/evaldata.json``, pages in
``tests/cache`` or ``tests/eval``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from realsets import RealPage

NAME = "trafilatura"
DIRECTORY = "trafilatura"
# Metadata fields of evaldata.json kept as expectations when they are not empty.
_FIELDS = ("title", "author", "date")


def _expect(item: dict) -> dict:
    expect = {"with": item["with"], "without": item["without"]}
    for name in _FIELDS:
        value = item.get(name)
        if isinstance(value, list):  # several authors: trafilatura joins them with "; "
            value = "; ".join(value)
        if value:
            expect[name] = value
    return expect


def load(data_dir: Path) -> Iterator[RealPage]:
    """Every annotated page whose file is present, in URL order."""
    tests = data_dir / DIRECTORY / "tests"
    data = json.loads((tests / "evaldata.json").read_text(encoding="utf-8"))
    for url in sorted(data):
        item = data[url]
        path = next(
            (
                p
                for p in (tests / "cache" / item["file"], tests / "eval" / item["file"])
                if p.is_file()
            ),
            None,
        )
        if path is None:
            continue
        yield RealPage(
            set=NAME,
            id=item["file"],
            url=url,
            html=path.read_bytes(),
            expect=_expect(item),
            provenance=f"adbar/trafilatura {path.relative_to(data_dir / DIRECTORY)}",
        )
