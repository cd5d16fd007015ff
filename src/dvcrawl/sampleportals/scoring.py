"""Score a crawl of the sample network against its ground truth (tests and benchmarks).

A stored article counts when its URL is the expected URL or one of its aliases (the same story
under another section path). Fetches are counted from the network's request log: every
request that reached an article page, retries and second paths included; the one retry each
injected fault (a page answering 503 once, or hanging once) forces is counted apart, so the
crawler's own choices (a second path, a needless refetch) show in ``chosen_fetches_per_article``
whatever the fault density of the world. Syndication is scored
by story: a link between two articles of different stories is a false merge; a true copy whose
both ends were stored but sit in different clusters is a missed copy.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from dvcrawl.sampleportals.server import SampleNetwork
from dvcrawl.urls import canonicalize


@dataclass
class CrawlScore:
    expected: int
    found: int  # distinct expected articles stored
    stored_twice: list[str] = field(default_factory=list)  # expected URLs stored more than once
    twice_rows: dict[str, list[str]] = field(default_factory=dict)  # their rows: url (-> copy of)
    unknown: list[str] = field(default_factory=list)  # stored URLs that are no article
    missing: list[str] = field(default_factory=list)
    article_fetches: int = 0
    articles_fetched: int = 0  # distinct articles asked for
    fault_retries: int = 0  # second fetches of articles built to fail once (503 or hang)
    copies_expected: int = 0
    copies_linked: int = 0  # stored articles pointing at another article's URL
    false_merges: list[tuple[str, str]] = field(default_factory=list)  # (article, linked to)
    missed_copies: list[tuple[str, str]] = field(default_factory=list)  # (copy, original)

    @property
    def found_share(self) -> float:
        return self.found / self.expected if self.expected else 1.0

    @property
    def fetches_per_article(self) -> float:
        return self.article_fetches / self.articles_fetched if self.articles_fetched else 0.0

    @property
    def chosen_fetches_per_article(self) -> float:
        """Fetches per article leaving out the one retry each injected fault forces."""
        chosen = self.article_fetches - self.fault_retries
        return chosen / self.articles_fetched if self.articles_fetched else 0.0

    def summary(self) -> str:
        return (
            f"stored {self.found}/{self.expected} ({self.found_share:.2%}), "
            f"twice {len(self.stored_twice)}, unknown {len(self.unknown)}, "
            f"{self.article_fetches} article fetches for {self.articles_fetched} articles "
            f"({self.fetches_per_article:.3f}; {self.fault_retries} forced by faults, "
            f"{self.chosen_fetches_per_article:.3f} without them); copies: {self.copies_linked} linked, "
            f"{self.copies_expected} true, {len(self.false_merges)} false merges, "
            f"{len(self.missed_copies)} missed"
        )


def score_crawl(net: SampleNetwork, rows: list[dict]) -> CrawlScore:
    """``rows`` as ``dvcrawl export`` prints them (url, duplicate_of, ...)."""
    expected = net.expected_articles()
    owner = {canonicalize(u): canonicalize(a.url) for a in expected for u in (a.url, *a.aliases)}
    story = {canonicalize(a.url): canonicalize(a.duplicate_of or a.url) for a in expected}
    hits = Counter(owner.get(canonicalize(r["url"])) for r in rows)
    hits.pop(None, None)
    score = CrawlScore(expected=len(expected), found=len(hits))
    score.stored_twice = sorted(k for k, n in hits.items() if n > 1)
    for r in rows:
        story_url = owner.get(canonicalize(r["url"]))
        if story_url in score.stored_twice:
            copy_of = f" -> {r['duplicate_of']}" if r.get("duplicate_of") else ""
            score.twice_rows.setdefault(story_url, []).append(r["url"] + copy_of)
    score.unknown = sorted(r["url"] for r in rows if canonicalize(r["url"]) not in owner)
    score.missing = sorted(set(story) - set(hits))
    root: dict[str, str] = {}
    for r in rows:
        me = owner.get(canonicalize(r["url"]))
        target = owner.get(canonicalize(r.get("duplicate_of") or r["url"]))
        if me and target:
            root[me] = target
    linked = [(a, b) for a, b in root.items() if a != b]
    score.copies_linked = len(linked)
    score.false_merges = sorted((a, b) for a, b in linked if story[a] != story[b])
    copies = [
        (canonicalize(a.url), canonicalize(a.duplicate_of)) for a in expected if a.duplicate_of
    ]
    score.copies_expected = len(copies)
    score.missed_copies = sorted(
        (c, o) for c, o in copies if c in root and o in root and root[c] != root[o]
    )
    _count_fetches(net, score)
    return score


def _count_fetches(net: SampleNetwork, score: CrawlScore) -> None:
    seen: Counter = Counter()
    for entry in net.requests:
        route = net.resolve(net.base_url(entry.site_id) + entry.path)
        if route is not None and route.kind == "article" and route.article is not None:
            seen[(entry.site_id, route.article.num)] += 1
    score.article_fetches = sum(seen.values())
    score.articles_fetched = len(seen)
    faulty = {
        (sid, num) for sid, site in net.sites.items() for num in site.flaky_nums | site.hang_nums
    }
    score.fault_retries = sum(min(n - 1, 1) for key, n in seen.items() if key in faulty)
