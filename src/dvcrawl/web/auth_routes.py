"""Signing in and out: argon2-checked passwords, rate-limited attempts, no open redirects."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from dvcrawl.errors import DvcrawlError
from dvcrawl.storage.users import authenticate, end_sessions, live_session_version, validate_name
from dvcrawl.web.render import render
from dvcrawl.web.security import check_csrf, safe_next, signed_in_user, start_session

log = logging.getLogger(__name__)
router = APIRouter()


@router.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    if signed_in_user(request):
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "login.html", next=safe_next(next))


def _valid_name(name: str) -> bool:
    try:
        validate_name(name)
    except DvcrawlError:
        return False
    return True


def _check(request: Request, username: str, password: str) -> int | None:
    """The account's session version when the password is right, else None. A name that
    cannot exist costs no hash (it would be a free way to burn 64 MiB of argon2)."""
    if not _valid_name(username):
        return None
    with request.app.state.db.session() as session:
        if not authenticate(session, username, password):
            return None
        return live_session_version(session, username)


@router.post("/login", dependencies=[Depends(check_csrf)])
def login(
    request: Request,
    username: str = Form(""),
    password: str = Form(""),
    next: str = Form("/"),
) -> Response:
    limiter = request.app.state.login_limiter
    address = request.client.host if request.client else "?"
    target, shown = safe_next(next), username[:60]  # logs and the form get a bounded name
    if limiter.blocked(username, address):
        log.warning("sign-in refused for %r from %s: too many failures", shown, address)
        message = "Quá nhiều lần đăng nhập sai. Vui lòng thử lại sau một phút."
        response = render(request, "login.html", 429, next=target, error=message, username=shown)
        response.headers["Retry-After"] = str(int(limiter.window))
        return response
    version = _check(request, username, password)
    if version is None:
        limiter.failed(username, address)
        log.warning("failed sign-in for %r from %s", shown, address)
        message = "Sai tên đăng nhập hoặc mật khẩu."
        return render(request, "login.html", 401, next=target, error=message, username=shown)
    limiter.succeeded(username, address)
    log.info("%s signed in from %s", username, address)
    start_session(request, username, version)
    return RedirectResponse(target, status_code=303)


@router.post("/logout", dependencies=[Depends(check_csrf)])
def logout(request: Request) -> Response:
    """Sign out everywhere: the account's other sessions (a copied cookie too) end with this one."""
    user = signed_in_user(request)
    if user:
        with request.app.state.db.session() as session:
            end_sessions(session, user)
    request.session.clear()
    request.state.signed_in = None
    return RedirectResponse("/login", status_code=303)
