"""trafilatura's baseline on Vietnamese pages, made cheaper (issues 11 and 12): fast mode first
when it keeps what the full call would, and trafilatura's metadata read only when dvcrawl's own
finders leave a field empty."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pytest
import trafilatura
import trafilatura.metadata

import dvcrawl.extract.body as body_mod
from dvcrawl.extract import extract_article
from dvcrawl.extract.body import coverage, trafilatura_base

GOLDEN = sorted((Path(__file__).parent / "golden").glob("*/*.html"))
URL = "https://baodongkhoi.example.vn/ban-dan-van-tinh-uy-hop-mat-90-nam-a60123.html"
STORY = (
    "Ngày 12-10-2020, Ban Dân vận Tỉnh ủy tổ chức họp mặt kỷ niệm 90 năm Ngày Truyền thống "
    "công tác dân vận của Đảng, tọa đàm và chia sẻ kinh nghiệm giữa các thế hệ cán bộ. "
)
PAGE = (
    "<html lang='vi'><head><title>Họp mặt 90 năm Ngày Truyền thống công tác dân vận</title>"
    "</head><body><h1>Họp mặt 90 năm Ngày Truyền thống công tác dân vận</h1>"
    "<div class='date'>12/10/2020 19:57</div><article>"
    + "".join(f"<p>Đoạn {i}. {STORY * 2}</p>" for i in range(5))
    + "<p>Quốc Hùng</p></article></body></html>"
)


def _tree(html: str | bytes) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(html)


@pytest.mark.parametrize("page", GOLDEN, ids=lambda p: p.name)
def test_the_metadata_read_on_demand_is_trafilaturas(page):
    html = page.read_bytes()
    base = trafilatura_base(_tree(html), URL, precise=True)
    whole = trafilatura.bare_extraction(_tree(html), url=URL, with_metadata=True)
    assert (base.title, base.author, base.date) == (
        whole.title or "",
        whole.author or "",
        whole.date or "",
    )


def test_no_date_search_when_the_page_prints_its_date(monkeypatch):
    searched = []

    def counted(*args, **kwargs):
        searched.append(args)
        return None

    monkeypatch.setattr(trafilatura.metadata, "find_date", counted)
    monkeypatch.setattr(body_mod, "find_date", counted)
    art = extract_article(PAGE, URL)
    assert art.published == "2020-10-12T19:57:00+07:00"
    assert searched == []


@pytest.mark.parametrize(
    ("url", "modes"),
    [(URL, [True]), ("https://baodongkhoi.example.vn/tin-tuc/", [False])],
    ids=["article", "listing-address"],
)
def test_fast_mode_alone_reads_a_story_at_an_articles_address(monkeypatch, url, modes):
    real, calls = trafilatura.bare_extraction, []

    def counted(*args, **kwargs):
        calls.append(kwargs.get("fast", False))
        return real(*args, **kwargs)

    monkeypatch.setattr(body_mod.trafilatura, "bare_extraction", counted)
    art = extract_article(PAGE, url)
    assert art.text.startswith("Đoạn 0. Ngày 12-10-2020") and art.is_article
    assert calls == modes


def test_the_full_call_decides_when_fast_mode_reads_part_of_the_story(monkeypatch):
    real = trafilatura.bare_extraction

    def fast_reads_one_paragraph(*args, fast=False, **kwargs):
        found = real(*args, fast=fast, **kwargs)
        if fast and found is not None:
            found.text = found.text.splitlines()[0] + "\n" + found.text.splitlines()[1]
        return found

    monkeypatch.setattr(body_mod.trafilatura, "bare_extraction", fast_reads_one_paragraph)
    base = trafilatura_base(_tree(PAGE), URL, precise=True)
    assert len(base.lines) >= 5


def _slice_coverage(part: list[str], whole: list[str]) -> float:
    """The 4-gram coverage as first written (a tuple slice per position), to compare with."""

    def grams(lines: list[str]) -> set[tuple[str, ...]]:
        words = re.findall(r"\w+", " ".join(lines).casefold())
        return {tuple(words[i : i + 4]) for i in range(max(1, len(words) - 3))}

    wanted = grams(part)
    return 1.0 if wanted == {()} else len(wanted & grams(whole)) / len(wanted)


@pytest.mark.parametrize(
    ("part", "whole"),
    [
        ([], ["Một hai ba bốn năm"]),
        (["Một"], ["một"]),
        (["Một hai ba"], ["Một hai ba", "bốn"]),
        (["Một hai ba"], ["một hai ba"]),
        (["Một hai", "ba bốn năm sáu"], ["MỘT HAI BA BỐN", "năm"]),
        (["a b c d e f g h"], []),
        (["a b c d a b c d a b c d"], ["x a b c d a y"]),
    ],
)
def test_coverage_counts_shared_word_4grams_as_before(part, whole):
    assert coverage(part, whole) == _slice_coverage(part, whole)
