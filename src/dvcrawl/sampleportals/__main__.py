"""``python -m dvcrawl.sampleportals [--scale N]``: serve the sample network until Ctrl-C."""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import threading

from dvcrawl.sampleportals.server import DEFAULT_SEED, SampleNetwork


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dvcrawl.sampleportals", description=__doc__)
    parser.add_argument(
        "--scale", type=int, default=1, help="multiply the article count (default 1)"
    )
    parser.add_argument("--delay", type=float, default=0.0, help="seconds to wait per request")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="other seeds vary layouts")
    parser.add_argument(
        "--port", type=int, default=0, help="fixed port for every site (default: any)"
    )
    parser.add_argument("--toml", action="store_true", help="print a sources file instead of URLs")
    args = parser.parse_args(argv)
    if args.scale < 1:
        parser.error("--scale must be at least 1")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with SampleNetwork(scale=args.scale, delay=args.delay, seed=args.seed, port=args.port) as net:
        if args.toml:
            print(net.sources_toml(), flush=True)
        else:
            for source in net.sources:
                print(f"{source.id}\t{net.base_url(source.id)}/\t{source.name}", flush=True)
        print(
            f"{len(net.expected_articles())} articles; Ctrl-C to stop", file=sys.stderr, flush=True
        )
        with contextlib.suppress(KeyboardInterrupt):
            stop.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
