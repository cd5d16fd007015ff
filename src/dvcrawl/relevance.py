"""Is an article about công tác dân vận? A transparent weighted-lexicon scorer.

The lexicon is data (src/dvcrawl/data/lexicon.toml): each matched term adds its weight, title
matches count more, the same term repeated adds less each time, and a term used inside a job
title ("Trưởng Ban Dân vận Tỉnh ủy") counts little, so an attendee list is not enough. Staff
see the matched labels (``terms``). Calibration: tests/data/relevance/, docs/relevance-report.md.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from dvcrawl.textnorm import fold, normalize_for_compare

# Spaced hyphens and dashes in any form ("chính trị-xã hội" keeps its unspaced hyphen; " – ")
# become " - " so "chính trị - xã hội" matches however it was typed.
_DASH = re.compile(r"\s+[-–—]\s*|\s*[-–—]\s+")
# Below this share of non-ASCII letters, match on folded text (no diacritics at all).
_FOLDED_BELOW = 0.01


@dataclass
class Relevance:
    score: float
    relevant: bool
    terms: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Lexicon:
    accented: re.Pattern  # alternation of every form, normalised
    folded: re.Pattern  # the same forms without diacritics
    label_of: dict  # form (normalised or folded) -> (label, weight)
    masks: re.Pattern | None
    position: re.Pattern  # a job-title word right before a match
    discount: float
    decision: dict


def _norm(text: str, normalized: str | None = None) -> str:
    if normalized is None:
        normalized = normalize_for_compare(text)
    return _DASH.sub(" - ", normalized)


def _alternation(forms: list[str]) -> re.Pattern:
    ordered = sorted(set(forms), key=len, reverse=True)  # longest form wins
    return re.compile(r"(?<!\w)(" + "|".join(re.escape(f) for f in ordered) + r")(?!\w)")


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    data = tomllib.loads(
        resources.files("dvcrawl").joinpath("data", "lexicon.toml").read_text("utf-8")
    )
    label_of: dict[str, tuple[str, float]] = {}
    accented: list[str] = []
    for term in data["term"]:
        for form in term["forms"]:
            entry = (term["label"], float(term["weight"]))
            accented.append(_norm(form))
            label_of[_norm(form)] = entry
            label_of.setdefault(fold(_norm(form)), entry)
    masks = [_norm(p) for p in data.get("masks", {}).get("phrases", [])]
    words = sorted((_norm(w) for w in data["position"]["words"]), key=len, reverse=True)
    return _Lexicon(
        accented=_alternation(accented),
        folded=_alternation([fold(f) for f in accented]),
        label_of=label_of,
        masks=_alternation(masks + [fold(m) for m in masks]) if masks else None,
        position=re.compile(r"(?<!\w)(" + "|".join(map(re.escape, words)) + r")\s*$"),
        discount=float(data["position"]["discount"]),
        decision=data["decision"],
    )


def labels() -> frozenset[str]:
    """Every label the scorer can report in ``Relevance.terms`` (what topics are cut along)."""
    return frozenset(label for label, _weight in _lexicon().label_of.values())


def _typed_without_diacritics(norm: str) -> bool:
    """Fewer non-ASCII characters than ``_FOLDED_BELOW`` of the letters.

    Letters are at most the characters, so a text with that share of non-ASCII characters
    (any Vietnamese text typed with diacritics) is decided without counting its letters one
    by one in Python, which was half of the scorer's time.
    """
    non_ascii = len(norm) - len(norm.encode("ascii", "ignore"))  # no list of the characters
    if non_ascii and non_ascii / len(norm) >= _FOLDED_BELOW:
        return False
    letters = sum(ch.isalpha() for ch in norm) or 1
    return non_ascii / letters < _FOLDED_BELOW


def _prepare(text: str, lex: _Lexicon, normalized: str | None) -> tuple[str, re.Pattern]:
    """Normalised text with masks blanked, and the pattern that fits its diacritics."""
    norm = _norm(text, normalized)
    folded = _typed_without_diacritics(norm)
    if folded:
        norm = fold(norm)
    if lex.masks is not None:
        norm = lex.masks.sub(lambda m: " " * len(m.group(0)), norm)
    return norm, (lex.folded if folded else lex.accented)


def _matches(text: str, lex: _Lexicon, normalized: str | None = None) -> dict[str, list[float]]:
    """label -> weights of each occurrence (job-title uses discounted)."""
    norm, pattern = _prepare(text, lex, normalized)
    found: dict[str, list[float]] = {}
    for m in pattern.finditer(norm):
        label, weight = lex.label_of[m.group(1)]
        before = norm[max(0, m.start() - 24) : m.start()]
        if lex.position.search(before):
            weight *= lex.discount
        found.setdefault(label, []).append(weight)
    return found


def score_article(title: str, text: str, normalized: str | None = None) -> Relevance:
    """Score ``title`` and ``text``; ``terms`` lists what matched, for staff to see.

    ``normalized``: ``normalize_for_compare(text)`` when the caller already has it (the
    extraction worker normalises a body once for this and for its fingerprint).
    """
    lex = _lexicon()
    rule = lex.decision
    in_title = _matches(title or "", lex)
    in_body = _matches(text or "", lex, normalized)
    score = 0.0
    for weights in in_title.values():
        score += max(weights) * rule["title_factor"]
    for weights in in_body.values():  # each repeat adds half as much, up to body_cap
        ordered = sorted(weights, reverse=True)[: int(rule["body_cap"])]
        score += ordered[0] + 0.5 * sum(ordered[1:])
    strong = float(rule["strong_weight"])
    title_strong = any(max(w) >= strong for w in in_title.values())
    distinct = sum(1 for w in in_body.values() if max(w) >= strong)
    relevant = score >= rule["threshold"] and (title_strong or distinct >= rule["min_distinct"])
    terms = sorted(set(in_title) | set(in_body), key=lambda t: (t not in in_title, t))
    return Relevance(score=round(score, 2), relevant=relevant, terms=terms)
