"""A tiny portal on loopback whose article pages fail on cue (503, hang, dropped connection).

The sample network fails one page once; frontier tests need pages that keep failing across
runs, a whole portal that goes down, and a listing with validators, under the test's control.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PARAGRAPH = (
    "Ban Dân vận Tỉnh ủy phối hợp với Ủy ban Mặt trận Tổ quốc tỉnh tổ chức hội nghị đối thoại "
    "giữa người đứng đầu cấp ủy, chính quyền với Nhân dân về thực hiện quy chế dân chủ ở cơ sở, "
    "lắng nghe ý kiến, kiến nghị của cử tri và giải quyết kịp thời những vấn đề dân quan tâm. "
)
PER_PAGE = 4


def article_path(n: int) -> str:
    return f"/tin-tuc/hoi-nghi-doi-thoai-dan-van-kheo-so-{n}-{10000 + n}.html"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 (http.server naming)
        portal: FlakyPortal = self.server.portal  # type: ignore[attr-defined]
        behaviour = portal.behaviour(self.path)
        if behaviour == "drop":  # mid-page (a drop before any byte is retried by Twisted)
            self.send_response(200)
            self.send_header("Content-Length", "5000")
            self.end_headers()
            self.wfile.write(b"<html>")
            self.close_connection = True
            return
        if behaviour == "hang":
            time.sleep(portal.hang_seconds)
            self.close_connection = True
            return
        if behaviour == "503":
            self._send(503, b"busy", {"Retry-After": "1"})
            return
        status, body, headers = portal.page(self.path, self.headers.get("If-None-Match"))
        self._send(status, body, headers)

    def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for key, value in {"Content-Type": "text/html; charset=utf-8", **headers}.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body) if status != 304 else 0))
        self.end_headers()
        if status != 304:
            self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


class FlakyPortal:
    """``fail[path] = ["503", "hang", ...]``: how the next requests of ``path`` are answered."""

    def __init__(self, articles: int = 8, hang_seconds: float = 3.0) -> None:
        self.articles = articles
        self.hang_seconds = hang_seconds
        self.fail: dict[str, list[str]] = {}
        self.down = False
        self.requests: Counter[str] = Counter()
        self.statuses: list[tuple[str, int | str]] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.portal = self  # type: ignore[attr-defined]
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> FlakyPortal:
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    def sources_toml(self) -> str:
        return f'[[sources]]\nid = "flaky"\nname = "Flaky"\nstart_urls = ["{self.base_url}/"]\n'

    def behaviour(self, path: str) -> str | None:
        with self._lock:
            self.requests[path] += 1
            if path == "/robots.txt":
                return None
            if self.down:
                return "drop"
            queue = self.fail.get(path)
            return queue.pop(0) if queue else None

    def clear(self) -> None:
        with self._lock:
            self.requests.clear()

    def page(self, path: str, etag_asked: str | None) -> tuple[int, bytes, dict[str, str]]:
        if path == "/robots.txt":
            return 200, b"User-agent: *\nDisallow:\n", {"Content-Type": "text/plain"}
        if path in ("/", "/?page=2"):
            body = self._listing(1 if path == "/" else 2)
            etag = f'"{hashlib.md5(body).hexdigest()}"'
            if etag_asked == etag:
                return 304, b"", {"ETag": etag}
            return 200, body, {"ETag": etag}
        for n in range(1, self.articles + 1):
            if path == article_path(n):
                return 200, self._article(n), {}
        return 404, b"<h1>404</h1>", {}

    def _listing(self, page: int) -> bytes:
        numbers = range((page - 1) * PER_PAGE + 1, min(page * PER_PAGE, self.articles) + 1)
        items = "".join(
            f'<li><a href="{article_path(n)}">Hội nghị đối thoại dân vận khéo số {n} '
            f"tại xã vùng cao của tỉnh</a></li>"
            for n in numbers
        )
        more = '<a href="/?page=2">2</a>' if page == 1 and self.articles > PER_PAGE else ""
        return (
            f"<html><head><title>Tin tức</title></head><body><ul>{items}</ul>"
            f'<div class="paging">{more}</div></body></html>'
        ).encode()

    def _article(self, n: int) -> bytes:
        title = f"Hội nghị đối thoại dân vận khéo số {n} tại xã vùng cao của tỉnh"
        paragraphs = "".join(f"<p>{PARAGRAPH * 2}Đoạn {i} của bài {n}.</p>" for i in range(6))
        return (
            f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            f'<div class="date">Thứ hai, 07/12/2026 08:{n:02d}</div>'
            f'<div class="content">{paragraphs}</div></article></body></html>'
        ).encode()
