"""Where configuration comes from, resolved in one place: flag > environment > default."""

from __future__ import annotations

from pathlib import Path

from dvcrawl.settings_table import SETTINGS

# The variables' names, for messages; their values are read through dvcrawl.settings_table.
DB_ENV = SETTINGS["db"].env
SOURCES_ENV = SETTINGS["sources"].env
REDIS_ENV = SETTINGS["redis"].env


def data_dir() -> Path:
    """The directory for the default SQLite file and feeds: $DVCRAWL_DATA_DIR or ./data."""
    return Path(SETTINGS["data_dir"].env_given() or Path.cwd() / "data")


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
    url = flag or SETTINGS["db"].env_given() or f"sqlite:///{data_dir() / 'dvcrawl.sqlite'}"
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
    value = flag or SETTINGS["sources"].env_given()
    return Path(value) if value else None


def resolve_redis_url(flag: str | None = None) -> str | None:
    return flag or SETTINGS["redis"].env_given()


def politeness_overrides(delay_flag: float | None = None) -> dict:
    """Scrapy settings for the delay between requests to one portal: ``--delay`` beats
    ``DVCRAWL_DOWNLOAD_DELAY`` (so scheduler children inherit an operator's choice)."""
    delay = delay_flag if delay_flag is not None else SETTINGS["delay"].env_given()
    if delay is None:
        return {}
    return {"DOWNLOAD_DELAY": delay, "AUTOTHROTTLE_START_DELAY": max(delay, 0.05)}
