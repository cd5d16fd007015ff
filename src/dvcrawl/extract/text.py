"""Text helpers for extraction: decoding bytes sensibly, NFC lines, whitespace."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from dvcrawl.textnorm import nfc, normalize_for_compare, strip_invisible

# <meta charset="windows-1258"> or content="text/html; charset=cp1258" in the first bytes.
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
# Signatures of files that are not HTML: PDF, ZIP/Office, PNG, GIF, JPEG, Word 97.
_BINARY_MAGIC = (b"%PDF", b"PK\x03\x04", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"\xd0\xcf\x11\xe0")
# charset=... in an HTTP Content-Type header.
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-:.]+)", re.I)
# A page is "UTF-8 but for a few bad bytes" when at most this many of its non-ASCII characters
# (or 3, on short pages) fail to decode; a legacy-encoded page fails on nearly all of them.
_BAD_UTF8_SHARE = 0.02
_BAD_UTF8_FEW = 3
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def looks_binary(data: bytes) -> bool:
    """True for PDFs, images, archives and other bytes that no browser would render as a page."""
    head = data[:2048].lstrip()
    if head.startswith(_BINARY_MAGIC):
        return True
    return b"\x00" in head


def header_charset(content_type: str | bytes | None) -> str | None:
    """The charset named by an HTTP Content-Type header value, if any."""
    if isinstance(content_type, bytes):
        content_type = content_type.decode("latin-1")
    m = _HEADER_CHARSET.search(content_type or "")
    return m.group(1).lower() if m else None


def _mostly_utf8(data: bytes) -> str | None:
    """The UTF-8 reading of ``data`` with its few bad bytes replaced, if only a few are bad."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))  # not a Python loop per char
    return text if bad <= max(_BAD_UTF8_FEW, _BAD_UTF8_SHARE * non_ascii) else None


def decode_html(data: bytes, http_charset: str | None = None) -> str:
    """Decode page bytes: a BOM, else UTF-8 (even with a few bad bytes), else the HTTP charset,
    else the declared one, else a guess.

    Vietnamese portals mislabel their encoding often (a cp1258 page saying utf-8, a utf-8 page
    saying windows-1252, or none at all). Legacy-encoded Vietnamese is practically never valid
    UTF-8, so a UTF-8 reading that fails on only a few bytes wins over any label; a label that
    fails is not trusted.
    """
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(enc, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if (text := _mostly_utf8(data)) is not None:
        return text
    match = _META_CHARSET.search(data[:4096])
    candidates = [http_charset] if http_charset else []
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


def text_content(el: HtmlElement) -> str:
    """``el.text_content()``, read from ``el.text`` when ``el`` has no child node at all: the
    same string without an XPath evaluation per element (the rules read every link's text)."""
    return el.text_content() if len(el) else (el.text or "")


# Letters only Vietnamese uses among Latin scripts (ă, ơ, ư, đ and the tone-marked vowels).
_VIETNAMESE = re.compile("[ăơưđĂƠƯĐ\u1ea0-\u1ef9]")


def looks_vietnamese(tree: HtmlElement, url: str, title: str) -> bool:
    """A Vietnamese page: lang="vi", a .vn host, or Vietnamese letters in its title.

    Vietnamese pages write dates day first, so only on them is "12/10/2020" the 12th of October.
    """
    if (tree.get("lang") or "").lower().startswith("vi"):
        return True
    host = (urlsplit(url).hostname or "").lower()
    return host.endswith(".vn") or bool(_VIETNAMESE.search(title))


def clean_line(line: str) -> str:
    """NFC, single spaces, trimmed: the form every body line is compared and stored in.

    Whitespace is what ``str.split`` splits on: line breaks, tabs, no-break, thin and other
    Unicode spaces (the very set the regex ``\\s`` matches, checked on every code point);
    zero-width spaces and BOMs are gone before, with the other invisible characters. Split and
    join is several times faster than a regex substitution."""
    return " ".join(strip_invisible(nfc(line)).split())


@lru_cache(maxsize=4096)
def key(line: str) -> str:
    """Comparison key for a line: case, Unicode form, tone placement and spacing ignored.

    Cached: a page's lines are keyed again by every rule that compares them (repeats, title,
    captions, the teaser tail, link lists, the lead), and tone normalisation is not cheap."""
    return normalize_for_compare(line).strip(" .:;,-–|•*")
