"""``dvcrawl inspect URL_OR_FILE``: what extraction makes of one page, and why.

Operators run it when a portal's output looks wrong: it prints every field beside the rule or
profile that decided it and what was removed, and with ``--golden DIR`` saves the page
(gzipped) with a draft of its expectations for a person to check (the golden tests read them).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from dvcrawl.errors import DvcrawlError
from dvcrawl.settings import DOWNLOAD_MAXSIZE, DOWNLOAD_TIMEOUT, USER_AGENT

if TYPE_CHECKING:
    from dvcrawl.extract import ExtractedArticle

# "http://…" or "https://…": anything else with "://" is a URL we refuse, not a file name.
_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
# A possible sentence end: ".", "!", "?" or "…" and a space; a sentence starts with a capital
# or a digit (after an opening quote or bracket), so "TP. hồ" is not cut.
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")
_OPENERS = "\"“'(["
_SLUG = re.compile(r"[^a-z0-9]+")


def fetch(
    url: str, timeout: float = DOWNLOAD_TIMEOUT, cap: int = DOWNLOAD_MAXSIZE
) -> tuple[bytes, str | None]:
    """(the page's bytes, its Content-Type header); DvcrawlError naming the URL on failure."""
    import urllib.error
    import urllib.request  # loads ssl and http.client: only when a URL is fetched

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DvcrawlError(f"not an http(s) URL: {url}")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read(cap + 1)
            content_type = response.headers.get("Content-Type")
    except urllib.error.HTTPError as exc:
        raise DvcrawlError(f"fetch failed: {url}: HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise DvcrawlError(f"fetch failed: {url}: {reason}") from None
    if len(data) > cap:
        raise DvcrawlError(f"fetch failed: {url}: larger than {cap // (1024 * 1024)} MB")
    return data, content_type


def read_file(path: Path) -> bytes:
    """A saved page's bytes, gunzipped when the name ends in ``.gz``."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DvcrawlError(f"no such file: {path}") from None
    except OSError as exc:
        raise DvcrawlError(f"cannot read {path}: {exc.strerror}") from None
    if path.suffix == ".gz":
        try:
            return gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise DvcrawlError(f"{path}: not a readable gzip file ({exc})") from None
    return data


def load_page(target: str, url: str | None) -> tuple[bytes, str, str | None]:
    """(bytes, the URL the page is read as, the HTTP Content-Type) for a URL or a saved file;
    the header matters: a page without a charset in its markup is decoded by it."""
    if _URL.match(target):
        data, content_type = fetch(target)
        return data, url or target, content_type
    path = Path(target)
    return read_file(path), url or path.resolve().as_uri(), None


def sentences(paragraph: str) -> list[str]:
    """The paragraph's sentences, for drafting its first and last one."""
    out: list[str] = []
    for piece in _SENTENCE_END.split(paragraph.strip()):
        head = piece.lstrip(_OPENERS)[:1]
        if out and not (head.isupper() or head.isdigit()):
            out[-1] += " " + piece
        elif piece:
            out.append(piece)
    return out


def report(art: ExtractedArticle) -> dict:
    """Every field, the rule or profile that decided each, and what was removed."""
    decisions = dict(getattr(art, "decisions", None) or {})
    decisions.setdefault("published", art.date_method or "none")
    decisions.setdefault("profile", art.family or "generic (no CMS family recognised)")
    data = art.as_dict()
    data["lead"] = getattr(art, "lead", None)
    data["decisions"] = decisions
    data["removed"] = [list(item) for item in getattr(art, "removed", None) or []]
    return data


def draft_expectations(art: ExtractedArticle, source: str) -> dict:
    """The golden record as extraction reads the page today: a draft for a person to correct."""
    from dvcrawl.relevance import score_article

    paragraphs = [x for x in art.text.splitlines() if x.strip()]
    lead = getattr(art, "lead", None)
    body = paragraphs[1:] if lead and paragraphs and paragraphs[0] == lead else paragraphs
    draft = {
        "url": art.url,
        "provenance": {"source": source, "saved": datetime.now(UTC).strftime("%Y-%m-%d")},
        "checked": False,  # set to true once every field was read against the page
        # A page rejected for another reason (empty, error) is drafted as the article it
        # should have been; the person checking decides.
        "kind": "listing" if art.reject_reason == "listing" else "article",
        "title": art.title,
        "published": art.published,
        "author": art.author,
        "credit": art.credit,
        "lead": lead,
        "first": sentences(body[0])[0] if body else None,
        "last": sentences(body[-1])[-1] if body else None,
        "junk": [],
        "text": art.text,
        "relevant": score_article(art.title, art.text).relevant,
    }
    if art.published:
        draft["datetime" if "T" in art.published else "date"] = art.published
    return draft


def save_golden(directory: Path, name: str, html: bytes, draft: dict, force: bool) -> Path:
    """Write ``<name>.html.gz`` and ``<name>.json``; a checked JSON is never overwritten."""
    expected = directory / f"{name}.json"
    if expected.exists() and not force:
        raise DvcrawlError(f"{expected} exists (checked by hand?); pass --force to replace it")
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f"{name}.html.gz").write_bytes(gzip.compress(html, mtime=0))
    expected.write_text(json.dumps(draft, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return expected


def default_name(target: str) -> str:
    """A file name from the saved file's name or the URL's last path segment, as a slug:
    ``saved/tin-moi.html.gz`` → ``tin-moi``, ``https://x.vn/a/tin-moi-123.html`` → ``tin-moi-123``."""
    path = urlsplit(target).path if _URL.match(target) else target
    last = path.rstrip("/").rsplit("/", 1)[-1].removesuffix(".gz")
    return _SLUG.sub("-", last.rsplit(".", 1)[0].lower()).strip("-")[:80] or "page"


# (label, field) shown one per line, in the order a reader meets them on the page.
_SHOWN = (
    ("title", "title"),
    ("published", "published"),
    ("author", "author"),
    ("credit", "credit"),
    ("lead", "lead"),
    ("canonical", "canonical_url"),
)


def _one_line(value: object, width: int | None = None) -> str:
    text = " ".join(str(value).split())
    return text if width is None or len(text) <= width else text[: width - 1] + "…"


def render(data: dict) -> str:
    """The report for a person: fields with their deciding rule, removals, then the text."""
    decisions = data["decisions"]
    verdict = "article" if data["is_article"] else f"not an article: {data['reject_reason']}"
    lines = [f"url        {data['url']}", f"verdict    {verdict}"]
    lines.append(f"profile    {decisions['profile']}")
    for label, field in _SHOWN:
        value = data.get(field)
        shown = "-" if value in (None, "") else _one_line(value)
        if field == "published" and data.get("date_doubtful"):
            shown += "  (doubtful: staff should check)"
        rule = decisions.get(field)
        lines.append(f"{label:<10} {shown}" + (f"   [{rule}]" if rule else ""))
    removed = data["removed"]
    lines.append(f"removed    {len(removed)} item(s)")
    lines += [f"  - {reason}: {_one_line(snippet, 90)}" for snippet, reason in removed]
    paragraphs = [x for x in data["text"].splitlines() if x.strip()]
    body_rule = decisions.get("body") or decisions.get("text")
    lines.append(
        f"text       {len(data['text'])} characters, {len(paragraphs)} paragraph(s)"
        + (f"   [{body_rule}]" if body_rule else "")
    )
    lines += [f"  {p}" for p in paragraphs]
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    from dvcrawl.extract import extract_article  # trafilatura: not for --help

    html, url, content_type = load_page(args.target, args.url)
    art = extract_article(html, url, content_type=content_type)
    if args.golden:
        draft = draft_expectations(art, args.target)
        name = args.name or default_name(args.target)
        saved = save_golden(Path(args.golden), name, html, draft, args.force)
        print(
            f"dvcrawl inspect: wrote {saved}: check every field against the page", file=sys.stderr
        )
    data = report(art)
    if args.json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(render(data))
    return 0


def register(sub) -> None:
    p = sub.add_parser(
        "inspect",
        help="show what extraction makes of one page and why",
        description="Extract one page (a URL, or a saved .html/.html.gz file) and show each "
        "field with the rule or profile that decided it and what was removed.",
    )
    p.add_argument("target", metavar="URL_OR_FILE", help="an http(s) URL or a saved page")
    p.add_argument("--url", help="the URL a saved file was fetched from (for its links)")
    p.add_argument("--json", action="store_true", help="print one JSON object instead")
    p.add_argument(
        "--golden",
        metavar="DIR",
        help="save the page gzipped as DIR/NAME.html.gz with a draft DIR/NAME.json to check",
    )
    p.add_argument("--name", help="file name for --golden (default: from the URL)")
    p.add_argument("--force", action="store_true", help="with --golden, replace NAME.json")
    p.set_defaults(func=run)
