"""The review desk application: middleware, routes and the database it works on."""

from __future__ import annotations

import secrets
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.middleware.gzip import GZipMiddleware

from dvcrawl.storage import users
from dvcrawl.storage.db import Database
from dvcrawl.web import auth_routes, feeds_routes, ops_routes, queue_routes, search_routes
from dvcrawl.web.render import render
from dvcrawl.web.security import LoginLimiter, LoginRequired, SecurityHeaders
from dvcrawl.web.sessions import BodyLimit, SessionCookie

STATIC_DIR = Path(__file__).with_name("static")
SESSION_COOKIE = "dvcrawl_session"
SESSION_MAX_AGE = 12 * 3600  # one working day: staff sign in again each morning
MAX_REQUEST_BYTES = 1_000_000  # the desk's forms are a few KB; 1 MB leaves room, 1 GB doesn't


def _install_handlers(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def _to_login(request: Request, exc: LoginRequired) -> Response:
        return RedirectResponse(f"/login?next={quote(exc.next_path, safe='')}", status_code=303)

    @app.exception_handler(RequestValidationError)
    async def _bad_input(request: Request, exc: RequestValidationError) -> Response:
        fields = sorted({str(error["loc"][-1]) for error in exc.errors()})
        message = f"Dữ liệu không hợp lệ ở trường: {', '.join(fields)}"
        return render(request, "error.html", 400, message=message)

    @app.exception_handler(HTTPException)
    async def _http_error(request: Request, exc: HTTPException) -> Response:
        response = render(request, "error.html", exc.status_code, message=str(exc.detail))
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        return response


def create_app(
    db_url: str,
    *,
    feeds_dir: Path | None = None,
    secret_key: str | None = None,
    max_request_bytes: int = MAX_REQUEST_BYTES,
    session_lifetime: int = SESSION_MAX_AGE,
    secure_cookies: bool = False,
) -> FastAPI:
    """The desk for the database at ``db_url``; ``feeds_dir`` holds the built feed files.

    Without ``secret_key`` a random one is drawn, so sessions end when the process does.
    Sessions last at most ``session_lifetime`` seconds from sign-in; ``secure_cookies``
    marks the cookie Secure even when the request did not come over HTTPS.
    """
    app = FastAPI(title="dvcrawl", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.db = Database(db_url)
    app.state.feeds_dir = Path(feeds_dir) if feeds_dir else None
    app.state.login_limiter = LoginLimiter()
    users.prepare_logins()
    app.state.session_lifetime = session_lifetime
    # Added innermost first: the headers wrap every answer (a 413 too), then the size limit
    # before any body is read, then the signed session cookie (HttpOnly, SameSite=Lax so
    # cross-site POSTs carry no session), then gzip.
    app.add_middleware(GZipMiddleware, minimum_size=1000)
    app.add_middleware(
        SessionCookie,
        secret_key=secret_key or secrets.token_urlsafe(32),
        cookie=SESSION_COOKIE,
        max_age=session_lifetime,
        force_secure=secure_cookies,
    )
    app.add_middleware(BodyLimit, max_bytes=max_request_bytes)
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    # The feeds stay public: their router carries no sign-in dependency.
    for module in (auth_routes, queue_routes, search_routes, ops_routes, feeds_routes):
        app.include_router(module.router)
    _install_handlers(app)
    return app
