"""htmldate's evaluation set: ~1,000 web pages with their publication date (YYYY-MM-DD).

Layout: ``DATA/htmldate`` is a clone of adbar/htmldate (``tests/eval_default.json`` and
``tests/eval_mediacloud_2020.json``, pages in ``tests/test_set``, ``tests/cache`` or ``tests/eval``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from realsets import RealPage

NAME = "htmldate"
DIRECTORY = "htmldate"
_GOLD = ("eval_default.json", "eval_mediacloud_2020.json")
_PAGES = ("test_set", "cache", "eval")


def load(data_dir: Path) -> Iterator[RealPage]:
    """Every page with a gold date whose file is present, gold files in order."""
    tests = data_dir / DIRECTORY / "tests"
    for gold in _GOLD:
        data = json.loads((tests / gold).read_text(encoding="utf-8"))
        for url in sorted(data):
            item = data[url]
            path = next(
                (tests / d / item["file"] for d in _PAGES if (tests / d / item["file"]).is_file()),
                None,
            )
            if path is None or not isinstance(item.get("date"), str) or not item["date"]:
                continue  # a few entries have no date (NaN in the JSON)
            yield RealPage(
                set=NAME,
                id=item["file"],
                url=url,
                html=path.read_bytes(),
                expect={"date": item["date"]},
                provenance=f"adbar/htmldate {path.relative_to(data_dir / DIRECTORY)}",
            )
