"""Canonical URLs: one spelling per article, so each story is stored and fetched once.

Pure functions, no Scrapy. The rules (the Miniflux "URL hygiene" model):

- only ``http`` and ``https`` are usable; ``javascript:``, ``mailto:``, ``tel:``, ``data:`` and
  malformed URLs give ``None`` (never an exception);
- relative links are resolved against ``base``; a relative link with no usable base gives None;
- scheme and host lower-cased, host IDNA-encoded (``Đắk-Lắk.vn`` -> ``xn--...``), trailing dot
  and user-info dropped, default ports (80, 443) dropped;
- fragments dropped (``#comments`` is the same page);
- tracking parameters dropped (:data:`TRACKING_PARAMS`, any ``utm_*``); the rest keep their
  values and are sorted by name, stably (repeated names keep their order);
- percent-encoding normalised: escapes of unreserved characters decoded, non-ASCII text
  (Vietnamese slugs) written as NFC UTF-8 escapes with uppercase hex, so ``/tin-tức/``,
  ``/tin-t%e1%bb%a9c/`` and a slug typed in decomposed Unicode all give one spelling;
  escapes of reserved characters (``%2F``, ``%3F``...) are kept, uppercased, because decoding
  them would change the meaning of the URL;
- ``.`` and ``..`` path segments resolved, an empty path becomes ``/``;
- **trailing slash**: stripped from every non-root path, so ``https://x/a/`` and ``https://x/a``
  map to one stored row. Portals serve both spellings of an article the same (or redirect one to
  the other); a directory-looking rule could not tell which spelling a bare ``/a`` stands for.
  The fetch of a stripped URL that the server redirects back to ``/a/`` just follows the redirect.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

import idna

log = logging.getLogger(__name__)

#: Query parameters that only say how a visitor arrived; they never select content.
#: Sources: Google/Facebook/Microsoft ads, Zalo's share links (zarsrc, gidzl) seen on Vietnamese
#: portals, HubSpot, Mailchimp, Instagram, Twitter share links.
TRACKING_PARAMS: frozenset[str] = frozenset(
    {
        "fbclid",  # Facebook
        "gclid",  # Google Ads
        "dclid",  # Google Display
        "gbraid",  # Google Ads (iOS)
        "wbraid",  # Google Ads (iOS)
        "msclkid",  # Microsoft Ads
        "yclid",  # Yandex
        "zarsrc",  # Zalo share
        "gidzl",  # Zalo share
        "_hsenc",  # HubSpot
        "_hsmi",  # HubSpot
        "mc_cid",  # Mailchimp
        "mc_eid",  # Mailchimp
        "igshid",  # Instagram
        "ref_src",  # Twitter
        "ref_url",  # Twitter
        "_ga",  # Google Analytics cross-domain
        "_gl",  # Google Analytics cross-domain
        "mkt_tok",  # Marketo
        "spm",  # Alibaba/UC browser shares
    }
)
#: Any parameter with one of these prefixes is tracking too (utm_source, utm_medium, ...).
TRACKING_PREFIXES: tuple[str, ...] = ("utm_",)

_USABLE_SCHEMES = frozenset({"http", "https"})
_DEFAULT_PORTS = {"http": 80, "https": 443}
# RFC 3986 unreserved characters: their escapes mean the same as the character itself.
_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
# Characters left literal when re-quoting: unreserved + sub-delims + ":@" (+ "/" in paths).
_PATH_SAFE = "/!$&'()*+,;=:@~"
_QUERY_PART_SAFE = "!$'()*+,;:@/?~"  # not "&" or "=": they separate the parameters
# A percent escape ("%e1") or any single character; the escape wins when both could match.
_PCT_OR_CHAR = re.compile(r"%([0-9A-Fa-f]{2})|(.)", re.DOTALL)
# Control characters and spaces inside a URL make it unusable (copy-paste debris).
_BAD_CHARS = re.compile(r"[\x00-\x1f\x7f]")


def _flush(raw: bytearray, out: list[str], safe: str) -> None:
    """Append ``raw`` bytes quoted; valid UTF-8 is NFC-normalised first (Unicode tổ hợp slugs)."""
    if not raw:
        return
    try:
        data = unicodedata.normalize("NFC", raw.decode("utf-8")).encode("utf-8")
    except UnicodeDecodeError:
        data = bytes(raw)
    out.append(quote(data, safe=safe))
    raw.clear()


@functools.cache
def _already_normal(safe: str) -> re.Pattern[str]:
    """Text that quoting leaves as it is: unreserved ASCII and ``safe``, no escape, no space."""
    return re.compile("[A-Za-z0-9_.~" + re.escape(safe + "-") + "]*")


def normalize_component(text: str, safe: str = _PATH_SAFE) -> str:
    """One spelling for a path or query part: see the module docstring for the rules."""
    if _already_normal(safe).fullmatch(text):
        return text  # most paths and parameters: no character-by-character pass
    out: list[str] = []
    raw = bytearray()
    for match in _PCT_OR_CHAR.finditer(text):
        escape, char = match.groups()
        if char is not None:
            raw.extend(char.encode("utf-8"))
            continue
        byte = int(escape, 16)
        if byte >= 0x80 or byte in _UNRESERVED:
            raw.append(byte)
        else:
            _flush(raw, out, safe)
            out.append("%" + escape.upper())  # reserved: decoding would change the meaning
    _flush(raw, out, safe)
    return "".join(out)


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 5.2.4: ``/a/./b/../c`` -> ``/a/c``."""
    segments: list[str] = []
    parts = path.split("/")
    for seg in parts[1:]:
        if seg == "..":
            if segments:
                segments.pop()
        elif seg != ".":
            segments.append(seg)
    if parts[-1] in (".", ".."):
        segments.append("")
    return "/" + "/".join(segments)


def _canonical_path(path: str) -> str:
    path = _remove_dot_segments(normalize_component(path or "/"))
    if len(path) > 1:
        path = path.rstrip("/") or "/"  # module docstring: one row for /a and /a/
    return path


def is_tracking_param(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def _canonical_query(query: str) -> str:
    pairs: list[tuple[str, str]] = []
    for part in query.split("&"):
        if not part:
            continue
        name, sep, value = part.partition("=")
        name = normalize_component(name, _QUERY_PART_SAFE)
        if is_tracking_param(name):
            continue
        pairs.append((name, sep + normalize_component(value, _QUERY_PART_SAFE)))
    pairs.sort(key=lambda pair: pair[0])  # sort is stable: repeated names keep their order
    return "&".join(name + rest for name, rest in pairs)


def _canonical_host(hostname: str) -> str | None:
    host = hostname.rstrip(".").lower()
    if not host:
        return None
    if host.startswith("[") or host.replace(".", "").isdigit() or ":" in host:
        return host  # IP literal
    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except idna.IDNAError:
        # Underscores and other non-IDNA but ASCII hosts still appear on intranet portals.
        return host if host.isascii() and " " not in host else None


def _netloc(parts) -> str | None:
    """Lower-case, IDNA host with the port only when it is not the scheme's default."""
    host = _canonical_host(parts.hostname or "")
    if host is None:
        return None
    port = parts.port  # raises ValueError for "x:abc" or an out-of-range port
    if ":" in host:
        host = f"[{host}]"
    if port is not None and port != _DEFAULT_PORTS[parts.scheme.lower()]:
        return f"{host}:{port}"
    return host


def _resolve(url: str, base: str | None) -> str | None:
    url = url.strip()
    if not url or _BAD_CHARS.search(url):
        return None
    if urlsplit(url).scheme:
        return url
    if not base:
        return None
    return urljoin(base.strip(), url)


# Menus, sidebars and footers repeat the same links on every page of a portal, and the spider,
# the request filter and the store all ask for the same URLs: canonicalising each once is a
# third of a listing page's cost (cProfile on the sample portals). Bounded for long-lived workers.
@functools.lru_cache(maxsize=50_000)
def canonicalize(url: str, base: str | None = None) -> str | None:
    """The canonical form of ``url`` (resolved against ``base``), or None when unusable."""
    if not isinstance(url, str):
        return None
    try:
        resolved = _resolve(url, base)
        if resolved is None:
            return None
        parts = urlsplit(resolved)
        scheme = parts.scheme.lower()
        if scheme not in _USABLE_SCHEMES:
            return None
        netloc = _netloc(parts)
        if netloc is None:
            return None
        path, query = _canonical_path(parts.path), _canonical_query(parts.query)
    except (ValueError, UnicodeError) as exc:
        log.debug("unusable URL %r (base %r): %s", url, base, exc)
        return None
    return urlunsplit((scheme, netloc, path, query, ""))


@functools.lru_cache(maxsize=10_000)  # menus' links; at most ~2.5 MB in a long-lived worker
def _join_at_origin(origin: str, href: str) -> str:
    return urljoin(origin, href)


def join_link(base: str, href: str) -> str:
    """``urljoin(base, href)``, computed once per site for links that do not depend on the path.

    A root-relative (``/a``), protocol-relative (``//h/a``) or absolute link resolves the same
    against every page of a site: only the base's scheme and host are read. Menus and sidebars
    repeat such links on every listing page, and joining them was a tenth of a listing's cost.
    """
    if href.startswith("/") or href.startswith(("http://", "https://")):
        origin = _origin(base)
        if origin is not None:
            return _join_at_origin(origin, href)
    return urljoin(base, href)


@functools.lru_cache(maxsize=1_000)
def _origin(base: str) -> str | None:
    """``scheme://netloc/`` of a base URL (None when it has neither)."""
    parts = urlsplit(base)
    return f"{parts.scheme}://{parts.netloc}/" if parts.scheme and parts.netloc else None


@functools.lru_cache(maxsize=10_000)
def host_of(url: str) -> str:
    """The URL's host name, lower case ("" when it has none); asked again for every link."""
    return urlsplit(url).hostname or ""


def site_host(url: str) -> str | None:
    """The host that names a site: canonical host without a leading ``www.``."""
    canonical = canonicalize(url)
    if canonical is None:
        return None
    host = urlsplit(canonical).hostname or ""
    return host[4:] if host.startswith("www.") else host


def same_site(url_a: str, url_b: str) -> bool:
    """True when both URLs are on one site (``www.`` ignored).

    Deliberately not the registrable domain: ``hatinh.dcs.vn`` and ``hanam.dcs.vn`` share
    ``dcs.vn`` but are different publishers, and one must never claim the other's articles.
    """
    host_a, host_b = site_host(url_a), site_host(url_b)
    return host_a is not None and host_a == host_b


def accept_canonical_link(page_url: str, canonical_href: str | None) -> str | None:
    """The page's ``rel=canonical`` as a canonical URL, when it is usable and on the same site.

    A cross-site canonical (a syndicating portal pointing at the original, or a misconfigured
    CMS pointing every page at its home page elsewhere) is logged and ignored: merging by URL
    across sites could swallow a different article; content-based dedupe handles syndication.
    A canonical naming the site's home page from an article page is ignored for the same reason.
    """
    if not canonical_href:
        return None
    target = canonicalize(canonical_href, base=page_url)
    if target is None:
        log.info("ignoring unusable rel=canonical %r on %s", canonical_href, page_url)
        return None
    if not same_site(page_url, target):
        log.info("ignoring cross-site rel=canonical %s on %s", target, page_url)
        return None
    if urlsplit(target).path == "/" and urlsplit(canonicalize(page_url) or "/").path != "/":
        # CMS templates that point every page at the home page would merge every article.
        log.info("ignoring rel=canonical to the home page %s on %s", target, page_url)
        return None
    return target


@functools.lru_cache(maxsize=10_000)  # asked for every article and page link a listing holds
def fetch_form(linked: str, canonical: str) -> str:
    """The URL to request: the canonical one, but with the trailing slash the portal linked.

    Canonical URLs drop a trailing slash (one stored row for ``/a`` and ``/a/``); some servers
    answer only the linked spelling, so that is the one fetched.
    """
    if urlsplit(linked).path.endswith("/"):
        parts = urlsplit(canonical)
        if not parts.path.endswith("/"):
            return urlunsplit(parts._replace(path=parts.path + "/"))
    return canonical
