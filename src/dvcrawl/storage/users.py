"""Staff accounts: argon2 password hashes, created or reset by ``dvcrawl users add``."""

from __future__ import annotations

import re
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from dvcrawl.errors import DvcrawlError
from dvcrawl.storage.models import User

__all__ = [
    "authenticate",
    "disable",
    "end_sessions",
    "live_session_version",
    "set_password",
    "validate_name",
]

# A user name: 1-120 visible characters without spaces or controls ("lan", "cán_bộ1").
_NAME = re.compile(r"[^\s\x00-\x1f\x7f-\x9f]{1,120}")
# The review desk faces the web: NIST SP 800-63B's floor for user-chosen passwords.
MIN_PASSWORD = 8
_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


@cache
def _dummy_hash() -> str:
    """Checked when the name is unknown, so a missing account costs as long as a wrong password.

    Made on the first login, not at import: every CLI command imports this module, and an
    argon2 hash costs ~0.2 s of CPU and 64 MB of memory for a moment.
    """
    return _hasher.hash("dvcrawl-no-such-user")


def prepare_logins() -> None:
    """Make the dummy hash before the first login: the desk calls this when it starts, so even
    the first unknown name costs no more than a wrong password (no timing tell)."""
    _dummy_hash()


def validate_name(name: str) -> str:
    """The name, or a DvcrawlError saying why it cannot name an account."""
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise DvcrawlError(f"invalid user name {str(name)[:60]!r}: 1-120 characters, no spaces")
    return name


def set_password(session: Session, name: str, password: str) -> bool:
    """Create the account ``name`` or reset its password; True when it was created."""
    validate_name(name)
    if not password:
        raise DvcrawlError("empty password: type the password on standard input")
    if len(password) < MIN_PASSWORD:
        raise DvcrawlError(f"password too short: at least {MIN_PASSWORD} characters")
    user = _user(session, name)
    created = user is None
    if user is None:
        user = User(name=name, password_hash="")
        session.add(user)
    user.password_hash = _hasher.hash(password)
    # A reset ends every earlier session (a stolen cookie too) and lifts a `users disable`.
    user.session_version = (user.session_version or 0) + 1
    user.disabled = False
    session.flush()
    return created


def _user(session: Session, name: str) -> User | None:
    return session.scalar(select(User).where(User.name == name))


def end_sessions(session: Session, name: str) -> bool:
    """End every session of ``name`` (their cookies carry the old version); False if unknown."""
    user = _user(session, name)
    if user is None:
        return False
    user.session_version = (user.session_version or 0) + 1
    session.flush()
    return True


def disable(session: Session, name: str) -> bool:
    """End every session of ``name`` and refuse its sign-in until a password reset."""
    user = _user(session, name)
    if user is None:
        return False
    user.disabled = True
    return end_sessions(session, name)


def live_session_version(session: Session, name: str) -> int | None:
    """The session version a cookie of ``name`` must carry; None if the account is gone or
    disabled (then no cookie is good)."""
    user = _user(session, name)
    if user is None or user.disabled:
        return None
    return user.session_version or 0


def authenticate(session: Session, name: str, password: str) -> bool:
    """True when ``name`` exists and ``password`` matches its hash (rehashed if outdated)."""
    user = _user(session, name)
    stored = user.password_hash if user is not None else _dummy_hash()
    try:
        _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False
    if user is None or user.disabled:
        return False
    if _hasher.check_needs_rehash(stored):
        user.password_hash = _hasher.hash(password)
    return True
