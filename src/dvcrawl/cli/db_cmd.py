"""``dvcrawl db upgrade``: create or migrate the database explicitly.

Read-only commands never create or migrate a database (a mistyped ``--db`` would otherwise
become an empty one); this is the way to bring an existing database to the newest schema.
"""

from __future__ import annotations

import argparse

from dvcrawl.cli.common import add_actions, add_db_arg, database_from_args


def run_upgrade(args: argparse.Namespace) -> int:
    db = database_from_args(args, create=True)
    try:
        shown = db.engine.url.render_as_string(hide_password=True)
    finally:
        db.dispose()
    print(f"database {shown} is at the newest schema")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    actions = add_actions(subparsers, "db", "manage the database schema")
    upgrade = actions.add_parser(
        "upgrade",
        help="create the database or migrate it to the newest schema",
        description="Create the database at --db (or $DVCRAWL_DB_URL) when missing and apply "
        "every migration. `crawl`, `demo`, `schedule`, `worker` and `users` do this by "
        "themselves; `export`, `status`, `feeds` and `serve` refuse a database that is not.",
    )
    add_db_arg(upgrade)
    upgrade.set_defaults(func=run_upgrade)
