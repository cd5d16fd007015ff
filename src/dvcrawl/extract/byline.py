"""The byline and the "Theo: <source>" credit printed at the end of Vietnamese articles.

Forms from the seeds: "Chu Thanh Hoài (Ban Dân vận Tỉnh ủy)", "Quốc Hùng - Văn Minh",
"Lê Dũng Toàn, Ban Dân vận Tỉnh ủy Bình Phước"; also "Bài, ảnh: X", "Tin, ảnh: X".
"""

from __future__ import annotations

import re
from collections.abc import Callable

# "Theo: dukcqtw.dcs.vn", "Nguồn: Báo Hà Tĩnh", "(Theo TTXVN)": a republished story's credit.
# With a colon the source may be long; without one it must look like a name or a domain
# ("Theo số liệu mới nhất, ..." opens a sentence, not a credit).
_CREDIT = re.compile(
    r"^\(?\s*(?:theo|nguồn tin|nguồn)\s*(?::\s*(?P<src>[^\n]{2,120}?)"
    r"|\s(?P<name>(?:[A-ZĐ\u00c0-\u1ef9][^\s,;)]*|[\w-]+\.[a-z]{2,})(?:\s+[^\s,;)]+){0,6}))"
    r"\s*\)?\.?$",
    re.I,
)
# A source with a sentence in it ("..., huyện X hoàn thành 73,6% kế hoạch") is not a credit.
_SENTENCE = re.compile(r",\s|\d+,\d+%|\./?$")
# "Bài, ảnh: Quốc Hùng", "Tin, ảnh: ...", "Bài và ảnh: ...", "Tin: ...", "Bài: ...".
LABELLED = re.compile(
    r"^(bài|tin|ảnh|bài và ảnh|tin và ảnh|bài, ảnh|tin, ảnh|tác giả|người viết|nhóm phóng viên)"
    r"\s*:\s*(?P<n>.+)$",
    re.I,
)
# A name: 1-5 capitalised words or initials ("Q.", "Th."), e.g. "Chu Thanh Hoài", "Q. Hùng".
_NAME = re.compile(r"^(?:[^\W\d_][\w]*\.?|[^\W\d_]{1,3}\.)(?:\s+(?:[^\W\d_][\w]*\.?)){0,4}$")
# Name list separators: "Quốc Hùng - Văn Minh", "A, B và C".
_NAME_SEP = re.compile(r"\s+[-–]\s+|\s*,\s*|\s+và\s+")
# The unit after a name ("Huyện ủy", "Ban Dân vận Tỉnh ủy Bình Phước") is a few words.
_MAX_UNIT_WORDS = 8
# Authors printed one per line at the end of a story, at most.
_MAX_CO_AUTHORS = 4
# Bylines are short; longer lines are sentences.
_MAX_BYLINE = 90


def credit_of(line: str) -> str | None:
    """The source named by a "Theo: X" / "Nguồn: X" line, else None."""
    m = _CREDIT.match(line.strip())
    if not m:
        return None
    src = (m.group("src") or m.group("name")).strip().rstrip(".")
    if m.group("name") and not (src[:1].isupper() or "." in src):
        return None
    return None if _SENTENCE.search(src) and len(src) > 40 else src


def _is_name(text: str) -> bool:
    text = text.strip()
    if not text or not _NAME.match(text):
        return False
    return all(w[0].isupper() for w in text.split())


def is_byline(line: str) -> bool:
    """Does ``line`` look like an author line rather than the last sentence of the story?"""
    line = line.strip()
    if not line or len(line) > _MAX_BYLINE or line.endswith((".", ":", ";", "?", "!")):
        return line.endswith(".") and len(line) <= 40 and _is_name(line.rstrip("."))
    if m := LABELLED.match(line):
        return bool(m.group("n").strip())
    head, _, unit = line.partition("(")
    if unit and not unit.rstrip().endswith(")"):
        return False
    names = _NAME_SEP.split(head.strip())
    if unit:  # "Name (Unit)": every part before the bracket is a name
        return all(_is_name(n) for n in names)
    # "Name, Unit words" / "Name - Unit": a full name first, then names or a short unit
    first = names[0]
    if not all(_is_name(n) for n in names):
        short_rest = all(len(n.split()) <= _MAX_UNIT_WORDS and n[:1].isupper() for n in names[1:])
        return len(names) > 1 and _is_name(first) and len(first.split()) >= 2 and short_rest
    return any(len(n.split()) >= 2 for n in names)


def is_tail_line(line: str) -> bool:
    """A byline or a credit line: what may follow the body container."""
    line = " ".join(line.split())
    return credit_of(line) is not None or is_byline(line)


def _co_authors(author: str, lines: list[str]) -> tuple[str, list[str]]:
    """Names printed one per line above a name byline ("THUẬN VĂN" / "LÊ ÁNH": one author
    block each) are co-authors: "THUẬN VĂN - LÊ ÁNH"."""
    names = [author]
    while lines and len(names) < _MAX_CO_AUTHORS and _is_name(names[0]) and _is_name(lines[-1]):
        names.insert(0, lines[-1].strip())
        lines = lines[:-1]
    return " - ".join(names), lines


def _never(line: str) -> bool:
    return False


def split_tail(
    lines: list[str], credited: Callable[[str], bool] = _never
) -> tuple[list[str], str | None, str | None]:
    """Take the byline and credit off the end of the body: (lines, author, credit).

    ``credited(line)`` says whether the page credits a bare name as its source elsewhere
    ("Theo <name>"): the source printed apart under the story is then the credit.
    """
    author = credit = None
    lines = list(lines)
    for _ in range(3):  # byline and credit come in either order, at most once each
        if not lines:
            break
        last = lines[-1]
        if credit is None and (src := credit_of(last)):
            credit, lines = src, lines[:-1]
        elif credit is None and credited(last):
            credit, lines = last, lines[:-1]
        elif author is None and is_byline(last):
            author, lines = _co_authors(last.strip(), lines[:-1])
        else:
            break
    return lines, author, credit
