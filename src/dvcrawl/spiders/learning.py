"""What the spider learns about a portal while crawling it: its CMS family and whether the id in
an article URL names the article (``dvcrawl.articleid``), and what it does with that.

A mixin of ``PortalSpider``, kept apart so that the spider's fetch logic stays short.
"""

from __future__ import annotations

from collections.abc import Iterator

import scrapy
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response, TextResponse

from dvcrawl.articleid import IdentityLearner, Resolution, Verdict
from dvcrawl.items import ArticleRecord
from dvcrawl.profiles import Profile, by_name, detect
from dvcrawl.profiles.urlrules import GENERIC
from dvcrawl.urls import fetch_form

FAMILY_CHECKS = 10  # listing pages looked at for the CMS family before giving up (generic)


class PortalLearning:
    """The CMS family and article identity of one source, learned in one run.

    Uses the spider's ``requested``, ``first_request``, ``article_request``, ``state`` and
    the frontier's ``settle_keys``.
    """

    def init_learning(self, profile_name: str | None) -> None:
        self.profile: Profile | None = by_name(profile_name) if profile_name else None
        self.family_checks = 0
        self.identity = IdentityLearner(
            self.profile.urls if self.profile else GENERIC, self.state.known_articles
        )
        self.waiting: dict[str, tuple[str, int]] = {}  # article URL -> (href, depth), deferred
        self.aliased: set[str] = set()  # article URLs not fetched: their id named a known one
        self.produced: set[str] = set()  # linked URLs whose record has been made
        self.pending_aliases: dict[str, list[str]] = {}  # first URL -> aliases found meanwhile
        # Only a spider that hears spider_idle (built by from_crawler) can let waiting URLs go
        # at the end; one built directly (unit tests) fetches them instead.
        self.can_wait = False

    def learn_family(self, response: TextResponse) -> None:
        """The source's CMS family from its first listings, so its URL rules apply."""
        if self.profile is not None or self.family_checks >= FAMILY_CHECKS:
            return
        self.family_checks += 1
        found = detect(response.selector.root, response.url)
        if found is not None:
            self.use_profile(found)

    def learn_family_from(self, family: str | None) -> None:
        """An article page's family, when the listings did not tell."""
        if self.profile is None and family:
            self.use_profile(by_name(family))

    def use_profile(self, profile: Profile) -> None:
        self.logger.info("CMS family %s", profile.name)
        self.profile = profile
        self.identity.rules = profile.urls

    def article_requests(
        self, href: str, url: str, text: str, depth: int
    ) -> Iterator[scrapy.Request]:
        """The request for an article link, unless its id names an article already asked for."""
        if url in self.requested or url in self.waiting or url in self.aliased:
            return
        verdict, first = self.identity.decide(url, text)
        yield from self.resolve(self.identity.drain())
        if verdict is Verdict.SAME:
            self.crawler.stats.inc_value("dvcrawl/article_same_id_skipped")
            self.alias_of(url, first)
        elif verdict is Verdict.DEFER and self.can_wait:
            self.waiting[url] = (href, depth)
        elif self.first_request(url):
            yield self.article_request(fetch_form(href, url), url, depth)

    def redirect_target(
        self, target_url: str, target: str, depth: int, aliases: tuple[str, ...]
    ) -> Iterator[scrapy.Request]:
        """The request for a redirect's target, unless its id names an article already asked
        for or stored: an old address (``chi-tiet.aspx?id=``) that moves to one section path of
        a story filed under several must not have the story fetched once per path."""
        verdict, first = self.identity.decide(target)
        yield from self.resolve(self.identity.drain())
        if verdict is Verdict.SAME and first not in aliases:  # not this redirect's own origin
            self.crawler.stats.inc_value("dvcrawl/article_same_id_skipped")
            for url in (*aliases, target):
                self.alias_of(url, first)
        elif self.first_request(target):  # a redirect's target does not wait for a verdict
            yield self.article_request(target_url, target, depth, aliases)

    def alias_of(self, url: str, first: str) -> None:
        """``url`` is the article first asked for as ``first``: store it as an alias."""
        self.aliased.add(url)
        self.settle_keys({url})  # owed as linked; the page asked for as ``first`` stands for it
        if first in self.produced or self.state.is_known_article(first):
            self.state.remember_alias(url, first, "identity")
        else:
            self.pending_aliases.setdefault(first, []).append(url)

    def learn_identity(self, response: Response, record: ArticleRecord) -> Iterator:
        """Tell the identity learner what this page was; act on what it concludes."""
        linked = response.meta.get("dv_linked_as")
        if linked is None:
            return
        looks = None if record.reject_reason else f"{record.title}\n{record.text[:300]}"
        before = self.identity.learned()
        # Every URL that led here: a redirect's origin may be the one being compared.
        for url in dict.fromkeys([linked, *response.meta.get("dv_aliases", ())]):
            yield from self.resolve(self.identity.observe(url, record.url, looks))
        self.log_learned(before, linked)

    def learn_redirect(self, origin: str, target: str) -> Iterator[scrapy.Request]:
        """A portal that redirects one article URL to another with the same key says it."""
        before = self.identity.learned()
        yield from self.resolve(self.identity.observe_redirect(origin, target))
        self.log_learned(before, origin)

    def log_learned(self, before: dict[str, bool | None], where: str) -> None:
        for name, holds in self.identity.learned().items():
            if holds is not before[name]:
                verb = "names" if holds else "does not name"
                self.logger.info("the %s in an article URL %s the article (%s)", name, verb, where)

    def resolve(self, resolution: Resolution) -> Iterator[scrapy.Request]:
        for url, first in resolution.aliases:
            if url in self.requested:
                continue  # fetched after all (a spider that cannot wait)
            self.waiting.pop(url, None)
            self.crawler.stats.inc_value("dvcrawl/article_same_id_skipped")
            self.alias_of(url, first)
        for url in resolution.fetch:
            href, depth = self.waiting.pop(url, (url, 1))
            if self.first_request(url):
                yield self.article_request(fetch_form(href, url), url, depth)

    def release_waiting(self) -> None:
        """Nothing else to do, yet articles wait for a verdict that cannot come: fetch them."""
        requests = list(self.resolve(Resolution(fetch=self.identity.release_all())))
        for request in requests:
            self.crawler.engine.crawl(request)
        if requests:
            raise DontCloseSpider

    def take_aliases(self, linked: list[str]) -> list[str]:
        """Aliases found for these URLs while their page was on its way."""
        self.produced.update(linked)
        return [a for url in linked for a in self.pending_aliases.pop(url, ())]
