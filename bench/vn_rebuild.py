"""Rebuild the Vietnamese development set from its provenance list.

    python3 bench/vn_rebuild.py --mirrors /work/.mirror --out /work/data [--golden tests/golden/vn]

``bench/vietnamese-provenance.json`` names, for every page, the public repository, commit and
path it comes from, and the expectations written by reading the page. The repositories must be
local git directories first (``fetch`` tool, or ``git clone --bare``), found as
``<mirrors>/<owner>+<name>/repo`` or ``<mirrors>/<owner>+<name>``. Each page is written to
``<out>/vietnamese/<id>/page.html`` beside ``expect.json`` (the layout
``bench/realsets/vietnamese.py`` reads). With ``--golden DIR``, the pages marked ``"golden":
true`` are also written gzipped as ``DIR/<site>/<id>.html.gz`` + ``<id>.json`` (the CI tests).
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
from pathlib import Path

PROVENANCE = Path(__file__).with_name("vietnamese-provenance.json")
# Keys of a provenance entry that place the page rather than say what is expected of it.
_PLACE_KEYS = ("id", "golden")


def git_dir(mirrors: Path, repo: str) -> Path | None:
    """The local git directory of ``owner/name`` under ``mirrors``, or None."""
    base = mirrors / repo.replace("/", "+")
    # A bare snapshot (HEAD at its top) or a clone with a work tree (the git dir is .git).
    for candidate in (base / "repo" / ".git", base / "repo", base / ".git", base):
        if (candidate / "HEAD").is_file():
            return candidate
    return None


def page_bytes(mirrors: Path, prov: dict) -> bytes:
    """The page as stored at ``repo@commit:path``, gunzipped when the file is ``.gz``."""
    where = git_dir(mirrors, prov["repo"])
    if where is None:
        raise LookupError(f"{prov['repo']}: no git directory under {mirrors}")
    done = subprocess.run(
        ["git", "--git-dir", str(where), "show", f"{prov['commit']}:{prov['path']}"],
        capture_output=True,
    )
    if done.returncode != 0:
        raise LookupError(done.stderr.decode(errors="replace").strip().splitlines()[0])
    data = done.stdout
    return gzip.decompress(data) if prov["path"].endswith(".gz") else data


def expect_record(entry: dict) -> dict:
    return {k: v for k, v in entry.items() if k not in _PLACE_KEYS}


def write_page(out: Path, entry: dict, html: bytes) -> None:
    target = out / "vietnamese" / entry["id"]
    target.mkdir(parents=True, exist_ok=True)
    (target / "page.html").write_bytes(html)
    record = json.dumps(expect_record(entry), ensure_ascii=False, indent=2) + "\n"
    (target / "expect.json").write_text(record, encoding="utf-8")


def write_golden(golden: Path, entry: dict, html: bytes) -> None:
    target = golden / entry["site"].replace(".", "-")
    target.mkdir(parents=True, exist_ok=True)
    # mtime=0: the same page gives the same bytes, so a rebuild leaves git clean.
    (target / f"{entry['id']}.html.gz").write_bytes(gzip.compress(html, mtime=0))
    record = json.dumps(expect_record(entry), ensure_ascii=False, indent=2) + "\n"
    (target / f"{entry['id']}.json").write_text(record, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mirrors", type=Path, required=True, help="where the git dirs are")
    parser.add_argument("--out", type=Path, required=True, help="data dir (gets vietnamese/)")
    parser.add_argument("--golden", type=Path, help="also write the golden pages here")
    parser.add_argument("--provenance", type=Path, default=PROVENANCE)
    args = parser.parse_args(argv)
    entries = json.loads(args.provenance.read_text(encoding="utf-8"))["pages"]
    missing = 0
    for entry in entries:
        try:
            html = page_bytes(args.mirrors, entry["provenance"])
        except LookupError as exc:
            print(f"vn_rebuild: {entry['id']}: not rebuilt: {exc}", file=sys.stderr)
            missing += 1
            continue
        write_page(args.out, entry, html)
        if args.golden and entry.get("golden"):
            write_golden(args.golden, entry, html)
    print(f"{len(entries) - missing} pages written, {missing} missing", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
