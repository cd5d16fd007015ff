"""`dvcrawl serve` on a port that is taken: one clear line, exit 2."""

from __future__ import annotations

import socket

from dvcrawl.storage.db import Database


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
