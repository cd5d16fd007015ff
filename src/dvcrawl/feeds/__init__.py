"""Feeds subscribers can rely on: RSS 2.0, Atom 1.0, JSON Feed 1.1 and OPML, built from the DB.

``build_feeds(db, out_dir, ...)`` is the one entry point; the web side serves the files with
``dvcrawl.web.feeds_routes``.
"""

from dvcrawl.feeds.build import FeedBuildResult, FeedInfo, build_feeds, feeds_base_url

__all__ = ["FeedBuildResult", "FeedInfo", "build_feeds", "feeds_base_url"]
