"""Pipelines and the request filter, built the way Scrapy builds them (``from_crawler``)."""

from __future__ import annotations

import pytest
from scrapy.http import Request
from scrapy.utils.test import get_crawler

from dvcrawl.dupefilter import CanonicalDupeFilter
from dvcrawl.items import ArticleRecord
from dvcrawl.pipelines.drops import DuplicateUrl, EmptyBody, NotAnArticle
from dvcrawl.pipelines.relevance import RelevancePipeline
from dvcrawl.pipelines.store import StorePipeline
from dvcrawl.pipelines.validate import ValidatePipeline

URL = "http://cong.example.vn/tin-tuc/hoi-nghi-dan-van-12345.html"
TEXT = "Ban Dân vận Tỉnh ủy tổ chức hội nghị tổng kết công tác dân vận, dân vận khéo năm 2026. " * 4


def record(**changes) -> ArticleRecord:
    values = {"url": URL, "source_id": "cong", "title": "Hội nghị dân vận khéo", "text": TEXT}
    return ArticleRecord(**(values | changes))


@pytest.mark.parametrize(
    ("item", "drop"),
    [
        (record(reject_reason="listing"), NotAnArticle),
        (record(text="Đang cập nhật"), EmptyBody),
        (record(title="  "), NotAnArticle),
    ],
)
def test_validate_drops_with_a_named_reason(item, drop):
    with pytest.raises(drop):
        ValidatePipeline().process_item(item)


def test_relevance_scores_the_item():
    item = RelevancePipeline().process_item(record())
    assert item.relevant and item.relevance_score > 0 and item.relevance_terms


def test_relevance_leaves_an_item_scored_in_a_worker_alone():
    item = record(scored=True, relevant=False, relevance_score=0.5)
    assert RelevancePipeline().process_item(item).relevance_score == 0.5


def test_store_counts_new_articles_and_drops_a_second_copy_of_a_url(sqlite_url):
    crawler = get_crawler(settings_dict={"DVCRAWL_DB_URL": sqlite_url})
    crawler.stats.open_spider()
    store = StorePipeline.from_crawler(crawler)
    store.process_item(RelevancePipeline().process_item(record()))
    with pytest.raises(DuplicateUrl):
        store.process_item(record(url=URL + "?utm_source=zalo"))
    assert crawler.stats.get_value("dvcrawl/articles_new") == 1
    assert crawler.stats.get_value("dvcrawl/relevant_new") == 1


def test_dupefilter_keys_requests_on_the_canonical_url():
    crawler = get_crawler()
    crawler.stats.open_spider()
    dupes = CanonicalDupeFilter.from_crawler(crawler)
    assert not dupes.request_seen(Request(URL))
    assert dupes.request_seen(Request(URL + "?utm_source=zalo#binh-luan"))
    assert dupes.request_seen(Request(URL.replace("http://", "HTTP://")))
    # The redirect /a -> /a/ is that fetch going on, not a second fetch of one page.
    again = Request(URL + "/", meta={"redirect_urls": [URL]})
    assert not dupes.request_seen(again)
