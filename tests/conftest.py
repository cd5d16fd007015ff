"""Shared fixtures: throwaway databases (SQLite and a real PostgreSQL) and the sample portals."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

PG_ADMIN_URL = os.environ.get(
    "DVCRAWL_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REDIS_TEST_URL = os.environ.get("DVCRAWL_TEST_REDIS", "redis://127.0.0.1:6379/0")


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch, tmp_path) -> None:
    """No test reads the developer's DVCRAWL_* settings or writes into the working tree."""
    for name in list(os.environ):
        if name.startswith("DVCRAWL_") and not name.startswith("DVCRAWL_TEST_"):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DVCRAWL_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'dvcrawl.sqlite'}"


def _pg_available() -> bool:
    try:
        import psycopg

        with psycopg.connect(
            "host=127.0.0.1 port=5432 user=postgres dbname=test", connect_timeout=3
        ):
            return True
    except Exception:
        return False


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database for one test, dropped afterwards."""
    if not _pg_available():
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL at 127.0.0.1:5432 is down; .ci/run should have started it")
        pytest.skip("PostgreSQL at 127.0.0.1:5432 is not running")
    import psycopg

    name = f"dvcrawl_t_{uuid.uuid4().hex[:12]}"
    admin = "host=127.0.0.1 port=5432 user=postgres dbname=test"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        from dvcrawl.storage import db as dbmod

        dbmod._migrated.clear()
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path) -> str:
    """Run a test against both backends: SQLite and a real PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'dvcrawl.sqlite'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def sample_network():
    """The bundled sample portals, served on loopback for one test."""
    from dvcrawl.sampleportals import SampleNetwork

    with SampleNetwork() as net:
        yield net


@pytest.fixture
def run_cli():
    """Run ``dvcrawl`` as a separate process (a crawl needs a fresh Twisted reactor)."""
    import subprocess
    import sys

    def run(*args: str, input: str | None = None, timeout: float = 300, env: dict | None = None):
        full_env = dict(os.environ)
        full_env.update(env or {})
        return subprocess.run(
            [sys.executable, "-m", "dvcrawl", *args],
            input=input,
            capture_output=True,
            text=True,
            timeout=timeout,
            env=full_env,
        )

    return run


@pytest.fixture
def redis_keys():
    """A Redis client and a fresh key prefix for one test, deleted afterwards."""
    from tests.test_distributed_support import cleanup, fresh_prefix, redis_or_skip

    client = redis_or_skip()
    prefix = fresh_prefix()
    yield client, prefix
    cleanup(client, prefix)
