"""Where configuration comes from, resolved in one place: flag > environment > default."""

from __future__ import annotations

import os
from pathlib import Path

DB_ENV = "DVCRAWL_DB_URL"
SOURCES_ENV = "DVCRAWL_SOURCES"
REDIS_ENV = "DVCRAWL_REDIS_URL"
DATA_DIR_ENV = "DVCRAWL_DATA_DIR"
DELAY_ENV = "DVCRAWL_DOWNLOAD_DELAY"


def data_dir() -> Path:
    """The directory for the default SQLite file and feeds: $DVCRAWL_DATA_DIR or ./data."""
    return Path(os.environ.get(DATA_DIR_ENV) or Path.cwd() / "data")


def default_feeds_dir() -> Path:
    """Where ``feeds`` and ``schedule`` write and ``serve`` reads feeds when not told."""
    return data_dir() / "feeds"


def resolve_db_url(flag: str | None = None) -> str:
    """``--db`` beats ``DVCRAWL_DB_URL``, which beats the embedded SQLite file.

    An empty ``--db ''`` and an in-memory SQLite URL are refused: the first is a shell
    variable that was not set, the second a crawl stored nowhere.
    """
    from dvcrawl.errors import ConfigError

    if flag is not None and not flag.strip():
        raise ConfigError("--db is empty: give a database URL, or leave --db out")
    url = flag or os.environ.get(DB_ENV) or f"sqlite:///{data_dir() / 'dvcrawl.sqlite'}"
    if _in_memory(url):
        raise ConfigError(f"database URL {url!r} is in memory: nothing would be kept")
    return url


def _in_memory(url: str) -> bool:
    """True for ``sqlite://``, ``sqlite:///:memory:`` and the ``file::memory:`` form."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError:
        return False  # the engine names the bad URL when it is opened
    database = parsed.database or ""
    return parsed.get_backend_name() == "sqlite" and (
        database in ("", ":memory:") or "mode=memory" in url or database.startswith("file::memory")
    )


def resolve_sources_path(flag: str | None = None) -> Path | None:
    """``--sources`` beats ``DVCRAWL_SOURCES``; None means the caller's default."""
    value = flag or os.environ.get(SOURCES_ENV)
    return Path(value) if value else None


def resolve_redis_url(flag: str | None = None) -> str | None:
    return flag or os.environ.get(REDIS_ENV) or None


def politeness_overrides(delay_flag: float | None = None) -> dict:
    """Scrapy settings for the delay between requests to one portal: ``--delay`` beats
    ``DVCRAWL_DOWNLOAD_DELAY`` (so scheduler children inherit an operator's choice)."""
    from dvcrawl.settings_table import SETTINGS

    if delay_flag is None and not os.environ.get(DELAY_ENV):
        return {}
    delay = delay_flag if delay_flag is not None else SETTINGS["delay"].from_env()
    return {"DOWNLOAD_DELAY": delay, "AUTOTHROTTLE_START_DELAY": max(delay, 0.05)}
