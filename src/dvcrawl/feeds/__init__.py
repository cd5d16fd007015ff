"""Feeds subscribers can rely on: RSS 2.0, Atom 1.0, JSON Feed 1.1 and OPML, built from the DB.

``build_feeds(db, out_dir, ...)`` is the one entry point; the web side serves the files with
``dvcrawl.web.feeds_routes``. The names are loaded on first use, so that the command line can
read ``dvcrawl.feeds.options`` without importing feedgen and the database layer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__all__ = ["FeedBuildResult", "FeedInfo", "build_feeds", "feeds_base_url"]

if TYPE_CHECKING:
    from dvcrawl.feeds.build import FeedBuildResult, FeedInfo, build_feeds, feeds_base_url


def __getattr__(name: str):
    if name in __all__:
        from dvcrawl.feeds import build

        return getattr(build, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
