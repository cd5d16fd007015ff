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
    """``--db`` beats ``DVCRAWL_DB_URL``, which beats the embedded SQLite file."""
    if flag:
        return flag
    if os.environ.get(DB_ENV):
        return os.environ[DB_ENV]
    return f"sqlite:///{data_dir() / 'dvcrawl.sqlite'}"


def resolve_sources_path(flag: str | None = None) -> Path | None:
    """``--sources`` beats ``DVCRAWL_SOURCES``; None means the caller's default."""
    value = flag or os.environ.get(SOURCES_ENV)
    return Path(value) if value else None


def resolve_redis_url(flag: str | None = None) -> str | None:
    return flag or os.environ.get(REDIS_ENV) or None


def politeness_overrides(delay_flag: float | None = None) -> dict:
    """Scrapy settings for the delay between requests to one portal: ``--delay`` beats
    ``DVCRAWL_DOWNLOAD_DELAY`` (so scheduler children inherit an operator's choice)."""
    from dvcrawl.errors import ConfigError

    raw = delay_flag if delay_flag is not None else os.environ.get(DELAY_ENV) or None
    if raw is None:
        return {}
    try:
        delay = float(raw)
    except ValueError as exc:
        raise ConfigError(f"{DELAY_ENV} must be a number of seconds, got {raw!r}") from exc
    if delay < 0:
        raise ConfigError(f"the download delay must not be negative, got {delay}")
    return {"DOWNLOAD_DELAY": delay, "AUTOTHROTTLE_START_DELAY": max(delay, 0.05)}
