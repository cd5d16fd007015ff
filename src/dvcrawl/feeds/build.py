"""build_feeds: the database's newest articles → every feed file, written only when changed.

Feeds are a pure function of the database (docs/style.md, data flow): read once, render each feed in
RSS, Atom and JSON Feed, list them in OPML, write atomically, then ping the WebSub hub for the
feeds that changed.
"""

from __future__ import annotations

import logging
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from dvcrawl import provinces
from dvcrawl.errors import ConfigError
from dvcrawl.feeds import options, safe, websub
from dvcrawl.feeds.entries import Entry, FeedSpec, build_time, distinct_updated, make_entry
from dvcrawl.feeds.jsonfeed import json_bytes
from dvcrawl.feeds.opml import opml_bytes
from dvcrawl.feeds.query import (
    FeedArticle,
    SourceInfo,
    also_published,
    list_sources,
    merge_newest,
    newest_for_source,
    newest_in_topics,
)
from dvcrawl.feeds.render import atom_bytes, rss_bytes
from dvcrawl.feeds.titles import all_texts, province_texts, source_texts, topic_texts
from dvcrawl.feeds.write import has_entries, remove_stale_temporaries, write_if_changed
from dvcrawl.provinces import Province
from dvcrawl.settings_table import SETTINGS
from dvcrawl.storage.db import Database
from dvcrawl.textnorm import slug
from dvcrawl.topics import Topic, load_topics, topic_by_slug, topics_of

log = logging.getLogger(__name__)
# Where `dvcrawl serve` answers by default; feeds need absolute self links even without config.
DEFAULT_BASE_URL = SETTINGS["base_url"].default
OPML_NAME = "feeds.opml"
# Anything but the characters the feed server accepts in a file name.
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9_-]+")


@dataclass(frozen=True)
class FeedInfo:
    """One written feed file."""

    name: str  # file name: "all.rss"
    title: str
    path: Path
    url: str
    kind: str  # format: rss | atom | json | opml
    group: str = "all"  # all | source | province | topic | index


@dataclass
class FeedBuildResult:
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    feeds: list[FeedInfo] = field(default_factory=list)
    pinged: list[str] = field(default_factory=list)  # feed URLs announced to the hub
    ping_errors: list[str] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)  # non-empty files not replaced by empty ones

    @property
    def nothing_publishable(self) -> bool:
        """True when even the site-wide feed was kept: most likely the wrong database."""
        return any(path.stem == "all" for path in self.kept)


def feeds_base_url(base_url: str | None) -> str:
    """The URL of the feeds directory: ``base_url`` (site root or …/feeds) + "/feeds/"."""
    value = (base_url or DEFAULT_BASE_URL).strip()
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"base URL must be an absolute http(s) URL, not {value!r}")
    value = value.rstrip("/")
    return value + "/" if value.endswith("/feeds") else value + "/feeds/"


def _read(db: Database, mode: str, limit: int, topics: tuple[Topic, ...]):
    """Sources, each source's newest articles, each source's newest per topic (slug), and the
    copies of every listed article."""
    with db.session() as session:
        sources = list_sources(session)
        newest = {s.id: _web_only(newest_for_source(session, s.id, mode, limit)) for s in sources}
        topical = {
            s.id: {
                slug: _web_only(articles)
                for slug, articles in newest_in_topics(session, s.id, mode, limit, topics).items()
            }
            for s in sources
        }
        ids = [a.id for articles in newest.values() for a in articles]
        ids += [a.id for by_slug in topical.values() for rows in by_slug.values() for a in rows]
        copies = also_published(session, ids)
    return sources, newest, topical, copies


def _web_only(articles: list[FeedArticle]) -> list[FeedArticle]:
    """Articles whose URL a reader may open: a stored javascript: or file: link never ships."""
    kept = []
    for article in articles:
        if safe.is_web_url(article.url):
            kept.append(article)
        else:
            log.warning("feeds: article %d left out: its URL is not http(s)", article.id)
    return kept


def _place(source: SourceInfo) -> Province | None:
    """The current province of a source; a name the mapping lacks keeps a feed of its own."""
    raw = safe.one_line(source.province)
    if not raw:
        return None
    found = provinces.current(raw)
    if found is None:  # sources files are checked at load; an old stored row may predate that
        log.warning("feeds: source %s: province %r is not a known province name", source.id, raw)
        return Province(raw, slug(raw), None)
    return found


def _categories(place: Province | None, article: FeedArticle) -> tuple[str, ...]:
    """An entry's categories after its source: province (current, then old name), topics."""
    where = (place.name, place.old_name or "") if place else ()
    return (*where, *(t.name for t in topics_of(article.terms)))


def _province_specs(
    sources: list[SourceInfo], places: dict, newest: dict, limit: int, mode: str, home: str
) -> list[tuple[FeedSpec, list[FeedArticle]]]:
    """One feed per current province, merging the portals of the provinces merged into it."""
    members: dict[str, list[SourceInfo]] = defaultdict(list)
    for source in sources:
        if places[source.id]:
            members[places[source.id].slug].append(source)
    specs = []
    for key in sorted(members):
        group = members[key]
        old = sorted({places[s.id].old_name for s in group if places[s.id].old_name})
        texts = province_texts(places[group[0].id].name, mode, old)
        spec = FeedSpec(f"province-{key}", "province", *texts, home)
        specs.append((spec, merge_newest([newest[s.id] for s in group], limit)))
    return specs


def _topic_spec(topic: Topic, topical: dict, limit: int, mode: str, home: str):
    """The feed of one topic: the newest of every source's newest in that topic."""
    lists = [by_slug[topic.slug] for by_slug in topical.values()]
    spec = FeedSpec(f"topic-{topic.slug}", "topic", *topic_texts(topic.name, mode), home)
    return spec, merge_newest(lists, limit)


def _specs(
    sources: list[SourceInfo],
    places: dict,
    newest: dict,
    topical: dict,
    limit: int,
    mode: str,
    home: str,
) -> list[tuple[FeedSpec, list[FeedArticle]]]:
    """Every logical feed with its articles: site-wide, per source, province and topic."""
    specs = [(FeedSpec("all", "all", *all_texts(mode), home), merge_newest(newest.values(), limit))]
    for source in sources:
        name = f"source-{_UNSAFE_NAME.sub('-', source.id)}"
        title, description = source_texts(source.name, mode)
        spec = FeedSpec(name, "source", title, description, source.home or home)
        specs.append((spec, newest[source.id]))
    specs += _province_specs(sources, places, newest, limit, mode, home)
    specs += [_topic_spec(t, topical, limit, mode, home) for t in load_topics()]
    return specs


def _write_feed(
    spec: FeedSpec, out_dir: Path, base: str, render_opts: dict, result: FeedBuildResult
) -> list[str]:
    """Write the three formats of ``spec``; returns the URLs of the files that changed."""
    built = build_time(render_opts["now"])
    hub, ttl = render_opts["hub"], render_opts["ttl"]
    renderers = {
        "rss": lambda url: rss_bytes(spec, url, hub, ttl, built),
        "atom": lambda url: atom_bytes(spec, url, hub, ttl, built),
        "json": lambda url: json_bytes(spec, url, hub),
    }
    changed = []
    for kind, render in renderers.items():
        info = FeedInfo(
            f"{spec.name}.{kind}",
            spec.title,
            out_dir / f"{spec.name}.{kind}",
            f"{base}{spec.name}.{kind}",
            kind,
            spec.kind,
        )
        if not spec.entries and not render_opts["allow_empty"] and has_entries(info.path):
            result.kept.append(info.path)  # never emptied unless asked (--allow-empty)
            continue
        if _record(info, render(info.url), result):
            changed.append(info.url)
    return changed


def _record(info: FeedInfo, data: bytes, result: FeedBuildResult) -> bool:
    """Write one file if changed and note it in ``result``; True when written."""
    written = write_if_changed(info.path, data)
    (result.written if written else result.unchanged).append(info.path)
    result.feeds.append(info)
    return written


def _prepare_dir(out_dir: Path) -> Path:
    """Create the feeds directory; a path that cannot hold feeds is a clear error up front."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"cannot create the feeds directory {out_dir}: {exc}") from exc
    if not os.access(out_dir, os.W_OK | os.X_OK):
        raise ConfigError(f"the feeds directory {out_dir} is not writable")
    remove_stale_temporaries(out_dir)
    return out_dir


def _write_opml(
    specs: list[FeedSpec], out_dir: Path, base: str, title: str, result: FeedBuildResult
) -> None:
    info = FeedInfo(OPML_NAME, title, out_dir / OPML_NAME, base + OPML_NAME, "opml", "index")
    rss_urls = {spec.name: f"{base}{spec.name}.rss" for spec in specs}
    _record(info, opml_bytes(specs, rss_urls, title), result)


def _ping(hub: str, urls: list[str], result: FeedBuildResult) -> None:
    for url in urls:
        error = websub.ping(hub, url)
        if error:
            result.ping_errors.append(error)
        else:
            result.pinged.append(url)


def build_feeds(
    db: Database,
    out_dir: Path,
    *,
    base_url: str | None = None,
    limit: int | None = None,
    mode: str | None = None,
    hub: str | None = None,
    ttl_minutes: int | None = None,
    topic: str | None = None,
    allow_empty: bool = True,
) -> FeedBuildResult:
    """(Re)build every feed into ``out_dir``; unchanged files are left as they are.

    ``mode`` "auto" publishes every relevant article until staff reject it, "approved" only
    approved ones. ``ttl_minutes`` should match the crawl schedule. With ``hub``, feeds carry
    rel="hub" links and the hub is pinged for each feed file that changed. An option left None
    comes from its DVCRAWL_* variable, else the default (50, auto, no hub, 30 minutes). With
    ``topic`` (a slug), only that topic's files are written. Without ``allow_empty``, a file
    that has entries is never replaced by one without (``result.kept`` lists them).
    """
    opts = options.resolve(
        base_url=base_url, limit=limit, mode=mode, hub=hub, ttl_minutes=ttl_minutes
    )
    only = topic_by_slug(topic) if topic else None
    base = feeds_base_url(opts.base_url)
    out_dir = _prepare_dir(Path(out_dir))
    topics = (only,) if only else load_topics()
    sources, newest, topical, copies = _read(db, opts.mode, opts.limit, topics)
    by_id = {s.id: s for s in sources}
    places = {s.id: _place(s) for s in sources}
    render_opts = {
        "now": datetime.now(UTC),
        "hub": opts.hub,
        "ttl": opts.ttl_minutes,
        "allow_empty": allow_empty,
    }
    if only:
        plan = [_topic_spec(only, topical, opts.limit, opts.mode, base)]
    else:
        plan = _specs(sources, places, newest, topical, opts.limit, opts.mode, base)
    result = FeedBuildResult()
    changed: list[str] = []
    for spec, articles in plan:
        spec.entries = distinct_updated([_entry(a, by_id, places, copies) for a in articles])
        changed += _write_feed(spec, out_dir, base, render_opts, result)
    if not only and not result.nothing_publishable:  # the old list still names real feeds
        _write_opml([spec for spec, _ in plan], out_dir, base, all_texts(opts.mode)[0], result)
    if opts.hub and changed:
        _ping(opts.hub, changed, result)
    log.info(
        "feeds: %d written, %d unchanged in %s", len(result.written), len(result.unchanged), out_dir
    )
    return result


def _entry(article: FeedArticle, by_id: dict, places: dict, copies: dict) -> Entry:
    """The entry of ``article``: its portal, where else it appeared, and its categories."""
    also = [(url, _name(by_id, sid)) for url, sid in copies.get(article.id, [])]
    place = places.get(article.source_id)
    return make_entry(article, by_id.get(article.source_id), also, _categories(place, article))


def _name(sources: dict[str, SourceInfo], source_id: str) -> str:
    """A portal's display name (its id when the sources table does not know it)."""
    info = sources.get(source_id)
    return info.name if info else source_id
