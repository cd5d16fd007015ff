"""Storing articles on SQLite and PostgreSQL: one row per URL, copies linked to their original."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from dvcrawl import dedupe
from dvcrawl.errors import DvcrawlError
from dvcrawl.items import ArticleRecord
from dvcrawl.storage import upsert
from dvcrawl.storage.articles import (
    cluster_of,
    find_article_id,
    known_urls,
    set_duplicate,
    store_article,
)
from dvcrawl.storage.db import Database
from dvcrawl.storage.httpcache import get_validators, save_validators
from dvcrawl.storage.models import Article, ArticleBand, Source, UrlAlias
from syndication_data import body, load_pairs

STORY = body("same/01/A")


def record(url: str, text: str = STORY, published: str | None = "2022-12-27T22:37:00+07:00", **kw):
    return ArticleRecord(url=url, source_id=kw.pop("source_id", "s1"), title="t", text=text,
                         published=published, **kw)  # fmt: skip


@pytest.fixture
def db(db_url):
    database = Database(db_url)
    yield database
    database.dispose()


def store(db: Database, rec: ArticleRecord):
    with db.session() as session:
        return store_article(session, rec)


def count(db: Database, model) -> int:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(model))


def duplicate_of(db: Database, article_id: int) -> int | None:
    with db.session() as session:
        return session.get(Article, article_id).duplicate_of_id


def test_each_url_variant_is_stored_once(db):
    variants = [
        "https://hatinh.dcs.vn/tin-tức/dan-van?id=7",
        "https://HATINH.dcs.vn:443/tin-t%e1%bb%a9c/dan-van/?id=7#comments",
        "https://hatinh.dcs.vn/tin-t%E1%BB%A9c/dan-van?utm_source=zalo&id=7&fbclid=x",
        "https://hatinh.dcs.vn/tin-tức/dan-van?gidzl=a&zarsrc=30&id=7",
    ]
    results = [store(db, record(v)) for v in variants]
    assert [r.created for r in results] == [True, False, False, False]
    assert len({r.article_id for r in results}) == 1
    assert count(db, Article) == 1
    with db.session() as session:
        assert (
            session.scalar(select(Article.url))
            == "https://hatinh.dcs.vn/tin-t%E1%BB%A9c/dan-van?id=7"
        )
        assert {find_article_id(session, v) for v in variants} == {results[0].article_id}


def test_redirect_alias_maps_to_the_stored_article(db):
    old = "http://hatinh.dcs.vn/Trang-chu/post/123?utm_source=fb"
    first = store(db, record("https://hatinh.dcs.vn/dan-van/123-hoi-nghi", aliases=[old]))
    again = store(db, record("http://hatinh.dcs.vn/Trang-chu/post/123"))  # the old address
    assert not again.created and again.article_id == first.article_id
    with db.session() as session:
        assert find_article_id(session, old) == first.article_id
        assert "http://hatinh.dcs.vn/Trang-chu/post/123" in known_urls(session, "s1")
        assert known_urls(session, "other") == set()
    assert count(db, Article) == 1


def test_alias_naming_another_article_is_not_merged(db):
    a = store(db, record("https://x.vn/a", body("same/02/A")))
    b = store(db, record("https://x.vn/b", body("same/03/A"), aliases=["https://x.vn/a"]))
    with db.session() as session:
        assert find_article_id(session, "https://x.vn/a") == a.article_id
        assert session.scalar(select(func.count()).select_from(UrlAlias)) == 0
    assert b.created and b.article_id != a.article_id


def test_exact_duplicate_points_at_the_first(db):
    first = store(db, record("https://hatinh.dcs.vn/a", published="2022-12-27"))
    copy = store(db, record("https://nghean.dcs.vn/b", STORY.upper(), published="2022-12-28"))
    assert copy.created and copy.duplicate_of == "https://hatinh.dcs.vn/a"
    assert duplicate_of(db, copy.article_id) == first.article_id
    assert duplicate_of(db, first.article_id) is None


def test_earlier_publication_wins_even_when_stored_second(db):
    copy_text, original_text = body("same/02/B"), body("same/02/A")
    copy = store(db, record("https://tinh.vn/copy", copy_text, published="2023-03-16"))
    assert copy.duplicate_of is None  # alone so far
    original = store(db, record("https://huyen.vn/goc", original_text, published="2023-03-15"))
    assert original.created and original.duplicate_of is None  # it is the original now
    assert duplicate_of(db, copy.article_id) == original.article_id
    third = store(
        db, record("https://bao.vn/3", body("same/02/B") + "\nNguồn: huyện", "2023-03-17")
    )
    assert third.duplicate_of == "https://huyen.vn/goc"
    with db.session() as session:
        members = [a.url for a in cluster_of(session, copy.article_id)]
    assert members == ["https://huyen.vn/goc", "https://tinh.vn/copy", "https://bao.vn/3"]


def test_reclustering_moves_only_changed_pointers_and_refreshes_loaded_rows(db):
    copy_text, original_text = body("same/02/B"), body("same/02/A")
    first = store(db, record("https://tinh.vn/copy", copy_text, published="2023-03-16"))
    second = store(db, record("https://bao.vn/2", copy_text + "\nNguồn: tỉnh", "2023-03-17"))
    assert second.duplicate_of == "https://tinh.vn/copy"

    def updated(article_id: int):
        with db.session() as session:
            return session.get(Article, article_id).updated_at

    first_before, second_before = updated(first.article_id), updated(second.article_id)
    with db.session() as session:
        loaded = session.get(Article, first.article_id)  # held while the cluster changes
        assert loaded.duplicate_of_id is None
        original = store_article(
            session, record("https://huyen.vn/goc", original_text, published="2023-03-15")
        )
        assert loaded.duplicate_of_id == original.article_id
    assert duplicate_of(db, second.article_id) == original.article_id
    assert updated(first.article_id) > first_before
    assert updated(second.article_id) > second_before
    original_before = updated(original.article_id)
    store(db, record("https://xa.vn/4", copy_text, published="2023-03-18"))
    assert updated(original.article_id) == original_before  # still the original: untouched
    assert updated(second.article_id) > second_before


def test_theo_credit_names_the_original_over_dates(db):
    # The copy's date is earlier (the portal printed the day it was written), but it credits
    # dukcqtw.dcs.vn: the credited portal holds the original.
    copy = store(db, record("https://hanam.dcs.vn/x", body("same/12/B"), published="2023-12-04"))
    original = store(
        db, record("https://dukcqtw.dcs.vn/tin/217", body("same/12/A"), published="2023-12-05")
    )
    assert original.duplicate_of is None
    assert duplicate_of(db, copy.article_id) == original.article_id


def test_credit_field_naming_a_source_by_name(db):
    with db.session() as session:
        session.add(Source(id="yenbai", name="Báo Yên Bái", start_urls=[]))
    original = store(
        db,
        record("https://baoyenbai.com.vn/1", body("same/04/A"), "2023-11-17", source_id="yenbai"),
    )
    copy = store(
        db, record("https://x.vn/2", body("same/04/B"), "2023-11-16", credit="Theo: Báo Yên Bái")
    )
    assert copy.duplicate_of == "https://baoyenbai.com.vn/1"
    assert duplicate_of(db, original.article_id) is None


def test_distinct_stories_stay_apart(db):
    """Every hard negative, stored together: shared template leads, stock paragraphs and titles
    never link two stories (shingle Jaccard alone linked different/26 and /28)."""
    stored, seen = 0, set()
    for pair_id, text_a, text_b in load_pairs("different"):
        for suffix, text in (("a", text_a), ("b", text_b)):
            if text in seen:  # some pairs reuse a body of another pair ("@same/02/A")
                continue
            seen.add(text)
            result = store(db, record(f"https://x.vn/{pair_id}/{suffix}", text))
            stored += result.created
            assert result.duplicate_of is None, pair_id
    assert count(db, Article) == stored
    with db.session() as session:
        assert session.scalar(select(func.count()).where(Article.duplicate_of_id.is_not(None))) == 0


def test_every_labelled_copy_is_linked_to_its_original(db):
    for pair_id, text_a, text_b in load_pairs("same"):
        first = store(db, record(f"https://a.vn/{pair_id}", text_a))
        copy = store(db, record(f"https://b.vn/{pair_id}", text_b, "2022-12-28T08:00:00+07:00"))
        assert first.created and copy.duplicate_of == f"https://a.vn/{pair_id}", pair_id


@pytest.mark.parametrize("fingerprinted", ["first", "copy", "both"])
def test_fingerprints_made_in_a_worker_cluster_like_the_stores_own(db, fingerprinted):
    """The extraction workers send the body's fingerprint along; a copy is found whichever
    side computed it, in a worker or in the store (bench_dedupe, workers=0)."""
    pair_id, text_a, text_b = load_pairs("same")[1]
    given_a = dedupe.fingerprint(text_a) if fingerprinted in ("first", "both") else None
    given_b = dedupe.fingerprint(text_b) if fingerprinted in ("copy", "both") else None
    first = store(db, record("https://a.vn/1", text_a, fingerprint=given_a))
    copy = store(
        db, record("https://b.vn/1", text_b, "2022-12-28T08:00:00+07:00", fingerprint=given_b)
    )
    assert first.created and copy.duplicate_of == "https://a.vn/1", pair_id
    with db.session() as session:
        digests = set(session.scalars(select(Article.content_hash)))
    assert digests == {dedupe.content_hash(text_a), dedupe.content_hash(text_b)}


@pytest.mark.parametrize("short", ["Đang cập nhật", "Các đại biểu dự Hội nghị (Ảnh: Thu Hoài)"])
def test_short_bodies_never_cluster(db, short):
    a = store(db, record("https://x.vn/1", short))
    b = store(db, record("https://y.vn/2", short))
    assert a.created and b.created and b.duplicate_of is None
    assert count(db, ArticleBand) == 0


def test_manual_split_and_merge(db):
    a = store(db, record("https://a.vn/1", body("same/05/A"), "2024-04-21"))
    b = store(db, record("https://b.vn/1", body("same/05/B"), "2024-04-22"))
    other = store(db, record("https://c.vn/1", body("same/06/A"), "2024-05-10"))
    assert duplicate_of(db, b.article_id) == a.article_id
    with db.session() as session:
        set_duplicate(session, b.article_id, None)  # split
    assert duplicate_of(db, b.article_id) is None
    with db.session() as session:
        set_duplicate(session, other.article_id, b.article_id)  # merge
        set_duplicate(session, a.article_id, b.article_id)
        assert [m.id for m in cluster_of(session, other.article_id)][0] == b.article_id
    assert duplicate_of(db, other.article_id) == b.article_id
    assert duplicate_of(db, a.article_id) == b.article_id
    with db.session() as session:
        set_duplicate(session, b.article_id, a.article_id)  # promote a copy to original
    assert duplicate_of(db, a.article_id) is None
    assert duplicate_of(db, b.article_id) == duplicate_of(db, other.article_id) == a.article_id
    with db.session() as session, pytest.raises(DvcrawlError, match="itself"):
        set_duplicate(session, a.article_id, a.article_id)
    with db.session() as session, pytest.raises(DvcrawlError, match="no stored article"):
        set_duplicate(session, a.article_id, 999999)


def test_unusable_url_is_a_clear_error(db):
    with pytest.raises(DvcrawlError, match="javascript"):
        store(db, record("javascript:void(0)"))
    assert count(db, Article) == 0


@pytest.mark.parametrize("savepoint", [False, True], ids=["on-conflict", "savepoint"])
def test_concurrent_double_insert_yields_one_row(db, monkeypatch, savepoint):
    if savepoint:  # the generic path for databases without ON CONFLICT
        monkeypatch.setattr(upsert, "_ON_CONFLICT_INSERT", {})
    barrier = threading.Barrier(2)
    results, errors = [], []

    def worker(variant: str) -> None:
        try:
            with db.session() as session:
                barrier.wait(timeout=10)
                results.append(store_article(session, record(variant)))
        except Exception as exc:  # reported below
            errors.append(exc)

    urls = ["https://hatinh.dcs.vn/a?utm_source=z", "https://hatinh.dcs.vn/a/#c"]
    threads = [threading.Thread(target=worker, args=(u,)) for u in urls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert sorted(r.created for r in results) == [False, True]
    assert len({r.article_id for r in results}) == 1
    assert count(db, Article) == 1


def test_copies_stored_at_the_same_moment_by_two_processes_find_each_other(db):
    """Two writers (own engines, one database) store the two sides of each labelled copy
    in lock step: the store reads before it writes, under the clustering lock, so every
    pair is linked (on SQLite the file's write lock, taken before the reads)."""
    pairs = load_pairs("same")[:10]
    writers = [Database(db.url), Database(db.url)]
    barrier, errors = threading.Barrier(2), []

    def work(side: int) -> None:
        try:
            for i, (_, *texts) in enumerate(pairs):
                barrier.wait(timeout=30)
                url = f"https://{'ab'[side]}.dcs.vn/{i}"
                with writers[side].session() as session:
                    store_article(session, record(url, texts[side], published=None))
        except BaseException as exc:  # reported below
            errors.append(exc)
            barrier.abort()

    threads = [threading.Thread(target=work, args=(side,)) for side in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    for writer in writers:
        writer.dispose()
    assert not errors, errors
    with db.session() as session:
        rows = dict(session.execute(select(Article.url, Article.duplicate_of_id)).all())
    pointers = [(rows[f"https://a.dcs.vn/{i}"], rows[f"https://b.dcs.vn/{i}"]) for i in range(10)]
    assert [(a is None) != (b is None) for a, b in pointers] == [True] * 10


def test_http_validators_round_trip(db):
    url = "https://hatinh.dcs.vn/dan-van/?utm_source=x"
    with db.session() as session:
        assert get_validators(session, url) is None
        save_validators(session, url, "s1", '"abc"', "Sun, 22 Nov 2026 10:00:00 GMT")
    with db.session() as session:
        assert get_validators(session, "https://hatinh.dcs.vn/dan-van") == (
            '"abc"',
            "Sun, 22 Nov 2026 10:00:00 GMT",
        )
        save_validators(session, url, "s1", None, "Mon, 23 Nov 2026 10:00:00 GMT")
        save_validators(session, "https://x.vn/l", "s1", "x" * 400, None)  # too long to keep
    with db.session() as session:
        assert get_validators(session, url) == (None, "Mon, 23 Nov 2026 10:00:00 GMT")
        assert get_validators(session, "https://x.vn/l") is None


def test_rows_stored_without_a_signature_still_cluster(db):
    """Articles stored before migration 0003_dedupe have no minhash: checked by their text."""
    old = store(db, record("https://a.vn/cu", body("same/09/A"), "2023-07-12"))
    with db.session() as session:
        row = session.get(Article, old.article_id)
        assert row.minhash is not None
        row.minhash = None
    copy = store(db, record("https://b.vn/moi", body("same/09/B"), "2023-07-13"))
    assert copy.duplicate_of == "https://a.vn/cu"


def test_a_date_far_in_the_future_orders_by_fetch_time_but_is_kept_as_printed(db):
    """A portal's "2099" must not pin the article to the top of the desk and the feeds."""
    before = datetime.now(UTC).replace(tzinfo=None)
    stored = store(db, record("http://a.example/typo", published="2099-01-02T08:00:00+07:00"))
    with db.session() as session:
        article = session.get(Article, stored.article_id)
        assert article.published == "2099-01-02T08:00:00+07:00"
        assert before <= article.published_at <= datetime.now(UTC).replace(tzinfo=None)
        tomorrow = store(db, record("http://a.example/soon", text=body("different/01/B"),
                                    published=(datetime.now(UTC) + timedelta(hours=12)).isoformat()))  # fmt: skip
        assert session.get(Article, tomorrow.article_id).published_at > datetime.now(UTC).replace(
            tzinfo=None
        )
