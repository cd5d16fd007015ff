"""Golden tests of real Vietnamese pages (tests/golden/vn/<site>/<id>.html.gz + <id>.json).

The pages come from public repositories (provenance in each JSON and in
bench/vietnamese-provenance.json); the expectations were written by reading each page, never
from an extractor's output. One test per page and field, so a gap shows as exactly the field
that is wrong; known gaps are listed in ``KNOWN_GAPS`` as strict xfails (a fix makes them
fail until the entry is removed).
"""

from __future__ import annotations

import gzip
import json
import re
from datetime import datetime
from functools import cache
from pathlib import Path

import pytest

from dvcrawl.extract import ExtractedArticle, extract_article
from dvcrawl.textnorm import nfc

GOLDEN = Path(__file__).parent / "golden" / "vn"
PAGES = sorted(GOLDEN.glob("*/*.json"))
# Fields checked on an article page, in the order a reader meets them.
ARTICLE_FIELDS = ("title", "datetime", "date", "author", "lead", "first", "last", "junk")
_SPACE = re.compile(r"\s+")
# "Theo Hồ Hương" / "Theo: Hồ Hương": the page credits the writer; the name is what counts.
# A sub-heading is a short line with no final stop ("Hoa nhập khẩu thiếu hàng").
_HEADING_CHARS = 150
_THEO = re.compile(r"^theo:?\s+", re.IGNORECASE)

# (page id, field) -> why it still fails; strict, so a fix shows up as XPASS and fails.
KNOWN_GAPS: dict[tuple[str, str], str] = {}


def _norm(text: str | None) -> str:
    return _SPACE.sub(" ", nfc(text or "")).strip()


@cache
def _expected(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def _extracted(path: Path) -> ExtractedArticle:
    html = gzip.decompress(path.with_suffix(".html.gz").read_bytes())
    return extract_article(html, _expected(path)["url"])


def _paragraphs(art: ExtractedArticle, exp: dict) -> list[str]:
    """The body's paragraphs after the lead (when the page sets one apart and text has it)."""
    lines = [_norm(x) for x in art.text.splitlines() if x.strip()]
    if exp.get("lead") and lines and lines[0] == _norm(exp["lead"]):
        lines = lines[1:]
    return lines


def _is_heading(line: str) -> bool:
    return len(line) <= _HEADING_CHARS and not line.endswith((".", "!", "?", "…", ":"))


def _same_minute(found: str | None, wanted: str) -> bool:
    """Same day, hour, minute and UTC offset: pages print minutes, metadata adds seconds."""
    if not found or "T" not in found:
        return False
    a, b = datetime.fromisoformat(found), datetime.fromisoformat(wanted)
    return a.replace(second=0, microsecond=0) == b.replace(second=0, microsecond=0) and (
        a.utcoffset() == b.utcoffset()
    )


def check(field: str, art: ExtractedArticle, exp: dict) -> tuple[bool, str]:
    """(ok, what was found) for one expected field of one page."""
    if field == "kind":
        return art.reject_reason == "listing", f"reject_reason={art.reject_reason!r}"
    if field == "title":
        return _norm(art.title) == _norm(exp["title"]), art.title
    if field == "datetime":
        return _same_minute(art.published, exp["datetime"]), str(art.published)
    if field == "date":
        return (art.published or "")[:10] == exp["date"], str(art.published)
    if field == "author":
        found = _THEO.sub("", _norm(art.author))
        return found == _THEO.sub("", _norm(exp["author"])), str(art.author)
    lines = [_norm(x) for x in art.text.splitlines() if x.strip()]
    if field == "lead":
        return bool(lines) and lines[0] == _norm(exp["lead"]), (lines or [""])[0][:200]
    body = _paragraphs(art, exp)
    if field == "first":
        # A story may open with a sub-heading (short, no full stop); the first sentence then
        # starts the next line. Anything else before it is a lost start or junk.
        start = body[1:2] if body and _is_heading(body[0]) else body[:1]
        ok = bool(start) and start[0].startswith(_norm(exp["first"]))
        return ok, " / ".join(body[:2])[:300]
    if field == "last":
        return bool(body) and body[-1].endswith(_norm(exp["last"])), (body or [""])[-1][-200:]
    if field == "junk":
        seen = _norm(f"{art.title}\n{art.text}")
        found = [j for j in exp["junk"] if _norm(j) in seen]
        # An empty text has no junk but no article either: it must not pass as clean.
        return bool(art.text.strip()) and not found, f"junk found: {found} in {len(seen)} chars"
    raise AssertionError(f"unknown field {field!r}")


def _fields(exp: dict) -> list[str]:
    """A listing is checked for being told from an article; an article for each field given."""
    return ["kind"] if exp["kind"] == "listing" else [f for f in ARTICLE_FIELDS if f in exp]


def _cases() -> list:
    cases = []
    for path in PAGES:
        for field in _fields(_expected(path)):
            reason = KNOWN_GAPS.get((path.stem, field))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            cases.append(pytest.param(path, field, marks=marks, id=f"{path.stem}-{field}"))
    return cases


def test_the_golden_set_is_there_with_provenance():
    assert PAGES, "no golden pages under tests/golden/vn/"
    for path in PAGES:
        exp = _expected(path)
        assert path.with_suffix(".html.gz").is_file(), path
        prov = exp["provenance"]
        assert prov["repo"].count("/") == 1 and prov["path"], path
        assert re.fullmatch(r"[0-9a-f]{40}", prov["commit"]), path
        assert exp["kind"] in ("article", "listing"), path


def test_known_gaps_name_real_cases():
    """A gap entry for a page or field that does not exist would hide nothing: catch typos."""
    names = {(p.stem, f) for p in PAGES for f in _fields(_expected(p))}
    assert set(KNOWN_GAPS) <= names, set(KNOWN_GAPS) - names


@pytest.mark.parametrize(("path", "field"), _cases())
def test_golden_vn(path: Path, field: str):
    exp = _expected(path)
    ok, found = check(field, _extracted(path), exp)
    wanted = exp.get(field, exp["kind"])
    assert ok, f"{path.parent.name}/{path.stem} {field}: expected {wanted!r}, got {found!r}"
