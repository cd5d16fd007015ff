"""Scrapy settings for dvcrawl: polite by default (robots.txt, AutoThrottle, small concurrency).

Settings that belong to dvcrawl itself carry the ``DVCRAWL_`` prefix; their defaults, bounds and
meanings are rows of dvcrawl.settings_table. The runner layers
per-run values (database URL, source) on top of these; nothing reads a global config.
"""

from dvcrawl import __version__
from dvcrawl import settings_table as table  # lower case: setmodule takes upper-case names

BOT_NAME = "dvcrawl"
SPIDER_MODULES = ["dvcrawl.spiders"]
NEWSPIDER_MODULE = "dvcrawl.spiders"

# A real User-Agent that names the project and where to read about it (portal admins ask).
USER_AGENT = f"dvcrawl/{__version__} (+https://github.com/dvcrawl/dvcrawl; news monitoring bot)"
ROBOTSTXT_OBEY = True

# Politeness: small provincial servers. AutoThrottle adapts the delay to each server's latency.
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0

# Transient failures (5xx, timeouts) are retried; a hung server does not hang the run.
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
DOWNLOAD_TIMEOUT = 30
# Article pages are small; a 10 MB "page" is a PDF or a mistake.
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024

# Bounds that keep a misbehaving portal from turning into an endless crawl.
# Scrapy's link-hop depth would cut long pagination short; the spider bounds menu hops itself
# (DVCRAWL_MAX_LISTING_DEPTH), paging stops at a page with no unknown article, and
# CLOSESPIDER_PAGECOUNT caps every run.
DEPTH_LIMIT = 0
DVCRAWL_MAX_PAGES = table.SETTINGS["max_pages"].default
DVCRAWL_MAX_LISTING_DEPTH = table.SETTINGS["max_listing_depth"].default
# An article page that failed (5xx, timeout, connection error) is owed to later runs: the next
# run tries it again, then after this many seconds, doubling, until it failed in this many runs.
DVCRAWL_ARTICLE_MAX_ATTEMPTS = table.SETTINGS["article_max_attempts"].default
DVCRAWL_ARTICLE_RETRY_BACKOFF = table.SETTINGS["article_retry_backoff"].default

# Requests are de-duplicated on their canonical URL (tracking parameters, slash, redirects).
DUPEFILTER_CLASS = "dvcrawl.dupefilter.CanonicalDupeFilter"
COOKIES_ENABLED = False
# Items of one callback are stored one after another: the pipelines are synchronous, so
# Scrapy's default of 100 concurrent items only made 100 asyncio tasks per response (a fifth
# of the crawl process's CPU at --delay 0, measured by cProfile).
CONCURRENT_ITEMS = 1
TELNETCONSOLE_ENABLED = False
STATS_CLASS = "dvcrawl.scrapystats.RunStats"  # Scrapy's stats, without a shim on every read
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"

ITEM_PIPELINES = {
    "dvcrawl.pipelines.validate.ValidatePipeline": 100,
    "dvcrawl.pipelines.relevance.RelevancePipeline": 200,
    "dvcrawl.pipelines.store.StorePipeline": 300,
}
# dvcrawl configures logging itself (stderr, one format); Scrapy's own lines join it.
LOG_INSTALL_ROOT_HANDLER = False
LOG_FORMATTER = "dvcrawl.pipelines.drops.DropLogFormatter"  # drops: reason only, no full text
LOG_VERSIONS: list[str] = []  # the component-version banner on every crawl is noise
EXTENSIONS = {
    "scrapy.extensions.telnet.TelnetConsole": None,
    "scrapy.extensions.remote_control.RemoteControl": None,  # no open port on a crawler host
    # dvcrawl's own progress line and run rows say what these said; RSS is bench_crawl's.
    "scrapy.extensions.logstats.LogStats": None,
    "scrapy.extensions.memusage.MemoryUsage": None,
    "dvcrawl.progress.ProgressLog": 500,
}
# Every request and every callback output passes each middleware in turn (an async generator
# layer per spider middleware and output), so what a crawl never uses is switched off; what
# it needs stays (tests/test_scrapy_components.py): robots.txt, offsite, timeouts, user agent,
# retries, redirects and meta refresh, compression, proxies, the downloader's stats (a run's
# failure reason) and HTTP-error filtering. Off: link-hop depth (DEPTH_LIMIT is 0; the spider
# counts hops itself), Referer headers, the URL-length filter (canonical URLs of news pages
# are short; the page cap bounds a trap), meta-copy detection (a debugging aid), HTTP auth,
# and the start-request marker, an async generator layer around every callback's output to tag
# the spider's start requests, which PortalSpider.start tags itself.
SPIDER_MIDDLEWARES = {
    "scrapy.spidermiddlewares.start.StartSpiderMiddleware": None,
    "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
    "scrapy.spidermiddlewares.referer.RefererMiddleware": None,
    "scrapy.spidermiddlewares.urllength.UrlLengthMiddleware": None,
    "scrapy.spidermiddlewares.metacopy.MetaCopyDetectionMiddleware": None,
}
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.httpauth.HttpAuthMiddleware": None,
}
DVCRAWL_PROGRESS_INTERVAL = table.SETTINGS["progress_interval"].default
# Article pages are extracted, scored and fingerprinted in this many worker processes
# (dvcrawl.workpool); -1: one per usable core (none on a single core), 0: in the crawl process.
DVCRAWL_EXTRACT_WORKERS = table.SETTINGS["extract_workers"].default
