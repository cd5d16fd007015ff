"""Review desk speed with 100,000 stored articles (issue 7, target: each page < 200 ms).

Builds a SQLite database of N articles (bulk Core inserts; bodies are paragraphs drawn from the
real seed pages in /work/shared/seeds, or a built-in paragraph when those are missing), indexes
them for search, then times the queue page (default and filtered) and searches through a signed-in
TestClient: the whole request, templates and middleware included. Prints the median and worst of
several runs per page, in milliseconds.

    python bench/bench_web.py [--articles N] [--runs R] [--keep DIR]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import insert

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from dvcrawl.storage.models import Article, Source  # noqa: E402
from dvcrawl.storage.search import sync_index  # noqa: E402
from test_web_support import login, make_desk  # noqa: E402  (the tests' desk builder)

SEEDS = Path("/work/shared/seeds")
FALLBACK = [
    "Ban Dân vận Tỉnh ủy tổ chức hội nghị triển khai công tác dân vận năm 2024.",
    "Mô hình dân vận khéo ở xã Hòa Bình giúp bà con phát triển kinh tế, xây dựng nông thôn mới.",
    "Đồng chí Bí thư Đảng ủy phát biểu chỉ đạo, đề nghị cấp ủy gần dân, trọng dân, hiểu dân.",
]
BATCH = 10_000
# A deployment's shape: a few dozen portals, one or two per province.
PROVINCES = [
    "Hà Tĩnh",
    "Nghệ An",
    "Hà Nam",
    "Thanh Hóa",
    "Quảng Bình",
    "Bắc Ninh",
    "Lào Cai",
    "Đắk Lắk",
    "Cà Mau",
    "An Giang",
    "Huế",
    "Đà Nẵng",
    "Sơn La",
    "Yên Bái",
    "Phú Thọ",
]
SOURCES = [f"src{i:02d}" for i in range(2 * len(PROVINCES))]
START = datetime(2016, 1, 1)
PAGES = {
    "queue (new, newest first)": "/",
    "queue page 50": "/?page=50",
    "queue by source": "/?source=src03&status=all",
    "queue by province + relevant": "/?province=Ngh%E1%BB%87+An&relevance=yes&status=all",
    "queue, any status, relevant": "/?status=all&relevance=yes",
    "queue by date range": "/?status=all&date_from=2018-03-01&date_to=2018-03-31",
    "search 'dan van' (common)": "/search?q=dan+van",
    "search 'dan van kheo hoa binh'": "/search?q=dan+van+kheo+hoa+binh",
    "search 'nong thon moi' page 3": "/search?q=nong+thon+moi&page=3",
    "search rare word": "/search?q=bai+99999",
}


def paragraphs() -> list[str]:
    found = [
        line.strip()
        for path in sorted(SEEDS.glob("*.txt"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if len(line.strip()) > 80
    ]
    return found or FALLBACK


def rows(n: int, rng: random.Random, pool: list[str]):
    """``n`` article rows in batches over SOURCES; about a third relevant, most still new."""
    for start in range(0, n, BATCH):
        batch = []
        for i in range(start, min(n, start + BATCH)):
            source = SOURCES[i % len(SOURCES)]
            when = START + timedelta(minutes=47 * i)
            batch.append(
                {
                    "id": i + 1,
                    "url": f"https://{source}.example.vn/tin-tuc/bai-{i}.html",
                    "source_id": source,
                    "title": f"Bài {i}: " + rng.choice(pool)[:90],
                    "text": "\n".join(rng.sample(pool, k=min(4, len(pool)))),
                    "published": (when + timedelta(hours=7)).date().isoformat(),
                    "published_at": when,
                    "date_doubtful": False,
                    "fetched_at": when,
                    "updated_at": when,
                    "relevant": rng.random() < 0.35,
                    "relevance_score": rng.random(),
                    "relevance_terms": [],
                    "status": "new" if rng.random() < 0.8 else "approved",
                }
            )
        yield batch


def build(directory: Path, n: int) -> TestClient:
    app = make_desk(f"sqlite:///{directory / 'bench.sqlite'}")
    rng, pool = random.Random(7), paragraphs()
    started = time.perf_counter()
    with app.state.db.session() as session:
        for i, ident in enumerate(SOURCES):
            province = PROVINCES[i % len(PROVINCES)]
            session.add(Source(id=ident, name=f"Cổng TTĐT {province} {i}", province=province))
        for batch in rows(n, rng, pool):
            session.execute(insert(Article), batch)
    inserted = time.perf_counter()
    with app.state.db.session() as session:
        sync_index(session)
    print(
        f"{n:,} articles: insert {inserted - started:.1f} s, "
        f"fold + index {time.perf_counter() - inserted:.1f} s",
        flush=True,
    )
    client = TestClient(app)
    login(client)
    return client


def time_page(client: TestClient, path: str, runs: int) -> list[float]:
    client.get(path)  # warm the page cache and the templates
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--keep", type=Path, help="build the database here and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        directory = args.keep or Path(tmp)
        directory.mkdir(parents=True, exist_ok=True)
        client = build(directory, args.articles)
        print(f"{'page':34} {'median ms':>10} {'worst ms':>9}")
        for label, path in PAGES.items():
            times = time_page(client, path, args.runs)
            print(f"{label:34} {statistics.median(times):10.1f} {max(times):9.1f}")


if __name__ == "__main__":
    main()
