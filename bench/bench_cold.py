"""Time per page of extract_article against plain trafilatura, every call on cold caches.

bench_real.py times one pass over each set; on 2 shared cores its ratio moves by several
hundredths between runs. Here each page is extracted by both, ``--rounds`` times, with the
libraries' memo caches (trafilatura's line and trim caches, htmldate's date parsers, dvcrawl's
line keys) emptied before every call, and the fastest of the rounds counts: a steadier figure
for comparing two versions of the code. "own" is dvcrawl's time outside its trafilatura call.

    python bench/bench_cold.py --data /work/data [--set scrapinghub] [--limit 300] [--rounds 3]
        [--cpu]

``--cpu`` times with the process's CPU clock instead of the wall clock: on a shared machine
other jobs' load then moves the figures far less.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import htmldate.extractors
import htmldate.validators
import trafilatura.deduplication
import trafilatura.utils

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_real import LOADERS, _load, run_trafilatura, warm_up  # noqa: E402

from dvcrawl.extract import article, extract_article, text  # noqa: E402

_CACHED = (
    trafilatura.utils.line_processing,
    trafilatura.utils.trim,
    trafilatura.utils.return_printables_and_spaces,
    trafilatura.deduplication.is_similar_domain,
    trafilatura.deduplication._vector_to_add,
    htmldate.extractors.try_date_expr,
    htmldate.validators._parse_and_validate,
    htmldate.validators.filter_ymd_candidate,
    text.key,
)


_clock = time.perf_counter  # time.process_time with --cpu


def _cold() -> None:
    for fn in _CACHED:
        fn.cache_clear()


class _TraceTrafilatura:
    """Seconds spent in dvcrawl's trafilatura call during the last extraction."""

    def __init__(self) -> None:
        self.spent = 0.0
        self._wrapped = article.trafilatura_base
        article.trafilatura_base = self

    def __call__(self, *args, **kwargs):
        start = _clock()
        try:
            return self._wrapped(*args, **kwargs)
        finally:
            self.spent += _clock() - start


def run(pages, rounds: int, trace: _TraceTrafilatura) -> tuple[float, float, float]:
    """(plain, dvcrawl, own) ms per page: per page the fastest of the rounds."""
    best = [[float("inf")] * 3 for _ in pages]
    for r in range(rounds):
        for i, page in enumerate(pages):
            for which in (0, 1) if (i + r) % 2 else (1, 0):  # alternate who goes first
                _cold()
                trace.spent = 0.0
                start = _clock()
                if which == 0:
                    run_trafilatura(page)
                else:
                    extract_article(page.html, page.url)
                spent = _clock() - start
                best[i][which] = min(best[i][which], spent)
                if which == 1:
                    best[i][2] = min(best[i][2], spent - trace.spent)
    return tuple(sum(b[k] for b in best) / len(pages) * 1000 for k in range(3))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--set", action="append", help="only this set (repeatable)")
    parser.add_argument("--limit", type=int, help="at most this many pages per set")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cpu", action="store_true", help="time with the CPU clock")
    args = parser.parse_args()
    if args.cpu:
        global _clock  # noqa: PLW0603 - one switch for the whole run
        _clock = time.process_time
    warm_up()
    trace = _TraceTrafilatura()
    print(
        "| set | pages | plain ms | dvcrawl ms | own ms | ratio |\n| --- | --- | --- | --- | --- | --- |"
    )
    for module in LOADERS:
        loaded = _load(module, args.data, args.limit, args.set)
        if loaded is None:
            continue
        name, pages = loaded
        plain, ours, own = run(pages, args.rounds, trace)
        print(
            f"| {name} | {len(pages)} | {plain:.1f} | {ours:.1f} | {own:.2f} | {ours / plain:.3f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
