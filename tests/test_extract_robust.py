"""Issue 11: extraction never raises and never loses a page; dates keep their offset; the lead,
text hygiene, decoding and strict family detection."""

from __future__ import annotations

import random
import unicodedata
from datetime import datetime
from pathlib import Path

import lxml.html
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dvcrawl.extract.article as article_mod
from dvcrawl.constants import VN_TZ
from dvcrawl.extract import extract_article
from dvcrawl.extract.title import host_label, strip_suffix
from dvcrawl.profiles import detect

GOLDEN = sorted((Path(__file__).parent / "golden").glob("*/*.html"))
PARA = "Ban Dân vận Huyện ủy phối hợp Mặt trận Tổ quốc vận động nhân dân hiến đất làm đường. "
TITLE = "Hiến đất làm đường ở xã Thạch Đài năm 2024"


def _page(head: str = "", after_title: str = "", body: str = "", tail: str = "") -> str:
    body = body or f"<p>{PARA * 3}</p><p>{PARA * 2}Một là, tiếp tục tuyên truyền.</p>"
    return (
        f"<html lang='vi'><head>{head}<title>{TITLE}</title></head><body>"
        f"<div class='main'><h1>{TITLE}</h1>{after_title}<div class='noi-dung'>{body}</div>"
        f"{tail}</div></body></html>"
    )


def test_a_comment_beside_a_captioned_image_does_not_lose_the_rules():
    # Regression: the caption walk met an HtmlComment sibling and raised ValueError.
    body = f"<p><img src='a.jpg'></p><!-- x --><p><em>Ảnh: hội nghị</em></p><p>{PARA * 4}</p>"
    art = extract_article(_page(body=body), "http://x.vn/a")
    assert art.is_article and art.title == TITLE
    assert "fallback" not in art.decisions["body"]


def test_a_failing_rule_falls_back_to_plain_trafilatura(monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("rule bug")

    monkeypatch.setattr(article_mod, "find_title", broken)
    art = extract_article(_page(), "http://x.vn/a")
    assert art.is_article and "Một là, tiếp tục tuyên truyền." in art.text
    assert art.decisions["body"] == "trafilatura (fallback)"
    assert any("rule bug" in why for _, why in art.removed)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"   ",
        b"\x00\x01\x02binary",
        b"%PDF-1.4 ...",
        "<?xml version='1.0'?><p>x</p>",
        "<" * 5000,
    ],
)
def test_degenerate_input_is_a_rejection_not_an_exception(data):
    art = extract_article(data, "http://x.vn/a")
    assert not art.is_article and art.reject_reason


def _mutate(html: bytes, rng: random.Random) -> bytes:
    """One of the ways real pages go wrong: comments, PIs, entities, cut markup, stray bytes,
    deep nesting, removed closing tags."""
    pos = rng.randrange(len(html) + 1)
    insert = rng.choice(
        [b"<!-- c -->", b"<?php echo 1; ?>", b"&nbsp;&#xD;&bogus;", b"\xff\xfe\xc3", b"</div>" * 9,
         b"<div>" * 3000, b"<table><tr><td>", b"\x00", b"<![CDATA[x]]>", b"<script>var a='<p>';"]
    )  # fmt: skip
    kind = rng.randrange(3)
    if kind == 0:
        return html[:pos] + insert + html[pos:]
    if kind == 1:
        return html[:pos]
    return html.replace(b"</p>", b"", rng.randrange(1, 50))


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    index=st.integers(0, max(0, len(GOLDEN) - 1)),
    seed=st.integers(0, 2**32 - 1),
    rounds=st.integers(1, 4),
)
def test_mutated_real_pages_never_raise(index, seed, rounds):
    rng = random.Random(seed)
    html = GOLDEN[index].read_bytes()
    for _ in range(rounds):
        html = _mutate(html, rng)
    art = extract_article(html, "http://x.vn/a")
    assert isinstance(art.is_article, bool)
    assert art.is_article == (art.reject_reason is None)
    assert art.text == unicodedata.normalize("NFC", art.text)


def test_date_with_an_offset_keeps_it():
    head = '<meta property="article:published_time" content="2020-10-26T19:10-05:00">'
    art = extract_article(_page(head=head), "http://x.vn/a")
    assert art.published == "2020-10-26T19:10:00-05:00"


def test_weekday_date_line_under_the_title_is_the_articles_date():
    line = "<div class='datetime'>Thứ Tư, 25/12/2024 lúc 10 giờ 15</div>"
    art = extract_article(_page(after_title=line), "http://x.vn/a")
    assert art.published == "2024-12-25T10:15:00+07:00"


def test_sa_ch_times_are_read():
    art = extract_article(_page(after_title="<div>25/12/2024 3:20 CH</div>"), "http://x.vn/a")
    assert art.published == "2024-12-25T15:20:00+07:00"


def test_never_a_date_from_a_list_of_other_stories():
    related = (
        "<div><b>Tin liên quan</b></div><ul><li><a href='/b'>Hội nghị tổng kết công tác dân vận"
        " khác</a> <span>(05/01/2022)</span></li></ul>"
    )
    for page in (_page(after_title=related), _page(tail=related)):
        art = extract_article(page, "http://x.vn/a")
        assert art.published is None or not art.published.startswith("2022-01-05")


def test_fallback_date_equal_to_today_is_the_date_bar():
    today = datetime.now(VN_TZ)
    bar = f"<div class='top'>{today:%d/%m/%Y}</div>"
    art = extract_article(_page().replace("<body>", f"<body>{bar}"), "http://x.vn/a")
    assert art.published is None or not art.published.startswith(today.date().isoformat())


def test_lead_set_apart_is_kept_first():
    lead = "Sáng nay, Ban Dân vận Tỉnh ủy tổ chức hội nghị tổng kết công tác dân vận năm 2024."
    art = extract_article(_page(after_title=f"<h2 class='sapo'>{lead}</h2>"), "http://x.vn/a")
    assert art.lead == lead
    assert art.text.startswith(lead)
    assert art.text.count(lead) == 1


def test_invisible_characters_are_stripped():
    body = f"<p>Dân\u00advận khéo\u200b, bidi\u202e mark\u200f. {PARA * 3}</p>"
    art = extract_article(_page(body=body), "http://x.vn/a")
    assert "Dânvận khéo, bidi mark." in art.text


def test_a_heading_is_never_the_author():
    tail = "<p><b>Latest News</b></p>"
    art = extract_article(_page(body=f"<p>{PARA * 4}</p>{tail}"), "http://x.vn/a")
    assert art.author != "Latest News"


def test_utf8_with_a_few_bad_bytes_stays_utf8():
    data = _page().encode("utf-8").replace(b"</h1>", b"\xff\xfe</h1>")
    art = extract_article(data, "http://x.vn/a")
    assert art.title.startswith(TITLE)
    assert "Ban Dân vận Huyện ủy" in art.text


def _cp1258(ch: str) -> bytes:
    """cp1258 as Vietnamese legacy pages write it: base letter (â, ơ, ư...) then the tone mark."""
    try:
        return ch.encode("cp1258")
    except UnicodeEncodeError:
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
        return (base + "".join(c for c in parts if c in TONES)).encode("cp1258")


TONES = "\u0300\u0301\u0303\u0309\u0323"


def test_http_charset_decodes_a_legacy_page():
    data = b"".join(_cp1258(ch) for ch in _page())
    art = extract_article(data, "http://x.vn/a", content_type="text/html; charset=windows-1258")
    assert art.title == TITLE and "Ban Dân vận Huyện ủy" in art.text


def test_explanations_stay_out_of_the_export():
    art = extract_article(_page(), "http://x.vn/a")
    assert art.decisions["body"] and art.decisions["title"]
    assert "decisions" not in art.as_dict()
    assert "removed" not in list(art.keys())
    assert "lead" in art.as_dict()


@pytest.mark.parametrize(
    ("html", "url", "family"),
    [
        ("<html><body><div class='entry-content'>x</div></body></html>", "http://e.com/a", None),
        ("<html><body><div class='detail-content'>x</div></body></html>", "http://e.com/a", None),
        ("<html><head><link rel='stylesheet' href='/wp-content/t.css'></head><body></body></html>",
         "http://e.com/a", "wordpress"),
        ("<html lang='vi'><body><div class='detail-content'>x</div></body></html>", "http://e.com/a",
         "news"),
        ("<html><body><div class='post-detail'>x</div></body></html>", "http://e.com/a", None),
        ("<html><body><div class='post-detail'>x</div></body></html>", "http://hatinh.dcs.vn/a",
         "dcs"),
    ],
)  # fmt: skip
def test_families_fire_on_evidence_only(html, url, family):
    found = detect(lxml.html.document_fromstring(html), url)
    assert (found.name if found else None) == family


@pytest.mark.parametrize(
    ("raw", "url", "clean"),
    [
        ("Hund vertreibt Einbrecher – Zeugenaufruf – Hildesheimer Presse",
         "https://www.hildesheimer-presse.de/a", "Hund vertreibt Einbrecher – Zeugenaufruf"),
        ("Gregory Szorc's Digital Home | Mercurial's Journey to Python 3",
         "https://gregoryszorc.com/blog/x", "Mercurial's Journey to Python 3"),
        ("Hội nghị tổng kết công tác dân vận - Báo Hà Tĩnh", "https://baohatinh.vn/a",
         "Hội nghị tổng kết công tác dân vận"),
        ("Ban Dân vận: tổng kết năm 2024 | Tin tức", "https://example.org/a",
         "Ban Dân vận: tổng kết năm 2024 | Tin tức"),
    ],
)  # fmt: skip
def test_the_sites_own_name_is_stripped_from_titles(raw, url, clean):
    assert strip_suffix(raw, "", host_label(url)) == clean


def test_a_dated_list_of_other_stories_inside_the_body_goes():
    # CafeF prints "19-07-2026" glued to each related headline, between the sapo and the story.
    heads = [
        "Nhóm quỹ ngoại không còn là cổ đông lớn tại một công ty bán lẻ",
        "Chủ tịch tập đoàn đề xuất lập đội hình doanh nghiệp công nghệ đầu tàu",
        "Cập nhật báo cáo tài chính quý 2 chiều ngày 16/7 của nhiều doanh nghiệp",
    ]
    items = "".join(
        f"<li><span>{18 - i:02d}-07-2026</span><a href='/tin-{i}.chn'>{h}</a></li>"
        for i, h in enumerate(heads)
    )
    body = f"<ul class='box'>{items}</ul><p>{PARA * 3}</p><p>{PARA * 2}Một là, tiếp tục tuyên truyền.</p>"
    art = extract_article(_page(body=body), "http://x.vn/a")
    assert art.text.startswith(PARA.strip()[:40]) and "Một là, tiếp tục tuyên truyền." in art.text
    assert not any(h in art.text for h in heads)
