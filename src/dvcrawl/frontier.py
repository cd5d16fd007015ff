"""One run's frontier: what the crawl owes, and which listing waits on which page.

A listing's ETag/Last-Modified is a promise "nothing new here since": it may be saved only
once every page the listing led to (its articles, its pagination pages, the listings it
revealed) is stored, known, or given up on. Until then the listing stays watched without
validators, so a run after a kill or a failure reads its links again. ``ListingLedger`` keeps
that bookkeeping (pure, no I/O); ``RunFrontier`` adds the rows of ``storage.frontier`` that
carry the owed pages themselves across runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from dvcrawl.storage import frontier as store
from dvcrawl.storage.db import Database
from dvcrawl.storage.frontier import FAILED, Owed, RetryPolicy
from dvcrawl.storage.models import utcnow

Validators = tuple[str | None, str | None]  # (ETag, Last-Modified)
SETTLE_BATCH = 50  # settled pages deleted per transaction: a kill costs at most a refetch


@dataclass
class ListingLedger:
    """Which listing waits on which page key (canonical URL) in this run."""

    _open: dict[str, set[str]] = field(default_factory=dict)  # listing -> keys it waits on
    _waiting: dict[str, set[str]] = field(default_factory=dict)  # key -> listings waiting
    _held: dict[str, Validators] = field(default_factory=dict)
    _settled: set[str] = field(default_factory=set)

    def depend(self, listing: str, key: str) -> None:
        """``listing`` may not be marked unchanged before ``key`` is settled."""
        if key in self._settled:
            return
        self._open.setdefault(listing, set()).add(key)
        self._waiting.setdefault(key, set()).add(listing)

    def is_settled(self, key: str) -> bool:
        return key in self._settled

    def hold(self, listing: str, validators: Validators) -> bool:
        """Keep ``listing``'s validators until its pages settle; True if they may be saved now."""
        if not self._open.get(listing):
            return True
        self._held[listing] = validators
        return False

    def settle(self, keys: Iterable[str]) -> list[tuple[str, Validators]]:
        """Pages done; returns the listings whose validators may now be saved."""
        ready = []
        for key in keys:
            self._settled.add(key)
            for listing in self._waiting.pop(key, ()):
                waits = self._open.get(listing, set())
                waits.discard(key)
                if not waits:
                    self._open.pop(listing, None)
                    if listing in self._held:
                        ready.append((listing, self._held.pop(listing)))
        return ready

    def open_keys(self) -> set[str]:
        return set(self._waiting)


class RunFrontier:
    """The frontier of one source for one run: loaded at start, written as the crawl goes."""

    def __init__(
        self, db: Database, source_id: str, settled: Callable[[str], bool], refresh: bool = False
    ) -> None:
        """``settled(url)``: stored or otherwise done before this run (its row is dropped)."""
        self.db, self.source_id = db, source_id
        self.policy = RetryPolicy()
        self.ledger = ListingLedger()
        now = utcnow()
        with db.session() as session:
            rows = store.load(session, source_id)
            done = [r.url for r in rows if settled(r.url)]
            store.settle(session, source_id, done)
        live = [r for r in rows if r.url not in set(done)]
        self.given_up = set() if refresh else {r.url for r in live if r.state == FAILED}
        due = [r for r in live if r.url not in self.given_up]
        self.due = [
            Owed(r.url, r.fetch_url, r.listing_url, r.kind)
            for r in due
            if refresh or r.next_attempt_at is None or r.next_attempt_at <= now
        ]
        self.backed_off = {r.url for r in due} - {o.url for o in self.due}
        self.on_record = {r.url for r in live}
        self._new: list[Owed] = []
        self._settled: list[str] = []
        self.failures: dict[str, str] = {}

    def owe(self, page: Owed) -> bool:
        """A page linked from ``page.listing_url``; True when it may be requested now."""
        if self.ledger.is_settled(page.url):
            return False
        if page.listing_url:
            self.ledger.depend(page.listing_url, page.url)
        if page.url not in self.on_record:
            self.on_record.add(page.url)
            self._new.append(page)
        return page.url not in self.backed_off

    def save_owed(self) -> None:
        """Write the pages owed since the last call (before any of them can be stored)."""
        if self._new:
            pages, self._new = self._new, []
            with self.db.session() as session:
                store.add_owed(session, self.source_id, pages)

    def settle(self, keys: Iterable[str]) -> list[tuple[str, Validators]]:
        """Pages stored, known or gone; returns listings whose validators may be saved."""
        keys = set(keys)
        for key in keys:
            self.failures.pop(key, None)
        self._settled.extend(keys & self.on_record)
        if len(self._settled) >= SETTLE_BATCH:
            self.flush()
        return self.ledger.settle(keys)

    def fail(self, keys: Iterable[str], error: str) -> None:
        """A page failed in this run; counted when the run closes (see ``close``)."""
        for key in keys:
            if key in self.on_record and not self.ledger.is_settled(key):
                self.failures[key] = error

    def flush(self) -> None:
        if self._settled:
            urls, self._settled = self._settled, []
            with self.db.session() as session:
                store.settle(session, self.source_id, urls)

    def close(self, *, completed: bool, portal_up: bool) -> tuple[list, list[str]]:
        """Record this run's failures (an attempt each when the portal answered and the run
        was not interrupted: a portal that is down says nothing about its articles).

        Returns (listings whose validators may now be saved, pages finally failed).
        """
        self.save_owed()
        self.flush()
        with self.db.session() as session:
            final = store.record_failures(
                session,
                self.source_id,
                self.failures,
                self.policy,
                count=completed and portal_up,
            )
            unfinished = self.ledger.open_keys() - self.failures.keys()
            if unfinished:
                why = "not reached: the run was stopped" if not completed else "not reached"
                store.note_error(session, self.source_id, unfinished, why)
        return self.ledger.settle(final), final
