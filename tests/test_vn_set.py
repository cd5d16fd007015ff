"""The Vietnamese development set's plumbing: provenance list, rebuild script and loader."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))

from realsets import vietnamese  # noqa: E402

PROVENANCE = json.loads((BENCH / "vietnamese-provenance.json").read_text(encoding="utf-8"))
GOLDEN = Path(__file__).parent / "golden" / "vn"
PAGE = "<html><head><title>Tin thử</title></head><body><p>Một câu.</p></body></html>"


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True
    ).stdout.strip()


@pytest.fixture
def mirror(tmp_path) -> tuple[Path, str]:
    """A local git repository ``owner/name`` holding one page, as the fetch tool lays it out."""
    repo = tmp_path / "mirrors" / "owner+name" / "repo"
    repo.mkdir(parents=True)
    _git(repo, "init", "-q")
    (repo / "fixtures").mkdir()
    (repo / "fixtures" / "page.html.gz").write_bytes(gzip.compress(PAGE.encode()))
    _git(repo, "add", "-A")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "page")
    return tmp_path / "mirrors", _git(repo, "rev-parse", "HEAD")


def _rebuild(tmp_path: Path, pages: list[dict], *extra: str):
    listing = tmp_path / "prov.json"
    listing.write_text(json.dumps({"pages": pages}, ensure_ascii=False), encoding="utf-8")
    return subprocess.run(
        [sys.executable, str(BENCH / "vn_rebuild.py"), "--provenance", str(listing), *extra],
        capture_output=True,
        text=True,
    )


def test_rebuild_then_load_gives_the_page_and_its_expectations(tmp_path, mirror):
    mirrors, commit = mirror
    entry = {
        "id": "thu-tin",
        "site": "example.vn",
        "url": "https://example.vn/tin-thu-123.html",
        "provenance": {"repo": "owner/name", "commit": commit, "path": "fixtures/page.html.gz"},
        "kind": "article",
        "title": "Tin thử",
        "notes": "read by hand",
        "golden": True,
    }
    data, golden = tmp_path / "data", tmp_path / "golden"
    args = ("--mirrors", str(mirrors), "--out", str(data), "--golden", str(golden))
    res = _rebuild(tmp_path, [entry], *args)
    assert res.returncode == 0, res.stderr

    (page,) = list(vietnamese.load(data))
    assert (page.set, page.id, page.url) == ("vietnamese", "thu-tin", entry["url"])
    assert page.html == PAGE.encode()
    assert page.expect == {"kind": "article", "title": "Tin thử"}
    assert page.provenance == f"owner/name@{commit}:fixtures/page.html.gz"
    packed = golden / "example-vn" / "thu-tin.html.gz"
    assert gzip.decompress(packed.read_bytes()) == PAGE.encode()


def test_a_missing_repository_is_named_and_the_rest_still_written(tmp_path, mirror):
    mirrors, commit = mirror
    good = {"id": "co", "site": "a.vn", "url": "https://a.vn/x", "kind": "listing"}
    good["provenance"] = {"repo": "owner/name", "commit": commit, "path": "fixtures/page.html.gz"}
    lost = dict(good, id="mat", provenance=dict(good["provenance"], repo="nobody/none"))
    res = _rebuild(tmp_path, [lost, good], "--mirrors", str(mirrors), "--out", str(tmp_path))
    assert res.returncode == 1
    assert "mat: not rebuilt: nobody/none" in res.stderr
    assert [p.id for p in vietnamese.load(tmp_path)] == ["co"]


def test_the_loader_skips_a_broken_entry_with_a_warning(tmp_path, caplog):
    root = tmp_path / "vietnamese"
    (root / "a-no-page").mkdir(parents=True)
    (root / "a-no-page" / "expect.json").write_text('{"url": "https://a.vn/"}', encoding="utf-8")
    (root / "b-bad-json").mkdir()
    (root / "b-bad-json" / "page.html").write_bytes(b"<html></html>")
    (root / "b-bad-json" / "expect.json").write_text("{", encoding="utf-8")
    assert list(vietnamese.load(tmp_path)) == []
    assert "a-no-page: skipped, no page.html" in caplog.text
    assert "b-bad-json: skipped, no readable expect.json" in caplog.text
    assert list(vietnamese.load(tmp_path / "absent")) == []


def test_committed_golden_pages_match_the_provenance_list():
    """The golden JSON files are written from the list: neither may drift from the other."""
    wanted = {p["id"]: p for p in PROVENANCE["pages"] if p.get("golden")}
    assert len(wanted) <= 30
    found = {path.stem: path for path in GOLDEN.glob("*/*.json")}
    assert set(found) == set(wanted)
    for page_id, path in found.items():
        entry = {k: v for k, v in wanted[page_id].items() if k not in ("id", "golden")}
        assert json.loads(path.read_text(encoding="utf-8")) == entry, page_id
        assert path.parent.name == entry["site"].replace(".", "-")


def test_every_page_of_the_list_names_a_commit_and_says_what_it_is():
    ids = [p["id"] for p in PROVENANCE["pages"]]
    assert len(ids) == len(set(ids))
    for page in PROVENANCE["pages"]:
        assert len(page["provenance"]["commit"]) == 40, page["id"]
        assert page["kind"] in ("article", "listing"), page["id"]
        if page["kind"] == "article":
            assert {"title", "datetime", "first", "last", "junk"} <= set(page), page["id"]
