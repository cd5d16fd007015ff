"""Article pages analysed in worker processes: same result, clean shutdown, no orphans."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dvcrawl import dedupe, workpool
from dvcrawl.relevance import score_article
from dvcrawl.sampleportals import SampleNetwork
from dvcrawl.workpool import PagePool, analyse_page

PAGE = (
    "<html><head><title>Hội nghị dân vận khéo</title></head><body><article>"
    "<h1>Ban Dân vận Tỉnh ủy tổng kết phong trào thi đua dân vận khéo năm 2026</h1>"
    '<div class="date">07/12/2026 08:30</div><div class="content">'
    + "<p>Ban Dân vận Tỉnh ủy tổ chức hội nghị tổng kết công tác dân vận và phong trào thi đua "
    "dân vận khéo, biểu dương các mô hình dân vận khéo tiêu biểu ở cơ sở.</p>"
    * 4
    + "</div></article></body></html>"
).encode()
URL = "http://cong.example.vn/tin-tuc/hoi-nghi-dan-van-12345.html"


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _descendants(root: int) -> set[int]:
    parents = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                stat = Path(f"/proc/{name}/stat").read_text()
            except OSError:
                continue
            parents[int(name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, grew = {root}, True
    while grew:
        more = {pid for pid, ppid in parents.items() if ppid in found} - found
        found |= more
        grew = bool(more)
    return found - {root}


def _gone_within(pids: set[int], seconds: float) -> set[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(_alive(p) for p in pids):
        time.sleep(0.1)
    return {p for p in pids if _alive(p)}


def test_a_worker_analyses_a_page_as_the_crawl_process_would():
    pool = PagePool(1)
    try:
        analysed = pool.submit(PAGE, URL, {}).result(timeout=120)
        worker = pool.run(os.getpid).result(timeout=60)
    finally:
        pool.close()
    here = analyse_page(PAGE, URL, {})
    assert analysed.article.is_article and analysed.article.title == here.article.title
    assert analysed.article.text == here.article.text
    assert analysed.relevance == here.relevance and analysed.relevance.relevant
    assert analysed.fingerprint == dedupe.fingerprint(here.article.text)
    assert analysed.article.as_dict() == here.article.as_dict()
    assert worker != os.getpid()
    assert _gone_within({worker}, 10) == set()  # closing the last handle ends the workers


def test_the_crawl_gets_the_article_without_its_explanation():
    """The pool returns what the crawl process reads; ``decisions`` and ``removed`` (for
    ``dvcrawl inspect``) are left in the worker, so less is pickled and unpickled."""
    here = analyse_page(PAGE, URL, {})
    slim = workpool.analyse_for_crawl(PAGE, URL, {})
    assert here.article.decisions and not slim.article.decisions and not slim.article.removed
    assert slim.article.as_dict() == here.article.as_dict()
    assert (slim.relevance, slim.fingerprint) == (here.relevance, here.fingerprint)


def test_a_page_is_scored_and_fingerprinted_as_its_text_alone_would_be():
    """The worker normalises the body once for both; the figures must not change."""
    here = analyse_page(PAGE.replace("ủy".encode(), "uỷ".encode()), URL, {})
    assert here.relevance == score_article(here.article.title, here.article.text)
    assert here.fingerprint == dedupe.fingerprint(here.article.text)


def test_workers_are_forked_warm():
    """The forkserver analysed a built-in article (extraction, relevance and fingerprint all
    ran) before forking, so no worker pays for first-use loading on its first page."""
    from dvcrawl import workwarm

    assert workwarm.warm()  # the built-in page is an article: every stage is exercised
    pool = PagePool(1)
    try:
        probe = "'dvcrawl.workwarm' in __import__('sys').modules"  # eval: a picklable callable
        assert pool.run(eval, probe).result(timeout=120)
    finally:
        pool.close()


def test_workers_never_import_scipy():
    """datasketch (and through it SciPy) stays in the store: ~60 MB more per worker."""
    code = "import sys, dvcrawl.workpool; print(sorted({'datasketch', 'scipy'} & set(sys.modules)))"
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert loaded.stdout.strip() == "[]"


def test_the_pool_is_recycled_after_its_share_of_pages(monkeypatch):
    monkeypatch.setattr(workpool, "TASKS_PER_WORKER", 2)
    pool = PagePool(1)
    try:
        futures = [pool.run(os.getpid) for _ in range(7)]
        pids = [f.result(timeout=120) for f in futures]
    finally:
        pool.close()
    assert len(set(pids)) == 4  # pages 1-2, 3-4, 5-6, 7: a fresh worker for each pair
    assert _gone_within(set(pids), 15) == set()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL])
def test_a_stopped_crawl_leaves_no_worker_processes(tmp_path, signum):
    with SampleNetwork(delay=0.05) as net:
        sources = tmp_path / "sources.toml"
        sources.write_text(net.sources_toml(), encoding="utf-8")
        db = f"sqlite:///{tmp_path / 'db.sqlite'}"
        command = [sys.executable, "-m", "dvcrawl", "-q", "crawl", "--sources", str(sources)]
        command += ["--db", db, "--delay", "0", "-s", "DVCRAWL_EXTRACT_WORKERS=2"]
        crawl = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline, workers = time.monotonic() + 120, set()
            while len(workers) < 3 and time.monotonic() < deadline:  # forkserver + 2 workers
                workers = _descendants(crawl.pid)
                time.sleep(0.2)
            assert len(workers) >= 3, "the crawl never started its worker processes"
            crawl.send_signal(signum)
            crawl.wait(timeout=120)
        finally:
            if crawl.poll() is None:
                crawl.kill()
                crawl.wait()
    assert _gone_within(workers, 15) == set()


@pytest.mark.parametrize(("cores", "workers"), [(1, 0), (2, 1), (4, 3), (16, 15)])
def test_the_crawl_process_keeps_a_core_of_its_own(cores, workers):
    """The crawl process (fetching, listings, the store) keeps about one core busy itself: a
    worker per remaining core (on 2 cores one worker stored faster than two)."""
    assert workpool.default_workers(cores) == workers
