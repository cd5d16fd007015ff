"""One active scheduler per database: the others wait as standbys.

PostgreSQL: a session-level advisory lock on a dedicated connection held for the life of the
process; when that process dies its connection closes, the server releases the lock and a
standby polling ``pg_try_advisory_lock`` takes over. SQLite: an exclusive ``flock`` on a file
next to the database file, released by the kernel when the holder dies.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
from pathlib import Path
from typing import Protocol

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from dvcrawl.storage.db import Database

log = logging.getLogger(__name__)

# The advisory lock key: the bytes of "dvcrawl" read as a 64-bit integer (any fixed number
# works; this one is unlikely to collide with another application's key on a shared server).
ADVISORY_KEY = int.from_bytes(b"dvcrawl", "big")


class SchedulerLock(Protocol):
    description: str

    def acquire(self) -> bool:
        """Take the lock without waiting; True when this process now holds it."""

    def held(self) -> bool:
        """Still holding it? (False when, e.g., the lock's database connection was lost.)"""

    def release(self) -> None: ...


class FileLock:
    """An exclusive flock on ``<database file>.scheduler.lock``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.description = f"lock file {path}"
        self._fd: int | None = None

    def acquire(self) -> bool:
        if self._fd is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())  # who holds it, for an operator's eyes
        self._fd = fd
        return True

    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


class AdvisoryLock:
    """``pg_try_advisory_lock`` on a connection of its own, outside any pool."""

    def __init__(self, url) -> None:
        self.engine = create_engine(url, poolclass=NullPool)
        self.description = f"PostgreSQL advisory lock {ADVISORY_KEY}"
        self.unreachable = False  # the last attempt failed for want of a database, not the lock
        self._conn: Connection | None = None

    def acquire(self) -> bool:
        if self._conn is not None:
            return True
        try:
            conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            got = conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": ADVISORY_KEY})
            got = got.scalar()
        except SQLAlchemyError as exc:
            self.unreachable = True
            log.debug("cannot reach the database for the scheduler lock: %s", exc)
            return False
        self.unreachable = False
        if not got:
            conn.close()
            return False
        self._conn = conn
        return True

    def held(self) -> bool:
        if self._conn is None:
            return False
        try:
            self._conn.execute(text("SELECT 1"))
            return True
        except SQLAlchemyError:
            # The connection is gone, and the server released the lock with it.
            self._drop()
            return False

    def _drop(self) -> None:
        try:
            if self._conn is not None:
                self._conn.invalidate()
                self._conn.close()
        except SQLAlchemyError:
            pass
        self._conn = None

    def release(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(SQLAlchemyError):
                self._conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": ADVISORY_KEY})
            self._drop()
        self.engine.dispose()


class NoLock:
    """For databases with neither (e.g. an in-memory SQLite): nothing to coordinate."""

    description = "no lock"

    def acquire(self) -> bool:
        return True

    def held(self) -> bool:
        return True

    def release(self) -> None:
        pass


def lock_for(db: Database) -> SchedulerLock:
    """The right lock for this database."""
    url = db.engine.url
    if db.dialect == "postgresql":
        return AdvisoryLock(url)
    if db.dialect == "sqlite" and url.database and url.database != ":memory:":
        return FileLock(Path(url.database + ".scheduler.lock"))
    log.warning("no scheduler lock for %s databases: run only one scheduler", db.dialect)
    return NoLock()
