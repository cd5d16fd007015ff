"""Insert a row unless its unique key is taken: the database's constraint decides, not a SELECT.

Two crawl workers can store the same URL at the same moment; checking first and inserting
second leaves a window in which both see "not stored". The unique constraint closes it: on
SQLite and PostgreSQL ``INSERT ... ON CONFLICT DO NOTHING`` (no error, so the caller's
transaction stays usable); elsewhere the insert runs in a SAVEPOINT and an IntegrityError
means "already there".
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

_ON_CONFLICT_INSERT = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


def insert_ignore(
    session: Session, model: type, values: dict[str, Any], conflict: list[str]
) -> Any | None:
    """Insert ``values`` into ``model``'s table; its primary key, or None when ``conflict`` hit.

    ORM-level Python defaults (``default=utcnow``) apply: this is a Core insert on the table.
    """
    table = model.__table__
    pk = next(iter(table.primary_key.columns))
    make = _ON_CONFLICT_INSERT.get(session.get_bind().dialect.name)
    if make is not None:
        stmt = make(table).values(**values).on_conflict_do_nothing(index_elements=conflict)
        return session.execute(stmt.returning(pk)).scalar_one_or_none()
    try:
        with session.begin_nested():
            return session.execute(insert(table).values(**values).returning(pk)).scalar_one()
    except IntegrityError:
        return None
