"""Line-level junk rules, applied to the body text after extraction.

The tree pruning catches most junk; these rules catch what portals print as plain text: toolbar
words, social names, "Bình luận: 0", file names, date bars, captions printed twice, and the
teaser/comment sections that follow the article.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

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
# The first of those words: a line whose first word is no toolbar word is not split at all.
_FIRST_TOKEN = re.compile(r"[^\s•|·/]+")


def is_date_line(line: str) -> bool:
    """A line that is only a date/time ("Chủ Nhật, 14/4/2024", "22:37 27/12/2022")."""
    if len(line) > 60 or parse_vn(line) is None:
        return False
    return not _DATE_WORDS.sub("", key(line)).strip()


def _junk_reason(line: str, k: str, captions: set[str]) -> str | None:
    """Why ``line`` is junk, or None when it is text."""
    if k in TAIL_HEADINGS:
        return None  # kept until _cut_tail has used it to drop what follows
    if k in captions:
        return "caption printed again"
    if k in JUNK_LABELS or not any(ch.isalnum() for ch in k):
        return "toolbar or label"
    if JUNK_LINE.match(line) or FILE_NAME_LINE.match(line):
        return "junk line"
    if is_date_line(line):
        return "date line"
    if len(line) < 250 and PHOTO_CREDIT_LINE.search(line) and not LABELLED.match(line):
        return "photo credit"
    first = _FIRST_TOKEN.search(k)
    if first is None or first.group() not in JUNK_LABELS:
        return None
    tokens = [t for t in _TOKEN_SPLIT.split(k) if t]
    return "toolbar or label" if all(t in JUNK_LABELS for t in tokens) else None


def _cut_tail(lines: list[str]) -> int:
    """Where the teaser/comment tail starts: the first such heading after the story began."""
    total = sum(len(x) for x in lines) or 1
    seen = 0
    for i, line in enumerate(lines):
        if key(line) in TAIL_HEADINGS and seen >= _TAIL_FROM * total:
            return i
        seen += len(line)
    return len(lines)


def clean_lines(
    raw: list[str],
    title: str,
    captions: set[str],
    removed: list[tuple[str, str]] | None = None,
    dedupe: bool = True,
) -> list[str]:
    """Body lines without junk, repeats, the repeated title or the teaser tail; what goes and
    why is appended to ``removed`` when given.

    ``dedupe`` (Vietnamese pages): a line printed again is dropped, as portals print the sapo
    or a caption twice. Elsewhere repeated lines are mostly the story's own (recipe steps,
    table headers, Q&A prompts): measured on the public sets, dropping them lost more than it
    cleaned, so trafilatura's lines stay as they are.
    """
    out: list[str] = []
    seen: set[str] = set()
    title_key = key(title)
    dropped: list[tuple[str, str]] = []
    for text in raw:
        line = clean_line(text)
        k = key(line)
        if not line or (dedupe and k in seen) or (k == title_key and not out):
            continue
        if reason := _junk_reason(line, k, captions):
            dropped.append((line, reason))
            continue
        seen.add(k)
        out.append(line)
    cut = _cut_tail(out)
    dropped += [(x, "after a related/comment heading") for x in out[cut:]]
    if removed is not None:
        removed.extend((x[:120], why) for x, why in dropped)
    return [x for x in out[:cut] if key(x) not in TAIL_HEADINGS]


# A run of at least this many lines that are each a headline link is a list of other stories.
_LINK_RUN = 3
_BULLET = re.compile(r"^[-•*·]\s*")
# The date a dated teaser list prints before each headline, glued to it or not:
# "19-07-2026Nhóm quỹ ngoại ...", "(19/07) ...", "10:30 19/7/2026 - ...".
_DATE_STAMP = re.compile(
    r"^\(?(?:\d{1,2}[:h]\d{2}\s*,?\s*)?\d{1,2}[-/.]\d{1,2}(?:[-/.]\d{2,4})?\)?\s*[-–|:]?\s*"
)


def _headline_key(line: str) -> str:
    """The key of a list item's headline: without its bullet and a date printed before it."""
    return key(_DATE_STAMP.sub("", _BULLET.sub("", line), count=1))


def drop_link_lists(
    lines: list[str], headlines: Collection[str], removed: list[tuple[str, str]]
) -> list[str]:
    """``lines`` without runs of other stories' headlines ("- Giao dịch ... tháng 2/2026" three
    times or more in a row, dated or not): prose is never a run of whole link texts."""
    linked = [key(_BULLET.sub("", x)) in headlines or _headline_key(x) in headlines for x in lines]
    out: list[str] = []
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and linked[j]:
            j += 1
        if j - i >= _LINK_RUN:
            removed.extend((x[:120], "list of other stories") for x in lines[i:j])
            i = j
            continue
        out.append(lines[i])
        i += 1
    return out


# What English-language news pages print right after the story: newsletter and app prompts,
# "follow us", share prompts, "more like this" headings, copyright and contributor lines, a
# comment counter or moderation note, a bare address or handle, the agency credit. Matched on
# the last lines only.
_CLOSING = re.compile(
    r"\b(subscrib\w*|sign up|newsletters?|follow (?:us|him|her|them|\w+) on|click here"
    r"|share (?:it|this)|tell us what you think|you may also like|explore further|read more"
    r"|related (?:articles|stories|posts|coverage)|all rights reserved|copyright|contributed"
    r"(?: reporting| to this report)|additional reporting|reporting by|editing by|filed under"
    r"|popular on|see more photos)\b"
    r"|^\W*\d*\s*comments?\W*$|^©|©\s*\w+\s*$|^\S+@\S+\.\w+$|^https?://\S+$|^(?:twitter\.com|@)\S+$"
    # "Follow The Times Opinion section on Facebook", "Follow @handle", "Follow AP's full
    # coverage of ...", "Listen to X live", "Reach the reporters on Twitter at ...",
    # "SOURCE: News agencies", "we are moderating all comments ... spam".
    r"|\bfollow\b[^.]{0,60}\bon (?:facebook|twitter|instagram|youtube|linkedin)\b|^follow @\w+"
    r"|^follow\b.{0,60}\bcoverage\b|^listen (?:to|live)\b|^(?:write to|reach)\b.{0,80}(?:@|twitter)"
    r"|^\W*source\s*:|\bcomments?\b.{0,60}\b(?:moderat\w*|approved|spam)\b",
    re.I,
)
# Closing furniture is a line or two, never a paragraph of the story.
_CLOSING_CHARS = 250


def drop_closing_lines(lines: list[str], removed: list[tuple[str, str]]) -> list[str]:
    """``lines`` without the page furniture trafilatura lets through after the story's last
    paragraph (newsletter prompts, "Follow us on", copyright, "comments"): short lines of
    that kind at the very end, up to the first line of another kind."""
    end = len(lines)
    while end > 1 and len(lines[end - 1]) <= _CLOSING_CHARS and _CLOSING.search(lines[end - 1]):
        end -= 1
    removed.extend((x[:120], "closing page furniture") for x in lines[end:])
    return lines[:end]


# A link to another story set inside the text, announced by its label: "Related: ...",
# "Read more: ...", "Also on example.com ...", "Lesen Sie auch: ...", "Leia também: ...".
_CROSS_LINK = re.compile(
    r"^\W*(?:related|read more|read also|see also|also on|also|more|lesen sie auch|mehr zum thema"
    r"|siehe auch|lire aussi|leia também|leggi anche(?: su)?|lee también|ver también)\b\s*[:|-]?",
    re.I,
)
_CROSS_LINK_CHARS = 200


def drop_cross_links(lines: list[str], removed: list[tuple[str, str]]) -> list[str]:
    """``lines`` without the labelled links to other stories set between paragraphs."""
    out = []
    for line in lines:
        if len(line) <= _CROSS_LINK_CHARS and _CROSS_LINK.match(line) and ":" in line[:40]:
            removed.append((line[:120], "link to another story"))
        else:
            out.append(line)
    return out


# A line that is a headline has a few words; shorter link lines are names of things.
_STORY_LINK_WORDS = 4
# Where a headline may end inside a list item: after a word, or after its "?" or "!" before a
# space. Headlines are shorter than _HEADLINE_CHARS.
_WORD_END = re.compile(r"\b(?=\W)|(?=\s)")
_HEADLINE_CHARS = 250


def _story_link(line: str, headlines: Collection[str]) -> str | None:
    """The headline (link text key) ``line`` consists of: the whole line, or the start of a
    list item that goes on with the story's summary ("- Pats place X on IR New England's
    roster is re-shuffling"). None for a table row or a line of another kind."""
    if line.startswith("|"):
        return None
    k = key(line)
    if k in headlines:
        return k
    if not _BULLET.match(line):
        return None
    ends = (m.start() for m in _WORD_END.finditer(k, 0, _HEADLINE_CHARS))
    return next((k[:i] for i in ends if k[:i] in headlines), None)


def drop_story_links(
    lines: list[str],
    headlines: Collection[str],
    is_own: Callable[[str], bool],
    removed: list[tuple[str, str]],
) -> list[str]:
    """``lines`` without the links to other stories of the same publisher set in the text
    without a label: a line that is wholly such a link's text ("read this too" between
    paragraphs), or a list item starting with one. ``is_own`` tells a headline of the site's
    own from a link out (a product, a cited source), which belongs to the story."""
    if len(lines) < 2:
        return lines
    out = []
    for line in lines:
        head = _story_link(line, headlines)
        if head and len(head.split()) >= _STORY_LINK_WORDS and is_own(head):
            removed.append((line[:120], "link to another story of the site"))
        else:
            out.append(line)
    return out
