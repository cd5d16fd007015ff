"""Durations as operators type them: ``30m``, ``10s``, ``1h30m``, ``2d`` or plain seconds."""

from __future__ import annotations

import math
import re

# "1h30m", "10s", "2d", "45" (seconds), "1.5h"
_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd]?)", re.I)
_WHOLE = re.compile(r"^\s*(?:\d+(?:\.\d+)?\s*[smhd]?\s*)+$", re.I)
_UNIT = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(value: str | int | float) -> float:
    """Seconds in ``value``; ValueError with the offending text when it is not a duration."""
    if isinstance(value, bool):
        raise ValueError(f"not a duration: {value!r}")
    if isinstance(value, int | float):
        seconds = float(value)
    else:
        if not _WHOLE.match(value):
            raise ValueError(f"not a duration: {value!r} (use e.g. 30m, 10s, 1h30m)")
        seconds = sum(float(n) * _UNIT[u.lower()] for n, u in _PART.findall(value))
    if not math.isfinite(seconds):
        raise ValueError(f"not a finite duration: {value!r}")
    if seconds <= 0:
        raise ValueError(f"duration must be positive: {value!r}")
    return seconds
