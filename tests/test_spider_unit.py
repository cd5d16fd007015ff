"""The spider's decisions, tested in milliseconds with Scrapy's own helpers (no reactor run).

``get_crawler`` builds a crawler with real stats; ``HtmlResponse`` objects are fed to the
spider's callbacks and the requests and records they give are checked. End-to-end crawls of the
sample portals (test_crawl.py) test the whole; these pin each decision down.
"""

from __future__ import annotations

import re

import pytest
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from dvcrawl.crawlstate import CrawlState
from dvcrawl.items import ArticleRecord
from dvcrawl.linkclass import LinkKind
from dvcrawl.profiles import by_name
from dvcrawl.sources import Source
from dvcrawl.spiders.portal import PortalSpider
from dvcrawl.storage.db import open_database

SITE = "http://cong.example.vn"
BODY = " ".join(
    f"Câu thứ {i} kể về công tác dân vận của Ban Dân vận Tỉnh ủy ở các xã vùng cao."
    for i in range(12)
)


def listing_html(links: list[tuple[str, str]], head: str = "") -> bytes:
    items = "".join(f'<li><a href="{href}">{text}</a></li>' for href, text in links)
    return f"<html><head>{head}</head><body><ul>{items}</ul></body></html>".encode()


def article_html(title: str, body: str = BODY, canonical: str | None = None) -> bytes:
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return (
        f"<html><head><title>{title}</title>{link}</head><body><article><h1>{title}</h1>"
        f'<div class="date">07/12/2026 08:30</div><div class="content"><p>{body}</p>'
        f"<p>{body}</p></div></article></body></html>"
    ).encode()


@pytest.fixture
def make_spider(sqlite_url):
    def make(**source_keys) -> PortalSpider:
        source = Source(id="cong", name="Cổng", start_urls=(SITE + "/",), **source_keys)
        crawler = get_crawler(PortalSpider, {"DVCRAWL_EXTRACT_WORKERS": 0})  # pool: test_workpool
        state = CrawlState(open_database(sqlite_url), source.id)
        return PortalSpider.from_crawler(crawler, source=source, state=state)

    return make


def listing(url: str, links: list[tuple[str, str]], depth: int = 0, head: str = ""):
    request = Request(url, meta={"dv_depth": depth})
    return HtmlResponse(url, body=listing_html(links, head), request=request, encoding="utf-8")


def article_page(request: Request, title: str, canonical: str | None = None) -> HtmlResponse:
    body = article_html(title, canonical=canonical)
    return HtmlResponse(request.url, body=body, request=request, encoding="utf-8")


def requests_of(output) -> list[Request]:
    return [r for r in output if isinstance(r, Request)]


def records_of(output) -> list[ArticleRecord]:
    return [r for r in output if isinstance(r, ArticleRecord)]


def headline(i: int) -> str:
    return f"Hội nghị tổng kết công tác dân vận số {i} của tỉnh năm 2026"


def test_listings_that_differ_in_their_query_string_are_all_followed(make_spider):
    spider = make_spider()
    menu = [(f"/danh-muc.aspx?cat={i}", f"Chuyên mục {i}") for i in range(1, 7)]
    menu += [("/danh-muc.aspx?cat=2&sort=new", "Mới nhất"), ("/danh-muc.aspx?cat=3&view=grid", "")]
    urls = [r.url for r in requests_of(spider.parse_listing(listing(SITE + "/", menu)))]
    assert urls == [f"{SITE}/danh-muc.aspx?cat={i}" for i in range(1, 7)]


def test_sort_and_view_variants_of_a_listing_stay_unfollowed(make_spider):
    spider = make_spider()
    menu = [("/tin-tuc?sort=date", "Tin tức"), ("/tin-tuc", "Tin tức"), ("/tin-tuc?view=list", "")]
    urls = [r.url for r in requests_of(spider.parse_listing(listing(SITE + "/", menu)))]
    assert urls == [f"{SITE}/tin-tuc?sort=date"]


def test_family_rules_apply_once_the_family_is_known(make_spider):
    spider = make_spider()
    links = [("/Home/post/1201/tong-ket", "Xem"), ("/chuyen-muc/page/2", "Tin tức")]
    links.append(("/tin/bai-viet-12345.html", "Xem"))  # an unknown article: paging goes on
    wordpress = '<link rel="stylesheet" href="/wp-content/themes/x/style.css">'
    out = requests_of(spider.parse_listing(listing(SITE + "/", links, head=wordpress)))
    assert spider.profile is not None and spider.profile.name == "wordpress"
    by_url = {r.url: r.meta.get("dv_page") for r in out}
    # WordPress paging is a page of the listing; a dcs.vn post URL is no article form here.
    assert by_url[f"{SITE}/chuyen-muc/page/2"] is True
    assert by_url[f"{SITE}/Home/post/1201/tong-ket"] is False


def test_link_kinds_remembered_before_the_family_is_known_are_not_used_after(make_spider):
    spider = make_spider()
    paging = ("/chuyen-muc/page/2", "Tin tức")
    first = requests_of(spider.parse_listing(listing(SITE + "/", [paging])))
    assert [r.meta.get("dv_page") for r in first] == [False]  # generic forms: a listing
    assert spider.link_kinds()[SITE + paging[0], paging[1]] is LinkKind.LISTING
    spider.use_profile(by_name("wordpress"))
    kinds = spider.link_kinds()
    assert (SITE + paging[0], paging[1]) not in kinds
    assert spider.classify(kinds, SITE + paging[0], paging[1]) is LinkKind.PAGINATION


def test_dcs_post_urls_are_articles_on_a_dcs_portal(make_spider):
    spider = make_spider(profile="dcs")
    links = [(f"/Trang-chu/post/{1200 + i}/tong-ket", "Xem") for i in range(3)]
    out = requests_of(spider.parse_listing(listing(SITE + "/", links)))
    assert [r.callback for r in out] == [spider.parse_article] * 3


def two_categories(
    spider: PortalSpider, ids: range, same_look: bool = False
) -> tuple[list[Request], list[Request]]:
    """Article links of one category listing, then the same ids under another category.

    ``same_look``: the second links share the slug and headline of the first; otherwise they
    have no slug and a "Xem" link, so only fetching both tells whether they are one story.
    """
    links = [(f"/Home/Kinh-te/{n}/bai-viet-so-{n}", headline(n)) for n in ids]
    first = requests_of(spider.parse_listing(listing(SITE + "/Home/Kinh-te", links)))
    if same_look:
        links = [(f"/Home/Tin-tuc-Su-kien/{n}/bai-viet-so-{n}", headline(n)) for n in ids]
    else:
        links = [(f"/Home/Tin-tuc-Su-kien/{n}.html", "Xem") for n in ids]
    second = requests_of(spider.parse_listing(listing(SITE + "/Home/Tin-tuc", links)))
    return first, second


def fetch_all(spider: PortalSpider, requests: list[Request], title=headline) -> list:
    out = []
    for request in requests:
        n = int(re.search(r"/(\d+)(?:/|\.html)", request.url).group(1))
        out.extend(spider.parse_article(article_page(request, title(n))))
    return out


def test_same_id_and_slug_under_two_categories_is_one_article_unfetched(make_spider):
    spider = make_spider()
    first, second = two_categories(spider, range(17400, 17410), same_look=True)
    assert len(first) == 10 and second == []  # id and slug agree: no fetch needed to learn
    assert spider.identity.kinds["id"].holds is True
    records = records_of(fetch_all(spider, first))
    assert [r.aliases for r in records] == [
        [r.url.replace("/Kinh-te/", "/Tin-tuc-Su-kien/")] for r in records
    ]  # the other category's URL maps to the stored article


def test_one_article_under_two_categories_is_fetched_once(make_spider):
    spider = make_spider()
    first, second = two_categories(spider, range(17400, 17410))
    assert len(first) == 10 and len(second) == 1  # one second URL is fetched to learn
    out = fetch_all(spider, first) + fetch_all(spider, second)
    assert requests_of(out) == []  # confirmed: the nine waiting are aliases, not fetches
    records = records_of(out)
    assert len(records) == 11
    assert spider.identity.kinds["id"].holds is True
    assert spider.crawler.stats.get_value("dvcrawl/article_same_id_skipped") == 9
    # Once learned, a third category's copy is not fetched at all.
    third = [(f"/Home/Thoi-su/{n}/bai-viet-so-{n}", headline(n)) for n in range(17400, 17403)]
    assert requests_of(spider.parse_listing(listing(SITE + "/Home/Thoi-su", third))) == []


def test_ids_that_name_different_articles_are_all_fetched(make_spider):
    spider = make_spider()
    first, second = two_categories(spider, range(50000, 50006))
    out = fetch_all(spider, first)
    # Same id, another story: ids count per category on this portal.
    out = fetch_all(spider, second, title=lambda n: headline(n + 1000))
    assert spider.identity.kinds["id"].holds is False
    assert len(requests_of(out)) == 5  # the ones that waited for the verdict


def test_waiting_articles_are_fetched_when_the_crawl_runs_dry(make_spider):
    spider = make_spider()
    spider.crawler.engine = type("Engine", (), {"crawl": lambda self, r: queued.append(r)})()
    queued: list[Request] = []
    two_categories(spider, range(90000, 90004))  # nothing fetched: no verdict can come
    with pytest.raises(Exception) as raised:
        spider.release_waiting()
    assert type(raised.value).__name__ == "DontCloseSpider"
    assert len(queued) == 3
    spider.release_waiting()  # nothing left: the spider may close


def test_canonical_link_names_the_record_and_is_not_fetched_again(make_spider):
    spider = make_spider()
    linked = f"{SITE}/Home/Kinh-te/700/bai-viet"
    request = spider.article_request(linked, linked, 1)
    canonical = f"{SITE}/Home/bai-viet-700"
    out = list(spider.parse_article(article_page(request, headline(700), canonical=canonical)))
    (record,) = records_of(out)
    assert record.url == canonical and linked in record.aliases
    links = [("/Home/bai-viet-700", headline(700))]
    assert requests_of(spider.parse_listing(listing(SITE + "/Home", links))) == []


def test_canonical_with_the_same_id_teaches_identity(make_spider):
    spider = make_spider()
    linked = f"{SITE}/Home/Kinh-te/701/bai-viet-hoi-nghi"
    request = spider.article_request(linked, linked, 1)
    canonical = f"{SITE}/Home/701/bai-viet-hoi-nghi"
    list(spider.parse_article(article_page(request, headline(701), canonical=canonical)))
    assert spider.identity.kinds["id"].holds is True


def test_og_url_counts_as_the_canonical_link(make_spider):
    spider = make_spider()
    linked = f"{SITE}/Home/Kinh-te/702/bai-viet"
    request = spider.article_request(linked, linked, 1)
    page = article_html(headline(702)).replace(
        b"</head>", f'<meta property="og:url" content="{SITE}/bai-viet-702"></head>'.encode()
    )
    response = HtmlResponse(linked, body=page, request=request, encoding="utf-8")
    (record,) = records_of(spider.parse_article(response))
    assert record.url == f"{SITE}/bai-viet-702" and linked in record.aliases


def test_a_redirect_between_urls_with_one_id_teaches_identity(make_spider):
    spider = make_spider()
    linked = f"{SITE}/tin-tuc/chi-tiet.aspx?id=17404"
    request = spider.article_request(linked, linked, 1)
    target = "/Home/Kinh-te/17404/hoi-nghi-dan-van"
    response = HtmlResponse(linked, status=301, headers={"Location": target}, request=request)
    (follow,) = requests_of(spider.parse_article(response))
    assert follow.url == SITE + target
    assert spider.identity.kinds["id"].holds is True


def test_an_owed_article_stored_under_another_section_path_is_an_alias(make_spider, sqlite_url):
    """A killed run stored a story under one section path and still owed it under another:
    the next run asks the identity learner first, as for a linked article, and fetches nothing."""
    from dvcrawl.storage.frontier import ARTICLE, Owed, add_owed

    slug = "nang-cao-chat-luong-tham-muu-cong-tac-dan-van-o-co-so"
    stored, owed = f"{SITE}/Home/Tin-tuc/1027/{slug}", f"{SITE}/Home/Dan-van/1027/{slug}"
    other = f"{SITE}/Home/Dan-van/1028/mot-cau-chuyen-khac-cua-xa-vung-cao"
    db = open_database(sqlite_url)
    with db.session() as session:
        add_owed(session, "cong", [Owed(u, u, SITE + "/", ARTICLE) for u in (owed, other)])
    spider = make_spider()
    spider.state.known_articles.add(stored)  # stored by the killed run
    asked = [r.url for r in spider.owed_requests()]
    assert asked == [other]
    assert owed in spider.aliased


def redirect_response(spider: PortalSpider, old: str, target: str) -> HtmlResponse:
    request = spider.article_request(old, old, 1)
    return HtmlResponse(old, status=301, headers={"Location": target}, request=request)


def test_a_redirect_to_another_section_path_of_an_asked_for_story_is_not_fetched(make_spider):
    """A story filed under two sections, asked for under one; an old address of it redirects
    to the other: the target is an alias of the story asked for, not a second fetch."""
    spider = make_spider()
    slug = "hoi-nghi-tong-ket-cong-tac-dan-van-nam-2026"
    links = [(f"/Home/Tin-tuc-Su-kien/14047/{slug}", headline(1))]
    (asked,) = requests_of(spider.parse_listing(listing(SITE + "/Home/Tin-tuc-Su-kien", links)))
    old = f"{SITE}/tin-tuc/chi-tiet.aspx?id=14047"
    target = f"/Home/Van-hoa/14047/{slug}"
    assert requests_of(spider.parse_article(redirect_response(spider, old, target))) == []
    assert SITE + target in spider.aliased
    assert spider.crawler.stats.get_value("dvcrawl/article_same_id_skipped") == 1
    # The story asked for stands for both addresses once it is stored.
    (record,) = records_of(spider.parse_article(article_page(asked, headline(1))))
    assert SITE + target in record.aliases


def test_a_redirect_to_another_section_path_of_a_stored_story_is_not_fetched(make_spider):
    spider = make_spider()
    slug = "hoi-nghi-tong-ket-cong-tac-dan-van-nam-2026"
    spider.state.known_articles.add(f"{SITE}/Home/Tin-tuc-Su-kien/14047/{slug}")  # a killed run
    old = f"{SITE}/tin-tuc/chi-tiet.aspx?id=14047"
    response = redirect_response(spider, old, f"/Home/Van-hoa/14047/{slug}")
    assert requests_of(spider.parse_article(response)) == []


def test_a_redirect_to_a_new_story_is_still_fetched(make_spider):
    spider = make_spider()
    old = f"{SITE}/tin-tuc/chi-tiet.aspx?id=14048"
    listed = [("/tin-tuc/chi-tiet.aspx?id=14048", headline(2))]  # asked for under its old address
    assert len(requests_of(spider.parse_listing(listing(SITE + "/tin-tuc", listed)))) == 1
    response = redirect_response(spider, old, "/Home/Van-hoa/14048/mot-cau-chuyen-khac-o-xa")
    (follow,) = requests_of(spider.parse_article(response))
    assert follow.url == SITE + "/Home/Van-hoa/14048/mot-cau-chuyen-khac-o-xa"
