"""Duplicate fingerprints and the syndication decision (pure, no database).

A syndicated copy on another portal carries the same body with its own chrome remnants, an
added lead sentence, a "Theo: ..." credit, another byline, a changed title, re-wrapped
paragraphs or a cut ending. Finding candidates uses MinHash LSH over word shingles; deciding
uses sentences: a copy shares nearly all of its sentences with the other body, in the same
order (:func:`containment`), while stories that merely share a template lead ("Sáng ngày ...,
Ban Dân vận Tỉnh ủy tổ chức Hội nghị ..."), a stock paragraph, a periodic report's title or a
photo caption share a few sentences and stay apart, however long those sentences are.

Decision calibration (tests/data/syndication/: 30 copies, 32 different-story pairs, 22 of
those sharing a template lead, a stock paragraph, a formulaic or identical title, or whole
template sentences refilled with other figures): copies measure containment 0.75-1.0 (the
lowest has one of five paragraphs rewritten), different stories at most 0.45 (a three-sentence
brief whose lead and stock paragraph a longer report of another district also prints), so
:data:`CONTAINMENT_THRESHOLD` = 0.65 sits in the gap, nearer the copies: a missed copy costs a
duplicate feed entry, a false merge hides a story. The shingle-Jaccard rule this replaced
(>= 0.35) merged three of those pairs (0.36-0.44) and a quarter of the look-alike reports of
seed-varied sample networks (bench/bench_dedupe.py).

Candidate search: with 5-word shingles the labelled copies measure exact Jaccard 0.52-1.0, so
:data:`JACCARD_THRESHOLD` = 0.35 (less the store's margin) is only the screen before the
sentence check. LSH: 120 permutations in 40 bands of 3 rows make a pair with Jaccard
0.4 a band candidate with probability 1 - (1 - 0.4**3)**40 = 0.93 and one at 0.5 with 0.995,
while an unrelated pair (Jaccard 0.01) collides with probability 4e-5: about four stray
candidates per 100,000 stored articles; stories sharing a template lead (Jaccard ~0.03) collide
more often. Candidates are first screened by their stored signatures (:func:`packed_similarity`,
no text read) and the survivors decided by sentence containment.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np

from dvcrawl import minhash

# The body's words, shingles and hashes: pure Python, also run in the extraction workers.
from dvcrawl.fingerprint import MIN_WORDS as MIN_WORDS
from dvcrawl.fingerprint import SHINGLE_WORDS as SHINGLE_WORDS
from dvcrawl.fingerprint import Fingerprint as Fingerprint
from dvcrawl.fingerprint import content_hash as content_hash
from dvcrawl.fingerprint import fingerprint, normalized_words, shingles
from dvcrawl.minhash import Signature

BANDS, ROWS = 40, 3  # LSH: candidate probability 1 - (1 - J**3)**40 (module docstring)
NUM_PERM = BANDS * ROWS  # 120 MinHash permutations: Jaccard estimate error about +-0.045
JACCARD_THRESHOLD = 0.35  # shingle similarity below which a candidate is not even checked
CONTAINMENT_THRESHOLD = 0.65  # share of the shorter body's sentences found, in order, in the other
SENTENCE_MIN_WORDS = 4  # shorter lines (bylines, "Ảnh: ...", "Tin khác") are not sentences
SENTENCE_MATCH = 0.9  # share of a sentence's word trigrams another sentence must hold to match
_SEED = 20221227  # fixed: signatures must compare across processes and runs

# Where a sentence ends: ". ", "? ", "! ", "; ", "…" followed by space, or a line break.
_SENTENCE_END = re.compile(r"(?<=[.!?;…])\s+|\n+")
# A credit line left in the body: "Theo: dukcqtw.dcs.vn", "(Theo Báo Yên Bái)", "Nguồn: ...".
# Only short lines at the very top or bottom count: "Theo báo cáo, ..." opens real sentences.
_CREDIT_LINE = re.compile(r"^\(?\s*(?:theo|nguồn)\b\s*:?\s*(?P<who>[^,;]{3,80}?)\s*\)?\.?$", re.I)


def credit_line(text: str | None) -> str | None:
    """The "Theo: ..." credit in the first two or last three lines of a body, if any."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    for line in lines[:2] + lines[-3:]:
        match = _CREDIT_LINE.match(line)
        if match:
            return match["who"]
    return None


def jaccard(a: set[str], b: set[str]) -> float:
    """Exact Jaccard similarity of two shingle sets (0.0 when either is empty)."""
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def text_similarity(text_a: str, text_b: str) -> float:
    """Exact shingle Jaccard of two bodies: the verification step after an LSH lookup."""
    return jaccard(shingles(text_a), shingles(text_b))


def signature(text: str) -> Signature | None:
    """MinHash of the body's shingles, or None when the body is too short to cluster."""
    return signature_of(fingerprint(text).hashes)


def signature_of(hashes: bytes) -> Signature | None:
    """The MinHash of a body from its shingle hashes (``Fingerprint.hashes``), or None when empty.

    datasketch's affine32 signature with this module's seed, computed in numpy
    (:mod:`dvcrawl.minhash`): neither the workers nor the crawl process import datasketch.
    """
    return minhash.signature_of(hashes, NUM_PERM, _SEED)


def band_keys(sig: Signature | None) -> list[str]:
    """LSH band keys ("b03:<hex>"): two bodies sharing any key are near-duplicate candidates."""
    if sig is None:
        return []
    values = np.asarray(sig.hashvalues, dtype=np.uint64)
    keys = []
    for band in range(BANDS):
        chunk = values[band * ROWS : (band + 1) * ROWS].tobytes()
        keys.append(f"b{band:02d}:{hashlib.blake2b(chunk, digest_size=8).hexdigest()}")
    return keys


def pack(sig: Signature | None) -> bytes | None:
    """A signature as bytes for the database (datasketch hash values are below 2**32)."""
    if sig is None:
        return None
    return np.asarray(sig.hashvalues, dtype=np.uint32).tobytes()


def packed_similarity(packed_a: bytes | None, packed_b: bytes | None) -> float:
    """Estimated Jaccard of two packed signatures: the share of equal hash values."""
    if not packed_a or not packed_b or len(packed_a) != len(packed_b):
        return 0.0
    values_a = np.frombuffer(packed_a, dtype=np.uint32)
    return float(np.mean(values_a == np.frombuffer(packed_b, dtype=np.uint32)))


def similarity(sig_a: Signature | None, sig_b: Signature | None) -> float:
    """Estimated Jaccard similarity of two signatures (0.0 when either body is too short)."""
    if sig_a is None or sig_b is None:
        return 0.0
    return float(sig_a.jaccard(sig_b))


def sentences(text: str) -> list[tuple[str, ...]]:
    """The body's sentences as word tuples in compare form (NFC, casefold, no punctuation)."""
    out = []
    for raw in _SENTENCE_END.split(text or ""):
        words = tuple(normalized_words(raw))
        if len(words) >= SENTENCE_MIN_WORDS:
            out.append(words)
    return out


def _trigrams(words: tuple[str, ...]) -> set[tuple[str, ...]]:
    return {words[i : i + 3] for i in range(len(words) - 2)}


def _numbers(words: tuple[str, ...]) -> set[str]:
    return {w for w in words if w.isdigit()}


def _matches(short: list[tuple[str, ...]], long: list[tuple[str, ...]]) -> list[int | None]:
    """For each sentence of ``short``, the index of its best match in ``long`` (or None).

    A match holds SENTENCE_MATCH of the sentence's word trigrams and all of its numbers: copy
    editors fix a word, add "đã", or glue two sentences into one, but keep the figures, while
    stock sentences of a template ("... từ huyện đến 96 xã ...") come back with other figures.
    """
    grams = [_trigrams(s) for s in long]
    where: dict[tuple[str, ...], set[int]] = {}
    for i, g in enumerate(grams):
        for gram in g:
            where.setdefault(gram, set()).add(i)
    numbers = [_numbers(s) for s in long]
    out: list[int | None] = []
    for sentence in short:
        mine, figures = _trigrams(sentence), _numbers(sentence)
        seen = set().union(*(where.get(g, set()) for g in mine)) if mine else set()
        # A copy keeps the figures; a template sentence is refilled with other ones.
        scored = [(len(mine & grams[i]) / len(mine), -i) for i in seen if figures <= numbers[i]]
        score, neg_i = max(scored, default=(0.0, 0))
        out.append(-neg_i if score >= SENTENCE_MATCH else None)
    return out


def _ordered_weight(matched: list[int | None], weights: list[int]) -> int:
    """Heaviest chain of matches whose positions in the other body increase (order kept)."""
    best: list[int] = []
    for i, pos in enumerate(matched):
        if pos is None:
            best.append(0)
            continue
        # <=: two sentences the copy glued into one both match that one sentence
        prior = [best[j] for j in range(i) if matched[j] is not None and matched[j] <= pos]
        best.append(weights[i] + max(prior, default=0))
    return max(best, default=0)


def containment(text_a: str, text_b: str) -> float:
    """Share of the shorter body's words in sentences the longer one has, in the same order."""
    sa, sb = sentences(text_a), sentences(text_b)
    words_a, words_b = sum(map(len, sa)), sum(map(len, sb))
    if min(words_a, words_b) < MIN_WORDS:
        return 0.0
    short, long = (sa, sb) if words_a <= words_b else (sb, sa)
    weights = [len(s) for s in short]
    return _ordered_weight(_matches(short, long), weights) / sum(weights)


def is_near_duplicate(text_a: str, text_b: str) -> bool:
    """True when two bodies are one story: nearly all sentences shared, in order."""
    return containment(text_a, text_b) >= CONTAINMENT_THRESHOLD
