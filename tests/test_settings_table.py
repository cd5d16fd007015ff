"""The settings table is the one list of settings: the code reads it, the docs name all of it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dvcrawl.errors import ConfigError
from dvcrawl.settings_table import BY_NAME, SETTINGS, TABLE, markdown_table

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "dvcrawl"
NAME = re.compile(r"DVCRAWL_[A-Z0-9_]+")


def _docs() -> str:
    return "\n".join(p.read_text() for p in [ROOT / "README.md", *(ROOT / "docs").glob("*.md")])


def _known(name: str) -> bool:
    """A name of the table; ``DVCRAWL_FEED_`` (as in ``DVCRAWL_FEED_*``) is a family of them."""
    if name.endswith("_"):
        return any(n.startswith(name) for n in BY_NAME)
    return name in BY_NAME or name.startswith("DVCRAWL_TEST_")


def test_every_environment_variable_is_documented():
    docs = set(NAME.findall(_docs()))
    missing = [s.env for s in TABLE if s.env and s.env not in docs]
    assert not missing, f"not in README.md or docs/*.md: {missing}"


def test_every_name_the_docs_mention_is_in_the_table():
    unknown = sorted({n for n in NAME.findall(_docs()) if not _known(n)})
    assert not unknown, f"documented but not in dvcrawl.settings_table: {unknown}"


def test_every_name_the_code_uses_is_in_the_table():
    used = {(p.name, n) for p in SRC.rglob("*.py") for n in NAME.findall(p.read_text())}
    unknown = sorted((file, n) for file, n in used if not _known(n))
    assert not unknown, f"not in dvcrawl.settings_table: {unknown}"


def test_only_the_table_reads_the_environment():
    """Other modules go through Setting.env_given/from_env/value; handing the whole
    environment to a child process (dict(os.environ)) is not reading it."""
    reads = re.compile(r"os\.environ(\.get|\[|\.setdefault)|os\.getenv|environ\.get")
    readers = sorted(
        p.relative_to(SRC).as_posix() for p in SRC.rglob("*.py") if reads.search(p.read_text())
    )
    assert readers == ["settings_table.py"]


def test_scrapy_defaults_come_from_the_table():
    from dvcrawl import settings

    for setting in TABLE:
        if setting.scrapy:
            assert getattr(settings, setting.scrapy) == setting.default, setting.scrapy


def test_a_flag_beats_the_environment_which_beats_the_default(monkeypatch):
    limit = SETTINGS["feed_limit"]
    monkeypatch.delenv("DVCRAWL_FEED_LIMIT", raising=False)
    assert limit.value() == 50
    monkeypatch.setenv("DVCRAWL_FEED_LIMIT", "7")
    assert limit.value() == 7 and limit.value("9") == 9 and limit.value("") == 7


@pytest.mark.parametrize(
    ("given", "env", "named"),
    [
        ("0", None, "feed limit (--limit or $DVCRAWL_FEED_LIMIT): '0' is outside 1 to 1000"),
        (None, "lots", "$DVCRAWL_FEED_LIMIT: not a whole number: 'lots'"),
        (None, "1e22", "$DVCRAWL_FEED_LIMIT: not a whole number: '1e22'"),
    ],
)
def test_bad_values_are_one_line_naming_flag_and_variable(monkeypatch, given, env, named):
    if env is None:
        monkeypatch.delenv("DVCRAWL_FEED_LIMIT", raising=False)
    else:
        monkeypatch.setenv("DVCRAWL_FEED_LIMIT", env)
    with pytest.raises(ConfigError) as caught:
        SETTINGS["feed_limit"].value(given, "feed limit")
    assert str(caught.value) == named


def test_a_bad_environment_value_is_refused_where_it_was_ignored(monkeypatch, run_cli, tmp_path):
    """$DVCRAWL_REDIS_PREFIX and $DVCRAWL_DATA_DIR are parsed by the table now: an over-long
    or NUL-carrying value is one line naming the variable, not a crash deeper in."""
    monkeypatch.setenv("DVCRAWL_DATA_DIR", "x" * 5000)
    done = run_cli("status")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "$DVCRAWL_DATA_DIR" in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_the_markdown_table_lists_every_row():
    rows = markdown_table().splitlines()
    for setting in TABLE:
        names = [n for n in (setting.env, setting.scrapy) if n]
        assert any(f"| {setting.key} |" in row and all(n in row for n in names) for row in rows)


@pytest.mark.parametrize(
    ("setting", "ok"),
    [
        ("DVCRAWL_EXTRACT_WORKERS=-1", True),  # the documented default was refused as negative
        ("DVCRAWL_ARTICLE_RETRY_BACKOFF=0", True),
        ("DVCRAWL_MAX_PAGES=0", False),
        ("DVCRAWL_PROGRESS_INTERVAL=nan", False),
    ],
)
def test_crawl_time_settings_keep_the_table_bounds(setting, ok):
    from dvcrawl.cli.crawl_cmd import checked_setting

    name, _, value = setting.partition("=")
    if ok:
        assert checked_setting(name, value) == value
    else:
        with pytest.raises(ConfigError, match=f"--set {name}: .*{value}"):
            checked_setting(name, value)
