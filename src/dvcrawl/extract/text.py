"""Text helpers for extraction: decoding bytes sensibly, NFC lines, whitespace."""

from __future__ import annotations

import re

from dvcrawl.textnorm import nfc, normalize_for_compare

# <meta charset="windows-1258"> or content="text/html; charset=cp1258" in the first bytes.
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
# Signatures of files that are not HTML: PDF, ZIP/Office, PNG, GIF, JPEG, Word 97.
_BINARY_MAGIC = (b"%PDF", b"PK\x03\x04", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"\xd0\xcf\x11\xe0")
# Runs of whitespace (line breaks of the HTML source included), non-breaking and zero-width spaces.
_INLINE_WS = re.compile(r"[\s\u00a0\u200b\u2009\u202f\ufeff]+")


def looks_binary(data: bytes) -> bool:
    """True for PDFs, images, archives and other bytes that no browser would render as a page."""
    head = data[:2048].lstrip()
    if head.startswith(_BINARY_MAGIC):
        return True
    return b"\x00" in head


def decode_html(data: bytes) -> str:
    """Decode page bytes: UTF-8 if they are valid UTF-8, else the declared charset, else a guess.

    Vietnamese portals mislabel their encoding often (a cp1258 page saying utf-8, a utf-8 page
    saying windows-1252, or none at all). Legacy-encoded Vietnamese is practically never valid
    UTF-8, so a clean UTF-8 decode wins over any label; a label that fails is not trusted.
    """
    match = _META_CHARSET.search(data[:4096])
    candidates = ["utf-8"]
    if match:
        candidates.append(match.group(1).decode("ascii", "ignore").lower())
    for enc in candidates:
        try:
            return data.decode(enc)
        except (LookupError, UnicodeDecodeError):
            continue
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is not None:
            return str(best)
    except ImportError:  # pragma: no cover - charset_normalizer ships with trafilatura's deps
        pass
    return data.decode("cp1258", errors="replace")


def clean_line(line: str) -> str:
    """NFC, single spaces, trimmed: the form every body line is compared and stored in."""
    return _INLINE_WS.sub(" ", nfc(line)).strip()


def key(line: str) -> str:
    """Comparison key for a line: case, Unicode form, tone placement and spacing ignored."""
    return normalize_for_compare(line).strip(" .:;,-–|•*")
