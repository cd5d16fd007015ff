"""Issue 13 on the command line: bad input is one line naming the value and exit 2, and a
refused command creates, migrates or changes nothing."""

from __future__ import annotations

import io
import sqlite3
import sys
from pathlib import Path

import pytest

from dvcrawl.cli import main
from dvcrawl.storage.db import Database
from dvcrawl.storage.users import authenticate, set_password

SOURCE = '[[sources]]\nid = "hatinh"\nname = "Hà Tĩnh"\nstart_urls = ["http://127.0.0.1:9/"]\n'


def cli(capsys, *args: str) -> tuple[int, str]:
    """Run ``dvcrawl ARGS`` in this process: (exit code, stderr)."""
    try:
        code = main(list(args))
    except SystemExit as exc:
        code = exc.code
    return code, capsys.readouterr().err


def assert_one_line_error(code: int, err: str, *names: str) -> None:
    lines = [line for line in err.splitlines() if "error" in line]
    assert code == 2 and len(lines) == 1, err
    assert "Traceback" not in err
    for name in names:
        assert name in lines[0], (name, lines[0])


def sources_file(tmp_path: Path, text: str, encoding: str = "utf-8") -> str:
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding=encoding)
    return str(path)


# Finding 1: a mistyped --db must not become a new empty database.
@pytest.mark.parametrize("command", [["export"], ["status"], ["users", "disable", "lan"]])
def test_read_commands_refuse_a_missing_database_and_create_nothing(capsys, tmp_path, command):
    missing = tmp_path / "typo" / "dvcrawl.sqlite"
    code, err = cli(capsys, *command, "--db", f"sqlite:///{missing}")
    assert_one_line_error(code, err, str(missing))
    assert not missing.exists() and not missing.parent.exists()


def test_feeds_refuses_a_missing_database_and_leaves_published_feeds(capsys, tmp_path):
    out = tmp_path / "live"
    out.mkdir()
    (out / "all.rss").write_text("<rss>published</rss>")
    code, err = cli(capsys, "feeds", "--db", f"sqlite:///{tmp_path / 'typo.sqlite'}",
                    "--out", str(out))  # fmt: skip
    assert_one_line_error(code, err, "typo.sqlite")
    assert (out / "all.rss").read_text() == "<rss>published</rss>"
    assert sorted(p.name for p in out.iterdir()) == ["all.rss"]


def test_read_commands_refuse_an_unmigrated_database(capsys, tmp_path):
    path = tmp_path / "other.sqlite"
    sqlite3.connect(path).execute("CREATE TABLE notes (x TEXT)").connection.commit()
    code, err = cli(capsys, "export", "--db", f"sqlite:///{path}")
    assert_one_line_error(code, err, "no dvcrawl schema")
    tables = {r[0] for r in sqlite3.connect(path).execute("SELECT name FROM sqlite_master")}
    assert tables == {"notes"}


def test_db_upgrade_creates_the_database_then_reads_work(capsys, tmp_path):
    url = f"sqlite:///{tmp_path / 'new' / 'dvcrawl.sqlite'}"
    assert cli(capsys, "db", "upgrade", "--db", url)[0] == 0
    assert cli(capsys, "export", "--db", url)[0] == 0


@pytest.mark.parametrize("url", ["", "sqlite://", "sqlite:///:memory:"])
def test_empty_and_in_memory_database_urls_are_errors(capsys, url):
    code, err = cli(capsys, "export", "--db", url)
    assert_one_line_error(code, err, "--db is empty" if not url else repr(url))


# Finding 8: numbers and durations finite and bounded, one line and exit 2.
@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["schedule", "--every", "99999999999d"], "99999999999d"),
        (["schedule", "--timeout", "0s"], "--timeout"),
        (["crawl", "--delay", "nan"], "nan"),
        (["crawl", "--delay", "inf"], "inf"),
        (["serve", "--port", "70000"], "70000"),
        (["demo", "--scale", "0"], "--scale"),
        (["nosuchcommand"], "nosuchcommand"),
    ],
)
def test_bad_numbers_are_one_line_errors(capsys, args, named):
    code, err = cli(capsys, *args)
    assert_one_line_error(code, err, named)
    assert "usage:" not in err


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        ("interval = inf\n", "interval"),
        ("interval = nan\n", "interval"),
        ("timeout = nan\n", "timeout"),
        ('interval = "99999999999d"\n', "interval"),
    ],
)
def test_sources_durations_must_be_finite_and_bounded(capsys, tmp_path, extra, named):
    path = sources_file(tmp_path, SOURCE + extra)
    db = tmp_path / "db.sqlite"
    code, err = cli(capsys, "crawl", "--sources", path, "--db", f"sqlite:///{db}")
    assert_one_line_error(code, err, named, "hatinh")
    assert not db.exists()


def test_a_long_source_id_is_refused_and_shown_shortened(capsys, tmp_path):
    path = sources_file(tmp_path, SOURCE.replace('"hatinh"', '"' + "a" * 5000 + '"'))
    code, err = cli(capsys, "crawl", "--sources", path, "--db", f"sqlite:///{tmp_path / 'x.db'}")
    assert_one_line_error(code, err, "'id'", "1-64")
    assert len(err) < 600


def test_deeply_nested_toml_is_a_one_line_error(capsys, tmp_path):
    path = sources_file(tmp_path, "x = " + "[" * 50_000 + "]" * 50_000 + "\n")
    code, err = cli(capsys, "crawl", "--sources", path)
    assert_one_line_error(code, err, "nested too deeply")


def test_a_byte_order_mark_is_accepted(capsys, tmp_path):
    path = sources_file(tmp_path, SOURCE + "enabled = false\n", encoding="utf-8-sig")
    assert Path(path).read_bytes().startswith(b"\xef\xbb\xbf")
    # The file loads (its BOM is no error); its only source is disabled, which is one.
    code, err = cli(capsys, "crawl", "--sources", path, "--db", f"sqlite:///{tmp_path / 'x.db'}")
    assert_one_line_error(code, err, "every source is disabled")
    assert not (tmp_path / "x.db").exists()


@pytest.mark.parametrize("setting", ["CONCURRENT_REQUESTS=abc", "DOWNLOAD_TIMEOUT=nan",
                                     "ROBOTSTXT_OBEY=maybe", "DVCRAWL_MAX_PAGES=-1"])  # fmt: skip
def test_bad_scrapy_settings_fail_before_any_run_opens(capsys, tmp_path, setting):
    path = sources_file(tmp_path, SOURCE)
    db = tmp_path / "db.sqlite"
    code, err = cli(capsys, "crawl", "--sources", path, "--db", f"sqlite:///{db}", "-s", setting)
    assert_one_line_error(code, err, setting.split("=")[0])
    assert not db.exists()  # no database, so no run left "running"


def test_users_add_help_prints_no_doubled_percent(capsys):
    with pytest.raises(SystemExit):
        main(["users", "add", "--help"])
    out = capsys.readouterr().out
    assert "%%" not in out and "printf '%s" in out


def test_a_non_utf8_password_is_a_one_line_error(capsys, monkeypatch, sqlite_url):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"m\xe1t-kh\xe2u-d\xe0i\n")))
    code, err = cli(capsys, "users", "add", "lan", "--db", sqlite_url)
    assert_one_line_error(code, err, "not UTF-8")


def test_a_read_only_database_is_a_one_line_error_and_keeps_its_rows(capsys, monkeypatch, tmp_path):
    path = tmp_path / "ro.sqlite"
    db = Database(f"sqlite:///{path}")
    with db.session() as session:
        set_password(session, "lan", "mật khẩu cũ dài")
    db.dispose()
    monkeypatch.setattr(sys, "stdin", io.StringIO("mật khẩu mới dài\n"))
    ro_url = f"sqlite:///file:{path}?mode=ro&uri=true"
    code, err = cli(capsys, "users", "add", "lan", "--db", ro_url)
    assert_one_line_error(code, err, "read-only")
    with Database(f"sqlite:///{path}").session() as session:
        assert authenticate(session, "lan", "mật khẩu cũ dài")


def test_users_disable_refuses_sign_in_until_a_reset(capsys, monkeypatch, sqlite_url):
    db = Database(sqlite_url)
    with db.session() as session:
        set_password(session, "lan", "mật khẩu dài 1")
    assert cli(capsys, "users", "disable", "lan", "--db", sqlite_url)[0] == 0
    with db.session() as session:
        assert not authenticate(session, "lan", "mật khẩu dài 1")
    code, err = cli(capsys, "users", "disable", "khong-co", "--db", sqlite_url)
    assert_one_line_error(code, err, "khong-co")
    monkeypatch.setattr(sys, "stdin", io.StringIO("mật khẩu dài 2\n"))
    assert cli(capsys, "users", "add", "lan", "--db", sqlite_url)[0] == 0
    with db.session() as session:
        assert authenticate(session, "lan", "mật khẩu dài 2")


# Finding 5: `demo --out` deletes only what a demo wrote.
def test_demo_refuses_a_directory_with_a_foreign_demo_sqlite(capsys, tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "demo.sqlite").write_bytes(b"my own database")
    (out / "thesis.txt").write_text("keep me")
    code, err = cli(capsys, "demo", "--out", str(out))
    assert_one_line_error(code, err, str(out), ".dvcrawl-demo")
    assert (out / "demo.sqlite").read_bytes() == b"my own database"
    assert (out / "thesis.txt").read_text() == "keep me"


@pytest.mark.parametrize("kind", ["file", "unwritable"])
def test_demo_out_must_be_a_writable_directory(capsys, tmp_path, kind):
    target = tmp_path / "a-file"
    if kind == "file":
        target.write_text("not a directory")
    else:
        target = Path("/proc/dvcrawl-demo-here")  # /proc refuses new entries, even to root
    code, err = cli(capsys, "demo", "--out", str(target))
    assert_one_line_error(code, err, str(target))
    if kind == "file":
        assert target.read_text() == "not a directory"


# Finding 9: an expected drop is a DEBUG line naming the reason, never the article's text.
def test_expected_drops_log_below_warning_without_the_article():
    import logging

    from scrapy.logformatter import LogFormatter
    from scrapy.spiders import Spider
    from scrapy.utils.misc import load_object
    from scrapy.utils.test import get_crawler

    from dvcrawl import settings as dv_settings
    from dvcrawl.pipelines.drops import DuplicateUrl

    crawler = get_crawler(Spider, {"LOG_FORMATTER": dv_settings.LOG_FORMATTER})
    formatter = load_object(crawler.settings["LOG_FORMATTER"]).from_crawler(crawler)
    assert isinstance(formatter, LogFormatter)
    item = {"url": "https://x.vn/a.html", "text": "Nội dung rất dài của bài báo. " * 1000}
    spider = Spider("s")
    spider.crawler = crawler
    entry = formatter.dropped(
        item, DuplicateUrl("already stored: https://x.vn/a.html"), None, spider
    )
    assert entry["level"] < logging.WARNING
    line = entry["msg"] % entry["args"]
    assert "already stored: https://x.vn/a.html" in line and "Nội dung" not in line
