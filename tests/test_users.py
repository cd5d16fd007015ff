"""Staff accounts: argon2 hashes, and `dvcrawl users add NAME` reading the password from stdin."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from dvcrawl.cli import main
from dvcrawl.errors import DvcrawlError
from dvcrawl.storage.db import Database
from dvcrawl.storage.models import User
from dvcrawl.storage.users import authenticate, set_password


def _hash(url: str, name: str) -> str | None:
    with Database(url).session() as session:
        return session.scalar(select(User.password_hash).where(User.name == name))


def test_passwords_are_argon2_hashes(db_url):
    db = Database(db_url)
    with db.session() as session:
        assert set_password(session, "lan", "bí mật quốc gia") is True
    stored = _hash(db_url, "lan")
    assert stored.startswith("$argon2id$") and "bí mật quốc gia" not in stored
    with db.session() as session:
        assert authenticate(session, "lan", "bí mật quốc gia")
        assert not authenticate(session, "lan", "bi mat")
        assert not authenticate(session, "khong-co", "bí mật quốc gia")
    db.dispose()


def test_adding_again_resets_the_password(sqlite_url):
    with Database(sqlite_url).session() as session:
        set_password(session, "lan", "mật khẩu cũ")
        assert set_password(session, "lan", "mật khẩu mới") is False
        assert authenticate(session, "lan", "mật khẩu mới") and not authenticate(
            session, "lan", "mật khẩu cũ"
        )
        assert len(session.scalars(select(User)).all()) == 1


@pytest.mark.parametrize(
    ("name", "password"),
    [("", "đủ dài rồi"), ("có dấu cách", "đủ dài rồi"), ("lan", ""), ("lan", "ngắn")],
)
def test_bad_name_or_empty_password_is_refused(sqlite_url, name, password):
    with Database(sqlite_url).session() as session, pytest.raises(DvcrawlError):
        set_password(session, name, password)


def test_cli_reads_the_password_from_stdin(sqlite_url, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("mật khẩu dài\nthừa\n"))
    assert main(["users", "add", "lan", "--db", sqlite_url]) == 0
    assert "created user lan" in capsys.readouterr().out
    with Database(sqlite_url).session() as session:
        assert authenticate(session, "lan", "mật khẩu dài")
    monkeypatch.setattr("sys.stdin", io.StringIO("mật khẩu khác\n"))
    assert main(["users", "add", "lan", "--db", sqlite_url]) == 0
    assert "password reset" in capsys.readouterr().out


def test_cli_refuses_an_empty_password(sqlite_url, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("\n"))
    assert main(["users", "add", "lan", "--db", sqlite_url]) == 2
    assert "empty password" in capsys.readouterr().err
    assert _hash(sqlite_url, "lan") is None


def test_a_started_desk_hashes_nothing_on_an_unknown_names_first_login(sqlite_url, monkeypatch):
    """An unknown name must cost what a wrong password costs, from the very first login: the
    desk makes its dummy hash when it starts, not during the first anonymous request."""
    from argon2 import PasswordHasher

    from dvcrawl.storage import users
    from dvcrawl.web.app import create_app

    users._dummy_hash.cache_clear()  # as in a process that has just started
    create_app(sqlite_url)
    hashed = []
    real_hash = PasswordHasher.hash
    monkeypatch.setattr(
        PasswordHasher,
        "hash",
        lambda self, pw, **kw: hashed.append(pw) or real_hash(self, pw, **kw),
    )
    with Database(sqlite_url).session() as session:
        assert not authenticate(session, "khong-co-ai", "mật khẩu bất kỳ")
    assert hashed == []
