"""Dump every field of extract_article (explanations included) for every page we can measure.

For output-identical optimisations: dump before, dump after, compare the two files (``--diff``).
Pages: the four real sets under ``--data`` (bench/realsets), the golden files and the sample
network's article pages (bench_extract.py's pages).

    python bench/dump_extract.py --data /work/data --out before.jsonl
    python bench/dump_extract.py --diff before.jsonl after.jsonl
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from dataclasses import asdict
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_extract import golden_pages, network_pages  # noqa: E402
from bench_real import LOADERS  # noqa: E402

from dvcrawl.extract import extract_article  # noqa: E402


def pages(data: Path):
    """(set, id, url, html) for every page."""
    for module in LOADERS:
        loader = importlib.import_module(f"realsets.{module}")
        for page in loader.load(data):
            yield page.set, page.id, page.url, page.html
    for name, html in golden_pages():
        yield "golden", name, f"https://example.org/{name}", html
    for url, html in network_pages():
        yield "sample", url, url, html


def dump(data: Path, out: Path) -> int:
    count = 0
    with out.open("w", encoding="utf-8") as fh:
        for set_name, page_id, url, html in pages(data):
            art = asdict(extract_article(html, url))
            fh.write(json.dumps([set_name, page_id, art], ensure_ascii=False) + "\n")
            count += 1
    print(f"{count} pages dumped to {out}")
    return 0


def _keyed(path: Path) -> dict[tuple[str, str], str]:
    """(set, page id) -> the page's output line; sample pages by path (ports change per run)."""
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        set_name, page_id, art = json.loads(line)
        if set_name == "sample":
            origin = "{0.scheme}://{0.netloc}".format(urlsplit(page_id))
            page_id = page_id.removeprefix(origin)
            line = line.replace(origin, "")
        found[set_name, page_id] = line
    return found


def diff(before: Path, after: Path) -> int:
    """Print the pages whose output differs; exit 1 when any does. Pages in only one dump
    (a data set that changed between the dumps) are counted apart."""
    a, b = _keyed(before), _keyed(after)
    both = a.keys() & b.keys()
    differing = sorted(k for k in both if a[k] != b[k])
    for set_name, page_id in differing:
        print("differs:", set_name, page_id)
    print(f"{len(both)} pages compared, {len(differing)} differ;", end=" ")
    print(f"{len(a.keys() - b.keys())} only before, {len(b.keys() - a.keys())} only after")
    return 1 if differing else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="directory holding the real sets")
    parser.add_argument("--out", type=Path, help="write the dump here (JSON lines)")
    parser.add_argument("--diff", type=Path, nargs=2, metavar=("BEFORE", "AFTER"))
    args = parser.parse_args()
    if args.diff:
        return diff(*args.diff)
    if not (args.data and args.out):
        parser.error("--data and --out, or --diff")
    return dump(args.data, args.out)


if __name__ == "__main__":
    sys.exit(main())
