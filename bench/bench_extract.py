"""Time plain trafilatura against dvcrawl's extract_article on the same pages.

Pages: the golden files (tests/golden/*/*.html) and every article page of the sample network
(fetched once over loopback, then timed from memory). Each page is extracted ``--repeat`` times
by both; the figure is pages/s and dvcrawl's time as a multiple of trafilatura's (target <= 1.5).
"Plain trafilatura" is what the interim extractor did: bare_extraction with metadata, precision.

    python bench/bench_extract.py [--repeat 5] [--no-network]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import trafilatura

from dvcrawl.extract import extract_article

ROOT = Path(__file__).resolve().parents[1]


def golden_pages() -> list[tuple[str, bytes]]:
    return [(p.name, p.read_bytes()) for p in sorted((ROOT / "tests/golden").glob("*/*.html"))]


def network_pages() -> list[tuple[str, bytes]]:
    import httpx

    from dvcrawl.sampleportals import SampleNetwork

    pages = []
    with SampleNetwork() as net, httpx.Client(timeout=10) as client:
        for exp in net.expected_articles():
            for _ in range(3):  # one sample page answers 503 once
                resp = client.get(exp.url)
                if resp.status_code == 200:
                    pages.append((exp.url, resp.content))
                    break
    return pages


def plain(url: str, html: bytes) -> None:
    trafilatura.bare_extraction(html, url=url, with_metadata=True, favor_precision=True)


def plain_body(url: str, html: bytes) -> None:
    trafilatura.bare_extraction(html, url=url, with_metadata=False, favor_precision=True)


def ours(url: str, html: bytes) -> None:
    extract_article(html, url)


def timed(fn, pages: list[tuple[str, bytes]], repeat: int) -> float:
    start = time.perf_counter()
    for _ in range(repeat):
        for url, html in pages:
            fn(url, html)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-network", action="store_true", help="golden pages only")
    args = parser.parse_args()
    pages = golden_pages() + ([] if args.no_network else network_pages())
    timed(plain, pages[:3], 1)  # warm up imports and caches of both
    timed(ours, pages[:3], 1)
    n = len(pages) * args.repeat
    t_plain = timed(plain, pages, args.repeat)
    t_body = timed(plain_body, pages, args.repeat)
    t_ours = timed(ours, pages, args.repeat)
    print(f"pages: {len(pages)} x {args.repeat} repeats = {n} extractions")
    print(f"plain trafilatura : {t_plain:7.2f} s  {n / t_plain:7.1f} pages/s")
    print(f"trafilatura body  : {t_body:7.2f} s  {n / t_body:7.1f} pages/s  (no metadata)")
    print(f"dvcrawl extract   : {t_ours:7.2f} s  {n / t_ours:7.1f} pages/s")
    print(f"ratio (dvcrawl / trafilatura): {t_ours / t_plain:.2f}  (target <= 1.5)")
    print(f"ratio (dvcrawl / trafilatura body only): {t_ours / t_body:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
