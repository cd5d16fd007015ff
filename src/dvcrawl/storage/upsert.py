"""Insert a row unless its unique key is taken: the database's constraint decides, not a SELECT.

Two crawl workers can store the same URL at the same moment; checking first and inserting
second leaves a window in which both see "not stored". The unique constraint closes it: on
SQLite and PostgreSQL ``INSERT ... ON CONFLICT DO NOTHING`` (no error, so the caller's
transaction stays usable); elsewhere the insert runs in a SAVEPOINT and an IntegrityError
means "already there".
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from sqlalchemy import Insert, Table, insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

_ON_CONFLICT_INSERT = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


@cache
def _statement(
    make: Callable, table: Table, conflict: tuple[str, ...], returning: bool = True
) -> Insert:
    """One statement per table, values bound at execution: SQLAlchemy compiles it once (a
    statement built with ``.values(...)`` per row is re-keyed and looked up every time)."""
    stmt = make(table).on_conflict_do_nothing(index_elements=list(conflict))
    return stmt.returning(next(iter(table.primary_key.columns))) if returning else stmt


def insert_ignore(
    session: Session, model: type, values: dict[str, Any], conflict: list[str]
) -> Any | None:
    """Insert ``values`` into ``model``'s table; its primary key, or None when ``conflict`` hit.

    ORM-level Python defaults (``default=utcnow``) apply: this is a Core insert on the table,
    run on the session's connection (its transaction) without the ORM's per-statement work.
    """
    table = model.__table__
    connection = session.connection()
    make = _ON_CONFLICT_INSERT.get(connection.dialect.name)
    if make is not None:
        stmt = _statement(make, table, tuple(conflict))
        return connection.execute(stmt, values).scalar_one_or_none()
    pk = next(iter(table.primary_key.columns))
    try:
        with session.begin_nested():
            return session.execute(insert(table).values(**values).returning(pk)).scalar_one()
    except IntegrityError:
        return None


def insert_ignore_many(
    session: Session, model: type, rows: list[dict[str, Any]], conflict: list[str]
) -> None:
    """``insert_ignore`` for many rows whose keys nobody needs back: one executemany (SQLite's
    C loop, PostgreSQL's multi-row VALUES) instead of a statement per row."""
    if not rows:
        return
    connection = session.connection()
    make = _ON_CONFLICT_INSERT.get(connection.dialect.name)
    if make is None:
        for values in rows:
            insert_ignore(session, model, values, conflict)
        return
    connection.execute(_statement(make, model.__table__, tuple(conflict), False), rows)
