"""The Scrapy components a crawl runs: what dvcrawl needs stays, what it never uses is off."""

from __future__ import annotations

import pytest
from scrapy.utils.conf import build_component_list

from dvcrawl.runner import build_settings


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
    assert not any("httpauth" in c for c in _enabled("DOWNLOADER_MIDDLEWARES"))
    extensions = _enabled("EXTENSIONS")
    for name in ("telnet", "remote_control", "logstats", "memusage"):
        assert not any(name in c for c in extensions)
