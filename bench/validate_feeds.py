"""Run the W3C Feed Validation Service's own checker over every RSS, Atom and OPML file in a dir.

The validator is not on PyPI: bring its public repository (w3c/feedvalidator) and point
``--validator`` at its ``src`` directory (it needs lxml, html5lib and rdflib). Each file is
validated as if served from its own ``<link rel="self">`` URL, at the "AA" level the online
service uses; the one warning allowed is a self link that differs from where the file was opened.

    python bench/validate_feeds.py /tmp/fv-demo/feeds --validator /work/feedvalidator/src
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

# Our files are fetched from localhost; the validator's only complaint about that is that the
# self link is not where it was opened, which the issue accepts.
ALLOWED = {"SelfDoesntMatchLocation"}
SUFFIXES = {".rss", ".atom", ".opml"}


def validate(path: Path) -> list[tuple[str, str]]:
    """(event class, message) of every error and warning the validator reports on ``path``."""
    import feedvalidator
    from feedvalidator import compatibility
    from feedvalidator.formatter.text_plain import Formatter

    data = path.read_bytes()
    try:
        events = feedvalidator.validateString(
            data, firstOccurrenceOnly=1, base=f"http://localhost:8000/feeds/{path.name}"
        )["loggedEvents"]
    except feedvalidator.logging.ValidationFailure as failure:
        events = [failure.event]
    events = compatibility.AA(events)
    lines = Formatter(events)
    return [(type(e).__name__, line) for e, line in zip(events, lines, strict=False)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("feeds_dir", type=Path)
    parser.add_argument("--validator", type=Path, required=True, help="feedvalidator's src dir")
    args = parser.parse_args()
    sys.path.insert(0, str(args.validator))
    files = sorted(p for p in args.feeds_dir.iterdir() if p.suffix in SUFFIXES)
    tally: Counter[str] = Counter()
    allowed: Counter[str] = Counter()
    failed = 0
    for path in files:
        reported = validate(path)
        allowed.update(kind for kind, _ in reported if kind in ALLOWED)
        events = [(kind, line) for kind, line in reported if kind not in ALLOWED]
        tally.update(kind for kind, _ in events)
        if events:
            failed += 1
            print(f"{path.name}:")
            for _kind, line in events:
                print(f"  {line}")
    print(f"{len(files)} files validated, {failed} with errors or warnings {dict(tally)}")
    print(f"allowed warnings: {dict(allowed) or 'none'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
