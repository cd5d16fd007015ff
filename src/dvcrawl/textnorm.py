"""Shared Vietnamese text normalisation: one place for NFC, tone-mark placement and folding.

Vietnamese pages mix composed and decomposed Unicode ("Unicode tổ hợp") and two valid tone-mark
placements ("hoà"/"hòa", "thuỷ"/"thủy", "uỷ"/"ủy"). Comparison, dedupe and search all need one
canonical form, while the text shown to people stays as printed (only NFC-composed).
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "canonical_tone",
    "fold",
    "nfc",
    "normalize_for_compare",
    "slug",
    "strip_invisible",
    "strip_unshowable",
]

# Combining tone marks (sắc, huyền, hỏi, ngã, nặng) in decomposed form.
_TONES = "\u0301\u0300\u0309\u0303\u0323"
# Old and new tone placement on the glides "oa", "oe", "uy" with no final consonant: "hoà"/"hòa",
# "khoẻ"/"khỏe", "thuỷ"/"thủy". dvcrawl's canonical form puts the tone on the first vowel (the
# brief: "hoà"→"hòa", "uỷ"→"ủy"). Matched in NFD: o+a/e or u+y, then a tone, then no letter; not
# after "q" ("quà", "quý" keep their tone: there "u" belongs to the consonant).
_NEW_TONE = re.compile(
    rf"(?<![qQ])([oO][aAeE]|[uU][yY])([{_TONES}])(?![a-zA-Z\u0300-\u036f])",
)
# Invisible characters that break words and search when left in text: soft hyphen, zero-width
# space, word joiner and invisible operators, BOM, left-to-right/right-to-left marks and the bidi
# embedding/isolate controls. (ZWJ/ZWNJ stay: they shape emoji and some scripts.)
_INVISIBLE = re.compile("[\u00ad\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# What no reader should get from a crawled page, a staff edit or a query, besides the
# invisible characters above: NUL (PostgreSQL refuses it in text) and the other C0/C1 controls
# except tab and newline.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Runs of whitespace, including non-breaking and zero-width spaces common on portals.
_WS = re.compile(r"[\s\u00a0\u200b\ufeff]+")


def strip_unshowable(s: str) -> str:
    """``s`` as a person may be shown it: no invisible, bidi or control characters (the
    desk's output and what staff type; "Trojan Source" reordering included)."""
    return _CONTROLS.sub("", strip_invisible(s))


def nfc(s: str) -> str:
    """Compose ``s`` to Unicode NFC (pages typed in decomposed form are common)."""
    return unicodedata.normalize("NFC", s)


def strip_invisible(s: str) -> str:
    """``s`` without soft hyphens, zero-width and bidi control characters: invisible, they
    still split words for search, dedupe and comparison."""
    return _INVISIBLE.sub("", s)


def _composed_moves() -> dict[str, str]:
    """NFC "oà", "uỷ", ... -> "òa", "ủy": what ``_NEW_TONE`` does, as composed pairs."""
    moves = {}
    for first, seconds in (("oO", "aAeE"), ("uU", "yY")):
        for a in first:
            for b in seconds:
                for tone in _TONES:
                    moves[nfc(a + b + tone)] = nfc(a + tone) + b
    return moves


_MOVES = _composed_moves()
# The same candidates in composed text ("oà", "uỷ": each a character class, which ``re`` scans
# for quickly); the "q" before and the letter after are checked on the match.
_NEW_TONE_NFC = re.compile(
    "|".join(
        f"[{first}][{''.join(sorted({pair[1] for pair in _MOVES if pair[0] in first}))}]"
        for first in ("oO", "uU")
    )
)


def _move_composed(m: re.Match) -> str:
    """``_NEW_TONE``'s rule on a composed candidate: not after "q", no letter or mark after."""
    text, start, end = m.string, m.start(), m.end()
    after = unicodedata.normalize("NFD", text[end : end + 1])[:1]
    if (start and text[start - 1] in "qQ") or (
        after and (after.isascii() and after.isalpha() or "\u0300" <= after <= "\u036f")
    ):
        return m[0]
    return _MOVES[m[0]]


def canonical_tone(s: str) -> str:
    """Put the tone of "oa", "oe", "uy" on the first vowel: "hoà"→"hòa", "thuỷ"→"thủy", "uỷ"→"ủy".

    Only the tone moves; the rest of the text is returned NFC-composed. Text already NFC (what
    extraction gives) is rewritten in place: decomposing and recomposing a whole article body
    was a quarter of the relevance scorer's and the fingerprint's time in the workers.
    """
    if s.isascii():  # no tone to move, nothing to compose: most lines of pages elsewhere
        return s
    if unicodedata.is_normalized("NFC", s):
        return _NEW_TONE_NFC.sub(_move_composed, s)
    decomposed = unicodedata.normalize("NFD", s)
    if _NEW_TONE.search(decomposed) is None:  # NFC(NFD(s)) is NFC(s): no recomposing then
        return nfc(s)
    return nfc(_NEW_TONE.sub(lambda m: m[1][0] + m[2] + m[1][1], decomposed))


def fold(s: str) -> str:
    """Lowercase and strip every diacritic, with đ→d: "Đảng Ủy" → "dang uy"."""
    decomposed = unicodedata.normalize("NFD", s.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("đ", "d")


def normalize_for_compare(s: str) -> str:
    """NFC, casefold, canonical tone marks, collapsed whitespace: equal text compares equal."""
    s = canonical_tone(s.casefold())
    if "\u200b" in s or "\ufeff" in s:
        return _WS.sub(" ", s).strip()
    # Without those two, _WS is what str.split splits on (the regex \s is str.isspace on
    # every code point, no-break space included): split and join is 2-3x faster.
    return " ".join(s.split())


# Runs of anything but ASCII letters and digits ("Bà Rịa - Vũng Tàu" → one hyphen each).
_UNSAFE_SLUG = re.compile(r"[^A-Za-z0-9]+")


def slug(value: str) -> str:
    """ASCII file-name slug: "Hà Tĩnh" → "ha-tinh" (diacritics folded, đ → d)."""
    return _UNSAFE_SLUG.sub("-", fold(value)).strip("-").lower() or "x"
