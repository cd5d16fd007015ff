"""One writer at a time through the near-duplicate step, across processes.

``store_article`` looks up a new article's near-duplicates in the shared band index and then
adds its own bands. Two workers (or two scheduler children) storing two copies of one
syndicated story at the same moment each miss the other's uncommitted rows, and both become
"originals": measured at 18 of 20 pairs missed with two writers in lock step
(tests/test_postgres_pipeline.py). A transaction-scoped advisory lock taken before the lookup
makes the second writer wait for the first one's commit; READ COMMITTED then lets it see the
first one's bands. A store is a few milliseconds, so the lock costs little throughput.

SQLite is not meant for several crawling processes at once, but two processes on one file
stay correct: the store reads before it writes its row, and Python's sqlite3 runs those reads
outside any transaction, so the file's write lock is taken first (``BEGIN IMMEDIATE``, which
waits out another writer's commit like any write does) and the reads then see that commit.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

# The lock's name: any 64-bit constant unique to this use ("dvcrawl" clustering).
CLUSTER_LOCK_KEY = 0x6476_6372_6177_6C01
_LOCK = text("SELECT pg_advisory_xact_lock(:key)")


def serialize_clustering(session: Session) -> None:
    """Hold the clustering lock (PostgreSQL) or the file's write lock (SQLite) until this
    session's transaction ends."""
    connection = session.connection()
    name = connection.dialect.name
    if name == "postgresql":
        connection.execute(_LOCK, {"key": CLUSTER_LOCK_KEY})
    elif name == "sqlite" and not connection.connection.driver_connection.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")  # a write already begun holds it
