"""Serve the built feed files at ``/feeds/`` cheaply for readers that poll often.

Readers poll every few minutes, so each answer carries validators (a strong ETag from the file's
size and mtime, Last-Modified) and a conditional request gets a bodiless 304. The builder never
rewrites an unchanged feed, so the validators stay until the content really changes. Gzip is done
here (with its own ETag variant and ``Vary: Accept-Encoding``); an app-wide GZipMiddleware leaves
a response that already has Content-Encoding alone.
"""

from __future__ import annotations

import gzip
import html
import os
import re
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from functools import lru_cache
from pathlib import Path
from xml.etree import ElementTree

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

router = APIRouter()

# File suffix → Content-Type; anything else in the directory is not served.
CONTENT_TYPES = {
    ".rss": "application/rss+xml; charset=utf-8",
    ".atom": "application/atom+xml; charset=utf-8",
    ".json": "application/feed+json; charset=utf-8",
    ".opml": "text/x-opml; charset=utf-8",
}
# A feed file name: "all.rss", "source-hatinh.atom", "province-ha-tinh.json". No slashes, no
# leading dot (temporary files of the atomic writer start with one), so no path can escape.
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*$")
# Longer than any name the builder writes ("source-" + a 64-character id + ".atom"), and short
# enough that no file system refuses it.
NAME_MAX = 160
# An old province's feed name: "province-ben-tre.rss" → ("ben-tre", ".rss").
_PROVINCE = re.compile(r"^province-([a-z0-9-]+)(\.(?:rss|atom|json))$")
# Smaller bodies gain nothing from gzip (headers cost more than the saving).
GZIP_MIN_BYTES = 512
# Readers may reuse a copy for a minute, then must revalidate (cheap: a 304).
CACHE_CONTROL = "public, max-age=60"
OPML_NAME = "feeds.opml"
_GZIP_TAG = "-gzip"
# Formats shown on the index page, in this order.
_FORMAT_LABELS = {".rss": "RSS", ".atom": "Atom", ".json": "JSON Feed"}


def feed_file(feeds_dir: Path, name: str) -> Path:
    """The file ``name`` inside ``feeds_dir``, or 404 for anything else (traversal included)."""
    if len(name) > NAME_MAX or not _NAME.match(name) or Path(name).suffix not in CONTENT_TYPES:
        raise HTTPException(status_code=404, detail="no such feed")
    try:
        root = feeds_dir.resolve()
        path = (root / name).resolve()
        found = path.parent == root and path.is_file()
    except OSError:  # a name the file system refuses (too long, bad bytes) is no feed either
        found = False
    if not found:
        raise HTTPException(status_code=404, detail="no such feed")
    return path


def renamed_province(feeds_dir: Path, name: str) -> str | None:
    """The current-province file an old province's feed name now lives in, if it exists.

    Since 2025 "province-ben-tre.rss" is part of "province-vinh-long.rss": subscribers of the
    old URL are redirected instead of losing their feed.
    """
    match = _PROVINCE.match(name)
    if not match:
        return None
    from dvcrawl.provinces import alias_slugs

    target = alias_slugs().get(match.group(1))
    if target is None:
        return None
    new_name = f"province-{target}{match.group(2)}"
    return new_name if (feeds_dir / new_name).is_file() else None


def _etag(st: os.stat_result, zipped: bool) -> str:
    """Strong ETag of one file version; the gzip body is another representation, another tag."""
    return f'"{st.st_size:x}-{st.st_mtime_ns:x}{_GZIP_TAG if zipped else ""}"'


def _wants_gzip(accept_encoding: str) -> bool:
    """True when the client lists gzip without ``q=0``."""
    for part in accept_encoding.lower().split(","):
        token, _, params = part.strip().partition(";")
        if token.strip() in ("gzip", "*"):
            return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def _not_modified(request: Request, etag: str, mtime: float) -> bool:
    """RFC 9110: If-None-Match wins over If-Modified-Since; weak comparison for GET."""
    inm = request.headers.get("if-none-match")
    if inm is not None:
        if inm.strip() == "*":
            return True
        # Either representation of the same file version matches (weak comparison).
        base = etag.strip('"').removesuffix(_GZIP_TAG)
        tags = {t.strip().removeprefix("W/").strip('"') for t in inm.split(",")}
        return base in tags or base + _GZIP_TAG in tags
    ims = request.headers.get("if-modified-since")
    if ims:
        try:
            since = parsedate_to_datetime(ims)
        except (TypeError, ValueError):
            return False
        if since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
        return int(mtime) <= since.timestamp()
    return False


@lru_cache(maxsize=64)
def _gzipped(path: str, _size: int, _mtime_ns: int) -> bytes:
    """Compressed body, cached per file version (size and mtime are part of the key)."""
    return gzip.compress(Path(path).read_bytes(), compresslevel=6, mtime=0)


def _feeds_dir(request: Request) -> Path:
    feeds_dir = getattr(request.app.state, "feeds_dir", None)
    if feeds_dir is None:
        raise HTTPException(status_code=404, detail="no feeds directory configured")
    return Path(feeds_dir)


@router.get("/feeds/{name}")
@router.head("/feeds/{name}", operation_id="head_feed")  # its own id in the OpenAPI schema
def get_feed(name: str, request: Request) -> Response:
    """One feed file with validators, 304 on a conditional hit, gzip when accepted."""
    feeds_dir = _feeds_dir(request)
    try:
        path = feed_file(feeds_dir, name)
    except HTTPException:
        moved = renamed_province(feeds_dir, name) if len(name) <= NAME_MAX else None
        if moved is None:
            raise
        return RedirectResponse(moved, status_code=301)  # relative: same /feeds/ directory
    st = path.stat()
    zipped = st.st_size >= GZIP_MIN_BYTES and _wants_gzip(
        request.headers.get("accept-encoding", "")
    )
    etag = _etag(st, zipped)
    headers = {
        "ETag": etag,
        "Last-Modified": format_datetime(datetime.fromtimestamp(st.st_mtime, UTC), usegmt=True),
        "Cache-Control": CACHE_CONTROL,
        "Vary": "Accept-Encoding",
    }
    if _not_modified(request, etag, st.st_mtime):
        return Response(status_code=304, headers=headers)
    if zipped:
        body = _gzipped(str(path), st.st_size, st.st_mtime_ns)
        headers["Content-Encoding"] = "gzip"
    else:
        body = path.read_bytes()
    media_type = CONTENT_TYPES[path.suffix]
    if request.method == "HEAD":
        headers["Content-Length"] = str(len(body))
        return Response(status_code=200, headers=headers, media_type=media_type)
    return Response(content=body, headers=headers, media_type=media_type)


def _opml_titles(feeds_dir: Path) -> dict[str, str]:
    """Feed stem → title, read from the OPML the builder writes (empty when missing or bad)."""
    try:
        tree = ElementTree.parse(feeds_dir / OPML_NAME)
    except (OSError, ElementTree.ParseError):
        return {}
    titles = {}
    for outline in tree.iter("outline"):
        url = outline.get("xmlUrl")
        if url:
            titles[Path(url.rsplit("/", 1)[-1]).stem] = outline.get("title") or outline.get("text")
    return titles


def _index_rows(feeds_dir: Path) -> list[tuple[str, str, list[str]]]:
    """(stem, title, [file names]) per feed, "all" first, then by name."""
    files: dict[str, list[str]] = {}
    if feeds_dir.is_dir():
        for entry in sorted(os.scandir(feeds_dir), key=lambda e: e.name):
            suffix = Path(entry.name).suffix
            if entry.is_file() and _NAME.match(entry.name) and suffix in _FORMAT_LABELS:
                files.setdefault(Path(entry.name).stem, []).append(entry.name)
    titles = _opml_titles(feeds_dir)
    order = sorted(files, key=lambda s: (s != "all", not s.startswith("source-"), s))
    formats = list(_FORMAT_LABELS)
    return [
        (
            stem,
            titles.get(stem) or stem,
            sorted(files[stem], key=lambda n: formats.index(Path(n).suffix)),
        )
        for stem in order
    ]


@router.get("/feeds/", response_class=HTMLResponse)
def feeds_index(request: Request) -> HTMLResponse:
    """A plain page listing every feed with links to each format and the OPML file."""
    feeds_dir = _feeds_dir(request)
    items = []
    for _stem, title, names in _index_rows(feeds_dir):
        links = " · ".join(
            f'<a href="{html.escape(n)}">{_FORMAT_LABELS[Path(n).suffix]}</a>' for n in names
        )
        items.append(f"<li>{html.escape(title)}: {links}</li>")
    opml = ""
    if (feeds_dir / OPML_NAME).is_file():
        opml = f'<p><a href="{OPML_NAME}">Tải OPML (đăng ký tất cả các nguồn tin)</a></p>'
    body = (
        '<!doctype html><html lang="vi"><head><meta charset="utf-8">'
        "<title>Nguồn tin công tác dân vận</title></head><body>"
        f"<h1>Nguồn tin công tác dân vận</h1>{opml}"
        f"<ul>{''.join(items) or '<li>Chưa có nguồn tin nào.</li>'}</ul></body></html>"
    )
    return HTMLResponse(body)
