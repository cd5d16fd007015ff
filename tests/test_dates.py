"""Vietnamese dates: day before month always, times with SA/CH, and the right date on the page."""

from __future__ import annotations

import pytest
from lxml.html import fromstring

from dvcrawl.extract import extract_article
from dvcrawl.extract.datepick import find_date
from dvcrawl.extract.dates import is_doubtful, parse_iso, parse_vn


@pytest.mark.parametrize(
    ("printed", "value"),
    [
        ("06/01/2022", "2022-01-06"),
        ("6/1/2022", "2022-01-06"),
        ("06-01-2022", "2022-01-06"),
        ("12/10/2020 - 19:57", "2020-10-12T19:57:00+07:00"),
        ("22:37 27/12/2022", "2022-12-27T22:37:00+07:00"),
        ("Chủ Nhật, 14/4/2024", "2024-04-14"),
        ("Thứ Tư, 06/09/2023 | 15:30", "2023-09-06T15:30:00+07:00"),
        ("Ngày 06/9/2023", "2023-09-06"),
        ("06/01/2022 10:15 SA", "2022-01-06T10:15:00+07:00"),
        ("06/01/2022 3:20 CH", "2022-01-06T15:20:00+07:00"),
        ("06/01/2022 12:05 SA", "2022-01-06T00:05:00+07:00"),
        ("Thứ Năm, 07/09/2023 | 08:15 (GMT+7)", "2023-09-07T08:15:00+07:00"),
        ("ngày 6 tháng 1 năm 2022", "2022-01-06"),
        ("Thứ Năm, 06 tháng 01, 2022 - 10:15", "2022-01-06T10:15:00+07:00"),
    ],
)
def test_parse_vietnamese_forms(printed, value):
    found = parse_vn(printed)
    assert found is not None and found.value == value


@pytest.mark.parametrize("text", ["31/02/2022", "hôm nay", "25-NQ/TW", "1.234.567"])
def test_not_a_date(text):
    assert parse_vn(text) is None


def test_iso_metadata_keeps_the_pages_offset():
    # Converting would move an evening in New York into the next day (issue 11).
    assert parse_iso("2020-10-26T19:10-05:00") == "2020-10-26T19:10:00-05:00"
    assert parse_iso("2022-12-27T15:37:00Z") == "2022-12-27T15:37:00+00:00"
    assert parse_iso("2022-12-27T22:37:00+07:00") == "2022-12-27T22:37:00+07:00"
    # Only a time without an offset is Vietnam time.
    assert parse_iso("2022-12-27 22:37") == "2022-12-27T22:37:00+07:00"
    assert parse_iso("2022-12-27") == "2022-12-27"
    assert parse_iso("27/12/2022") is None


def test_future_and_ancient_dates_are_doubtful():
    assert is_doubtful("2999-01-01")
    assert is_doubtful("1970-01-01")
    assert not is_doubtful("2022-01-06")


BODY = "<p>" + "Nội dung bài viết về công tác dân vận ở cơ sở, rất dài và đầy đủ. " * 8 + "</p>"


def _page(head: str = "", before: str = "", after_title: str = "", body: str = BODY) -> str:
    return (
        f"<html><head>{head}</head><body><div class='header'><span class='date-bar'>"
        f"Thứ Hai, 23/11/2026</span></div>{before}<div class='main'><h1>Hội nghị tổng kết công"
        f" tác dân vận năm 2023</h1>{after_title}<div class='body'>{body}</div></div>"
        "<div class='sidebar'><ul><li><a href='/a'>Tin khác về công tác dân vận năm nay</a>"
        " <span>05/01/2022</span></li></ul></div></body></html>"
    )


def test_header_current_date_bar_is_never_the_date():
    art = extract_article(_page(after_title="<div>Cập nhật: 10/01/2024</div>"), "http://x/a")
    assert art.published != "2026-11-23"
    assert art.published is None or art.date_method == "htmldate-fallback"


def test_date_line_next_to_the_title_wins_over_body_and_sidebar_dates():
    body = "<p>Sáng 6/1/2022, Ban Dân vận Tỉnh ủy tổ chức hội nghị. " + "Nội dung dài. " * 30
    art = extract_article(
        _page(after_title="<div>12/10/2020 - 19:57</div>", body=body), "http://x/"
    )
    assert art.published == "2020-10-12T19:57:00+07:00"
    assert art.date_method == "header-block"


def test_updated_time_is_skipped_for_the_published_one():
    after = "<div><span>Cập nhật:</span> 15/01/2024</div><div>Ngày đăng: 10/01/2024 08:00</div>"
    art = extract_article(_page(after_title=after), "http://x/")
    assert art.published == "2024-01-10T08:00:00+07:00"


def test_metadata_is_trusted_first():
    head = '<meta property="article:published_time" content="2023-09-07T01:15:00Z">'
    art = extract_article(_page(head=head, after_title="<div>06/09/2023</div>"), "http://x/")
    assert art.published == "2023-09-07T01:15:00+00:00"  # the page's own offset, kept
    assert art.date_method == "meta:article:published_time"


def test_jsonld_date():
    head = '<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2021-03-04"}</script>'
    assert extract_article(_page(head=head), "http://x/").published == "2021-03-04"


def test_future_date_is_flagged_doubtful():
    art = extract_article(_page(after_title="<div>06/01/2099 10:00</div>"), "http://x/")
    assert art.published == "2099-01-06T10:00:00+07:00"
    assert art.date_doubtful


def test_a_bare_date_bar_printing_today_is_skipped():
    from datetime import datetime

    from dvcrawl.extract.dates import VN_TZ

    now = datetime.now(VN_TZ)
    bar = f"<div class='ngay'>Thứ Hai, {now.day}/{now.month}/{now.year}</div>"
    html = (
        f"<html><body>{bar}<h1>Ban Dân vận Tỉnh ủy tổng kết công tác năm 2023</h1>"
        f"<div class='x'>{BODY}</div><div class='current-date'>{now:%d/%m/%Y}</div></body></html>"
    )
    art = extract_article(html, "http://127.0.0.1/sharepoint/Pages/a.aspx")
    assert art.published is None or not art.published.startswith(now.date().isoformat())


def test_iso_date_printed_next_to_the_title():
    art = extract_article(_page(after_title="<p class='d'>2022-01-06 10:15</p>"), "http://x/")
    assert art.published == "2022-01-06T10:15:00+07:00"


def test_date_only_metadata_takes_the_printed_time_of_the_same_day():
    head = '<meta property="article:published_time" content="2023-09-07">'
    art = extract_article(_page(head=head, after_title="<div>07/09/2023 08:15</div>"), "http://x/")
    assert art.published == "2023-09-07T08:15:00+07:00"
    other_day = extract_article(
        _page(head=head, after_title="<div>06/09/2023 08:15</div>"), "http://x/"
    )
    assert other_day.published == "2023-09-07"


BODY_DE = "<p>" + "Der Verband hat seine neue Strategie für die kommenden Jahre vorgestellt. " * 8
GERMAN = "https://www.example.de/presse/neue-strategie"


def _german_page(date_line: str) -> str:
    """A page outside Vietnam whose generic 'date' meta (a modification date that htmldate
    reads) differs from the date line under the title."""
    return (
        "<html lang='de'><head><meta name='date' content='2022-02-09'><title>Neue Strategie"
        f"</title></head><body><main><article><h1>Neue Strategie des Verbands vorgestellt</h1>"
        f"<div class='meta'>{date_line}</div><div class='text'>{BODY_DE}</p></div></article>"
        "</main><aside><ul><li><a href='/b'>Ältere Meldung über den Verband</a> 12.12.2021"
        "</li></ul></aside></body></html>"
    )


@pytest.mark.parametrize(
    ("line", "day"),
    [
        ("Datum: 03.02.2022", "2022-02-03"),
        ("03.02.2022, 12:01 Uhr", "2022-02-03"),
        ("4.\u20092.\u20092022.", "2022-02-04"),
    ],
)
def test_dotted_date_line_by_the_title_wins_over_htmldate_elsewhere(line, day):
    art = extract_article(_german_page(line), GERMAN)
    # the day only: a printed time's zone is unknown outside Vietnam
    assert (art.published, art.date_method) == (day, "header-block")


def test_a_date_line_that_may_be_month_first_is_left_to_htmldate_elsewhere():
    assert extract_article(_german_page("03/02/2022"), GERMAN).date_method == "htmldate"
    day_above_12 = extract_article(_german_page("17/02/2022"), GERMAN)
    assert (day_above_12.published, day_above_12.date_method) == ("2022-02-17", "header-block")


def test_utc_metadata_takes_the_offset_the_page_states_for_the_same_moment():
    head = (
        '<meta property="article:published_time" content="2023-11-09T02:11:03Z">'
        '<script type="application/ld+json">{"uploadDate":"2023-11-09T09:11:03+07:00"}</script>'
    )
    art = extract_article(_page(head=head), "http://x/")
    assert art.published == "2023-11-09T09:11:03+07:00"
    other = head.replace("09:11:03+07:00", "10:40:00+07:00")  # another moment: not this one
    assert extract_article(_page(head=other), "http://x/").published == "2023-11-09T02:11:03+00:00"


def _pick(meta: str, htmldate_day: str) -> tuple[str | None, str | None]:
    html = f'<html><head><meta property="article:published_time" content="{meta}"></head></html>'
    published, method, _ = find_date(fromstring(html), None, None, htmldate_day, day_first=False)
    return published, method


@pytest.mark.parametrize(
    ("meta", "htmldate_day", "kept"),
    [
        ("2023-11-09T03:02:34-05:00", "2023-11-08", True),  # a local offset: the site's zone
        ("2023-11-09T02:11:03Z", "2023-11-08", False),  # 21:11 in New York
        ("2020-12-24T23:59:50Z", "2020-12-25", False),  # 01:59 in Cairo
        ("2020-07-09T10:04:04Z", "2020-07-08", True),  # no news site is 10 hours behind UTC
        ("2023-10-31T08:47:16Z", "2023-10-03", False),  # weeks apart: htmldate weighs the page
        ("2022-05-10T23:35:55", "2022-05-11", False),  # no offset: the zone is unknown here
    ],
)
def test_metadata_against_htmldate_a_day_apart(meta, htmldate_day, kept):
    published, method = _pick(meta, htmldate_day)
    assert (method == "meta:article:published_time") is kept
    assert published == (parse_iso(meta) if kept else htmldate_day)


def test_offsetless_metadata_time_is_its_day_alone_outside_vietnam():
    assert _pick("2022-05-10T23:35:55", "2022-05-10") == (
        "2022-05-10",
        "meta:article:published_time",
    )


def test_an_offset_of_a_day_or_more_is_no_date():
    assert parse_iso("2024-03-05T02:00:00+25:00") is None
    assert parse_iso("2024-03-05T02:00:00-24:00") is None


def test_a_stamp_with_an_impossible_offset_on_the_page_does_not_cost_the_rules():
    """A script holding "+25:00" beside UTC metadata made the local-form search raise, and
    the page fell back to plain trafilatura."""
    body = "".join(
        f"<p>Paragraph {i} of the story, with enough words to be read.</p>" for i in range(12)
    )
    html = f"""<html><head><title>Harbour reopens</title>
    <meta property="article:published_time" content="2024-03-05T02:00:00Z">
    <script>var a = {{"t": "2024-03-05T02:00:00+25:00"}};</script>
    </head><body><article><h1>Harbour reopens</h1>{body}</article></body></html>"""
    art = extract_article(html, "https://example.com/news/harbour-reopens")
    assert art.decisions["body"] != "trafilatura (fallback)"
    assert art.published is not None and art.published.startswith("2024-03-0")
