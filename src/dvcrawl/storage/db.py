"""Engine and sessions: any SQLAlchemy URL, SQLite in WAL mode, Alembic migrations on first use.

Alembic is imported only when a schema is not at the newest migration: importing it and
loading its script directory cost ~0.3 s of CPU in every command, while a database already at
the heads (every run but the first) only needs its ``alembic_version`` rows compared with the
heads read from the version files (:func:`head_revisions`).
"""

from __future__ import annotations

import ast
import functools
import logging
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from dvcrawl.errors import DatabaseError

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)
MIGRATIONS_DIR = Path(__file__).with_name("migrations")
_migrated: set[str] = set()
_lock = threading.Lock()


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    # WAL lets the web interface read while a crawl writes; busy_timeout rides out short locks.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def make_engine(url: str) -> Engine:
    """Create an engine for ``url``; the SQLite file's directory is created when missing."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseError(f"invalid database URL {url!r}: {exc}") from exc
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    kwargs: dict = {"future": True}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            try:
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseError(
                    f"cannot create the directory of SQLite database {parsed.database!r}: "
                    f"{exc.strerror or exc}"
                ) from exc
        kwargs["connect_args"] = {"timeout": 30}
    else:
        kwargs.update(pool_pre_ping=True, pool_size=5, max_overflow=10)
    try:
        engine = create_engine(parsed, **kwargs)
    except (ArgumentError, ImportError) as exc:
        raise DatabaseError(f"cannot use database URL {url!r}: {exc}") from exc
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    return cfg


# A version file's own ``revision = "..."`` / ``down_revision = ...`` lines (Alembic's template).
_REVISION_LINE = re.compile(
    r"^(revision|down_revision|depends_on)\s*(?::[^=]*)?=\s*(.*?)\s*$", re.M
)


@functools.cache
def head_revisions() -> frozenset[str] | None:
    """The migrations' heads, read from the version files without importing Alembic.

    None when a file does not spell its revisions as plain literals or depends on another
    branch (``depends_on``): then Alembic's script directory decides (:func:`_heads`). A test
    checks this equals Alembic's own answer.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in sorted((MIGRATIONS_DIR / "versions").glob("*.py")):
        found = dict(_REVISION_LINE.findall(path.read_text(encoding="utf-8")))
        try:
            revision = ast.literal_eval(found["revision"])
            down = ast.literal_eval(found.get("down_revision", "None"))
            depends = ast.literal_eval(found.get("depends_on", "None"))
        except (KeyError, ValueError, SyntaxError):
            return None
        if not isinstance(revision, str) or depends is not None:
            return None
        revisions.add(revision)
        parents.update([down] if isinstance(down, str) else down or ())
    return frozenset(revisions - parents) or None


def _heads(engine: Engine) -> set[str]:
    """The migrations' heads: from the version files, else from Alembic."""
    heads = head_revisions()
    if heads is not None:
        return set(heads)
    from alembic.script import ScriptDirectory

    return set(ScriptDirectory.from_config(alembic_config(engine)).get_heads())


def stored_revisions(conn: Connection) -> set[str]:
    """The revisions recorded in the database (empty when it holds no ``alembic_version``)."""
    if not inspect(conn).has_table("alembic_version"):
        return set()
    return set(conn.scalars(text("SELECT version_num FROM alembic_version")))


def _first_line(exc: OperationalError) -> str:
    text_ = str(exc.orig).strip()
    return text_.splitlines()[0] if text_ else type(exc.orig).__name__


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration (idempotent, once per URL per process)."""
    key = engine.url.render_as_string(hide_password=False)
    with _lock:
        if key in _migrated:
            return
        try:
            with engine.connect() as conn:
                current = stored_revisions(conn)
            if current != _heads(engine):
                from alembic import command

                command.upgrade(alembic_config(engine), "heads")
        except OperationalError as exc:
            raise DatabaseError(
                f"database unreachable at {engine.url.render_as_string(hide_password=True)}: "
                f"{_first_line(exc)}"
            ) from exc
        except SQLAlchemyError as exc:
            raise DatabaseError(f"cannot migrate database {engine.url!r}: {exc}") from exc
        _migrated.add(key)


class Database:
    """One database: an engine, migrated on first use, and a session factory."""

    def __init__(self, url: str, *, auto_migrate: bool = True) -> None:
        self.url = url
        self.engine = make_engine(url)
        if auto_migrate:
            migrate(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session committed on success, rolled back on error.

        A database that refuses writes (a read-only file or mount) is a DatabaseError naming
        it, so the CLI says so in one line instead of a traceback; nothing is half-written.
        """
        session = self._sessions()
        try:
            yield session
            session.commit()
        except OperationalError as exc:
            session.rollback()
            if "readonly" not in str(exc.orig).replace("-", "").replace(" ", ""):
                raise
            raise DatabaseError(f"database {self.url} is read-only: {_first_line(exc)}") from exc
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def table_names(self) -> list[str]:
        return inspect(self.engine).get_table_names()

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(url: str) -> Database:
    """Open (and migrate) the database at ``url``; DatabaseError names what went wrong."""
    return Database(url)


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL, or None for other databases (and in-memory SQLite)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def _schema_state(engine: Engine) -> str | None:
    """None when the schema is at the newest migration, else what is wrong with it."""
    with engine.connect() as conn:
        current = stored_revisions(conn)
    if not current:
        return "holds no dvcrawl schema"
    if current != _heads(engine):
        return "has an older (or unknown) schema: run `dvcrawl db upgrade --db URL` first"
    return None


def open_existing(url: str) -> Database:
    """Open a database that already exists at the newest schema, creating nothing.

    Commands that only read or publish (``export``, ``status``, ``feeds``, ``serve``) use
    this: a mistyped ``--db`` must not become a fresh empty database whose nothing then
    replaces the published feeds (issue 13, finding 1).
    """
    try:
        path = sqlite_file(url)
    except ArgumentError as exc:
        raise DatabaseError(f"invalid database URL {url!r}: {exc}") from exc
    if path is not None and not path.is_file():
        raise DatabaseError(
            f"no database at {path}: check --db / $DVCRAWL_DB_URL "
            "(`dvcrawl crawl` or `dvcrawl db upgrade` creates one)"
        )
    db = Database(url, auto_migrate=False)
    try:
        problem = _schema_state(db.engine)
    except OperationalError as exc:
        db.dispose()
        shown = db.engine.url.render_as_string(hide_password=True)
        raise DatabaseError(f"database unreachable at {shown}: {_first_line(exc)}") from exc
    except SQLAlchemyError as exc:
        db.dispose()
        raise DatabaseError(f"cannot read database {url!r}: {exc}") from exc
    if problem:
        db.dispose()
        raise DatabaseError(f"database {db.engine.url!r} {problem}")
    return db
