"""Full-text search ignoring case and diacritics, on SQLite FTS5 and PostgreSQL alike."""

from __future__ import annotations

import pytest

from dvcrawl.storage.db import Database
from dvcrawl.storage.models import Article
from dvcrawl.storage.search import index_article, query_terms, search_ids, sync_index

TEXTS = {
    1: ("Dân vận khéo ở Hương Sơn", "Cán bộ xã gần dân, hiểu dân."),
    2: ("Hội nghị Ban Dân vận Tỉnh ủy", "Đồng chí Bí thư Đảng ủy phát biểu."),
    3: ("Xây dựng nông thôn mới", "Phong trào thi đua hoà bình, khoẻ mạnh."),
    4: ("Tin thể thao", "Bóng đá hòa nhau 1-1, cầu thủ khỏe."),
}


@pytest.fixture
def db(db_url):
    database = Database(db_url)
    with database.session() as session:
        for ident, (title, body) in TEXTS.items():
            session.add(
                Article(
                    id=ident, url=f"https://x.vn/{ident}", source_id="s", title=title, text=body
                )
            )
    yield database
    database.dispose()


def _find(db: Database, query: str) -> set[int]:
    with db.session() as session:
        return set(search_ids(session, query))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("dan van kheo", {1}),  # no diacritics at all
        ("DÂN VẬN", {1, 2}),  # case
        ("dang uy", {2}),  # đ → d
        ("Đảng Ủy", {2}),
        ("hoa", {3, 4}),  # "hoà" (old tone placement) and "hòa" (new) fold alike
        ("khoe", {3, 4}),  # "khoẻ" and "khỏe"
        ("tinh uy ban", {2}),  # every word, in any order
        ("dan bong", set()),  # every word must match
        ("huong so", {1}),  # the last word may be half typed
        ("", set()),
        ('" OR * NEAR( -', set()),  # query syntax is never passed through
    ],
)
def test_search_ignores_case_and_diacritics(db, query, expected):
    assert _find(db, query) == expected


def test_title_matches_rank_first(db):
    with db.session() as session:
        session.add(
            Article(
                id=5,
                url="https://x.vn/5",
                source_id="s",
                title="Tin khác",
                text="Nói về dân vận một lần.",
            )
        )
    with db.session() as session:
        assert search_ids(session, "dan van")[0] in {1, 2}
        assert set(search_ids(session, "dan van")) == {1, 2, 5}


def test_new_articles_are_indexed_on_the_next_search(db):
    assert _find(db, "hop tac xa") == set()
    with db.session() as session:
        session.add(Article(id=9, url="https://x.vn/9", source_id="s", title="Hợp tác xã", text=""))
    assert _find(db, "hop tac xa") == {9}
    with db.session() as session:
        assert sync_index(session) == 0  # nothing left to catch up


def test_an_edited_title_is_reindexed(db):
    _find(db, "x")  # index everything first
    with db.session() as session:
        row = session.get(Article, 4)
        row.title = "Giải cờ tướng"
        index_article(session, row)
    assert _find(db, "co tuong") == {4}
    assert 4 not in _find(db, "the thao")


def test_paging_through_results(db):
    with db.session() as session:
        first = search_ids(session, "dan", limit=1)
        second = search_ids(session, "dan", limit=1, offset=1)
    assert len(first) == len(second) == 1 and first != second


def test_query_terms_are_folded_words():
    assert query_terms("  Dân-vận, KHÉO!! ") == ["dan", "van", "kheo"]
    assert query_terms("Đảng_ủy") == ["dang", "uy"]


def test_broad_queries_list_newest_first(db, monkeypatch):
    monkeypatch.setattr("dvcrawl.storage.search.RANK_LIMIT", 1)
    with db.session() as session:
        assert search_ids(session, "dan") == [2, 1]  # two matches > 1: by id, newest first
        assert search_ids(session, "kheo") == [1]


def test_an_id_committed_late_is_still_indexed(db):
    _find(db, "x")  # index 1-4
    with db.session() as session:
        session.add(Article(id=20, url="https://x.vn/20", source_id="s", title="Sau", text=""))
    assert _find(db, "sau") == {20}
    # Id 10 arrives after id 20 was indexed (another crawler's transaction committed later).
    with db.session() as session:
        session.add(Article(id=10, url="https://x.vn/10", source_id="s", title="Trước", text=""))
    assert _find(db, "truoc") == {10}
