"""Atomic, change-aware feed writing.

A reader must never see half a file (temporary file in the same directory, then os.replace), and
an unchanged feed must keep its mtime and so its ETag: the new bytes are compared with the file on
disk ignoring the build timestamp, which is the only part that differs between two builds of the
same content.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from pathlib import Path

# The build timestamp of each format: RSS <lastBuildDate>, and Atom's feed-level <updated>
# (the first one in the document; entries follow the feed header).
_STAMPS = {
    ".rss": re.compile(rb"<lastBuildDate>[^<]*</lastBuildDate>"),
    ".atom": re.compile(rb"<updated>[^<]*</updated>"),
}
# Feeds must be readable by the web server and static hosts, unlike mkstemp's default 0600.
FILE_MODE = 0o644


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


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write ``data`` atomically unless the content is unchanged; True when written."""
    if same_content(path, data):
        return False
    atomic_write(path, data)
    return True
