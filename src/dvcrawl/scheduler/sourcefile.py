"""The sources file as the scheduler sees it: re-read when it changes, last good copy kept.

An operator editing the file by hand will at some point save a broken version; the scheduler
must go on crawling with the last valid one and say loudly what is wrong. Children are given a
snapshot of that last good file, so they never read a half-edited one either.
"""

from __future__ import annotations

import logging
import os
import tempfile
import tomllib
from pathlib import Path

from dvcrawl.errors import ConfigError
from dvcrawl.sources import Source, parse_sources

log = logging.getLogger(__name__)


class SourcesFile:
    """A sources file watched by mtime, with the last good version kept in a snapshot file."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.sources: list[Source] = []
        self._stamp: tuple[float, int] | None = None
        self._dir = tempfile.TemporaryDirectory(prefix="dvcrawl-schedule-")
        self.snapshot = Path(self._dir.name) / "sources.toml"

    def _stat(self) -> tuple[float, int] | None:
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        return (st.st_mtime, st.st_size)

    def load(self) -> list[Source]:
        """Read and validate the file now; ConfigError when it is not valid (nothing changes)."""
        stamp = self._stat()
        try:
            raw = self.path.read_bytes()
        except OSError as exc:
            raise ConfigError(f"{self.path}: cannot read sources file: {exc.strerror}") from exc
        self._stamp = stamp  # even a bad version is "seen": it is reported once, not every tick
        try:
            data = tomllib.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{self.path}: malformed sources file: {exc}") from exc
        sources = parse_sources(data, self.path)
        tmp = self.snapshot.with_suffix(".tmp")
        tmp.write_bytes(raw)
        os.replace(tmp, self.snapshot)
        self.sources = sources
        return sources

    def changed(self) -> bool:
        """Has the file changed since it was last read?"""
        return self._stat() != self._stamp

    def reload(self) -> bool:
        """Re-read; True when a new valid version was taken, False when the old one is kept."""
        try:
            self.load()
        except ConfigError as exc:
            log.error(
                "sources file is invalid; keeping the last good one (%d sources): %s",
                len(self.sources),
                exc,
            )
            return False
        log.info("sources file reloaded: %d sources", len(self.sources))
        return True

    def by_id(self, source_id: str) -> Source | None:
        return next((s for s in self.sources if s.id == source_id), None)

    def close(self) -> None:
        self._dir.cleanup()
