"""SampleNetwork: every sample portal served on its own loopback address, for tests and demos."""

from __future__ import annotations

import contextlib
import logging
import random
import threading
import time
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from dvcrawl import settings as crawl_settings
from dvcrawl.constants import VN_TZ
from dvcrawl.sampleportals.corpus import build_corpus, make_article, slugify
from dvcrawl.sampleportals.model import Article, ExpectedArticle, RequestLogEntry
from dvcrawl.sampleportals.sites import SITE_CLASSES
from dvcrawl.sampleportals.sites.base import Route, Site
from dvcrawl.sampleportals.variety import draw_traits, varied_class
from dvcrawl.sampleportals.writer import OTHER_TOPICS, RELEVANT_TOPICS
from dvcrawl.sources import Source

log = logging.getLogger(__name__)
FIRST_HOST = 11  # sites live on 127.0.0.11, 127.0.0.12, ...
# The demo's and the existing tests' world: five fixed layouts. Any other seed varies them.
DEFAULT_SEED = 7
# A hanging article answers after the crawler's download timeout (then it is retried).
DEFAULT_HANG = crawl_settings.DOWNLOAD_TIMEOUT + 5


class _Handler(BaseHTTPRequestHandler):
    """Hands every request to the site of this server; logs it on the network."""

    protocol_version = "HTTP/1.1"

    def version_string(self) -> str:
        return self.server.site.server_header  # type: ignore[attr-defined]

    def do_GET(self) -> None:  # noqa: N802 (http.server naming)
        self._answer(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(send_body=False)

    def _answer(self, send_body: bool) -> None:
        net: SampleNetwork = self.server.network  # type: ignore[attr-defined]
        site: Site = self.server.site  # type: ignore[attr-defined]
        if net.delay:
            time.sleep(net.delay)
        headers = {k.lower(): v for k, v in self.headers.items()}
        try:
            resp = site.handle(self.command, self.path, headers)
        except Exception:  # a bug in a renderer must show as a 500, not a hung client
            log.exception("sample site %s failed on %s", site.spec.id, self.path)
            resp = site.html("<h1>500</h1>", 500)
        net._log(RequestLogEntry(site.spec.id, self.command, self.path, resp.status, headers))
        # A client that timed out on a hanging article is gone: nothing to answer, no traceback.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self._send(resp, send_body)

    def _send(self, resp, send_body: bool) -> None:
        self.send_response(resp.status)
        for key, value in resp.headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(resp.body)))
        self.end_headers()
        if send_body and resp.status != 304:
            self.wfile.write(resp.body)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (base class signature)
        log.debug("%s %s", self.address_string(), format % args)


class SampleNetwork:
    """The sample portals; ``with SampleNetwork() as net:`` starts and stops them."""

    def __init__(
        self,
        scale: int = 1,
        delay: float = 0.0,
        seed: int = DEFAULT_SEED,
        port: int = 0,
        hang_seconds: float = DEFAULT_HANG,
    ) -> None:
        """``port`` 0 lets the OS choose; a fixed port serves every site on it (distinct IPs).

        ``seed`` other than DEFAULT_SEED varies the layouts (variety.py) and adds edited copies
        and look-alike reports (copies.py); ``hang_seconds`` is how long a hanging article
        (varied seeds only) waits before it answers, once.
        """
        if scale < 1:
            raise ValueError(f"scale must be at least 1, got {scale}")
        self.scale, self.delay, self.seed, self.port = scale, delay, seed, port
        self.varied = seed != DEFAULT_SEED
        specs = [cls.spec for cls in SITE_CLASSES]
        corpus = build_corpus(specs, seed, scale, varied=self.varied)
        traits = draw_traits(seed, [s.id for s in specs]) if self.varied else {}
        self.traits = traits
        self.sites: dict[str, Site] = {}
        for cls in SITE_CLASSES:
            sid = cls.spec.id
            site_cls = varied_class(cls, traits[sid]) if sid in traits else cls
            self.sites[sid] = site_cls(corpus[sid])
            self.sites[sid].hang_seconds = hang_seconds
        self._servers: dict[str, ThreadingHTTPServer] = {}
        self._threads: list[threading.Thread] = []
        self._log_lock = threading.Lock()
        self._requests: list[RequestLogEntry] = []
        self._published = 0

    # --- lifecycle ------------------------------------------------------------------------
    def start(self) -> SampleNetwork:
        if self._servers:
            return self
        for i, (sid, site) in enumerate(self.sites.items()):
            server = ThreadingHTTPServer((f"127.0.0.{FIRST_HOST + i}", self.port), _Handler)
            server.daemon_threads = True
            server.network, server.site = self, site  # type: ignore[attr-defined]
            site.base_url = "http://{}:{}".format(*server.server_address[:2])
            # A short poll interval makes stop() quick: tests start and stop many networks.
            thread = threading.Thread(
                target=server.serve_forever, args=(0.05,), name=f"sample-{sid}", daemon=True
            )
            thread.start()
            self._servers[sid], self._threads = server, [*self._threads, thread]
        return self

    def stop(self) -> None:
        for server in self._servers.values():
            server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._servers, self._threads = {}, []

    def __enter__(self) -> SampleNetwork:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # --- what tests read ------------------------------------------------------------------
    def base_url(self, site_id: str) -> str:
        host, port = self._servers[site_id].server_address[:2]
        return f"http://{host}:{port}"

    @property
    def sources(self) -> list[Source]:
        return [
            Source(
                id=sid,
                name=site.spec.name,
                province=site.spec.province or None,
                start_urls=(
                    self.base_url(sid) + "/",
                    self.base_url(sid) + site.listing_path("danvan"),
                ),
            )
            for sid, site in self.sites.items()
        ]

    def sources_toml(self) -> str:
        blocks = []
        for s in self.sources:
            urls = ", ".join(f'"{u}"' for u in s.start_urls)
            province = f'province = "{s.province}"\n' if s.province else ""
            blocks.append(
                f'[[sources]]\nid = "{s.id}"\nname = "{s.name}"\n{province}start_urls = [{urls}]\n'
            )
        return "\n".join(blocks)

    def article_url(self, art: Article) -> str:
        return self.base_url(art.site_id) + self.sites[art.site_id].article_path(art)

    def expected(self, art: Article) -> ExpectedArticle:
        return ExpectedArticle(
            url=self.article_url(art),
            source_id=art.site_id,
            title=art.title,
            published=art.published_iso,
            author=art.author,
            credit=art.credit,
            text=art.text,
            relevant=art.relevant,
            duplicate_of=self.article_url(art.original) if art.original else None,
            aliases=tuple(
                self.base_url(art.site_id) + p for p in self.sites[art.site_id].alias_paths(art)
            ),
        )

    def expected_articles(self) -> list[ExpectedArticle]:
        out = []
        for site in self.sites.values():
            with site.lock:
                arts = list(site.articles)
            out.extend(self.expected(a) for a in arts)
        return out

    @property
    def requests(self) -> list[RequestLogEntry]:
        with self._log_lock:
            return list(self._requests)

    def clear_requests(self) -> None:
        with self._log_lock:
            self._requests.clear()

    def _log(self, entry: RequestLogEntry) -> None:
        with self._log_lock:
            self._requests.append(entry)

    # --- changing the network -------------------------------------------------------------
    def publish(
        self, site_id: str, title: str | None = None, relevant: bool = True
    ) -> ExpectedArticle:
        """A new article at the top of the site's listings (home, column), dated now.

        Without ``title`` the story is written from the seed and a counter, so a run of
        publishes is the same every time; the listings' ETag/Last-Modified change.
        """
        if site_id not in self.sites:
            raise KeyError(f"unknown sample site {site_id!r} (known: {', '.join(self.sites)})")
        site = self.sites[site_id]
        with self._log_lock:
            self._published += 1
            rng = random.Random(f"{self.seed}:publish:{site_id}:{self._published}")
        topics = RELEVANT_TOPICS if relevant else OTHER_TOPICS
        now = datetime.now(VN_TZ).replace(second=0, microsecond=0)
        with site.lock:
            num = max(a.num for a in site.articles) + 1
            titles = {a.title for a in site.articles}
            slugs = {a.slug for a in site.articles}
        art = make_article(site.spec, rng, rng.choice(topics), now, num)
        while title is None and art.title in titles:
            art = make_article(site.spec, rng, rng.choice(topics), now, num)
        if title is not None:
            art.title, art.slug = title, slugify(title) or f"bai-viet-{num}"
        if art.slug in slugs:  # slug-only URL forms need a unique slug
            art.slug = f"{art.slug}-{num}"
        art.category = "danvan" if relevant else "news"
        art.nfd = False
        site.add(art)
        return self.expected(art)

    def flaky_urls(self) -> list[str]:
        """Pages that answer 503 to their first request (a crawler should retry them)."""
        return [
            self.base_url(sid) + p
            for sid, site in self.sites.items()
            for p in site.fault_paths(site.flaky_nums)
        ]

    def slow_urls(self) -> list[str]:
        """Pages that answer only after ``hang_seconds`` to their first request."""
        return [
            self.base_url(sid) + p
            for sid, site in self.sites.items()
            for p in site.fault_paths(site.hang_nums)
        ]

    def listing_urls(self) -> list[str]:
        """Every listing page the sites link (each section, each page): ground truth."""
        return [
            self.base_url(sid) + site.listing_path(cat, page)
            for sid, site in self.sites.items()
            for cat in site.listing_keys()
            for page in range(1, site.page_count(cat) + 1)
        ]

    def resolve(self, url: str) -> Route | None:
        """What a URL of the network means (home, listing, article, redirect), or None."""
        split = urlsplit(url)
        origin = f"{split.scheme}://{split.netloc}"
        site = next((s for sid, s in self.sites.items() if self.base_url(sid) == origin), None)
        return site.route(split.path, parse_qs(split.query)) if site else None

    def page_kind(self, url: str) -> str | None:
        """ "home", "listing", "article", "redirect", or None for anything else."""
        route = self.resolve(url)
        return route.kind if route else None
