"""Loader for the labelled syndication pairs in tests/data/syndication (see its README)."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).parent / "data" / "syndication"


def _blocks(path: Path) -> dict[str, str]:
    blocks: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("=== "):
            current = blocks.setdefault(line[4:].strip(), [])
        elif current is not None:
            current.append(line)
        elif line.strip() and not line.startswith("#"):
            raise ValueError(f"{path}: text before the first '=== A' block: {line!r}")
    return {name: "\n".join(lines).strip() for name, lines in blocks.items()}


def body(ref: str) -> str:
    """One body by reference, e.g. ``same/03/A``."""
    kind, number, block = ref.split("/")
    text = _blocks(DATA / kind / f"{number}.txt")[block]
    return body(text[1:]) if text.startswith("@") else text


def load_pairs(kind: str) -> list[tuple[str, str, str]]:
    """``(pair id, body A, body B)`` for every file under ``kind`` ("same" or "different")."""
    pairs = []
    for path in sorted((DATA / kind).glob("*.txt")):
        pair_id = f"{kind}/{path.stem}"
        pairs.append((pair_id, body(f"{pair_id}/A"), body(f"{pair_id}/B")))
    return pairs
