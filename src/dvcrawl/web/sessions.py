"""The signed session cookie, and the request-size limit: two ASGI middlewares.

Starlette's SessionMiddleware re-signs the cookie on every response, so a copied cookie
never expires while it is used. This one signs it only when the session changed (sign-in,
a new CSRF token, sign-out), so its signature dates from then and ``max_age`` is absolute;
revocation itself is server-side (the account's session version, web/security.py). The cookie
is ``Secure`` when the request came over HTTPS (or a trusted proxy said so) or when forced.
"""

from __future__ import annotations

import json
from base64 import b64decode, b64encode
from http.cookies import SimpleCookie

from itsdangerous import BadSignature, TimestampSigner
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Pages a signed-in member sees hold unpublished decisions: no shared or back-button cache.
NO_STORE = b"no-store"
# A cookie header far beyond anything we set is an attack on the JSON decoder, not a session.
MAX_COOKIE = 8192


class SessionCookie:
    """``scope["session"]``: a dict loaded from, and saved into, one signed cookie."""

    def __init__(
        self,
        app: ASGIApp,
        secret_key: str,
        *,
        cookie: str,
        max_age: int,
        force_secure: bool = False,
    ) -> None:
        self.app, self.cookie, self.max_age = app, cookie, max_age
        self.signer = TimestampSigner(secret_key)
        self.force_secure = force_secure

    def _load(self, scope: Scope) -> dict:
        raw = MutableHeaders(scope=scope).get("cookie", "")
        if not raw or len(raw) > MAX_COOKIE:
            return {}
        jar = SimpleCookie()
        try:
            jar.load(raw)
            signed = jar[self.cookie].value.encode()
            data = json.loads(b64decode(self.signer.unsign(signed, max_age=self.max_age)))
        except (KeyError, BadSignature, ValueError, TypeError):
            return {}
        return data if isinstance(data, dict) else {}

    def _header(self, scope: Scope, session: dict) -> str:
        secure = self.force_secure or scope.get("scheme") == "https"
        flags = "; path=/; HttpOnly; SameSite=Lax" + ("; Secure" if secure else "")
        if not session:
            return f"{self.cookie}=null; Max-Age=0{flags}"
        value = self.signer.sign(b64encode(json.dumps(session).encode())).decode()
        return f"{self.cookie}={value}; Max-Age={self.max_age}{flags}"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        loaded = self._load(scope)
        scope["session"] = dict(loaded)

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                session = scope["session"]
                if session != loaded:
                    headers.append("set-cookie", self._header(scope, session))
                if loaded or session:
                    headers["cache-control"] = NO_STORE.decode()
            await send(message)

        await self.app(scope, receive, send_with_cookie)


class BodyLimit:
    """Refuse (413) a request whose body is larger than ``max_bytes``, before it is parsed.

    A declared Content-Length over the limit is refused at once; a chunked or lying body is
    counted as it streams and cut off at the limit, so an anonymous 1 GB POST costs nothing.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def _refuse(self, send: Send) -> None:
        body = f"Request body larger than {self.max_bytes} bytes\n".encode()
        headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"connection", b"close"),
                   (b"content-length", str(len(body)).encode())]  # fmt: skip
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = MutableHeaders(scope=scope).get("content-length", "")
        if declared and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._refuse(send)
            return
        seen, started, refused = 0, False, False

        async def counted() -> Message:
            # Past the limit: answer 413 now and tell the app the client left, so nothing
            # more is read (FastAPI turns an error raised here into its own 400).
            nonlocal seen, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    refused = True
                    if not started:
                        await self._refuse(send)
                    return {"type": "http.disconnect"}
            return message

        async def tracked(message: Message) -> None:
            nonlocal started
            if refused:
                return  # the 413 is the answer; whatever the app says after it is dropped
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except Exception:
            if not refused:
                raise
