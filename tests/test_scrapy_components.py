"""The Scrapy components a crawl runs: what dvcrawl needs stays, what it never uses is off."""

from __future__ import annotations

import asyncio

import pytest
from scrapy.utils.conf import build_component_list
from scrapy.utils.test import get_crawler

from dvcrawl.crawlstate import CrawlState
from dvcrawl.runner import build_settings
from dvcrawl.scrapystats import RunStats
from dvcrawl.sources import Source
from dvcrawl.spiders.portal import PortalSpider
from dvcrawl.storage.db import open_database


def _enabled(setting: str) -> set[str]:
    settings = build_settings("sqlite://")
    return {
        c if isinstance(c, str) else f"{c.__module__}.{c.__name__}"
        for c in build_component_list(settings.getwithbase(setting))
    }


@pytest.mark.parametrize(
    "name",
    [
        "robotstxt.RobotsTxtMiddleware",
        "offsite.OffsiteMiddleware",
        "downloadtimeout.DownloadTimeoutMiddleware",
        "useragent.UserAgentMiddleware",
        "retry.RetryMiddleware",
        "redirect.RedirectMiddleware",
        "redirect.MetaRefreshMiddleware",
        "httpcompression.HttpCompressionMiddleware",
        "httpproxy.HttpProxyMiddleware",
        "stats.DownloaderStats",  # downloader/exception_type_count: a failed run's reason
    ],
)
def test_needed_downloader_middlewares_stay(name: str) -> None:
    assert f"scrapy.downloadermiddlewares.{name}" in _enabled("DOWNLOADER_MIDDLEWARES")


def test_needed_spider_middlewares_and_extensions_stay() -> None:
    assert "scrapy.spidermiddlewares.httperror.HttpErrorMiddleware" in _enabled(
        "SPIDER_MIDDLEWARES"
    )
    extensions = _enabled("EXTENSIONS")
    for name in (
        "throttle.AutoThrottle",
        "closespider.CloseSpider",  # the page cap
        "corestats.CoreStats",  # response_received_count: a run's pages
        "logcount.LogCount",  # log_count/ERROR: the progress line
    ):
        assert f"scrapy.extensions.{name}" in extensions
    assert "dvcrawl.progress.ProgressLog" in extensions
    settings = build_settings("sqlite://")
    assert settings.getbool("ROBOTSTXT_OBEY") and settings.getbool("AUTOTHROTTLE_ENABLED")
    assert settings.getbool("RETRY_ENABLED") and settings.getbool("COMPRESSION_ENABLED")


def test_unused_components_are_off() -> None:
    spider = _enabled("SPIDER_MIDDLEWARES")
    for name in ("depth.DepthMiddleware", "referer.RefererMiddleware", "urllength."):
        assert not any(name in c for c in spider)
    assert not any("metacopy" in c for c in spider)
    assert not any("StartSpiderMiddleware" in c for c in spider)
    assert not any("httpauth" in c for c in _enabled("DOWNLOADER_MIDDLEWARES"))
    extensions = _enabled("EXTENSIONS")
    for name in ("telnet", "remote_control", "logstats", "memusage"):
        assert not any(name in c for c in extensions)


def test_start_requests_are_still_marked_as_such(sqlite_url) -> None:
    """The scheduler keeps start requests in their own FIFO queue (``is_start_request``); the
    spider marks them itself, as the middleware switched off above did."""
    source = Source(
        id="cong", name="Cổng", start_urls=("http://a.example.vn/", "http://a.example.vn/b")
    )
    crawler = get_crawler(PortalSpider, {"DVCRAWL_EXTRACT_WORKERS": 0})
    state = CrawlState(open_database(sqlite_url), source.id)
    spider = PortalSpider.from_crawler(crawler, source=source, state=state)

    async def collect():
        return [request async for request in spider.start()]

    requests = asyncio.run(collect())
    assert [r.url for r in requests] == ["http://a.example.vn/", "http://a.example.vn/b"]
    assert all(r.meta["is_start_request"] for r in requests)


def test_stats_are_scrapys_without_the_per_read_shim() -> None:
    settings = build_settings("sqlite://")
    assert settings["STATS_CLASS"] == "dvcrawl.scrapystats.RunStats"
    stats = RunStats(get_crawler(settings_dict={"STATS_CLASS": settings["STATS_CLASS"]}))
    stats.inc_value("pages")
    stats.inc_value("pages", 2)
    stats.max_value("peak", 3)
    stats.set_value("reason", "finished")
    assert stats.get_stats() == {"pages": 3, "peak": 3, "reason": "finished"}
    assert "_cached_inc_value" not in vars(stats)  # Scrapy's shim caches its wrappers there
