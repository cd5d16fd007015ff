"""scrapy-redis 0.9.1 under the installed Scrapy: fails the day an upgrade breaks the bridge.

Builds the real scheduler, dupefilter and queue from a real Crawler with deprecation warnings
turned into errors, and round-trips a request through Redis.
"""

from __future__ import annotations

import inspect
import pickle
import warnings

import scrapy
from scrapy.exceptions import ScrapyDeprecationWarning
from scrapy.utils.reactor import install_reactor, is_reactor_installed
from scrapy.utils.test import get_crawler
from tests.test_distributed_support import REDIS_TEST_URL

from dvcrawl.distributed.queue import TICKET
from dvcrawl.distributed.spider import WorkerSpider
from dvcrawl.distributed.worker import worker_settings
from dvcrawl.runner import build_settings
from dvcrawl.storage.db import open_database


def _crawler_and_spider(sqlite_url, keys, client):
    settings = build_settings(sqlite_url, worker_settings(REDIS_TEST_URL, keys, 60.0))
    if not is_reactor_installed():  # what CrawlerProcess would install
        install_reactor(settings["TWISTED_REACTOR"], settings["ASYNCIO_EVENT_LOOP"])
    crawler = get_crawler(WorkerSpider, settings.copy_to_dict())
    spider = WorkerSpider.from_crawler(
        crawler,
        db=open_database(sqlite_url),
        client=client,
        keys=keys,
        worker_id="compat-worker",
    )
    crawler.spider = spider
    return crawler, spider


def test_scrapy_version_is_within_the_tested_bound():
    # pyproject pins scrapy < 2.20: the bridge below was checked against 2.13 .. 2.19.
    assert (2, 13) <= scrapy.version_info[:2] < (2, 20)


def test_scheduler_dupefilter_queue_round_trip_without_deprecations(sqlite_url, redis_keys):
    client, keys = redis_keys
    crawler, spider = _crawler_and_spider(sqlite_url, keys, client)
    scheduler_cls = crawler.settings["SCHEDULER"]
    from scrapy.utils.misc import load_object

    with warnings.catch_warnings():
        warnings.simplefilter("error", ScrapyDeprecationWarning)
        warnings.simplefilter("error", DeprecationWarning)
        scheduler = load_object(scheduler_cls).from_crawler(crawler)
        leftover = scrapy.Request("http://127.0.0.1:9/left", callback=spider.parse_listing)
        client.zadd(keys.requests, {pickle.dumps(leftover.to_dict(spider=spider)): 0})
        scheduler.open(spider)  # resumes a crawl with a request in the queue
        assert scheduler.next_request().url == leftover.url
        request = scrapy.Request(
            "http://127.0.0.1:9/a", callback=spider.parse_article, meta={"dv_job": 7}
        )
        assert scheduler.enqueue_request(request) is True
        again = scrapy.Request("http://127.0.0.1:9/a", meta={"dv_job": 7})
        assert scheduler.enqueue_request(again) is False  # the shared dupefilter saw it
        popped = scheduler.next_request()
    assert popped.url == request.url
    assert popped.callback == spider.parse_article  # serialised by name, rebound on pop
    assert popped.meta["dv_job"] == 7
    # a popped request waits in this worker's processing hash until acknowledged
    assert client.hlen(keys.processing("compat-worker")) == 2  # the leftover and this one
    spider.tracker.release(popped.meta[TICKET])
    assert client.hlen(keys.processing("compat-worker")) == 1  # only the leftover remains
    assert client.hget(keys.run(7), "pending") == b"0"


def test_spider_uses_the_async_start_api_and_engine_hooks_exist():
    # Scrapy 2.13 replaced start_requests() with async start(); 0.9.1's RedisMixin only has
    # the former, which the installed Scrapy must not be relying on.
    assert inspect.isasyncgenfunction(WorkerSpider.start)
    assert "start" in WorkerSpider.__dict__  # ours, not RedisMixin's start_requests path
    from scrapy.core.engine import ExecutionEngine

    # spider.tick wakes an idle engine through its slot's nextcall (see distributed.spider)
    source = inspect.getsource(ExecutionEngine)
    assert "self._slot" in source and "nextcall" in source
