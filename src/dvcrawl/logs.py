"""Logging set-up: everything to stderr in one format; chatty libraries kept quiet.

Scrapy's CrawlerProcess re-applies its own logger levels (``scrapy`` at DEBUG) when it starts,
so the runner calls ``quiet_libraries()`` again after creating it.
"""

from __future__ import annotations

import logging
import sys

NOISY = ("scrapy", "twisted", "trafilatura", "htmldate", "alembic", "apscheduler", "filelock")
_library_level = logging.WARNING


class LibraryFilter(logging.Filter):
    """Holds libraries to their level on our handler, whatever levels they set themselves.

    Scrapy re-applies DEBUG to its loggers when a crawl starts; without ``-vv`` its tracebacks
    for every refused connection (one per failed page) are cut to their one-line message.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.name.startswith(NOISY):
            return True
        if record.levelno < _library_level:
            return False
        if _library_level > logging.DEBUG and record.exc_info:
            record.msg = f"{record.getMessage()} ({record.exc_info[1]!r})"
            record.args, record.exc_info, record.exc_text = None, None, None
        return True


def setup_logging(verbose: int = 0, quiet: bool = False) -> None:
    global _library_level
    level = logging.WARNING if quiet else logging.DEBUG if verbose > 1 else logging.INFO
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(level)
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s", "%H:%M:%S")
    )
    handler.addFilter(LibraryFilter())
    logging.basicConfig(level=level, handlers=[handler], force=True)
    _library_level = {0: logging.WARNING, 1: logging.INFO}.get(verbose, logging.DEBUG)
    quiet_libraries()


def quiet_libraries() -> None:
    """Libraries log at WARNING unless -v (INFO) or -vv (DEBUG) was given."""
    for name in NOISY:
        logging.getLogger(name).setLevel(_library_level)
