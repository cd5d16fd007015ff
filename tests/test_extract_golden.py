"""Golden pages: every CMS family has saved pages beside the expected title, date, byline, body.

Parametrised over the family registry, so a family added without a golden page fails here.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
import trafilatura

from dvcrawl.extract import extract_article
from dvcrawl.profiles import FAMILIES
from dvcrawl.relevance import score_article
from junkscan import junk_lines, token_f1

GOLDEN = Path(__file__).parent / "golden"
GROUPS = [p.name for p in FAMILIES] + ["generic"]


def _pages(group: str) -> list[Path]:
    """Saved pages, plain or gzipped (``dvcrawl inspect --golden`` writes ``.html.gz``)."""
    return sorted([*(GOLDEN / group).glob("*.html"), *(GOLDEN / group).glob("*.html.gz")])


def _html(page: Path) -> bytes:
    data = page.read_bytes()
    return gzip.decompress(data) if page.suffix == ".gz" else data


ALL_PAGES = [page for group in GROUPS for page in _pages(group)]


@pytest.mark.parametrize("group", GROUPS)
def test_every_family_has_a_golden_page(group):
    assert _pages(group), f"family {group!r} has no golden page in tests/golden/{group}/"


def _expected(page: Path) -> dict:
    name = page.name.removesuffix(".gz").removesuffix(".html")
    return json.loads(page.with_name(f"{name}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("page", ALL_PAGES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_golden_page(page):
    exp = _expected(page)
    art = extract_article(_html(page), exp["url"])
    assert art.is_article, art.reject_reason
    assert art.title == exp["title"]
    assert art.published == exp["published"]
    assert art.author == exp["author"]
    assert art.credit == exp["credit"]
    assert token_f1(art.text, exp["text"]) >= 0.97
    assert junk_lines(art.text) == []
    assert art.family == (None if page.parent.name == "generic" else page.parent.name)
    assert not art.date_doubtful
    assert score_article(art.title, art.text).relevant == exp["relevant"]


@pytest.mark.parametrize("page", _pages("generic"), ids=lambda p: p.stem)
def test_generic_pages_never_worse_than_plain_trafilatura(page):
    exp = _expected(page)
    html = _html(page).decode("utf-8")
    plain = trafilatura.extract(html, url=exp["url"], favor_precision=True, include_comments=False)
    ours = extract_article(html, exp["url"]).text
    assert token_f1(ours, exp["text"]) >= token_f1(plain or "", exp["text"])
