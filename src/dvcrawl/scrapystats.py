"""Scrapy's in-memory stats collector without its per-read deprecation shim.

Scrapy 2.13+ gives ``StatsCollector`` a Python ``__getattribute__`` that runs on every attribute
read, to wrap its methods in a warning about a ``spider`` argument; its own methods read
``self._stats`` through it too. Every page costs a few dozen stats calls (core stats, the
downloader's, the spider's counters), so that shim was ~1 % of the crawl process's CPU under
cProfile. dvcrawl passes no ``spider`` argument; the stats themselves are Scrapy's.
"""

from __future__ import annotations

from scrapy.statscollectors import MemoryStatsCollector


class RunStats(MemoryStatsCollector):
    """``MemoryStatsCollector`` with plain attribute access (settings.STATS_CLASS)."""

    __getattribute__ = object.__getattribute__
