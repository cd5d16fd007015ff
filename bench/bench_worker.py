"""CPU of what an extraction worker does per article page, and of the trip to it.

Fetches the sample portals' article pages once, then times, with the process's CPU clock:
``extract_article`` alone, the rest of ``analyse_page`` (relevance, fingerprint), the whole
``analyse_page`` in this process, and the same pages through ``PagePool`` with ``--workers``
workers (each worker's CPU read from /proc, so the pickling, the executor's replacements and
the new workers' first pages count). Issue 12: what the crawl's workers cost beyond extraction.

    nice python bench/bench_worker.py [--scale 6] [--workers 2] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import time

from bench_crawl import TreeSampler, fetch  # bench/ is the script's directory

from dvcrawl.extract import extract_article
from dvcrawl.fingerprint import fingerprint
from dvcrawl.relevance import score_article
from dvcrawl.sampleportals import SampleNetwork
from dvcrawl.workpool import PagePool, analyse_page


def _best_ms(fn, items, repeat: int) -> float:
    """Least CPU over ``repeat`` loops, in ms per item (others share the cores)."""
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        for item in items:
            fn(*item)
        best = min(best, time.process_time() - started)
    return 1000 * best / len(items)


def _pooled_ms(pages, workers: int) -> tuple[float, float, float]:
    """Workers' CPU per page (sampled from /proc as bench_crawl does), the submitting
    process's CPU per page (the executor's threads, pickling: the crawl process's share, the
    sampler's own reads of /proc included) and wall seconds, the pages submitted at once as a
    crawl's spiders do."""
    sampler = TreeSampler(os.getpid())
    sampler.start()
    started, cpu = time.perf_counter(), time.process_time()
    pool = PagePool(workers)
    try:
        for future in [pool.submit(body, url, options) for url, body, options in pages]:
            future.result()
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        time.sleep(0.3)  # one more sample of every worker
    finally:
        pool.close()
        sampler.running = False
    return 1000 * sum(sampler.cpu.values()) / len(pages), 1000 * cpu / len(pages), elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=int, default=6)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with SampleNetwork(scale=args.scale) as net:
        pages = [(a.url, fetch(a.url), {}) for a in net.expected_articles()]
    arts = [extract_article(body, url, **options) for url, body, options in pages]
    texts = [(a.title, a.text) for a in arts if a.is_article]
    figures = {
        "pages": len(pages),
        "extract_ms": _best_ms(lambda u, b, o: extract_article(b, u, **o), pages, args.repeat),
        "relevance_ms": _best_ms(score_article, texts, args.repeat),
        "fingerprint_ms": _best_ms(lambda _t, text: fingerprint(text), texts, args.repeat),
        "analyse_page_ms": _best_ms(lambda u, b, o: analyse_page(b, u, o), pages, args.repeat),
    }
    print(json.dumps({k: round(v, 3) for k, v in figures.items()}, indent=2), flush=True)
    for _ in range(args.repeat):
        cpu_ms, own_ms, wall = _pooled_ms(pages, args.workers)
        print(
            f"pool of {args.workers}: {cpu_ms:.2f} ms of workers' CPU per page,"
            f" {own_ms:.2f} ms of the submitting process's, {wall:.1f} s"
        )


if __name__ == "__main__":
    main()
