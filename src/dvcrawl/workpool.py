"""Article pages analysed in worker processes, so a crawl uses every core.

Extraction, relevance scoring and the dedupe fingerprint are pure and CPU-bound (~17 ms a
page); on Scrapy's reactor thread they held a crawl to one core. Here they run in a small
``ProcessPoolExecutor`` shared by every spider of the process; the spider awaits the result and
the store pipeline stays the one writer. The fingerprint is the body's content hash and shingle
hashes (``dvcrawl.fingerprint``, pure Python); the store turns them into a MinHash with numpy
(``dvcrawl.minhash``). datasketch is imported by neither: it imports SciPy, ~60 MB more in
every process, which would break the crawl's 500 MB memory budget.

- Workers are forked from a ``forkserver`` that has imported this module and analysed one
  built-in page (``dvcrawl.workwarm``: a new worker's first page no longer costs ~25 ms more),
  never from the crawl process itself (forking a process with the reactor's threads running
  is unsafe), and are replaced after :data:`TASKS_PER_WORKER` pages each, which bounds their
  memory.
- A worker ignores SIGINT (the crawl process decides when to stop) and exits as soon as the
  crawl process is gone, even after ``kill -9``: a watchdog thread waits on the crawl
  process's pidfd. (The pool's own pipes cannot tell: each worker holds both ends of its task
  queue, and the forkserver lives as long as any worker does.) With the workers gone, the
  forkserver and multiprocessing's resource tracker exit too: no orphan processes.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import select
import signal
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass

from dvcrawl.extract import ExtractedArticle, extract_article
from dvcrawl.fingerprint import Fingerprint, fingerprint
from dvcrawl.relevance import Relevance, score_article
from dvcrawl.textnorm import normalize_for_compare

log = logging.getLogger(__name__)

TASKS_PER_WORKER = 500  # pages per worker before the pool is replaced (memory stays flat)


@dataclass
class PageAnalysis:
    """What a worker returns: the article, and for an article its relevance and fingerprint."""

    article: ExtractedArticle
    relevance: Relevance | None = None
    fingerprint: Fingerprint | None = None  # of ``article.text``


def analyse_page(body: bytes, url: str, options: dict) -> PageAnalysis:
    """Extract the article of one page, then score and fingerprint it (runs in a worker)."""
    article = extract_article(body, url, **options)
    if not article.is_article:
        return PageAnalysis(article)
    normalized = normalize_for_compare(article.text or "")  # once for both
    relevance = score_article(article.title, article.text, normalized)
    return PageAnalysis(article, relevance, fingerprint(article.text, normalized))


def analyse_for_crawl(body: bytes, url: str, options: dict) -> PageAnalysis:
    """:func:`analyse_page` without the article's explanation fields (``decisions``,
    ``removed``: for ``dvcrawl inspect``), which the crawl process never reads: the result
    pickled in the worker and unpickled in the crawl process is ~30 % smaller."""
    analysis = analyse_page(body, url, options)
    analysis.article.decisions, analysis.article.removed = {}, []
    return analysis


def default_workers(cores: int | None = None) -> int:
    """One worker per usable core but the one the crawl process itself keeps busy (fetching,
    listings, the store: about as much CPU per article as a worker's extraction); none on one
    core, where a pool only adds copying. On 2 cores one worker stored 0.88-0.93x trafilatura's
    pages/s against 0.82-0.86x with two, in less memory (bench/README.md)."""
    if cores is None:
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    cores = cores or 1
    return cores - 1 if cores >= 2 else 0


def _wait_for_exit(pid: int) -> None:
    """Return once process ``pid`` has ended (pidfd on Linux, else polling once a second)."""
    try:
        fd = os.pidfd_open(pid)
    except (AttributeError, OSError):
        fd = None
    if fd is not None:
        select.select([fd], [], [])
        return
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(1.0)


def _watch_crawl(pid: int) -> None:
    _wait_for_exit(pid)
    os._exit(0)  # the crawl process is gone: nobody will ever read this worker's results


def _init_worker(crawl_pid: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_watch_crawl, args=(crawl_pid,), daemon=True).start()


class _SharedPool:
    """One pool per process, opened by the first spider that needs it, shut by the last.

    Recycled by hand after :data:`TASKS_PER_WORKER` pages per worker: a new executor takes the
    next pages while the old one finishes its own and exits (``shutdown(wait=False)``).
    ``max_tasks_per_child`` would do it per worker, but Python 3.11's executor decides whether
    to replace an exited worker from its idle-worker count, which can leave pending pages with
    no worker (a hang; the replacement logic was reworked in later CPython releases).
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.executor: ProcessPoolExecutor | None = None
        self.workers = 0
        self.users = 0
        self.submitted = 0  # tasks given to the current executor

    def _new_executor(self) -> ProcessPoolExecutor:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["dvcrawl.workwarm"])  # this module, and warm
        log.debug("extraction pool of %d worker processes", self.workers)
        return ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=context,
            initializer=_init_worker,
            initargs=(os.getpid(),),
        )

    def acquire(self, workers: int) -> None:
        with self.lock:
            if self.executor is None:
                self.workers, self.submitted = workers, 0
                self.executor = self._new_executor()
            self.users += 1

    def submit(self, fn, *args) -> Future:
        with self.lock:
            if self.executor is None:
                raise RuntimeError("the extraction pool is shut")
            if self.submitted >= TASKS_PER_WORKER * self.workers:
                old, self.executor, self.submitted = self.executor, self._new_executor(), 0
                old.shutdown(wait=False)  # finishes what it was given, then its workers exit
            self.submitted += 1
            return self.executor.submit(fn, *args)

    def release(self) -> None:
        with self.lock:
            self.users -= 1
            if self.users > 0 or self.executor is None:
                return
            executor, self.executor = self.executor, None
        executor.shutdown(wait=True, cancel_futures=True)


_POOL = _SharedPool()


class PagePool:
    """A spider's handle on the process's pool: submit pages, release at the end."""

    def __init__(self, workers: int) -> None:
        _POOL.acquire(workers)
        self.open = True

    def run(self, fn, *args) -> Future:
        """``fn(*args)`` in a worker process."""
        return _POOL.submit(fn, *args)

    def submit(self, body: bytes, url: str, options: dict) -> Future:
        """The page's :class:`PageAnalysis`, as the crawl needs it (:func:`analyse_for_crawl`)."""
        return self.run(analyse_for_crawl, body, url, options)

    def close(self) -> None:
        if self.open:
            self.open = False
            _POOL.release()
