"""PostgreSQL as a first-class store: migrations, pooling, concurrent writers, the whole crawl."""

from __future__ import annotations

import random
import threading

import psycopg
from alembic.script import ScriptDirectory
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from tests.test_distributed_support import (
    assert_every_article_once,
    copies_mislinked,
    exported,
)

from dvcrawl.items import ArticleRecord
from dvcrawl.storage.articles import store_article
from dvcrawl.storage.db import alembic_config, open_database
from dvcrawl.storage.models import Article

# Words of the domain: random bodies from them are distinct stories (a few shared words only).
VOCABULARY = (
    "dân vận khéo xã thôn bản cán bộ nhân dân đảng viên mặt trận đoàn thể hội phụ nữ nông dân "
    "cựu chiến binh thanh niên đường giao thông nông thôn mới văn hóa gia đình hộ nghèo"
)
WORDS = VOCABULARY.split()
BODY = "Công tác dân vận của Đảng bộ tỉnh được triển khai sâu rộng đến từng thôn xóm. " * 6


def _record(url: str, body: str = BODY) -> ArticleRecord:
    return ArticleRecord(url=url, source_id="pg", title="Dân vận khéo", text=body)


def test_migrations_reach_every_head_on_a_fresh_database(pg_url):
    db = open_database(pg_url)
    heads = set(ScriptDirectory.from_config(alembic_config(db.engine)).get_heads())
    with db.engine.connect() as conn:
        applied = set(conn.scalars(text("SELECT version_num FROM alembic_version")))
    assert applied == heads
    assert {"articles", "url_aliases", "crawl_runs", "article_bands"} <= set(db.table_names())


def test_pool_survives_connections_killed_by_the_server(pg_url):
    db = open_database(pg_url)
    assert db.engine.pool.size() == 5 and db.engine.pool._pre_ping
    with db.session() as session:
        assert session.scalar(select(func.count(Article.id))) == 0
    name = make_url(pg_url).database
    with psycopg.connect("host=127.0.0.1 user=postgres dbname=test", autocommit=True) as admin:
        killed = admin.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = %s",
            (name,),
        ).fetchone()[0]
    assert killed >= 1  # the pooled connection is gone on the server side
    with db.session() as session:  # pre-ping notices and reconnects
        assert session.scalar(select(func.count(Article.id))) == 0


def _store_concurrently(db_url: str, batches: list[list[ArticleRecord]]) -> list[list[bool]]:
    """Each batch in its own thread and session, record by record in lock step."""
    db = open_database(db_url)
    barrier = threading.Barrier(len(batches))
    created: list[list[bool]] = [[] for _ in batches]
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            for record in batches[i]:
                barrier.wait(timeout=30)
                with db.session() as session:
                    created[i].append(store_article(session, record).created)
        except BaseException as exc:  # reported below, with the thread's traceback lost
            errors.append(exc)
            barrier.abort()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(batches))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    return created


def test_two_writers_storing_one_url_leave_one_row(pg_url):
    records = [
        _record(f"http://pg.example.vn/bai-{i}.html", f"{BODY} Bài số {i}.") for i in range(25)
    ]
    created = _store_concurrently(pg_url, [records, records])
    # per URL exactly one writer created the row, the other found it
    assert [a + b for a, b in zip(*created, strict=True)] == [1] * len(records)
    with open_database(pg_url).session() as session:
        assert session.scalar(select(func.count(Article.id))) == len(records)


def test_a_copy_stored_by_another_worker_is_linked_to_its_original(pg_url):
    """Near-duplicate detection reads the shared index: a copy stored later by another
    process (its own engine and pool) still finds the original."""
    first, copy = (
        _record("http://a.example.vn/goc.html"),
        _record("http://b.example.vn/ban-sao.html"),
    )
    with open_database(pg_url).session() as session:
        store_article(session, first)
    other = open_database(pg_url)
    other.engine.dispose()  # a fresh pool: nothing shared with the first writer but the DB
    with other.session() as session:
        result = store_article(session, copy)
    assert result.created and result.duplicate_of == "http://a.example.vn/goc.html"


def _story(seed: int) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) for _ in range(200))


def test_copies_stored_at_the_same_moment_find_each_other(pg_url):
    """Two workers storing two copies of each story in lock step: every pair is linked."""
    a = [_record(f"http://a.example.vn/{i}.html", _story(i)) for i in range(20)]
    b = [_record(f"http://b.example.vn/{i}.html", _story(i)) for i in range(20)]
    _store_concurrently(pg_url, [a, b])
    with open_database(pg_url).session() as session:
        rows = dict(session.execute(select(Article.url, Article.duplicate_of_id)).all())
    linked = [i for i in range(20) if (rows[a[i].url] is None) != (rows[b[i].url] is None)]
    assert len(linked) == 20, f"only {len(linked)} of 20 pairs linked"


def test_crawl_command_into_postgres_then_export(sample_network, pg_url, tmp_path, run_cli):
    sources = tmp_path / "sources.toml"
    sources.write_text(sample_network.sources_toml(), encoding="utf-8")
    done = run_cli("crawl", "--sources", str(sources), "--db", pg_url, "--delay", "0")
    assert done.returncode == 0, done.stderr[-3000:]
    rows = exported(run_cli, pg_url)
    assert_every_article_once(sample_network, rows)
    assert not copies_mislinked(sample_network, rows)
    assert {r["status"] for r in rows} == {"new"}
