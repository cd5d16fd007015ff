"""Every operator setting in one table: flag, environment variable, default, meaning, parser.

The CLI takes its argparse types from here, and so may the scheduler, the web app and the docs;
each parser checks that a number is finite and within bounds, so ``nan``, ``inf`` or
``99999999999d`` is refused with one line naming the value instead of overflowing later (a
``timedelta`` past year 9999, a ``sleep(nan)``) or meaning nothing.
"""

from __future__ import annotations

import argparse
import math
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from dvcrawl.durations import parse_duration
from dvcrawl.errors import ConfigError

# The longest interval or timeout anyone means: a year. Larger values overflow datetime
# arithmetic in APScheduler (``--every 99999999999d``) and are typing mistakes.
MAX_DURATION = 366 * 86400.0
# A politeness delay longer than an hour is a typo; one crawl would take days.
MAX_DELAY = 3600.0
MEGABYTE = 1_000_000
PUBLISH_MODES = ("auto", "approved")


def number(low: float, high: float) -> Callable[[str | float], float]:
    """A parser for a finite number in ``[low, high]``; ValueError names the value."""

    def parse(value: str | float) -> float:
        try:
            result = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"not a number: {value!r}") from None
        if not math.isfinite(result) or not low <= result <= high:
            raise ValueError(f"{value!r} is outside {low:g} to {high:g}")
        return result

    return parse


def integer(low: int, high: int) -> Callable[[str | int], int]:
    """A parser for a whole number in ``[low, high]`` (no exponents; a sign only below 0)."""

    def parse(value: str | int) -> int:
        text = str(value).strip()
        digits = text[1:] if low < 0 and text.startswith("-") else text
        if isinstance(value, bool) or not digits.isascii() or not digits.isdigit():
            raise ValueError(f"not a whole number: {value!r}")
        if len(text) > 18 or not low <= int(text) <= high:
            raise ValueError(f"{value!r} is outside {low} to {high}")
        return int(text)

    return parse


def duration(low: float = 0.001, high: float = MAX_DURATION) -> Callable[[Any], float]:
    """A parser for a duration (``30m``, ``10s``, seconds) in ``[low, high]`` seconds."""

    def parse(value: Any) -> float:
        seconds = parse_duration(value)
        if not low <= seconds <= high:
            raise ValueError(f"duration {value!r} is outside {low:g}s to {high / 86400:g} days")
        return seconds

    return parse


def text(max_length: int) -> Callable[[str], str]:
    """A parser for a non-empty string of at most ``max_length`` characters."""

    def parse(value: str) -> str:
        if not value or len(value) > max_length or "\x00" in value:
            raise ValueError(f"expected 1 to {max_length} characters, got {value[:40]!r}")
        return value

    return parse


def choice(*options: str) -> Callable[[str], str]:
    """A parser for one of ``options`` (surrounding spaces ignored)."""

    def parse(value: str) -> str:
        value = str(value).strip()
        if value not in options:
            raise ValueError(f"{value!r} is not one of {', '.join(options)}")
        return value

    return parse


def web_url(max_length: int) -> Callable[[str], str]:
    """A parser for an absolute http(s) URL, as it is written into every feed."""

    def parse(value: str) -> str:
        url = str(value).strip()
        parts = urlsplit(url)
        ok = parts.scheme in ("http", "https") and parts.netloc and url.isprintable()
        if not ok or len(url) > max_length:
            raise ValueError(f"must be an absolute http(s) URL, not {url[:200]!r}")
        return url

    return parse


def flag(value: str) -> bool:
    """An on/off environment variable: 1/true/yes/on or 0/false/no/off."""
    lowered = str(value).strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off", ""):
        return False
    raise ValueError(f"expected 1/0, true/false, yes/no or on/off, got {value!r}")


@dataclass(frozen=True)
class Setting:
    """One setting as an operator meets it: where it comes from and what it accepts."""

    key: str
    flags: str  # e.g. "crawl --delay"; "" when only the environment sets it
    env: str | None
    default: Any
    meaning: str
    parse: Callable[[Any], Any]
    scrapy: str | None = None  # the Scrapy setting's name, for crawl-time settings

    def argtype(self) -> Callable[[str], Any]:
        """An argparse ``type=``: a bad value is argparse's one-line error (exit 2)."""

        def convert(value: str) -> Any:
            try:
                return self.parse(value)
            except ValueError as exc:
                raise argparse.ArgumentTypeError(str(exc)) from None

        convert.__name__ = self.key  # argparse names the type in "invalid <name> value"
        return convert

    def env_given(self) -> Any:
        """The environment's value parsed, None when unset or empty; ConfigError names it.

        The one place dvcrawl reads a ``DVCRAWL_*`` variable (child processes get the whole
        environment, which is not reading it)."""
        raw = os.environ.get(self.env) if self.env else None
        if raw is None or raw == "":
            return None
        try:
            return self.parse(raw)
        except ValueError as exc:
            raise ConfigError(f"${self.env}: {exc}") from None

    def from_env(self) -> Any:
        """The environment's value parsed, else the default; ConfigError names the variable."""
        value = self.env_given()
        return self.default if value is None else value

    def parsed_default(self) -> Any:
        """The default as code uses it (``"30m"`` is 1800.0 seconds)."""
        return None if self.default is None else self.parse(self.default)

    def names(self) -> str:
        """How an operator sets it, for messages: ``--limit or $DVCRAWL_FEED_LIMIT``."""
        flags = dict.fromkeys(w for w in self.flags.replace(",", " ").split() if w[0] == "-")
        return " or ".join([*flags, *([f"${self.env}"] if self.env else [])])

    def value(self, given: Any = None, what: str | None = None) -> Any:
        """``given`` (a flag's or a caller's value), else the environment's, else the default.

        A bad ``given`` is a ConfigError naming ``what`` (default: the key), flag and variable.
        """
        if given is None or given == "":
            return self.from_env()
        try:
            return self.parse(given)
        except ValueError as exc:
            raise ConfigError(f"{what or self.key} ({self.names()}): {exc}") from None


_url = text(4000)
_S = Setting
TABLE: tuple[Setting, ...] = (
    _S("db", "--db", "DVCRAWL_DB_URL", "sqlite:///<data dir>/dvcrawl.sqlite",
       "SQLAlchemy database URL", _url),
    _S("sources", "--sources", "DVCRAWL_SOURCES", "./sources.toml", "sources file (TOML)",
       text(4000)),
    _S("data_dir", "", "DVCRAWL_DATA_DIR", "./data",
       "directory of the default SQLite file and feeds", text(4000)),
    _S("redis", "worker --redis", "DVCRAWL_REDIS_URL", None,
       "Redis for distributed crawls", _url),
    _S("redis_prefix", "worker --prefix", "DVCRAWL_REDIS_PREFIX", "dvcrawl",
       "prefix of every Redis key", text(100)),
    _S("delay", "crawl --delay, worker --delay", "DVCRAWL_DOWNLOAD_DELAY", 0.5,
       "minimum seconds between requests to one portal", number(0, MAX_DELAY)),
    _S("every", "schedule --every", None, "30m", "interval of sources that set none",
       duration(1, MAX_DURATION)),
    _S("timeout", "schedule --timeout", None, "15m", "wall-clock limit of one crawl",
       duration(1, MAX_DURATION)),
    _S("memory_mb", "schedule --memory-mb, worker --memory-mb", None, 1024,
       "address-space cap of one crawl child, MB", integer(64, 1_000_000)),
    _S("workers", "schedule --workers", None, 4, "crawls running at once", integer(1, 256)),
    _S("lock_poll", "schedule --lock-poll", None, "5s",
       "how often a standby scheduler tries to take over", duration(0.1, 86400)),
    _S("grace", "schedule --grace", None, "10s",
       "time a crawl gets to stop after SIGTERM before SIGKILL", duration(0.1, 3600)),
    _S("host", "serve --host", None, "127.0.0.1", "address the desk listens on", text(255)),
    _S("port", "serve --port", None, 8000, "port the desk listens on", integer(1, 65535)),
    _S("forwarded_allow_ips", "serve --forwarded-allow-ips", "DVCRAWL_FORWARDED_ALLOW_IPS",
       None, "proxy addresses whose X-Forwarded-For/-Proto are believed (off when unset)",
       text(4000)),
    _S("max_request_bytes", "serve --max-request-bytes", "DVCRAWL_MAX_REQUEST_BYTES",
       MEGABYTE, "largest request body the desk reads, in bytes",
       integer(1024, 100 * MEGABYTE)),
    _S("secure_cookies", "serve --secure-cookies", "DVCRAWL_SECURE_COOKIES", False,
       "mark the session cookie Secure even over plain HTTP", flag),
    _S("session_hours", "", "DVCRAWL_SESSION_HOURS", 12.0,
       "absolute lifetime of a staff session, hours", number(0.01, 24 * 31)),
    _S("secret_key", "", "DVCRAWL_SECRET_KEY", None,
       "signs staff sessions (random per process when unset)", text(4000)),
    _S("demo_scale", "demo --scale", None, 1, "multiply the sample articles",
       integer(1, 1000)),
    # Feed settings, resolved by dvcrawl.feeds.options. More than 1,000 entries is a
    # multi-megabyte download every poll; a ttl beyond a week tells readers to stop polling.
    _S("feed_limit", "feeds --limit", "DVCRAWL_FEED_LIMIT", 50, "entries per feed",
       integer(1, 1000)),
    _S("publish_mode", "feeds --mode", "DVCRAWL_PUBLISH_MODE", "auto",
       "publish every relevant article (auto) or only approved ones",
       choice(*PUBLISH_MODES)),
    _S("hub", "feeds --hub", "DVCRAWL_WEBSUB_HUB", None,
       "WebSub hub pinged after a feed changes", web_url(4000)),
    _S("base_url", "feeds --base-url, schedule --base-url", "DVCRAWL_BASE_URL",
       "http://localhost:8000/", "public address of the feeds (self links)", _url),
    # docs/contract.md: the scheduler's default interval is 30 minutes, so is the feed ttl.
    _S("feed_ttl", "feeds --ttl", "DVCRAWL_FEED_TTL", 30, "feed ttl in minutes",
       integer(1, 7 * 24 * 60)),
    # Crawl-time Scrapy settings (``-s NAME=VALUE``); dvcrawl.settings takes its defaults here.
    _S("max_pages", "crawl -s DVCRAWL_MAX_PAGES=N", None, 3000,
       "pages per source per run (a source's max_pages overrides)", integer(1, 10_000_000),
       "DVCRAWL_MAX_PAGES"),
    _S("max_listing_depth", "crawl -s DVCRAWL_MAX_LISTING_DEPTH=N", None, 3,
       "menu/category hops from a start URL (a source's max_depth overrides)",
       integer(0, 100), "DVCRAWL_MAX_LISTING_DEPTH"),
    _S("article_max_attempts", "crawl -s DVCRAWL_ARTICLE_MAX_ATTEMPTS=N", None, 5,
       "runs in which a failed article page is tried before it is given up",
       integer(1, 1000), "DVCRAWL_ARTICLE_MAX_ATTEMPTS"),
    _S("article_retry_backoff", "crawl -s DVCRAWL_ARTICLE_RETRY_BACKOFF=SECONDS", None, 1800,
       "wait before a failed article page is tried again, doubling per failure",
       number(0, MAX_DURATION), "DVCRAWL_ARTICLE_RETRY_BACKOFF"),
    _S("progress_interval", "crawl -s DVCRAWL_PROGRESS_INTERVAL=SECONDS", None, 10.0,
       "seconds between progress lines on stderr", number(0.1, 86400),
       "DVCRAWL_PROGRESS_INTERVAL"),
    _S("extract_workers", "crawl -s DVCRAWL_EXTRACT_WORKERS=N", None, -1,
       "article extraction processes per crawl (-1: one per usable core but one, 0: in the crawl)",
       integer(-1, 256), "DVCRAWL_EXTRACT_WORKERS"),
)  # fmt: skip
SETTINGS: dict[str, Setting] = {s.key: s for s in TABLE}


BY_NAME: dict[str, Setting] = {n: s for s in TABLE for n in (s.env, s.scrapy) if n}


def env_value(key: str) -> Any:
    """The environment's value of setting ``key``, else its default (see Setting.from_env)."""
    return SETTINGS[key].from_env()


def argtype(key: str) -> Callable[[str], Any]:
    """The argparse type of the setting ``key``."""
    return SETTINGS[key].argtype()


def markdown_table() -> str:
    """The table as Markdown, for the docs (``python -m dvcrawl.settings_table``)."""
    rows = [
        "| setting | flag | environment | default | meaning |",
        "| --- | --- | --- | --- | --- |",
    ]
    for s in TABLE:
        env = f"`{s.env}`" if s.env else ""
        flags = f"`{s.flags}`" if s.flags else ""
        rows.append(f"| {s.key} | {flags} | {env} | {s.default} | {s.meaning} |")
    return "\n".join(rows)


if __name__ == "__main__":
    print(markdown_table())
