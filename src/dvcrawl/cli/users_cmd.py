"""``dvcrawl users add NAME``: create a staff account or reset its password (read from stdin)."""

from __future__ import annotations

import argparse
import sys

from dvcrawl.cli.common import add_db_arg, database_from_args
from dvcrawl.errors import DvcrawlError
from dvcrawl.storage.users import set_password, validate_name


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("users", help="manage staff accounts of the review desk")
    actions = parser.add_subparsers(dest="users_command", metavar="ACTION")
    actions.required = True
    add = actions.add_parser(
        "add",
        help="create an account or reset its password",
        description="Create the account NAME, or reset its password. The password is the first "
        "line of standard input (e.g. `printf '%%s\\n' \"$PW\" | dvcrawl users add lan`).",
    )
    add.add_argument("name", metavar="NAME", help="user name (no spaces)")
    add_db_arg(add)
    add.set_defaults(func=run_add)


def read_password(stream) -> str:
    """The first line of ``stream`` without its line ending; an empty one is an error."""
    if stream.isatty():
        import getpass

        password = getpass.getpass("Mật khẩu / password: ")
    else:
        password = stream.readline().rstrip("\r\n")
    if not password:
        raise DvcrawlError("empty password: give the password as one line on standard input")
    return password


def run_add(args: argparse.Namespace) -> int:
    validate_name(args.name)
    password = read_password(sys.stdin)
    db = database_from_args(args)
    with db.session() as session:
        created = set_password(session, args.name, password)
    print(f"{'created' if created else 'password reset for'} user {args.name}")
    return 0
