"""Arguments and resolution shared by several commands (one place for --db and --sources).

Every command's module is imported to build the parser (``dvcrawl --help`` lists them all), so
these modules import at their top only what registering arguments needs; what a command runs
with (SQLAlchemy, Alembic, Scrapy, the extraction stack) is imported inside its ``run``.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from dvcrawl.config import DB_ENV, SOURCES_ENV, resolve_db_url, resolve_sources_path
from dvcrawl.errors import ConfigError

if TYPE_CHECKING:
    from dvcrawl.sources import Source
    from dvcrawl.storage.db import Database


def add_db_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="URL",
        help=f"SQLAlchemy database URL (default: ${DB_ENV}, else ./data/dvcrawl.sqlite)",
    )


def add_actions(subparsers: argparse._SubParsersAction, name: str, help: str):
    """A command made of actions (``dvcrawl users add``, ``dvcrawl db upgrade``): its own
    subparsers, one of which must be named."""
    parser = subparsers.add_parser(name, help=help)
    actions = parser.add_subparsers(dest=f"{name}_command", metavar="ACTION")
    actions.required = True
    return actions


def add_sources_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--sources",
        metavar="FILE",
        help=f"sources file in TOML (default: ${SOURCES_ENV}, else ./sources.toml)",
    )


def database_from_args(args: argparse.Namespace, *, create: bool = False) -> Database:
    """The database the arguments name (DatabaseError when unreachable).

    Only commands that write (``users``, ``db upgrade``) pass ``create``: they may create and
    migrate it. The others refuse a database that is missing or not migrated.
    """
    from dvcrawl.storage.db import open_database, open_existing  # SQLAlchemy: not for --help

    url = resolve_db_url(getattr(args, "db", None))
    return open_database(url) if create else open_existing(url)


def sources_path_from_args(args: argparse.Namespace) -> Path:
    path = resolve_sources_path(getattr(args, "sources", None))
    if path is None:
        path = Path("sources.toml")
        if not path.exists():
            raise ConfigError(
                f"no sources file: pass --sources FILE or set ${SOURCES_ENV} "
                "(see sources.example.toml)"
            )
    return path


def sources_from_args(args: argparse.Namespace) -> list[Source]:
    """Load the sources file and keep the ids named by ``--source`` (all enabled ones if none)."""
    from dvcrawl.sources import load_sources, select_sources

    path = sources_path_from_args(args)
    chosen = select_sources(load_sources(path), getattr(args, "source", None))
    if not chosen:
        raise ConfigError(f"{path}: every source is disabled (enabled = false): nothing to crawl")
    return chosen
