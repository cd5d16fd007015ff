"""Topics subscribers follow ("Dân vận khéo", grassroots democracy, …) as data: data/topics.toml.

A topic is a name, a slug and relevance-lexicon labels; an article is in a topic when the
relevance scorer matched one of those labels (the stored ``relevance_terms``). So there is one
matcher, the scorer's, and a topic naming a label the lexicon lacks is an error at load time.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from dvcrawl.errors import ConfigError

# A topic slug: lower-case ASCII words joined by hyphens, the tail of "topic-<slug>.rss".
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Topic:
    name: str
    slug: str
    terms: frozenset[str]  # relevance lexicon labels

    def matches(self, terms: Iterable[str]) -> bool:
        """True when an article whose scorer matched ``terms`` belongs here."""
        return not self.terms.isdisjoint(terms)


def parse_topics(text: str, where: str = "topics.toml") -> tuple[Topic, ...]:
    """Topics from TOML ``text``; a bad entry is a ConfigError naming it and the key."""
    from dvcrawl.relevance import labels

    known = labels()
    topics: list[Topic] = []
    for n, entry in enumerate(tomllib.loads(text).get("topic", []), 1):
        name, slug, terms = entry.get("name"), entry.get("slug"), entry.get("terms")
        label = f"{where}: topic {n} ({name or slug or '?'})"
        if not isinstance(name, str) or not name.strip():
            raise ConfigError(f"{label}: 'name' must be a non-empty string")
        if not isinstance(slug, str) or not _SLUG.match(slug):
            raise ConfigError(f"{label}: 'slug' must be lower-case ASCII words joined by '-'")
        if not isinstance(terms, list) or not terms:
            raise ConfigError(f"{label}: 'terms' must be a non-empty list of lexicon labels")
        unknown = sorted(set(map(str, terms)) - known)
        if unknown:
            raise ConfigError(f"{label}: 'terms' names labels not in lexicon.toml: {unknown}")
        if any(t.slug == slug for t in topics):
            raise ConfigError(f"{label}: slug {slug!r} is used twice")
        topics.append(Topic(name.strip(), slug, frozenset(terms)))
    return tuple(topics)


@cache
def load_topics() -> tuple[Topic, ...]:
    """The topics shipped in dvcrawl/data/topics.toml, in file order."""
    text = resources.files("dvcrawl").joinpath("data", "topics.toml").read_text("utf-8")
    return parse_topics(text)


def topic_by_slug(slug: str) -> Topic:
    """The topic ``slug``; an unknown one is a ConfigError listing the valid slugs."""
    for topic in load_topics():
        if topic.slug == slug:
            return topic
    valid = ", ".join(t.slug for t in load_topics())
    raise ConfigError(f"unknown topic {slug!r}; valid topics: {valid}")


def topics_of(terms: Iterable[str]) -> list[Topic]:
    """The topics an article with matched ``terms`` belongs to, in file order."""
    found = set(terms)
    return [t for t in load_topics() if t.matches(found)]
