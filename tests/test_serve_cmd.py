"""`dvcrawl serve`: a taken port or a missing database is one clear line and exit 2; proxy
headers are believed only from the proxies the operator names."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from dvcrawl.storage.db import Database
from dvcrawl.storage.users import set_password
from test_web_support import csrf_of, free_port


def test_busy_port_is_a_clear_error(run_cli, sqlite_url):
    Database(sqlite_url).dispose()  # serve refuses a database that does not exist yet
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = run_cli("serve", "--db", sqlite_url, "--host", "127.0.0.1", "--port", str(port))
    assert done.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in done.stderr
    assert "Traceback" not in done.stderr


@contextmanager
def serving(db_url: str, *extra: str) -> Iterator[str]:
    """`dvcrawl serve` in a child process; yields its base URL."""
    port = free_port()
    env = {**os.environ, "DVCRAWL_SECRET_KEY": "test"}
    child = subprocess.Popen(
        [sys.executable, "-m", "dvcrawl", "serve", "--db", db_url, "--port", str(port), *extra],
        env=env, stderr=subprocess.PIPE,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                httpx.get(f"{base}/login", timeout=1)
                break
            except httpx.TransportError:
                assert child.poll() is None, child.stderr.read().decode()
                time.sleep(0.1)
        yield base
    finally:
        child.terminate()
        child.wait(timeout=10)


def bad_logins(base: str, count: int, **headers: str) -> list[httpx.Response]:
    """``count`` wrong passwords, each from a new X-Forwarded-For address."""
    answers = []
    with httpx.Client(base_url=base) as client:
        token = csrf_of(client.get("/login").text)
        for n in range(count):
            form = {"username": "lan", "password": "sai mật khẩu", "csrf_token": token}
            spoof = {"X-Forwarded-For": f"203.0.113.{n}", **headers}
            answers.append(client.post("/login", data=form, headers=spoof))
    return answers


def test_proxy_headers_are_ignored_unless_the_proxy_is_named(sqlite_url):
    with Database(sqlite_url).session() as session:
        set_password(session, "lan", "mật khẩu đúng dài")
    with serving(sqlite_url) as base:
        # Rotating X-Forwarded-For from an unnamed client changes nothing: the sixth is refused.
        assert [r.status_code for r in bad_logins(base, 6)] == [401] * 5 + [429]
        assert "Secure" not in httpx.get(f"{base}/login").headers["set-cookie"]
    with serving(sqlite_url, "--forwarded-allow-ips", "127.0.0.1") as base:
        # From the named proxy, each forwarded address is counted on its own ...
        assert [r.status_code for r in bad_logins(base, 6)] == [401] * 6
        # ... and its X-Forwarded-Proto: https makes the cookie Secure.
        cookie = httpx.get(f"{base}/login", headers={"X-Forwarded-Proto": "https"})
        assert "; Secure" in cookie.headers["set-cookie"]


def test_serve_refuses_a_missing_database(run_cli, tmp_path):
    missing = tmp_path / "typo.sqlite"
    done = run_cli("serve", "--db", f"sqlite:///{missing}", "--port", str(free_port()))
    assert done.returncode == 2 and "no database at" in done.stderr
    assert not missing.exists()
