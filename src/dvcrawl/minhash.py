"""datasketch's MinHash ("affine32" scheme) of pre-hashed shingles, in numpy alone.

The crawl process turns each stored body's shingle hashes into a signature. Through datasketch
that cost an import of datasketch and SciPy on the first store (~1 s of CPU and ~46 MB in the
crawl process) and a Python call per shingle; the arithmetic is a few numpy operations. The
values are datasketch's own, bit for bit (tests/test_dedupe.py compares them), so signatures
stored before and after compare.
"""

from __future__ import annotations

from functools import cache

import numpy as np

# MurmurHash3's 32-bit finalizer, which datasketch applies to each input hash once.
_FMIX = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35))


class Signature:
    """A body's MinHash: one 32-bit minimum per permutation (``hashvalues``, as datasketch)."""

    __slots__ = ("hashvalues",)

    def __init__(self, hashvalues: np.ndarray) -> None:
        self.hashvalues = hashvalues

    def jaccard(self, other: Signature) -> float:
        """Estimated Jaccard similarity: the share of equal minima."""
        return float(np.count_nonzero(self.hashvalues == other.hashvalues)) / len(self.hashvalues)


@cache
def permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's affine32 permutations ``h -> a*h + b mod 2**32`` (odd ``a``) for a seed."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def _fmix32(hv: np.ndarray) -> np.ndarray:
    s1, m1, s2, m2 = _FMIX
    hv = hv ^ (hv >> s1)
    hv = hv * m1
    hv = hv ^ (hv >> s2)
    hv = hv * m2
    return hv ^ (hv >> s1)


def signature_of(hashes: bytes, num_perm: int, seed: int) -> Signature | None:
    """The MinHash of the 32-bit little-endian shingle hashes in ``hashes`` (None if empty)."""
    if not hashes:
        return None
    a, b = permutations(num_perm, seed)
    hv = _fmix32(np.frombuffer(hashes, dtype="<u4").astype(np.uint32).reshape(-1, 1))
    return Signature((hv * a + b).min(axis=0))
