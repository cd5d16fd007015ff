"""Real-page evaluation sets: one loader module per set, each yielding RealPage records."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class RealPage:
    """One real page and what is expected of it; keys of ``expect`` are optional:
    body, title, author, date (YYYY-MM-DD), datetime (ISO 8601 with offset), lead, first, last
    (first/last body sentence), junk (list of strings that must not appear), with / without
    (body segments that must / must not appear), kind ("article" or "listing")."""

    set: str
    id: str
    url: str
    html: bytes
    expect: dict = field(default_factory=dict)
    provenance: str = ""
