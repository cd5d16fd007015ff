"""Start-up cost: what a command imports, and migrations run only when the schema needs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import text

from dvcrawl.storage import db as dbmod
from dvcrawl.storage.db import (
    alembic_config,
    head_revisions,
    make_engine,
    open_database,
    open_existing,
)

SRC = str(Path(dbmod.__file__).parents[2])
HEAVY = ("alembic", "sqlalchemy", "scrapy", "twisted", "trafilatura", "lxml", "dvcrawl.extract")


def loaded_after(code: str) -> dict[str, bool]:
    """Which HEAVY modules a fresh interpreter has imported once ``code`` ran."""
    probe = (
        f"{code}\nimport json, sys\nprint(json.dumps({{m: m in sys.modules for m in {HEAVY!r}}}))"
    )
    env = {**os.environ, "PYTHONPATH": SRC}
    out = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out.splitlines()[-1])


def alembic_heads(url: str) -> set[str]:
    return set(ScriptDirectory.from_config(alembic_config(make_engine(url))).get_heads())


def stored(url: str) -> set[str]:
    with make_engine(url).connect() as conn:
        return set(conn.scalars(text("SELECT version_num FROM alembic_version")))


def test_the_heads_read_from_the_version_files_are_alembics(sqlite_url):
    assert head_revisions() is not None
    assert set(head_revisions()) == alembic_heads(sqlite_url)


def test_building_the_parser_imports_no_command_machinery():
    loaded = loaded_after("from dvcrawl.cli import build_parser\nbuild_parser()")
    assert not any(loaded.values()), loaded


def test_the_crawl_process_leaves_trafilatura_to_the_workers():
    loaded = loaded_after("import dvcrawl.runner, dvcrawl.workpool")
    assert loaded["scrapy"] and loaded["dvcrawl.extract"] and not loaded["trafilatura"]


def test_a_database_at_the_heads_is_opened_without_alembic(sqlite_url):
    open_database(sqlite_url).dispose()
    code = f"from dvcrawl.storage.db import open_database, open_existing\n" \
           f"open_database({sqlite_url!r}).dispose()\nopen_existing({sqlite_url!r}).dispose()"  # fmt: skip
    loaded = loaded_after(code)
    assert loaded["sqlalchemy"] and not loaded["alembic"]


@pytest.mark.parametrize("opener", [open_database, open_existing])
def test_an_old_revision_database_is_migrated_or_refused(tmp_path, opener):
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    command.upgrade(alembic_config(make_engine(url)), "0001")  # an early schema
    assert stored(url) == {"0001"}
    dbmod._migrated.clear()
    if opener is open_existing:
        with pytest.raises(dbmod.DatabaseError, match="older"):
            opener(url)
        assert stored(url) == {"0001"}
    else:
        opener(url).dispose()
        assert stored(url) == alembic_heads(url)
        with make_engine(url).connect() as conn:
            columns = {row[1] for row in conn.execute(text("PRAGMA table_info(articles)"))}
        assert "lead" in columns  # 0011's column: the missing migrations ran


def test_a_new_database_reaches_every_head(sqlite_url):
    open_database(sqlite_url).dispose()
    assert stored(sqlite_url) == alembic_heads(sqlite_url)


def test_switched_off_scrapy_components_are_never_imported():
    from dvcrawl.runner import COMPONENT_SETTINGS, build_settings

    settings = build_settings("sqlite://")
    for name in COMPONENT_SETTINGS:
        for key in {**settings.getdict(f"{name}_BASE"), **settings.getdict(name)}:
            assert settings.getdict(name).get(key, 0) is not None, key  # nothing left to drop
    extensions = set(settings.getdict("EXTENSIONS_BASE")) | set(settings.getdict("EXTENSIONS"))
    assert "scrapy.extensions.remote_control.RemoteControl" not in extensions  # aiohttp
    assert "scrapy.extensions.telnet.TelnetConsole" not in extensions
    assert "scrapy.extensions.throttle.AutoThrottle" in extensions
