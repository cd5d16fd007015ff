"""Helpers shared by the review desk tests (test_web.py, test_web_browser.py); no tests here.

Builds a desk over a throwaway database with one staff account and a few sources and articles,
signs a TestClient in, and pulls the CSRF token out of a page as a browser would.
"""

from __future__ import annotations

import re
import socket
from datetime import datetime
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from dvcrawl.storage.articles import published_at_utc
from dvcrawl.storage.models import Article, Source
from dvcrawl.storage.users import set_password
from dvcrawl.web.app import create_app

USER, PASSWORD = "lan", "mật-khẩu đủ dài 1"
# Payloads a hostile page could carry in its title or body.
XSS_TITLE = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned=2"> Tiêu đề'
XSS_TEXT = 'Đoạn một.\n<img src=x onerror="window.__pwned=3;alert(1)">\n<script>alert(2)</script>'
# A hidden form field named csrf_token: <input type="hidden" name="csrf_token" value="...">
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')

SOURCES = [
    ("hatinh", "Cổng TTĐT Đảng bộ tỉnh Hà Tĩnh", "Hà Tĩnh"),
    ("nghean", "Báo Nghệ An", "Nghệ An"),
]


def article(n: int, source: str = "hatinh", **fields) -> Article:
    """An article numbered ``n`` (published on day ``n`` of January 2024 unless given)."""
    published = fields.pop("published", f"2024-01-{n:02d}")
    values = {
        "url": f"https://{source}.example.vn/bai-{n}.html",
        "source_id": source,
        "title": f"Bài số {n}",
        "text": f"Nội dung bài {n}.",
        "published": published,
        "published_at": published_at_utc(published),
        "relevant": True,
        "relevance_score": 0.8,
        "relevance_terms": ["dân vận"],
        "fetched_at": datetime(2024, 2, 1),
    }
    values.update(fields)
    return Article(**values)


def make_desk(db_url: str, feeds_dir: Path | None = None, articles=()) -> FastAPI:
    """A desk over ``db_url`` with the staff account, the sources and ``articles`` stored."""
    app = create_app(db_url, feeds_dir=feeds_dir, secret_key="test-secret")
    with app.state.db.session() as session:
        set_password(session, USER, PASSWORD)
        for ident, name, province in SOURCES:
            session.add(Source(id=ident, name=name, province=province, start_urls=[]))
        session.add_all(list(articles))
    return app


def csrf_of(html: str) -> str:
    found = _CSRF.search(html)
    assert found, "page has no CSRF field"
    return found.group(1)


def login(client: TestClient, user: str = USER, password: str = PASSWORD, next_path: str = "/"):
    """Sign ``client`` in through the form, as a browser would; returns the POST's response."""
    token = csrf_of(client.get("/login").text)
    form = {"username": user, "password": password, "csrf_token": token, "next": next_path}
    return client.post("/login", data=form, follow_redirects=False)


def free_port() -> int:
    """A loopback port nothing listens on now (for a `dvcrawl serve` child)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
