"""Logging set-up: everything to stderr in one format; chatty libraries kept quiet.

Scrapy's CrawlerProcess re-applies its own logger levels (``scrapy`` at DEBUG) when it starts,
so the runner calls ``quiet_libraries()`` again after creating it.
"""

from __future__ import annotations

import logging
import sys

NOISY = ("scrapy", "twisted", "trafilatura", "htmldate", "alembic", "apscheduler", "filelock")
_library_level = logging.WARNING


def setup_logging(verbose: int = 0, quiet: bool = False) -> None:
    global _library_level
    level = logging.WARNING if quiet else logging.DEBUG if verbose > 1 else logging.INFO
    logging.basicConfig(
        level=level,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        datefmt="%H:%M:%S",
        force=True,
    )
    _library_level = {0: logging.WARNING, 1: logging.INFO}.get(verbose, logging.DEBUG)
    quiet_libraries()


def quiet_libraries() -> None:
    """Libraries log at WARNING unless -v (INFO) or -vv (DEBUG) was given."""
    for name in NOISY:
        logging.getLogger(name).setLevel(_library_level)
