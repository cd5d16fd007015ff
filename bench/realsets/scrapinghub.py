"""ScrapingHub's article-extraction-benchmark: 181 news pages with the article body as gold.

Layout: ``DATA/article-extraction-benchmark`` is a clone of scrapinghub/article-extraction-benchmark
(``ground-truth.json`` and ``html/<id>.html.gz``).
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path

from realsets import RealPage

NAME = "scrapinghub"
DIRECTORY = "article-extraction-benchmark"


def load(data_dir: Path) -> Iterator[RealPage]:
    """Every page with its gold body, in id order."""
    root = data_dir / DIRECTORY
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    for page_id in sorted(truth):
        path = root / "html" / f"{page_id}.html.gz"
        if not path.is_file():
            continue
        yield RealPage(
            set=NAME,
            id=page_id,
            url=truth[page_id].get("url") or f"https://example.invalid/{page_id}",
            html=gzip.decompress(path.read_bytes()),
            expect={"body": truth[page_id].get("articleBody", "")},
            provenance=f"scrapinghub/article-extraction-benchmark html/{path.name}",
        )
