"""Who may do what: sessions, CSRF tokens, login rate limits, safe redirects, security headers.

Everything the desk shows comes from scraped pages, so the headers forbid inline scripts and
foreign resources; and every state-changing request must carry the session's CSRF token.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import OrderedDict, deque
from urllib.parse import urlsplit

from fastapi import HTTPException, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SESSION_USER = "user"
SESSION_CSRF = "csrf"
SESSION_VERSION = "sv"  # the account's session version when the session began
SESSION_ISSUED = "iat"  # when it began (epoch seconds): sessions end this long after

# No inline script or style, nothing from another origin, no framing: scraped text that slipped
# through escaping still could not run or load anything.
SECURITY_HEADERS = {
    b"content-security-policy": (
        b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        b"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    b"x-content-type-options": b"nosniff",
    b"referrer-policy": b"same-origin",
    b"x-frame-options": b"DENY",
}


class LoginRequired(Exception):
    """Raised by :func:`current_user` for an anonymous visitor; answered with a redirect."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use (templates put it in every form)."""
    token = request.session.get(SESSION_CSRF)
    if not token:
        token = secrets.token_urlsafe(32)
        request.session[SESSION_CSRF] = token
    return token


async def check_csrf(request: Request) -> None:
    """Refuse (403) a state-changing request whose token is missing or not the session's."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        form = await request.form()
        sent = form.get(CSRF_FIELD)
    expected = request.session.get(SESSION_CSRF)
    if not expected or not isinstance(sent, str) or not hmac.compare_digest(sent, expected):
        raise HTTPException(status_code=403, detail="CSRF token missing or invalid")


def start_session(request: Request, user: str, version: int) -> None:
    """A fresh session for ``user`` (new CSRF token too: one seen before sign-in is worthless)."""
    request.session.clear()
    request.session.update({SESSION_USER: user, SESSION_VERSION: version,
                            SESSION_ISSUED: int(time.time())})  # fmt: skip
    request.state.signed_in = user


def _session_live(request: Request, user: str) -> bool:
    """Younger than the absolute lifetime, and issued under the account's current session
    version (logout, a password reset or `users disable` bump it)."""
    from dvcrawl.storage.users import live_session_version

    issued, version = request.session.get(SESSION_ISSUED), request.session.get(SESSION_VERSION)
    if not isinstance(issued, int) or not isinstance(version, int) or not isinstance(user, str):
        return False
    if not 0 <= time.time() - issued < request.app.state.session_lifetime:
        return False
    with request.app.state.db.session() as session:
        return live_session_version(session, user) == version


def signed_in_user(request: Request) -> str | None:
    """The member this request's session belongs to, checked against the database on every
    request; an ended session is cleared (so its cookie is dropped too). The answer is kept
    for the rest of the request, so the page's header and its route ask the database once."""
    if hasattr(request.state, "signed_in"):
        return request.state.signed_in
    user = request.session.get(SESSION_USER)
    if user and not _session_live(request, user):
        request.session.clear()
        user = None
    request.state.signed_in = user or None
    return request.state.signed_in


def current_user(request: Request) -> str:
    """The signed-in staff member's name; anonymous visitors are sent to /login."""
    user = signed_in_user(request)
    if not user:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LoginRequired(target)
    return user


def safe_next(target: str | None, default: str = "/") -> str:
    """``target`` if it is a path on this site, else ``default``: no open redirect after login.

    Refuses absolute URLs, scheme-relative ones ("//evil.example") and backslash tricks
    ("/\\evil.example", which browsers read as "//evil.example").
    """
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(ch in target for ch in "\\\r\n\t"):
        return default
    return target


class LoginLimiter:
    """Failed sign-ins counted per (name, address), per address and overall, in memory.

    5 a minute per name and address: enough for a mistyped password or two, far too few to
    guess one; 20 per address, so rotating names does not help; 100 overall, so a flood from
    many addresses costs at most that many argon2 hashes (64 MiB each) a minute. Names are cut
    to :data:`NAME_KEY` characters and at most ``max_keys`` counters are kept (oldest dropped),
    so anonymous requests cannot grow memory. `dvcrawl serve` is one process, and a restart
    forgetting the counts is harmless.
    """

    NAME_KEY = 121  # one past the longest valid user name

    def __init__(self, limit: int = 5, window: float = 60.0, *, per_address: int = 20,
                 overall: int = 100, max_keys: int = 10_000) -> None:  # fmt: skip
        self.limit, self.window, self.max_keys = limit, window, max_keys
        self._limits = {"name": limit, "address": per_address, "all": overall}
        self._failures: OrderedDict[tuple, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def _keys(self, user: str, address: str) -> list[tuple]:
        return [("name", user[: self.NAME_KEY], address), ("address", address), ("all",)]

    def _recent(self, key: tuple, now: float) -> deque[float]:
        times = self._failures.get(key)
        if times is None:
            times = self._failures[key] = deque(maxlen=self._limits[key[0]])
            while len(self._failures) > self.max_keys:
                self._failures.popitem(last=False)
        self._failures.move_to_end(key)
        while times and now - times[0] > self.window:
            times.popleft()
        return times

    def blocked(self, user: str, address: str) -> bool:
        with self._lock:
            now = time.monotonic()
            return any(
                len(self._recent(k, now)) >= self._limits[k[0]] for k in self._keys(user, address)
            )

    def failed(self, user: str, address: str) -> None:
        with self._lock:
            now = time.monotonic()
            for key in self._keys(user, address):
                self._recent(key, now).append(now)

    def succeeded(self, user: str, address: str) -> None:
        with self._lock:
            self._failures.pop(self._keys(user, address)[0], None)

    def __len__(self) -> int:
        return len(self._failures)


class SecurityHeaders:
    """ASGI middleware adding :data:`SECURITY_HEADERS` to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS.items() if k not in names]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)
