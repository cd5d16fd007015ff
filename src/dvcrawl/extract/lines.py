"""Line-level junk rules, applied to the body text after extraction.

The tree pruning catches most junk; these rules catch what portals print as plain text: toolbar
words, social names, "Bình luận: 0", file names, date bars, captions printed twice, and the
teaser/comment sections that follow the article.
"""

from __future__ import annotations

import re

from dvcrawl.extract.byline import LABELLED
from dvcrawl.extract.dates import parse_vn
from dvcrawl.extract.junk import (
    FILE_NAME_LINE,
    JUNK_LABELS,
    JUNK_LINE,
    PHOTO_CREDIT_LINE,
    TAIL_HEADINGS,
)
from dvcrawl.extract.text import clean_line, key

# What may surround a date on a line that is only a date: weekday names, "Ngày đăng", times,
# SA/CH, (GMT+7), separators. Folded-free: compared on key(), so lower case with diacritics.
_DATE_WORDS = re.compile(
    r"thứ (hai|ba|tư|năm|sáu|bảy)|chủ nhật|cn|t[2-7]|ngày đăng|đăng ngày|ngày|đăng lúc|cập nhật"
    r"|hôm nay"
    r"|lúc|gmt\s*\+\s*7|sa|ch|am|pm|\d{1,2}\s*[:h]\s*\d{2}(:\d{2})?|[\d/.\-|,:()+\s]"
)
# Teaser headings this far into the text (share of characters) start the tail: before that
# they are more likely a category label above the story.
_TAIL_FROM = 0.35
# Bullets and separators portals print between toolbar words ("• Zalo • Messenger").
_TOKEN_SPLIT = re.compile(r"[\s•|·/]+")


def is_date_line(line: str) -> bool:
    """A line that is only a date/time ("Chủ Nhật, 14/4/2024", "22:37 27/12/2022")."""
    if parse_vn(line) is None or len(line) > 60:
        return False
    return not _DATE_WORDS.sub("", key(line)).strip()


def _is_junk(line: str, k: str, captions: set[str]) -> bool:
    if k in TAIL_HEADINGS:
        return False  # kept until _cut_tail has used it to drop what follows
    if k in JUNK_LABELS or k in captions or not any(ch.isalnum() for ch in k):
        return True
    if JUNK_LINE.match(line) or FILE_NAME_LINE.match(line) or is_date_line(line):
        return True
    if len(line) < 250 and PHOTO_CREDIT_LINE.search(line) and not LABELLED.match(line):
        return True
    tokens = [t for t in _TOKEN_SPLIT.split(k) if t]
    return bool(tokens) and all(t in JUNK_LABELS for t in tokens)


def _cut_tail(lines: list[str]) -> list[str]:
    """Cut at the first teaser/comment heading that comes after the start of the story."""
    total = sum(len(x) for x in lines) or 1
    seen = 0
    for i, line in enumerate(lines):
        if key(line) in TAIL_HEADINGS and seen >= _TAIL_FROM * total:
            return lines[:i]
        seen += len(line)
    return lines


def clean_lines(raw: list[str], title: str, captions: set[str]) -> list[str]:
    """Body lines without junk, repeats, the repeated title or the teaser tail."""
    out: list[str] = []
    seen: set[str] = set()
    title_key = key(title)
    for text in raw:
        line = clean_line(text)
        k = key(line)
        if not line or k in seen or (k == title_key and not out):
            continue
        if _is_junk(line, k, captions):
            continue
        seen.add(k)
        out.append(line)
    out = [x for x in _cut_tail(out) if key(x) not in TAIL_HEADINGS]
    return out
