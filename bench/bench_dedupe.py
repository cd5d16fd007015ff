"""Does checking a new article for duplicates cost the same with 100,000 stored as with 1,000?

Fills a fresh database (SQLite, and PostgreSQL when one answers at DVCRAWL_TEST_PG or
127.0.0.1:5432) with N synthetic articles and their real LSH band rows by bulk insert, then
times ``store_article`` (one transaction each, as the store pipeline does) for new articles:
mostly new stories, one in five a syndicated copy of a stored one. Prints the per-article
cost at each size and the ratio largest/smallest (target <= 1.5, issue 4).

First it prints the decision's quality (issue 12: precision >= 0.98, recall >= 0.95): on the
labelled pairs of tests/data/syndication, and on every LSH candidate pair of seed-varied sample
networks (true copies vs. template look-alikes), for the sentence-containment decision and for
the shingle-Jaccard rule it replaced.

    python bench/bench_dedupe.py [--sizes 1000 100000] [--new 200] [--no-pg] [--quality-only]

``--store-cpu N`` instead times the crawl's store path alone: N synthetic 400-word articles
(one in five a copy of an earlier one, one in ten with an alias, fingerprints computed
beforehand as the extraction workers do) through ``StorePipeline.process_item`` into a fresh
SQLite file and a fresh PostgreSQL database; prints the CPU (``time.process_time``) per
article and a digest of what was stored and decided, so two versions of the store compare
(run it alternately with PYTHONPATH pointing at each).
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path

from dvcrawl import dedupe
from dvcrawl.items import ArticleRecord
from dvcrawl.storage.articles import store_article
from dvcrawl.storage.db import Database
from dvcrawl.storage.models import utcnow

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from syndication_data import load_pairs  # noqa: E402

# Template leads: many real articles open the same way, which is what stresses LSH buckets.
LEADS = [
    "Sáng ngày {d}/{m}, Ban Dân vận Tỉnh ủy tổ chức Hội nghị {w}",
    "Chiều {d}/{m}, Ủy ban MTTQ Việt Nam tỉnh tổ chức hội nghị giám sát {w}",
    "Ngày {d}/{m}, Ban Dân vận Huyện ủy phối hợp với Ủy ban MTTQ huyện tổ chức {w}",
    "Thực hiện Kế hoạch của Ban Thường vụ Tỉnh ủy, ngày {d}/{m}, {w}",
]


def _scores(same: list[bool], different: list[bool]) -> str:
    true_pos, false_pos = sum(same), sum(different)
    precision = true_pos / (true_pos + false_pos) if true_pos + false_pos else 1.0
    return (
        f"precision {precision:.3f}, recall {true_pos / len(same):.3f} ({false_pos} false merges)"
    )


RULES = {
    "sentence containment": dedupe.is_near_duplicate,
    "shingle Jaccard >= 0.35 (old)": lambda a, b: dedupe.text_similarity(a, b) >= 0.35,
}


def world_pairs(seeds: list[int]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """LSH candidate pairs of sample networks: (true copies, different stories)."""
    from dvcrawl.sampleportals import SampleNetwork

    same, different = [], []
    for seed in seeds:
        arts = [a for site in SampleNetwork(seed=seed).sites.values() for a in site.articles]
        keys = [set(dedupe.band_keys(dedupe.signature(a.text))) for a in arts]
        for i, j in itertools.combinations(range(len(arts)), 2):
            if keys[i] & keys[j]:
                pair = (arts[i].text, arts[j].text)
                (same if arts[i].story == arts[j].story else different).append(pair)
    return same, different


def quality() -> None:
    same, different = load_pairs("same"), load_pairs("different")
    print(f"labelled set: {len(same)} copies, {len(different)} different-story pairs")
    for name, rule in RULES.items():
        start = time.perf_counter()
        verdicts = [rule(a, b) for _, a, b in same], [rule(a, b) for _, a, b in different]
        per_pair = (time.perf_counter() - start) / (len(same) + len(different)) * 1000
        print(f"  {name}: {_scores(*verdicts)}; {per_pair:.2f} ms per pair")
    seeds = [1, 2, 3, 101, 202]  # never the hold-out 9001
    w_same, w_diff = world_pairs(seeds)
    print(f"sample networks {seeds}: {len(w_same)} copy and {len(w_diff)} other LSH candidates")
    for name, rule in RULES.items():
        print(f"  {name}: {_scores([rule(*p) for p in w_same], [rule(*p) for p in w_diff])}")


def vocabulary() -> list[str]:
    words = set()
    for _, text_a, text_b in load_pairs("same") + load_pairs("different"):
        words.update(text_a.split() + text_b.split())
    return sorted(words)


def synthetic_text(rng: random.Random, words: list[str], n_words: int = 180) -> str:
    lead = rng.choice(LEADS).format(d=rng.randint(1, 28), m=rng.randint(1, 12), w=rng.choice(words))
    sentences = [" ".join(rng.choices(words, k=rng.randint(12, 25))) + "." for _ in range(10)]
    return lead + ".\n" + " ".join(sentences)[: n_words * 8]


def make_corpus(n: int, seed: int) -> list[tuple[str, str, bytes, list[str]]]:
    """``(url, text, packed signature, band keys)`` for n distinct synthetic articles."""
    rng, words = random.Random(seed), vocabulary()
    corpus = []
    for i in range(n):
        body, url = synthetic_text(rng, words), f"https://p{i % 50}.dcs.vn/tin/{i}"
        sig = dedupe.signature(body)
        corpus.append((url, body, dedupe.pack(sig), dedupe.band_keys(sig)))
    return corpus


def bulk_fill(db: Database, corpus) -> None:
    """Rows and bands straight through the driver: the fill is not what is measured."""
    now, published = utcnow(), datetime(2023, 6, 1)  # stored stories predate the new ones
    articles = [
        (i + 1, url, f"p{i % 50}", "t", body, published, False, now, now,
         dedupe.content_hash(body), packed, False, 0.0, "[]", "new")
        for i, (url, body, packed, _) in enumerate(corpus)
    ]  # fmt: skip
    bands = [(key, i + 1) for i, (*_, keys) in enumerate(corpus) for key in keys]
    cols = ("id, url, source_id, title, text, published_at, date_doubtful, fetched_at, updated_at,"
            " content_hash, minhash,"
            " relevant, relevance_score, relevance_terms, status")  # fmt: skip
    raw = db.engine.raw_connection()
    try:
        cur = raw.cursor()
        if db.dialect == "postgresql":
            with cur.copy(f"COPY articles ({cols}) FROM STDIN") as copy:
                for row in articles:
                    copy.write_row(row)
            with cur.copy("COPY article_bands (band_key, article_id) FROM STDIN") as copy:
                for row in bands:
                    copy.write_row(row)
            cur.execute(
                "SELECT setval(pg_get_serial_sequence('articles', 'id'), %s)", (len(corpus),)
            )
            cur.execute("ANALYZE")
        else:
            marks = ", ".join("?" * 15)
            cur.executemany(f"INSERT INTO articles ({cols}) VALUES ({marks})", articles)
            cur.executemany("INSERT INTO article_bands (band_key, article_id) VALUES (?, ?)", bands)
            cur.execute("ANALYZE")
        raw.commit()
        if db.dialect == "sqlite":  # fold the fill's huge WAL in now, not in the timed commits
            cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        raw.close()


def new_records(corpus, n_new: int, seed: int) -> list[ArticleRecord]:
    """New stories, and every fifth a copy (added lead + credit) of a stored article."""
    rng, words = random.Random(seed), vocabulary()
    records = []
    for i in range(n_new):
        if i % 5 == 4:
            stored = corpus[rng.randrange(len(corpus))][1]
            body = "Tin từ cơ sở. " + stored + "\nTheo: p1.dcs.vn"
        else:
            body = synthetic_text(rng, words)
        records.append(ArticleRecord(url=f"https://moi.vn/{seed}/{i}", source_id="moi", title="t",
                                     text=body, published="2024-01-02"))  # fmt: skip
    return records


def time_one(db: Database, rec: ArticleRecord) -> tuple[float, bool]:
    """Seconds for one store_article in its own transaction, and whether it found a copy."""
    start = time.perf_counter()
    with db.session() as session:
        result = store_article(session, rec)
    return time.perf_counter() - start, result.duplicate_of is not None


def run_backend(name: str, url_for_size, sizes: list[int], corpora, n_new: int) -> None:
    """Fill one database per size, then time new articles alternating between the databases,
    so a busy moment on the shared machine hits every size alike."""
    dbs = {}
    for size in sizes:
        dbs[size] = Database(url_for_size(size))
        start = time.perf_counter()
        bulk_fill(dbs[size], corpora[size])
        print(f"{name:10} {size:>7} stored  bulk fill {time.perf_counter() - start:6.1f} s")
    batches = {size: new_records(corpora[size], n_new + 20, seed=size + 1) for size in sizes}
    costs: dict[int, list[float]] = {size: [] for size in sizes}
    copies = dict.fromkeys(sizes, 0)
    for i in range(n_new + 20):
        for size in sizes:
            cost, copy = time_one(dbs[size], batches[size][i])
            if i >= 20:  # the first 20 warm caches and connection pools
                costs[size].append(cost)
                copies[size] += copy
    for size in sizes:
        print(f"{name:10} {size:>7} stored  store_article median "
              f"{statistics.median(costs[size]) * 1000:6.2f} ms  mean "
              f"{statistics.fmean(costs[size]) * 1000:6.2f} ms  p90 "
              f"{statistics.quantiles(costs[size], n=10)[-1] * 1000:6.2f} ms  "
              f"({copies[size]}/{n_new} found as copies)")  # fmt: skip
        dbs[size].dispose()
    big, small = costs[sizes[-1]], costs[sizes[0]]
    ratio = statistics.median(big) / statistics.median(small)
    print(f"{name:10} ratio {sizes[-1]}/{sizes[0]}: {ratio:.2f} of medians, "
          f"{statistics.fmean(big) / statistics.fmean(small):.2f} of means (target <= 1.5)")  # fmt: skip


def store_records(n: int, seed: int = 7) -> list[ArticleRecord]:
    """The store loop's input: new stories, every fifth a copy of an earlier one, every tenth
    with an alias (a redirect origin), fingerprints precomputed (the workers' part)."""
    rng, words = random.Random(seed), vocabulary()
    records: list[ArticleRecord] = []
    for i in range(n):
        if i % 5 == 4:
            body = "Tin từ cơ sở. " + records[rng.randrange(i - 1)].text + "\nTheo: p1.dcs.vn"
        else:
            body = synthetic_text(rng, words, n_words=400)
        aliases = [f"https://p{i % 7}.dcs.vn/r?id={i}"] if i % 10 == 3 else []
        records.append(ArticleRecord(url=f"https://p{i % 7}.dcs.vn/tin/{i}", source_id=f"p{i % 7}",
                                     title=f"t{i}", text=body, published="2024-01-02",
                                     aliases=aliases, fingerprint=dedupe.fingerprint(body)))  # fmt: skip
    return records


def stored_digest(db: Database) -> str:
    """What the store kept and decided (rows, copies' originals, aliases, bands), hashed."""
    queries = [
        "SELECT a.url, o.url, a.content_hash, a.minhash, a.published_at FROM articles a"
        " LEFT JOIN articles o ON o.id = a.duplicate_of_id ORDER BY a.url",
        "SELECT u.url, a.url FROM url_aliases u JOIN articles a ON a.id = u.article_id ORDER BY 1",
        "SELECT b.band_key, a.url FROM article_bands b JOIN articles a ON a.id = b.article_id"
        " ORDER BY 1, 2",
    ]
    digest = hashlib.sha256()
    raw = db.engine.raw_connection()
    try:
        cur = raw.cursor()
        for query in queries:
            cur.execute(query)
            for row in cur.fetchall():
                digest.update(repr([bytes(v) if isinstance(v, memoryview) else v
                                    for v in row]).encode())  # fmt: skip
    finally:
        raw.close()
    return digest.hexdigest()[:16]


def store_cpu(name: str, url: str, records: list[ArticleRecord]) -> None:
    """CPU per article of ``StorePipeline.process_item`` over ``records`` (after 20 warm-up)."""
    from dvcrawl.pipelines.store import StorePipeline

    db = Database(url)
    pipeline = StorePipeline(db)
    warm, rest = records[:20], records[20:]
    for rec in warm:
        pipeline.process_item(rec)
    start = time.process_time()
    for rec in rest:
        pipeline.process_item(rec)
    per_article = (time.process_time() - start) / len(rest) * 1000
    copies = sum(1 for rec in records if rec.text.startswith("Tin từ cơ sở"))
    print(f"store-cpu {name:10} {per_article:.3f} ms/article over {len(rest)} "
          f"({copies} copies offered) digest {stored_digest(db)}")  # fmt: skip
    db.dispose()


def pg_databases():
    """Create throwaway PostgreSQL databases on demand; None when no server answers."""
    try:
        import psycopg

        admin = "host=127.0.0.1 port=5432 user=postgres dbname=test"
        psycopg.connect(admin, connect_timeout=3).close()
    except Exception:
        return None, None
    created: list[str] = []

    def url_for_size(size: int) -> str:
        name = f"dvcrawl_bench_{size}_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        created.append(name)
        return f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"

    def drop_all() -> None:
        with psycopg.connect(admin, autocommit=True) as conn:
            for name in created:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return url_for_size, drop_all


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 100_000])
    parser.add_argument("--new", type=int, default=200, help="articles timed per size")
    parser.add_argument("--no-pg", action="store_true", help="SQLite only")
    parser.add_argument("--quality-only", action="store_true", help="skip the cost benchmark")
    parser.add_argument("--store-cpu", type=int, metavar="N", help="only the store loop's CPU")
    args = parser.parse_args()
    if args.store_cpu:
        return store_loop(args.store_cpu, pg=not args.no_pg)
    quality()
    if args.quality_only:
        return 0
    start = time.perf_counter()
    corpora = {size: make_corpus(size, seed=size) for size in args.sizes}
    print(f"synthetic corpora with real band keys built in {time.perf_counter() - start:.0f} s")
    with tempfile.TemporaryDirectory() as tmp:
        run_backend("sqlite", lambda s: f"sqlite:///{tmp}/bench_{s}.sqlite", args.sizes, corpora,
                    args.new)  # fmt: skip
    url_for_size, drop_all = (None, None) if args.no_pg else pg_databases()
    if url_for_size is None:
        print("postgresql skipped (not reachable or --no-pg)")
        return 0
    try:
        run_backend("postgresql", url_for_size, args.sizes, corpora, args.new)
    finally:
        drop_all()
    return 0


def store_loop(n: int, *, pg: bool) -> int:
    records = store_records(n)
    with tempfile.TemporaryDirectory() as tmp:
        store_cpu("sqlite", f"sqlite:///{tmp}/store.sqlite", records)
    url_for_size, drop_all = pg_databases() if pg else (None, None)
    if url_for_size is not None:
        try:
            store_cpu("postgresql", url_for_size(n), records)
        finally:
            drop_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
