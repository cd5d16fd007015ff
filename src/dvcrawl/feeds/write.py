"""Atomic, change-aware feed writing.

A reader must never see half a file (temporary file in the same directory, then os.replace), and
an unchanged feed must keep its mtime and so its ETag: the new bytes are compared with the file on
disk ignoring the build timestamp, which is the only part that differs between two builds of the
same content.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import tempfile
import time
from pathlib import Path

# The build timestamp of each format: RSS <lastBuildDate>, and Atom's feed-level <updated>
# (the first one in the document; entries follow the feed header).
_STAMPS = {
    ".rss": re.compile(rb"<lastBuildDate>[^<]*</lastBuildDate>"),
    ".atom": re.compile(rb"<updated>[^<]*</updated>"),
}
# Feeds must be readable by the web server and static hosts, unlike mkstemp's default 0600.
FILE_MODE = 0o644
# atomic_write's temporary files: ".all.rss.k3j2_x.tmp" (mkstemp's prefix and suffix below).
_TMP_NAME = re.compile(r"^\..+\.tmp$")
# A build writes each file in milliseconds; a temporary file this old belongs to a killed one.
STALE_TMP_SECONDS = 600
# How an entry starts in each format (feedgen writes the bare tags).
_ENTRY_MARKERS = {".rss": (b"<item>", b"<item "), ".atom": (b"<entry>", b"<entry ")}
log = logging.getLogger(__name__)


def _without_stamp(path: Path, data: bytes) -> bytes:
    pattern = _STAMPS.get(path.suffix)
    return pattern.sub(b"", data, count=1) if pattern else data


def same_content(path: Path, data: bytes) -> bool:
    """True when ``path`` holds ``data`` apart from the build timestamp."""
    try:
        old = path.read_bytes()
    except FileNotFoundError:
        return False
    return _without_stamp(path, old) == _without_stamp(path, data)


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never a mix."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _sync_dir(path.parent)


def _sync_dir(directory: Path) -> None:
    """fsync the directory, so the rename itself survives a power cut (not only the data)."""
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_stale_temporaries(directory: Path, older_than: float = STALE_TMP_SECONDS) -> list[Path]:
    """Delete temporary files a killed build left behind; a running build's are too young."""
    cutoff = time.time() - older_than
    removed = []
    for entry in os.scandir(directory):
        if _TMP_NAME.match(entry.name) and entry.is_file(follow_symlinks=False):
            with contextlib.suppress(FileNotFoundError):
                if entry.stat(follow_symlinks=False).st_mtime < cutoff:
                    os.unlink(entry.path)
                    removed.append(Path(entry.path))
    if removed:
        log.info("feeds: removed %d stale temporary files in %s", len(removed), directory)
    return removed


def has_entries(path: Path) -> bool:
    """True when the feed file at ``path`` exists and lists at least one entry."""
    try:
        data = path.read_bytes()
    except OSError:
        return False
    if path.suffix == ".json":
        try:
            return bool(json.loads(data).get("items"))
        except (ValueError, AttributeError):
            return False
    return any(marker in data for marker in _ENTRY_MARKERS.get(path.suffix, ()))


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write ``data`` atomically unless the content is unchanged; True when written."""
    if same_content(path, data):
        return False
    atomic_write(path, data)
    return True
