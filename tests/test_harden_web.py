"""Issue 13 on the review desk: sessions that end, a bounded login limiter, a request-size
limit, and bad input answered with 400/404 and the security headers, never 500."""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete

from dvcrawl.cli import main
from dvcrawl.storage import users as users_module
from dvcrawl.storage.models import User
from dvcrawl.storage.users import set_password
from dvcrawl.web.app import create_app
from dvcrawl.web.security import LoginLimiter
from test_web_support import USER, article, csrf_of, login, make_desk

CSP = "content-security-policy"


@pytest.fixture
def desk(sqlite_url):
    return make_desk(sqlite_url, articles=[article(1), article(2)])


def signed_in(app, **client_args) -> TestClient:
    client = TestClient(app, **client_args)
    assert login(client).status_code == 303
    return client


def copy_of(app, client: TestClient) -> TestClient:
    """A second browser holding a copy of ``client``'s session cookie (a stolen cookie)."""
    thief = TestClient(app, base_url=str(client.base_url))
    thief.cookies.update(client.cookies)
    return thief


def is_signed_in(client: TestClient) -> bool:
    response = client.get("/", follow_redirects=False)
    assert response.status_code in (200, 303), response.status_code
    return response.status_code == 200


# Finding 4: sessions can be ended.
def test_logout_ends_every_copy_of_the_cookie(desk):
    client = signed_in(desk)
    thief = copy_of(desk, client)
    assert is_signed_in(thief)
    token = csrf_of(client.get("/").text)
    client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert not is_signed_in(thief)


def test_password_reset_and_deleted_account_end_sessions(desk):
    client = signed_in(desk)
    with desk.state.db.session() as session:
        set_password(session, USER, "một mật khẩu mới")
    assert not is_signed_in(client)
    client = TestClient(desk)
    assert login(client, password="một mật khẩu mới").status_code == 303
    assert is_signed_in(client)
    with desk.state.db.session() as session:
        session.execute(delete(User))
    assert not is_signed_in(client)


def test_users_disable_ends_sessions_and_refuses_sign_in(desk, sqlite_url, capsys):
    client = signed_in(desk)
    assert main(["users", "disable", USER, "--db", sqlite_url]) == 0
    assert not is_signed_in(client)
    assert login(TestClient(desk)).status_code == 401


def test_sessions_have_an_absolute_lifetime(sqlite_url):
    app = make_desk(sqlite_url)
    app.state.session_lifetime = 2
    client = signed_in(app)
    assert is_signed_in(client)
    time.sleep(2.2)
    assert not is_signed_in(client)


def test_the_cookie_is_not_re_signed_on_every_response(desk):
    client = signed_in(desk)
    client.get("/")  # the first page may add the CSRF token to the session
    again = client.get("/")
    assert again.status_code == 200 and "set-cookie" not in again.headers
    assert again.headers["cache-control"] == "no-store"


@pytest.mark.parametrize(
    ("base_url", "force", "secure"),
    [("http://testserver", False, False), ("https://testserver", False, True),
     ("http://testserver", True, True)],
)  # fmt: skip
def test_cookie_is_secure_over_https_or_when_forced(sqlite_url, base_url, force, secure):
    app = create_app(sqlite_url, secret_key="k", secure_cookies=force)
    response = TestClient(app, base_url=base_url).get("/login")
    assert response.status_code == 200
    assert ("; Secure" in response.headers["set-cookie"]) is secure


# Findings 2 and 3: the limiter is bounded and never hashes for a throttled name.
def test_the_limiter_keeps_a_bounded_number_of_counters():
    limiter = LoginLimiter(max_keys=1000)
    for n in range(5000):
        limiter.failed(f"user{n}" + "x" * 10_000, f"10.0.{n // 250}.{n % 250}")
    assert len(limiter) <= 1000


def test_the_limiter_limits_per_address_and_overall():
    limiter = LoginLimiter(limit=5, per_address=20, overall=50)
    for n in range(20):
        limiter.failed(f"name{n}", "10.0.0.1")
    assert limiter.blocked("a-fresh-name", "10.0.0.1")
    assert not limiter.blocked("a-fresh-name", "10.0.0.2")
    for n in range(30):
        limiter.failed(f"other{n}", f"10.1.0.{n}")
    assert limiter.blocked("anyone", "10.9.9.9")


def test_throttled_and_impossible_names_cost_no_hash(desk, monkeypatch, caplog):
    calls = []
    real = users_module._hasher

    class Counting:
        """The real hasher, counting the hashes it is asked to check."""

        def __getattr__(self, name):
            return getattr(real, name)

        def verify(self, *args):
            calls.append(1)
            return real.verify(*args)

    monkeypatch.setattr(users_module, "_hasher", Counting())
    client = TestClient(desk)
    for _ in range(5):
        assert login(client, password="sai mật khẩu").status_code == 401
    assert len(calls) == 5
    assert login(client).status_code == 429  # throttled: even the right password is not checked
    long_name = "x" * 100_000
    assert login(client, user=long_name).status_code in (401, 429)
    assert len(calls) == 5
    assert "x" * 200 not in caplog.text  # the name is logged cut short, not whole


def test_a_large_body_is_refused_before_it_is_read(desk):
    client = TestClient(desk)
    big = client.post("/login", content=b"username=" + b"a" * 2_000_000,
                      headers={"content-type": "application/x-www-form-urlencoded"})  # fmt: skip
    assert big.status_code == 413 and big.headers[CSP]

    def chunks():
        for _ in range(40):
            yield b"a" * 100_000

    streamed = client.post("/login", content=chunks(),
                           headers={"content-type": "application/x-www-form-urlencoded"})  # fmt: skip
    assert streamed.status_code == 413


# Findings 7/8: bad input is a 400 or 404 with the security headers, never a 500.
@pytest.mark.parametrize(
    "path",
    [
        "/?page=²",
        "/?page=9223372036854775807",
        "/?page=0",
        "/articles/99999999999999999999",
        "/articles/-1",
        "/?date_from=0001-01-01",
        "/?date_to=9999-12-31",
        "/search?q=a&page=99999999999999999999",
        "/search?q=" + "đ" * 600,
        "/articles/424242",
    ],
)
def test_bad_query_input_is_a_clean_4xx(desk, path):
    response = signed_in(desk).get(path)
    assert response.status_code in (400, 404), (path, response.status_code)
    assert response.headers[CSP] and "Traceback" not in response.text


@pytest.mark.parametrize(
    ("path", "form"),
    [
        ("/articles/1/decide", {"action": "merge", "original_id": "99999999999999999999"}),
        ("/articles/1/decide", {"action": "edit", "published": "0001-01-01"}),
        ("/articles/1/decide", {"action": "edit", "title": "t" * 5000}),
        ("/articles/bulk", {"action": "approve", "ids": ["1", "99999999999999999999"]}),
        ("/articles/99999999999999999999/decide", {"action": "approve"}),
    ],
)
def test_bad_decisions_are_a_clean_4xx(desk, path, form):
    client = signed_in(desk)
    token = csrf_of(client.get("/articles/1").text)
    response = client.post(path, data={**form, "csrf_token": token}, follow_redirects=False)
    assert response.status_code in (400, 404), (form, response.status_code)
    assert response.headers[CSP]


# Finding 9: what the desk shows is cleaned and bounded.
def test_control_and_bidi_characters_never_reach_the_page(sqlite_url):
    title = "Tin\x00 dân\u202e vận\x1b[31m"
    app = make_desk(sqlite_url, articles=[article(1, title=title, text="A" * 300_000)])
    page = signed_in(app).get("/articles/1").text
    assert "Tin dân vận[31m" in page
    assert not any(ch in page for ch in "\x00\u202e\x1b")
    assert "A" * 300_000 not in page and "A" * 1000 in page


def test_nul_characters_in_input_are_no_error_on_either_database(db_url):
    """PostgreSQL refuses NUL in text: typed filters, searches, names and edits are cleaned."""
    app = make_desk(db_url, articles=[article(1)])
    client = signed_in(app)
    for path, params in (("/", {"source": "ha\x00tinh"}), ("/", {"province": "H\x00"}),
                         ("/search", {"q": "d\x00an"})):  # fmt: skip
        response = client.get(path, params=params)
        assert response.status_code == 200, params
    token = csrf_of(client.get("/articles/1").text)
    form = {"action": "edit", "title": "Tiêu\x00 đề mới", "csrf_token": token}
    assert client.post("/articles/1/decide", data=form).status_code == 200
    assert "Tiêu đề mới" in client.get("/articles/1").text
    assert login(TestClient(app), user="l\x00an").status_code == 401
    app.state.db.dispose()


def test_public_pages_do_not_name_the_member_of_an_ended_session(desk, sqlite_url):
    """A public error page names the member only while the session is live: a revoked cookie
    must not keep showing "signed in as ..." on pages that need no sign-in."""
    client = signed_in(desk)
    missing = "/khong-co-trang-nay"
    live = client.get(missing)
    shown = f'<span class="who">{USER}</span>'
    assert live.status_code == 404 and shown in live.text
    assert main(["users", "disable", USER, "--db", sqlite_url]) == 0
    ended = client.get(missing)
    assert ended.status_code == 404 and 'class="who"' not in ended.text
