"""Is an article about công tác dân vận? Interim scorer; the weighted lexicon arrives in issue 3."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field


@dataclass
class Relevance:
    score: float
    relevant: bool
    terms: list[str] = field(default_factory=list)


def score_article(title: str, text: str) -> Relevance:
    """Score ``title`` and ``text``; ``terms`` lists what matched, for staff to see."""
    body = unicodedata.normalize("NFC", f"{title}\n{text}").casefold()
    terms = [t for t in ("dân vận", "mặt trận tổ quốc") if t in body]
    return Relevance(score=float(len(terms)), relevant=bool(terms), terms=terms)
