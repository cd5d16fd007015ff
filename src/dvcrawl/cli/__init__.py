"""The ``dvcrawl`` command line.

Each command lives in its own module ``dvcrawl/cli/<name>_cmd.py`` exposing
``register(subparsers)``; the parser registers a function as ``func`` that returns the exit
code. Commands are discovered here, so adding one touches no shared list.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import pkgutil
import re
import sys
from typing import NoReturn

from dvcrawl import __version__
from dvcrawl.errors import DvcrawlError
from dvcrawl.gcpolicy import collect_less
from dvcrawl.logs import setup_logging

log = logging.getLogger("dvcrawl")

EXIT_OK = 0
EXIT_FAILED = 1  # the command ran but could not do its job
EXIT_USAGE = 2  # bad input: configuration, arguments, unreachable database


# Characters an error line must not print raw: controls and line/paragraph separators (they
# would split the "one line" a script greps) and bidi overrides (they reorder what is read).
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def one_line(message: str) -> str:
    """``message`` with every unprintable character shown escaped (``\\x1e``)."""
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode(), message)


class OneLineParser(argparse.ArgumentParser):
    """A bad argument is one line naming it and exit 2 (no usage dump to scroll past);
    subcommand parsers inherit this class."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {one_line(message)} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="dvcrawl",
        description="Crawl Vietnamese party portals for công tác dân vận news, "
        "store clean deduplicated articles and publish feeds.",
    )
    parser.add_argument("--version", action="version", version=f"dvcrawl {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more logging")
    parser.add_argument("-q", "--quiet", action="store_true", help="warnings and errors only")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.endswith("_cmd"):
            importlib.import_module(f"{__name__}.{info.name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    setup_logging(args.verbose, args.quiet)
    try:
        return int(args.func(args) or 0)
    except DvcrawlError as exc:
        print(f"dvcrawl {args.command}: error: {one_line(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(f"dvcrawl {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `dvcrawl export | head`: the reader left; stop quietly like other Unix tools.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def entry() -> None:
    collect_less()  # before the commands' imports: see dvcrawl.gcpolicy
    sys.exit(main())
