"""The labelled relevance set (tests/data/relevance/articles.txt) and its scoring figures.

Shared by tests/test_relevance.py and bench/relevance_report.py (which writes the report).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

SET_FILE = Path(__file__).parent / "data" / "relevance" / "articles.txt"


@dataclass(frozen=True)
class Sample:
    id: str
    relevant: bool
    title: str
    text: str
    note: str


def load(path: Path = SET_FILE) -> list[Sample]:
    """Parse "=== <id> <+|-> [# note]" blocks: a title line, then body lines."""
    samples: list[Sample] = []
    for block in path.read_text(encoding="utf-8").split("\n=== ")[1:]:
        header, *lines = [x for x in block.strip().splitlines() if x.strip()]
        head, _, note = header.partition("#")
        ident, label = head.split()
        if label not in "+-" or not lines:
            raise ValueError(f"{path}: bad block {ident!r}")
        samples.append(Sample(ident, label == "+", lines[0], "\n".join(lines[1:]), note.strip()))
    return samples


@dataclass(frozen=True)
class Figures:
    tp: int
    fp: int
    fn: int
    tn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def evaluate(samples: list[Sample]) -> tuple[Figures, list[tuple[Sample, object]]]:
    """Score every sample; return the confusion figures and the misclassified samples."""
    from dvcrawl.relevance import score_article

    tp = fp = fn = tn = 0
    wrong = []
    for s in samples:
        result = score_article(s.title, s.text)
        if result.relevant and s.relevant:
            tp += 1
        elif result.relevant:
            fp += 1
        elif s.relevant:
            fn += 1
        else:
            tn += 1
        if result.relevant != s.relevant:
            wrong.append((s, result))
    return Figures(tp, fp, fn, tn), wrong
