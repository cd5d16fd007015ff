"""Signing in and out: argon2-checked passwords, rate-limited attempts, no open redirects."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from dvcrawl.storage.users import authenticate
from dvcrawl.web.render import render
from dvcrawl.web.security import SESSION_USER, check_csrf, safe_next

log = logging.getLogger(__name__)
router = APIRouter()


@router.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    if request.session.get(SESSION_USER):
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "login.html", next=safe_next(next))


@router.post("/login", dependencies=[Depends(check_csrf)])
def login(
    request: Request,
    username: str = Form(""),
    password: str = Form(""),
    next: str = Form("/"),
) -> Response:
    limiter = request.app.state.login_limiter
    address = request.client.host if request.client else "?"
    target = safe_next(next)
    if limiter.blocked(username, address):
        log.warning("sign-in refused for %r from %s: too many failures", username, address)
        message = "Quá nhiều lần đăng nhập sai. Vui lòng thử lại sau một phút."
        response = render(request, "login.html", 429, next=target, error=message, username=username)
        response.headers["Retry-After"] = str(int(limiter.window))
        return response
    with request.app.state.db.session() as session:
        ok = bool(username) and authenticate(session, username, password)
    if not ok:
        limiter.failed(username, address)
        log.warning("failed sign-in for %r from %s", username, address)
        message = "Sai tên đăng nhập hoặc mật khẩu."
        return render(request, "login.html", 401, next=target, error=message, username=username)
    limiter.succeeded(username, address)
    log.info("%s signed in from %s", username, address)
    # A fresh session on sign-in (new CSRF token too): a token seen before login is worthless.
    request.session.clear()
    request.session[SESSION_USER] = username
    return RedirectResponse(target, status_code=303)


@router.post("/logout", dependencies=[Depends(check_csrf)])
def logout(request: Request) -> Response:
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
