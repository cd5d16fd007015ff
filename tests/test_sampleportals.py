"""The sample portal network: every article is served, findable, and as described."""

from __future__ import annotations

import http.client
import itertools
import re
import unicodedata
import urllib.error
import urllib.request
from collections import deque
from html import unescape
from urllib.parse import urljoin, urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser

import pytest

from dvcrawl.sampleportals import ExpectedArticle, SampleNetwork
from dvcrawl.sources import parse_sources

# <h1 ...>text</h1> and <title>text</title>, tags inside allowed
_H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
# href="..." in a page
_HREF = re.compile(r'href="([^"]+)"')
# any tag, to compare visible text
_TAG = re.compile(r"<[^>]+>")
# query parameters share buttons add; the test's BFS drops them, as a crawler should
_TRACKING = re.compile(r"^(utm_[a-z]+|fbclid|zarsrc)=")


@pytest.fixture(scope="module")
def net():
    with SampleNetwork() as network:
        yield network


def fetch(url: str, headers: dict | None = None) -> tuple[int, dict, bytes, str]:
    """GET following redirects; HTTP errors are returned, not raised."""
    req = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, dict(resp.headers), resp.read(), resp.geturl()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read(), url


def page_text(raw: bytes) -> str:
    return unicodedata.normalize("NFC", unescape(raw.decode("utf-8")))


def titles_in(html: str) -> list[str]:
    found = _H1.findall(html) + _TITLE.findall(html)
    return [_TAG.sub("", t).strip() for t in found]


def test_every_article_answers_with_its_title_and_body(net):
    expected = net.expected_articles()
    assert len(expected) >= 4 * 30
    for art in expected:
        status, _, raw, _ = fetch(art.url)
        if status == 503:  # the one flaky page: a retry succeeds
            status, _, raw, _ = fetch(art.url)
        assert status == 200, art.url
        html = page_text(raw)
        assert any(art.title in t for t in titles_in(html)), art.url
        visible = _TAG.sub(" ", html)
        for para in art.text.split("\n"):
            assert para in visible, (art.url, para[:60])


def test_expected_fields_follow_the_contract(net):
    expected = net.expected_articles()
    iso = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}\+07:00)?$")
    for art in expected:
        assert isinstance(art, ExpectedArticle)
        assert iso.match(art.published), art.published
        assert art.text == unicodedata.normalize("NFC", art.text)
        assert "?" not in art.url and "#" not in art.url
        assert art.text.strip() and art.title not in ("", None)
    assert any(len(a.published) == 10 for a in expected), "some pages show only a date"
    assert any(a.credit for a in expected) and any(a.author for a in expected)
    for site in net.sites:
        arts = [a for a in expected if a.source_id == site and not a.duplicate_of]
        share = sum(not a.relevant for a in arts) / len(arts)
        assert 0.35 <= share <= 0.45, (site, share)


def _clean(url: str) -> str:
    """Without tracking parameters and fragment."""
    parts = urlsplit(url)
    query = "&".join(q for q in parts.query.split("&") if q and not _TRACKING.match(q))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def _canonical(url: str) -> str:
    """The BFS's dedupe key: clean, and blind to a trailing slash."""
    parts = urlsplit(_clean(url))
    return urlunsplit(parts._replace(path=parts.path.rstrip("/")))


def _crawl(net: SampleNetwork, source, max_depth: int = 4) -> set[str]:
    """A plain BFS that obeys robots.txt and stays on the site; returns URLs fetched."""
    base = net.base_url(source.id)
    robots = RobotFileParser(base + "/robots.txt")
    robots.read()
    seen = {_canonical(u) for u in source.start_urls}
    queue = deque((u, 0) for u in source.start_urls)
    fetched: set[str] = set()
    while queue:
        url, depth = queue.popleft()
        status, headers, raw, final = fetch(url)
        if status == 503:
            status, headers, raw, final = fetch(url)
        fetched.add(_canonical(final))
        if status != 200 or depth >= max_depth or "html" not in headers.get("Content-Type", ""):
            continue
        for href in _HREF.findall(raw.decode("utf-8")):
            link = urljoin(final, unescape(href))
            key = _canonical(link)
            if link.startswith(base) and key not in seen and robots.can_fetch("*", link):
                seen.add(key)
                queue.append((_clean(link), depth + 1))
    return fetched


def test_every_article_is_reachable_from_the_start_urls(net):
    expected = net.expected_articles()
    for source in net.sources:
        fetched = _crawl(net, source)
        wanted = {_canonical(a.url) for a in expected if a.source_id == source.id}
        assert wanted <= fetched, (source.id, sorted(wanted - fetched)[:3])
    disallowed = [r for r in net.requests if r.path.startswith(("/admin", "/tim-kiem"))]
    assert disallowed == []


def test_robots_disallows_admin_and_search_that_menus_link_to(net):
    for source in net.sources:
        base = net.base_url(source.id)
        status, _, raw, _ = fetch(base + "/robots.txt")
        robots = raw.decode()
        assert status == 200 and "Disallow: /admin/" in robots and "Disallow: /tim-kiem" in robots
        _, _, home, _ = fetch(source.start_urls[0])
        assert 'href="/admin/"' in home.decode() and 'href="/tim-kiem' in home.decode()


def test_listings_answer_304_until_publish_changes_them():
    with SampleNetwork() as net:
        url = net.base_url("hatinh") + net.sites["hatinh"].listing_path("danvan")
        status, headers, _, _ = fetch(url)
        etag, last = headers["ETag"], headers["Last-Modified"]
        assert status == 200
        assert fetch(url, {"If-None-Match": etag})[0] == 304
        assert fetch(url, {"If-Modified-Since": last})[0] == 304
        new = net.publish("hatinh")
        status, headers, raw, _ = fetch(url, {"If-None-Match": etag})
        assert status == 200 and headers["ETag"] != etag
        assert new.title in page_text(raw)
        assert fetch(url, {"If-Modified-Since": last})[0] == 200


def test_last_modified_only_and_no_conditional_sites():
    with SampleNetwork() as net:
        hanam = net.base_url("hanam") + "/Pages/tin-tuc.aspx"
        status, headers, _, _ = fetch(hanam)
        assert "ETag" not in headers
        assert fetch(hanam, {"If-Modified-Since": headers["Last-Modified"]})[0] == 304
        net.publish("hanam", relevant=False)
        assert fetch(hanam, {"If-Modified-Since": headers["Last-Modified"]})[0] == 200
        bentre = net.base_url("bentre") + "/category/dan-van/"
        status, headers, _, _ = fetch(bentre, {"If-None-Match": "*"})
        assert status == 200 and "ETag" not in headers and "Last-Modified" not in headers


def test_publish_puts_a_new_article_on_top(net):
    before = len(net.expected_articles())
    art = net.publish("danvan", title="Bài viết mới về công tác dân vận")
    assert len(net.expected_articles()) == before + 1
    assert art.title == "Bài viết mới về công tác dân vận" and art.relevant
    status, _, home, _ = fetch(net.base_url("danvan") + "/")
    assert status == 200 and art.url.split("/", 3)[3] in home.decode()
    assert fetch(art.url)[0] == 200
    second = net.publish("danvan", relevant=False)
    assert second.url != art.url and not second.relevant
    with pytest.raises(KeyError, match="nosuchsite"):
        net.publish("nosuchsite")


def test_legacy_url_redirects_permanently(net):
    art = next(a for a in net.expected_articles() if a.source_id == "hatinh")
    num = art.url.split("/post/")[1].split("/")[0]
    host, port = urlsplit(net.base_url("hatinh")).netloc.split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=5)
    conn.request("GET", f"/tin-tuc/chi-tiet.aspx?id={num}")
    resp = conn.getresponse()
    assert resp.status == 301
    assert urljoin(art.url, resp.getheader("Location")) == art.url
    conn.close()


def test_flaky_page_fails_once_then_serves():
    with SampleNetwork() as net:
        (url,) = net.flaky_urls()
        path = urlsplit(url).path
        assert fetch(url)[0] == 503
        assert fetch(url)[0] == 200
        statuses = [r.status for r in net.requests if r.path == path]
        assert statuses == [503, 200]


def test_some_pages_are_typed_in_decomposed_unicode(net):
    nfd_pages = 0
    for art in net.expected_articles():
        _, _, raw, _ = fetch(art.url)
        html = raw.decode("utf-8")
        if html != unicodedata.normalize("NFC", html):
            nfd_pages += 1
            assert art.text == unicodedata.normalize("NFC", art.text)
            assert art.text.split("\n")[0] not in html  # only the decomposed form is on the page
    assert nfd_pages >= 5


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = text.split()
    return {tuple(words[i : i + 5]) for i in range(len(words) - 4)}


def test_distinct_stories_share_few_shingles(net):
    arts = net.expected_articles()
    sets = {a.url: _shingles(a.text) for a in arts}
    copies = {(a.url, a.duplicate_of) for a in arts if a.duplicate_of}
    assert 3 <= len(copies) <= 5
    for a, b in itertools.combinations(arts, 2):
        x, y = sets[a.url], sets[b.url]
        jaccard = len(x & y) / len(x | y)
        if (a.url, b.url) in copies or (b.url, a.url) in copies:
            assert jaccard > 0.8, (a.title, b.title)
        else:
            assert jaccard < 0.2, (a.title, b.title, jaccard)


def test_syndicated_copies_credit_the_original(net):
    by_url = {a.url: a for a in net.expected_articles()}
    copies = [a for a in by_url.values() if a.duplicate_of]
    for copy in copies:
        original = by_url[copy.duplicate_of]
        assert copy.source_id != original.source_id
        assert copy.published > original.published[:10]
        assert copy.title != original.title and original.title in copy.title
        assert copy.text.endswith(original.text) and copy.text != original.text
        assert copy.credit and copy.credit.endswith(".vn")
        _, _, raw, _ = fetch(copy.url)
        assert f"Theo: {copy.credit}" in page_text(raw)


def test_template_lead_pairs_are_distinct_stories(net):
    arts = [a for a in net.expected_articles() if not a.duplicate_of]
    by_lead: dict[str, list[ExpectedArticle]] = {}
    for a in arts:
        by_lead.setdefault(a.text.split("\n")[0], []).append(a)
    shared = [group for group in by_lead.values() if len(group) > 1]
    assert len(shared) == 2 and all(len(g) == 2 for g in shared)


def test_traps_error_page_and_login_wall(net):
    site = net.sites["danvan"]
    base = net.base_url("danvan")
    url = f"{base}{site.calendar_path}?thang=1&nam=2026"
    for _ in range(3):  # the calendar always has an older month
        status, _, raw, _ = fetch(url)
        prev = re.search(r'href="([^"]+)">Tháng trước', raw.decode())
        assert status == 200 and prev
        url = urljoin(url, unescape(prev.group(1)))
    assert "thang=10&nam=2025" in url
    status, _, raw, _ = fetch(base + site.error_path)
    assert status == 200 and "Trang bạn tìm không tồn tại" in raw.decode()
    status, _, raw, _ = fetch(base + site.login_path)
    assert status == 200 and 'name="password"' in raw.decode()
    assert fetch(base + "/khong-co-trang-nay.html")[0] == 404
    listing = base + site.listing_path("news")
    _, _, raw, _ = fetch(listing + "?sort=new&sort=new")
    assert "sort=new&amp;sort=new&amp;sort=new" in raw.decode()


def test_tracking_links_lead_to_the_same_article(net):
    _, _, raw, _ = fetch(net.base_url("hatinh") + "/")
    hrefs = [unescape(h) for h in _HREF.findall(raw.decode())]
    tracked = [h for h in hrefs if "utm_source=zalo" in h or "zarsrc=" in h or "fbclid=" in h]
    assert tracked
    status, _, page, _ = fetch(urljoin(net.base_url("hatinh"), tracked[0]))
    assert status == 200 and "<h1" in page.decode()


def test_sources_toml_matches_sources(net):
    import tomllib

    parsed = parse_sources(tomllib.loads(net.sources_toml()))
    assert parsed == net.sources
    assert len({urlsplit(s.start_urls[0]).hostname for s in parsed}) == len(parsed)


def test_request_log_records_requests(net):
    net.clear_requests()
    fetch(net.base_url("bentre") + "/robots.txt", {"User-Agent": "dvcrawl-test"})
    (entry,) = net.requests
    assert (entry.site_id, entry.method, entry.path, entry.status) == (
        "bentre",
        "GET",
        "/robots.txt",
        200,
    )
    assert entry.headers["user-agent"] == "dvcrawl-test"


def test_scale_multiplies_and_seed_fixes_the_corpus():
    one, again, three = SampleNetwork(), SampleNetwork(), SampleNetwork(scale=3)
    for sid in one.sites:
        small = [a for a in one.sites[sid].articles if a.original is None]
        big = [a for a in three.sites[sid].articles if a.original is None]
        assert len(big) == 3 * len(small)
        same = [(a.title, a.text) for a in again.sites[sid].articles]
        assert [(a.title, a.text) for a in one.sites[sid].articles] == same
    with pytest.raises(ValueError, match="scale"):
        SampleNetwork(scale=0)
