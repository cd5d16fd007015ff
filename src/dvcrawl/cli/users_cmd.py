"""``dvcrawl users add NAME``: create a staff account or reset its password (read from stdin);
``dvcrawl users disable NAME``: end its sessions and refuse its sign-in until a reset."""

from __future__ import annotations

import argparse
import sys

from dvcrawl.cli.common import add_actions, add_db_arg, database_from_args
from dvcrawl.errors import DvcrawlError


def register(subparsers: argparse._SubParsersAction) -> None:
    actions = add_actions(subparsers, "users", "manage staff accounts of the review desk")
    add = actions.add_parser(
        "add",
        help="create an account or reset its password",
        description="Create the account NAME, or reset its password. The password is the first "
        "line of standard input (e.g. `printf '%s\\n' \"$PW\" | dvcrawl users add lan`). A reset ends every "
        "session of the account and lifts `users disable`.",
    )
    add.add_argument("name", metavar="NAME", help="user name (no spaces)")
    add_db_arg(add)
    add.set_defaults(func=run_add)
    off = actions.add_parser(
        "disable",
        help="end every session of an account and refuse its sign-in",
        description="End every session of NAME at once and refuse its sign-in until "
        "`dvcrawl users add NAME` sets a new password.",
    )
    off.add_argument("name", metavar="NAME", help="user name")
    add_db_arg(off)
    off.set_defaults(func=run_disable)


def read_password(stream) -> str:
    """The first line of ``stream`` without its line ending; an empty one is an error."""
    if stream.isatty():
        import getpass

        password = getpass.getpass("Mật khẩu / password: ")
    else:
        raw = getattr(stream, "buffer", stream).readline()
        try:
            line = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        except UnicodeDecodeError:
            raise DvcrawlError("the password on standard input is not UTF-8 text") from None
        password = line.rstrip("\r\n")
    if not password:
        raise DvcrawlError("empty password: give the password as one line on standard input")
    return password


def run_add(args: argparse.Namespace) -> int:
    from dvcrawl.storage.users import set_password, validate_name

    validate_name(args.name)
    password = read_password(sys.stdin)
    db = database_from_args(args, create=True)
    with db.session() as session:
        created = set_password(session, args.name, password)
    print(f"{'created' if created else 'password reset for'} user {args.name}")
    return 0


def run_disable(args: argparse.Namespace) -> int:
    from dvcrawl.storage.users import disable, validate_name

    validate_name(args.name)
    db = database_from_args(args)
    with db.session() as session:
        found = disable(session, args.name)
    if not found:
        raise DvcrawlError(f"no user {args.name!r}")
    print(f"disabled user {args.name}: every session ended; `users add` re-enables it")
    return 0
