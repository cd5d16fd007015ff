"""The sources file (TOML): load, validate, and say exactly what is wrong.

Only ``id``, ``name`` and ``start_urls`` are required (docs/contract.md). Every optional key is
listed in ``OPTIONAL_KEYS`` with its type; an unknown key or a wrong type is a ConfigError
naming the file, the source and the key, so nothing is crawled from a half-understood file.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from dvcrawl.errors import ConfigError
from dvcrawl.settings_table import duration

# A source id: lower-case letters, digits, "_" and "-" (it appears in file names and URLs),
# at most 64 characters: the database column's width and a sane file name.
_ID = re.compile(r"^[a-z0-9_-]{1,64}$")
# Lengths the database columns hold (models.Source); longer is a mistake, not a portal.
MAX_NAME, MAX_PROVINCE, MAX_URL, MAX_START_URLS = 300, 120, 2000, 100

REQUIRED_KEYS = ("id", "name", "start_urls")
OPTIONAL_KEYS: dict[str, type | tuple[type, ...]] = {
    "province": str,
    "interval": (str, int, float),  # "30m", "1h", or seconds
    "content_selector": str,  # CSS selector of the article body on odd portals
    "exclude_selectors": list,  # CSS selectors removed before extraction
    "article_url_pattern": str,  # regex: URLs that are articles
    "listing_url_pattern": str,  # regex: URLs that are listings worth following
    "deny_url_pattern": str,  # regex: URLs never to fetch
    "allowed_domains": list,  # extra hosts that belong to this source
    "max_pages": int,  # pages fetched per run, at most
    "max_depth": int,  # link depth from a start URL
    "profile": str,  # force a CMS family: "sharepoint", "dcs", "news"
    "enabled": bool,
    "timeout": (str, int, float),  # wall-clock limit of one crawl (scheduler)
}


# Intervals and timeouts: a second to a year (finite: `interval = inf` or `nan` is refused).
_DURATION = duration(1)


@dataclass(frozen=True)
class Source:
    """One portal to watch."""

    id: str
    name: str
    start_urls: tuple[str, ...]
    province: str | None = None
    interval: float | None = None  # seconds
    content_selector: str | None = None
    exclude_selectors: tuple[str, ...] = ()
    article_url_pattern: str | None = None
    listing_url_pattern: str | None = None
    deny_url_pattern: str | None = None
    allowed_domains: tuple[str, ...] = ()
    max_pages: int | None = None
    max_depth: int | None = None
    profile: str | None = None
    enabled: bool = True
    timeout: float | None = None
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def domains(self) -> tuple[str, ...]:
        """Hosts this source may crawl: those of its start URLs plus ``allowed_domains``."""
        hosts = {urlsplit(u).hostname or "" for u in self.start_urls}
        return tuple(sorted(h for h in hosts | set(self.allowed_domains) if h))


def _err(path: Path | str, where: str, key: str | None, msg: str) -> ConfigError:
    loc = f"{path}: {where}" + (f", key '{key}'" if key else "")
    return ConfigError(f"{loc}: {msg}")


def _check_url(path, where, url) -> str:
    if not isinstance(url, str):
        raise _err(path, where, "start_urls", f"expected a URL string, got {url!r}")
    if len(url) > MAX_URL:
        raise _err(path, where, "start_urls", f"URL longer than {MAX_URL} characters")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise _err(path, where, "start_urls", f"not an http(s) URL: {url!r}")
    return url


def _check_selector(path, where, key, value: str) -> None:
    from lxml.cssselect import CSSSelector, SelectorSyntaxError

    try:
        CSSSelector(value)
    except (SelectorSyntaxError, ValueError) as exc:
        raise _err(path, where, key, f"invalid CSS selector {value!r}: {exc}") from exc


def _check_regex(path, where, key, value) -> None:
    try:
        re.compile(value)
    except re.error as exc:
        raise _err(path, where, key, f"invalid regular expression {value!r}: {exc}") from exc


def _check_province(path, where, value: str) -> None:
    """An old (pre-2025) or current province name; feeds map it to today's province."""
    from dvcrawl.provinces import closest, is_known

    if value.strip() and not is_known(value):
        near = ", ".join(closest(value)) or "none close"
        raise _err(path, where, "province", f"unknown province {value!r} (closest: {near})")


def parse_source(raw: dict, path: Path | str, index: int) -> Source:
    """Validate one ``[[sources]]`` table."""
    where = f"source #{index + 1}"
    if not isinstance(raw, dict):
        raise _err(path, where, None, "each [[sources]] entry must be a table")
    if isinstance(raw.get("id"), str):
        where = f"source '{raw['id'][:80]}'"
    for key in REQUIRED_KEYS:
        if key not in raw:
            raise _err(path, where, key, "required key is missing")
    sid, name, urls = raw["id"], raw["name"], raw["start_urls"]
    if not isinstance(sid, str) or not _ID.match(sid):
        shown = repr(sid[:80]) + ("..." if len(sid) > 80 else "") if isinstance(sid, str) else sid
        raise _err(path, where, "id", f"must be 1-64 of [a-z0-9_-], got {shown}")
    if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME:
        raise _err(path, where, "name", f"must be a non-empty string of at most {MAX_NAME}")
    if not isinstance(urls, list) or not urls or len(urls) > MAX_START_URLS:
        raise _err(
            path,
            where,
            "start_urls",
            f"must be a non-empty list of URLs (at most {MAX_START_URLS})",
        )
    values: dict = {}
    for key, value in raw.items():
        if key in REQUIRED_KEYS:
            continue
        if key not in OPTIONAL_KEYS:
            known = ", ".join(sorted((*REQUIRED_KEYS, *OPTIONAL_KEYS)))
            raise _err(path, where, key, f"unknown key (known keys: {known})")
        expected = OPTIONAL_KEYS[key]
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise _err(path, where, key, f"wrong type {type(value).__name__}: {value!r}")
        values[key] = value
    if len(values.get("province") or "") > MAX_PROVINCE:
        raise _err(path, where, "province", f"longer than {MAX_PROVINCE} characters")
    for key in ("interval", "timeout"):
        if key in values:
            try:
                values[key] = _DURATION(values[key])
            except ValueError as exc:
                raise _err(path, where, key, str(exc)) from exc
    for key in ("exclude_selectors", "allowed_domains"):
        if key in values:
            if not all(isinstance(v, str) and v for v in values[key]):
                raise _err(path, where, key, "must be a list of non-empty strings")
            values[key] = tuple(values[key])
    for key in ("article_url_pattern", "listing_url_pattern", "deny_url_pattern"):
        if key in values:
            _check_regex(path, where, key, values[key])
    for selector in (values.get("content_selector"), *values.get("exclude_selectors", ())):
        if selector:
            key = (
                "content_selector"
                if selector == values.get("content_selector")
                else "exclude_selectors"
            )
            _check_selector(path, where, key, selector)
    if "profile" in values:
        from dvcrawl.profiles import BY_NAME

        if values["profile"] not in BY_NAME:
            known = ", ".join(sorted(BY_NAME))
            raise _err(
                path,
                where,
                "profile",
                f"unknown portal family {values['profile']!r} (known: {known})",
            )
    if "province" in values:
        _check_province(path, where, values["province"])
    for key in ("max_pages", "max_depth"):
        if key in values and values[key] < 0:
            raise _err(path, where, key, "must not be negative")
    return Source(
        id=sid,
        name=name.strip(),
        start_urls=tuple(_check_url(path, where, u) for u in urls),
        **values,
    )


def parse_sources(data: dict, path: Path | str = "<sources>") -> list[Source]:
    """Validate a parsed sources document: a ``sources`` array of tables with unique ids."""
    unknown = set(data) - {"sources"}
    if unknown:
        raise _err(path, "top level", sorted(unknown)[0], "unknown key (expected [[sources]])")
    raw_list = data.get("sources")
    if not isinstance(raw_list, list) or not raw_list:
        raise _err(path, "top level", "sources", "no [[sources]] entries found")
    sources: list[Source] = []
    seen: set[str] = set()
    for i, raw in enumerate(raw_list):
        source = parse_source(raw, path, i)
        if source.id in seen:
            raise _err(path, f"source '{source.id}'", "id", "duplicate id")
        seen.add(source.id)
        sources.append(source)
    return sources


def load_sources(path: Path | str) -> list[Source]:
    """Read and validate a sources file; ConfigError says which file, source and key."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read sources file: {exc.strerror or exc}") from exc
    try:
        # utf-8-sig: Windows editors start a UTF-8 file with a byte-order mark TOML forbids.
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: malformed TOML: {exc}") from exc
    except RecursionError:
        raise ConfigError(f"{path}: malformed TOML: arrays or tables nested too deeply") from None
    return parse_sources(data, path)


def select_sources(sources: list[Source], ids: list[str] | None) -> list[Source]:
    """The named sources in file order, or all enabled ones; ConfigError on an unknown id."""
    if not ids:
        return [s for s in sources if s.enabled]
    known = {s.id for s in sources}
    missing = [i for i in ids if i not in known]
    if missing:
        raise ConfigError(
            f"unknown source id(s): {', '.join(missing)} (known: {', '.join(sorted(known))})"
        )
    return [s for s in sources if s.id in ids]
