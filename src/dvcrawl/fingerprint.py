"""A body's dedupe fingerprint, in pure Python: computed where the body is extracted.

The extraction workers (``dvcrawl.workpool``) compute it beside the article, so the store,
the one writer and the crawl's bottleneck, only turns the shingle hashes into a MinHash
(``dedupe.signature_of``). Nothing here imports numpy or datasketch: datasketch imports SciPy,
~60 MB more in every worker, and numpy alone another ~13 MB.

The shingle hash is datasketch's default ``sha1_hash32`` (the first four bytes of SHA-1,
little-endian), so signatures stay comparable with the ones already stored.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from itertools import accumulate

from dvcrawl.textnorm import normalize_for_compare

SHINGLE_WORDS = 5  # words per shingle: 3-6 all separate the labelled set; 5 has the widest gap
# A body with fewer words never clusters: "Đang cập nhật", a photo caption or a one-line
# notice is shared by unrelated pages; the shortest real news brief in the seeds has ~90 words.
MIN_WORDS = 40

# A word: a run of letters/digits (Vietnamese letters included); punctuation is dropped so a
# copy that changes "..." to "…" or quotes “” to "" still shingles the same.
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Fingerprint:
    """What the store needs of a body to find its copies, apart from the text itself."""

    digest: str  # SHA-256 of the normalised body (:func:`content_hash`)
    hashes: bytes  # 32-bit hash of each distinct shingle, little-endian; b"" when too short


def normalized_words(text: str) -> list[str]:
    """The words of ``text`` in compare form (NFC, casefold, one tone placement)."""
    return _WORD.findall(normalize_for_compare(text or ""))


def content_hash(text: str) -> str:
    """SHA-256 of the normalised body: equal for bodies differing only in case, tones, spaces."""
    return _digest(normalize_for_compare(text or ""))


def _digest(normalized: str) -> str:
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()


def _shingles_of(words: list[str], k: int) -> set[str]:
    if len(words) < MIN_WORDS:
        return set()
    return {" ".join(words[i : i + k]) for i in range(len(words) - k + 1)}


def shingles(text: str, k: int = SHINGLE_WORDS) -> set[str]:
    """The set of k-word shingles of the normalised text (empty when too short to cluster)."""
    return _shingles_of(normalized_words(text), k)


def _shingle_hashes(words: list[str], k: int) -> bytes:
    """datasketch's sha1_hash32 of each distinct k-word shingle, as four little-endian bytes.

    The shingles are slices of the body's words joined and encoded once (a word has no space),
    the same bytes as joining and encoding each shingle, at a third of the cost; the hash
    is inlined (a function call per shingle cost a sixth of the fingerprint).
    """
    if len(words) < MIN_WORDS:
        return b""
    joined = " ".join(words).encode("utf-8")
    starts = list(accumulate((len(word) + 1 for word in joined.split(b" ")), initial=0))
    grams = {joined[starts[i] : starts[i + k] - 1] for i in range(len(words) - k + 1)}
    sha1 = hashlib.sha1
    return b"".join([sha1(gram).digest()[:4] for gram in grams])


def fingerprint(text: str, normalized: str | None = None) -> Fingerprint:
    """The body's content hash and shingle hashes (normalised once for both).

    ``normalized``: ``normalize_for_compare(text)`` when the caller already has it.
    """
    if normalized is None:
        normalized = normalize_for_compare(text or "")
    return Fingerprint(
        _digest(normalized), _shingle_hashes(_WORD.findall(normalized), SHINGLE_WORDS)
    )
