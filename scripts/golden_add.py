"""Add or refresh a golden page: copy a saved HTML file into tests/golden/<family>/ and write
the extractor's current reading beside it as <name>.json, for a person to check and correct.

    python scripts/golden_add.py PAGE.html --url URL [--family NAME] [--name NAME] [--force]

The family defaults to the one the extractor recognises ("generic" when none). The JSON is a
draft: read the page, fix title/published/author/credit/text by hand, then commit both files.
An existing JSON is kept unless --force, so hand corrections are never overwritten by accident.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import shutil
import sys
from pathlib import Path

from dvcrawl.extract import extract_article
from dvcrawl.profiles import FAMILIES
from dvcrawl.relevance import score_article

GOLDEN = Path(__file__).resolve().parents[1] / "tests" / "golden"
log = logging.getLogger("golden_add")


def _slug(path: Path) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-") or "page"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", type=Path, help="a saved HTML file")
    parser.add_argument("--url", required=True, help="the URL the page was fetched from")
    parser.add_argument("--family", choices=[p.name for p in FAMILIES] + ["generic"])
    parser.add_argument("--name", help="file name without extension (default: from PAGE)")
    parser.add_argument("--force", action="store_true", help="overwrite an existing JSON")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if not args.page.is_file():
        log.error("no such file: %s", args.page)
        return 2
    data = args.page.read_bytes()
    art = extract_article(data, args.url)
    if not art.is_article:
        log.warning("the extractor rejects this page (%s); writing it anyway", art.reject_reason)
    family = args.family or art.family or "generic"
    target = GOLDEN / family / f"{args.name or _slug(args.page)}.html"
    expected = target.with_suffix(".json")
    if expected.exists() and not args.force:
        log.error("%s exists (hand-checked?); use --force to overwrite", expected)
        return 2
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(args.page, target)
    draft = {
        "url": args.url,
        "title": art.title,
        "published": art.published,
        "author": art.author,
        "credit": art.credit,
        "text": art.text,
        "relevant": score_article(art.title, art.text).relevant,
    }
    expected.write_text(json.dumps(draft, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    log.info("wrote %s and %s: check every field against the page", target, expected)
    print(expected)
    return 0


if __name__ == "__main__":
    sys.exit(main())
