"""Learn, per source, whether an article URL's id (or slug) names the article by itself.

Portals file one story under several categories: ``/Home/Kinh-te/17404/slug`` and
``/Home/Tin-tuc-Su-kien/17404/slug`` are one page. Whether the id alone names the story is a
habit of each portal (on some, ids count per category), so it is learned, not assumed:

- free evidence first: two URLs that share an id and also their slug, or are linked with the
  same headline; a page whose ``rel=canonical`` (or a redirect) names another URL with the
  same key;
- otherwise the first time two URLs share a key, both are fetched and compared (title and the
  start of the body); further URLs with that kind of key wait for the verdict;
- confirmed: later URLs with a known key are not fetched, but remembered as aliases of the
  first; refuted: every URL is fetched, as before.
- articles stored by earlier runs count as first URLs of their keys: an old story that shows
  up under another section path (listings shift as news arrives) is an alias when its id and
  slug agree with the stored URL's, or when this run has learned that the key names the article,
  instead of being fetched again. It is never compared against a stored page (that page is not
  fetched in this run, so the comparison could not finish).

Pure: the spider asks :meth:`IdentityLearner.decide` and reports with :meth:`observe`.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from dvcrawl.profiles.urlrules import GENERIC, UrlRules

MIN_SLUG_KEY_WORDS = 3  # a shorter last segment ("tin-tuc") names a section, not a story
MIN_HEADLINE_WORDS = 6  # anchor texts this long are headlines: equal ones name one story
_SLUG_TAIL = re.compile(r"(?:[-_]\d+)?(?:\.\w{2,5})?$")  # "-12345.html", ".aspx"


class Verdict(enum.Enum):
    FETCH = "fetch"  # a new article, or identity is not known to hold on this source
    SAME = "same"  # the article of an earlier URL with this key: do not fetch
    DEFER = "defer"  # wait: two URLs with this kind of key are being compared


@dataclass
class _Kind:
    """What is known about one kind of key ("id" or "slug") on this source."""

    holds: bool | None = None  # None: not learned yet
    testing: tuple[str, str] | None = None  # (first URL, second URL) being compared
    deferred: list[str] = field(default_factory=list)


@dataclass
class Resolution:
    """What a verdict releases: URLs now known to be aliases, and URLs to fetch after all."""

    aliases: list[tuple[str, str]] = field(default_factory=list)  # (url, first url of its key)
    fetch: list[str] = field(default_factory=list)


def article_key(url: str, rules: UrlRules = GENERIC) -> tuple[str, str] | None:
    """("id" | "slug", host:value) naming the article behind ``url``, or None."""
    host = urlsplit(url).hostname or ""
    found = rules.article_id(url)
    if found is not None:
        return "id", f"{host}:{found}"
    slug = url_slug(url)
    return ("slug", f"{host}:{slug}") if slug else None


def url_slug(url: str) -> str | None:
    """The story's slug in ``url`` (last segment, no id or extension), if it has enough words."""
    last = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]
    slug = _SLUG_TAIL.sub("", last).lower()
    words = [w for w in re.split(r"[-_+]+", slug) if w and not w.isdigit()]
    return slug if len(words) >= MIN_SLUG_KEY_WORDS else None


def _headline(text: str) -> str | None:
    words = text.lower().split()
    return " ".join(words) if len(words) >= MIN_HEADLINE_WORDS else None


class IdentityLearner:
    """One source's article keys in one run, and what was learned about them."""

    def __init__(self, rules: UrlRules = GENERIC, known: Collection[str] = ()) -> None:
        self.rules = rules  # the spider swaps in its profile's rules once the family is known
        self.known = known  # URLs stored by earlier runs (canonical and aliases)
        self._stored: tuple[UrlRules, dict[str, str]] | None = None  # key -> stored URL
        self.kinds = {"id": _Kind(), "slug": _Kind()}
        self.first: dict[str, str] = {}  # key -> first URL fetched for it
        self.seen: dict[str, str | None] = {}  # URL -> what its page looked like
        self.headlines: dict[str, str] = {}  # URL -> the headline it was linked with
        self.released = Resolution()  # what a verdict reached in decide() lets go

    def decide(self, url: str, text: str = "") -> tuple[Verdict, str | None]:
        """Fetch ``url`` (linked as ``text``), skip it as an earlier URL's article, or wait."""
        found = article_key(url, self.rules)
        if found is None:
            return Verdict.FETCH, None
        kind, key = self.kinds[found[0]], found[1]
        if key not in self.first and kind.holds is not False:
            stored = self._stored_first(key)
            if stored not in (None, url) and (kind.holds or self._agree(stored, url)):
                if kind.holds is None:
                    self.released.aliases += self._settle(kind, True).aliases
                return Verdict.SAME, stored
        first = self.first.setdefault(key, url)
        headline = _headline(text)
        if headline and url not in self.headlines:
            self.headlines[url] = headline
        if first == url or kind.holds is False:
            return Verdict.FETCH, None
        if kind.holds is None and self._agree(first, url):
            settled = self._settle(kind, True)
            self.released.aliases += settled.aliases
        if kind.holds:
            return Verdict.SAME, first
        if kind.testing is None:
            kind.testing = (first, url)
            return Verdict.FETCH, None
        kind.deferred.append(url)
        return Verdict.DEFER, None

    def observe(self, url: str, canonical: str, looks: str | None) -> Resolution:
        """The page linked as ``url`` (stored under ``canonical``) looked like ``looks``.

        ``looks`` is None for a page that was no article (an error page proves nothing).
        """
        self.seen[url] = looks
        found = article_key(url, self.rules)
        if found is None:
            return Resolution()
        kind = self.kinds[found[0]]
        if canonical != url and article_key(canonical, self.rules) == found and looks:
            return self._settle(kind, True)  # the site itself says: same key, same article
        if kind.testing is None or not all(u in self.seen for u in kind.testing):
            return Resolution()
        first, second = (self.seen[u] for u in kind.testing)
        if first is None or second is None:
            return Resolution(fetch=self._retest(kind))  # inconclusive: test the next one
        return self._settle(kind, first == second)

    def _stored_first(self, key: str) -> str | None:
        """The stored URL with ``key`` under the current rules (index built once per rules)."""
        if not self.known:
            return None
        if self._stored is None or self._stored[0] is not self.rules:
            index: dict[str, str] = {}
            for stored in sorted(self.known):  # sorted: the same URL wins on every run
                found = article_key(stored, self.rules)
                if found is not None:
                    index.setdefault(found[1], stored)
            self._stored = (self.rules, index)
        return self._stored[1].get(key)

    def _agree(self, first: str, url: str) -> bool:
        """Two URLs with one key that also share their slug or headline: one story."""
        slug = url_slug(url)
        if slug is not None and slug == url_slug(first) and article_key(url, self.rules)[0] == "id":
            return True
        headline = self.headlines.get(url)
        return headline is not None and headline == self.headlines.get(first)

    def drain(self) -> Resolution:
        """What verdicts reached while deciding let go (aliases of waiting URLs)."""
        released, self.released = self.released, Resolution()
        return released

    def observe_redirect(self, origin: str, target: str) -> Resolution:
        """``origin`` redirects to ``target``: one article, so a key they share names it."""
        found = article_key(origin, self.rules)
        if found is None or origin == target or article_key(target, self.rules) != found:
            return Resolution()
        return self._settle(self.kinds[found[0]], True)

    def learned(self) -> dict[str, bool | None]:
        """For each kind of key: does it name the article here (None: not learned yet)."""
        return {name: kind.holds for name, kind in self.kinds.items()}

    def _retest(self, kind: _Kind) -> list[str]:
        kind.testing = None
        if not kind.deferred:
            return []
        url = kind.deferred.pop(0)
        found = article_key(url, self.rules)
        if found is not None:
            kind.testing = (self.first[found[1]], url)
        return [url]

    def _settle(self, kind: _Kind, holds: bool) -> Resolution:
        if kind.holds is None:
            kind.holds = holds
        kind.testing = None
        deferred, kind.deferred = kind.deferred, []
        if kind.holds:
            pairs = [(u, self.first[k[1]]) for u in deferred if (k := article_key(u, self.rules))]
            return Resolution(aliases=pairs)
        return Resolution(fetch=deferred)

    def release_all(self) -> list[str]:
        """URLs still waiting (the crawl ran out of other work): fetch them."""
        urls = [u for kind in self.kinds.values() for u in kind.deferred]
        for kind in self.kinds.values():
            kind.deferred, kind.testing = [], None
        return urls
