"""``dvcrawl serve``: the staff review desk and the feed files, over HTTP with uvicorn."""

from __future__ import annotations

import argparse
import logging
import socket
from pathlib import Path

from dvcrawl.cli.common import add_db_arg
from dvcrawl.config import default_feeds_dir, resolve_db_url
from dvcrawl.errors import DvcrawlError
from dvcrawl.settings_table import SETTINGS, argtype

log = logging.getLogger(__name__)
# Signs the session cookie; set it so sign-ins survive a restart (else a random key per run).
SECRET_ENV = SETTINGS["secret_key"].env


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="serve the staff review interface and the feeds",
        description="Serve the staff review desk at / and the feed files at /feeds/<file>. "
        f"Set ${SECRET_ENV} to keep sign-ins across restarts.",
    )
    add_db_arg(parser)
    host, port = SETTINGS["host"].default, SETTINGS["port"].default
    parser.add_argument(
        "--host", type=argtype("host"), default=host, help=f"address to listen on ({host})"
    )
    parser.add_argument("--port", type=argtype("port"), default=port, help=f"port ({port})")
    parser.add_argument(
        "--feeds-dir",
        metavar="DIR",
        type=Path,
        help="directory of built feeds served at /feeds/ (default: <data dir>/feeds)",
    )
    parser.add_argument(
        "--forwarded-allow-ips",
        metavar="ADDRS",
        type=argtype("forwarded_allow_ips"),
        help="comma-separated addresses of the reverse proxy whose X-Forwarded-For and "
        "X-Forwarded-Proto are believed (default: $DVCRAWL_FORWARDED_ALLOW_IPS, else none: "
        "proxy headers are ignored). See docs/security.md",
    )
    parser.add_argument(
        "--secure-cookies",
        action="store_true",
        default=None,
        help="mark the session cookie Secure even over plain HTTP (it is anyway over HTTPS "
        "or behind a trusted proxy that says X-Forwarded-Proto: https)",
    )
    parser.add_argument(
        "--max-request-bytes",
        metavar="N",
        type=argtype("max_request_bytes"),
        help="largest request body read (default: $DVCRAWL_MAX_REQUEST_BYTES, else 1000000)",
    )
    parser.set_defaults(func=run)


def _setting(args: argparse.Namespace, key: str):
    """The flag's value, else the environment's, else the default (settings_table)."""
    return SETTINGS[key].value(getattr(args, key, None))


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from dvcrawl.storage.db import open_existing
    from dvcrawl.web.app import create_app

    feeds_dir = args.feeds_dir or default_feeds_dir()
    secret = SETTINGS["secret_key"].env_given()
    if not secret:
        log.warning("%s is not set: sign-ins end when the server stops", SECRET_ENV)
    db_url = resolve_db_url(args.db)
    open_existing(db_url).dispose()  # serving a mistyped --db would show an empty desk
    proxies = _setting(args, "forwarded_allow_ips")
    app = create_app(
        db_url,
        feeds_dir=feeds_dir,
        secret_key=secret,
        max_request_bytes=_setting(args, "max_request_bytes"),
        session_lifetime=int(SETTINGS["session_hours"].value() * 3600),
        secure_cookies=bool(_setting(args, "secure_cookies")),
    )
    sock = bind(args.host, args.port)
    log.info("review desk on http://%s:%d/ (feeds from %s)", args.host, args.port, feeds_dir)
    # Proxy headers only from the proxies the operator named: from anyone else, a rotated
    # X-Forwarded-For would fake the address the login limiter counts (issue 13).
    config = uvicorn.Config(
        app,
        log_level="warning",
        host=args.host,
        proxy_headers=bool(proxies),
        forwarded_allow_ips=proxies or "",
    )
    server = uvicorn.Server(config)
    server.run(sockets=[sock])
    return 0


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, bound before anything is announced: a busy port is one clear
    error (exit 2), not a start-up banner followed by uvicorn's traceback."""
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError as exc:
        raise DvcrawlError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    return sock
