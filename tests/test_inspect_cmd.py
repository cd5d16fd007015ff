"""``dvcrawl inspect``: one page's extraction shown field by field, from a file or a URL."""

from __future__ import annotations

import gzip
import json
import threading
import unicodedata
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from dvcrawl.cli.inspect_cmd import draft_expectations, fetch, sentences
from dvcrawl.errors import DvcrawlError
from dvcrawl.extract import ExtractedArticle

GOLDEN = Path(__file__).parent / "golden"
DCS_PAGE = GOLDEN / "dcs" / "hatinh-tong-ket-dan-van-2022.html"
DCS = json.loads(DCS_PAGE.with_suffix(".json").read_text(encoding="utf-8"))
VN_PAGE = GOLDEN / "vn" / "vnexpress-net" / "vnexpress-giam-tru-gia-canh.html.gz"
VN = json.loads(VN_PAGE.with_name(VN_PAGE.name.replace(".html.gz", ".json")).read_text("utf-8"))


# Tone marks that Windows-1258 writes as combining characters after the base letter.
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
CP1258_TITLE = "Họp báo quý IV tại Huế"


def _cp1258(text: str) -> bytes:
    """``text`` in Windows-1258, as legacy Vietnamese portals still serve it."""
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
        out.append(base + "".join(c for c in parts if c in _TONES))
    return "".join(out).encode("cp1258")


# A page whose markup names no charset, served with "charset=windows-1258" in the header.
CP1258_PAGE = _cp1258(
    f"<html><head><title>{CP1258_TITLE}</title></head><body><h1>{CP1258_TITLE}</h1>"
    + "<p>The provincial committee held its annual conference on mass mobilisation work in "
    "the morning, with many delegates from districts and communes attending.</p>"
    * 3
    + "</body></html>"
)
PAGES = {
    "/bai-viet.html": (DCS_PAGE.read_bytes(), "text/html; charset=utf-8"),
    "/cp1258.html": (CP1258_PAGE, "text/html; charset=windows-1258"),
}


class _Portal(BaseHTTPRequestHandler):
    """Serves PAGES with their Content-Type, 404 elsewhere; records User-Agents."""

    agents: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.agents.append(self.headers.get("User-Agent", ""))
        if self.path not in PAGES:
            self.send_error(404, "Not Found")
            return
        body, content_type = PAGES[self.path]
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:  # keep test output clean
        pass


@pytest.fixture
def portal() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Portal)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Portal.agents = []
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_saved_page_is_shown_field_by_field(run_cli):
    res = run_cli("inspect", str(DCS_PAGE), "--url", DCS["url"])
    assert res.returncode == 0, res.stderr
    out = res.stdout
    assert f"url        {DCS['url']}" in out
    assert "verdict    article" in out
    assert DCS["title"] in out
    assert f"published  {DCS['published']}" in out
    assert DCS["author"] in out
    # The rules that decided the date and the body are named beside them; the body follows.
    for field in ("published", "text"):
        line = next(x for x in out.splitlines() if x.startswith(field))
        assert line.rstrip().endswith("]"), line
    assert DCS["text"].splitlines()[0] in out


def test_a_gzipped_golden_page_as_json(run_cli):
    res = run_cli("inspect", str(VN_PAGE), "--url", VN["url"], "--json")
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    assert data["url"] == VN["url"]
    assert data["title"] == VN["title"]
    assert data["published"][:16] == VN["datetime"][:16]
    assert data["decisions"]["published"] and data["decisions"]["profile"]
    assert isinstance(data["removed"], list)
    assert {"text", "author", "lead", "is_article", "reject_reason"} <= set(data)


def test_a_url_is_fetched_politely_and_extracted(run_cli, portal):
    res = run_cli("inspect", f"{portal}/bai-viet.html", "--json")
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    assert data["url"] == f"{portal}/bai-viet.html"
    assert data["title"] == DCS["title"]
    assert data["published"] == DCS["published"]
    assert data["is_article"]


def test_the_http_charset_decodes_a_page_that_names_none(run_cli, portal):
    res = run_cli("inspect", f"{portal}/cp1258.html", "--json")
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["title"] == CP1258_TITLE


def test_fetch_names_itself_and_caps_the_size(portal):
    assert fetch(f"{portal}/bai-viet.html") == (DCS_PAGE.read_bytes(), "text/html; charset=utf-8")
    assert _Portal.agents[-1].startswith("dvcrawl/")
    with pytest.raises(DvcrawlError, match="larger than"):
        fetch(f"{portal}/bai-viet.html", cap=1000)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["no-such-page.html"], "no such file: no-such-page.html"),
        (["ftp://example.org/a.html"], "not an http(s) URL: ftp://example.org/a.html"),
        (["http://127.0.0.1:9/a.html"], "fetch failed: http://127.0.0.1:9/a.html"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(run_cli, args, message):
    res = run_cli("inspect", *args)
    assert res.returncode == 2
    assert res.stdout == ""
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], res.stderr


def test_an_http_error_names_the_status(run_cli, portal):
    res = run_cli("inspect", f"{portal}/missing.html")
    assert res.returncode == 2
    assert f"fetch failed: {portal}/missing.html: HTTP 404" in res.stderr


def test_a_broken_gzip_file_is_bad_input(run_cli, tmp_path):
    bad = tmp_path / "page.html.gz"
    bad.write_bytes(b"not gzip at all")
    res = run_cli("inspect", str(bad))
    assert res.returncode == 2
    assert "not a readable gzip file" in res.stderr


def test_golden_saves_the_page_and_a_draft_never_overwritten(run_cli, tmp_path):
    target = tmp_path / "golden" / "dcs"
    res = run_cli("inspect", str(DCS_PAGE), "--url", DCS["url"], "--golden", str(target))
    assert res.returncode == 0, res.stderr
    page = target / "hatinh-tong-ket-dan-van-2022.html.gz"
    assert gzip.decompress(page.read_bytes()) == DCS_PAGE.read_bytes()
    draft = json.loads((target / "hatinh-tong-ket-dan-van-2022.json").read_text(encoding="utf-8"))
    assert draft["url"] == DCS["url"] and draft["checked"] is False
    assert (draft["title"], draft["published"]) == (DCS["title"], DCS["published"])
    assert draft["datetime"] == DCS["published"] and draft["kind"] == "article"
    # "first" is the first sentence of the body after the lead (when one is set apart).
    lines = DCS["text"].splitlines()
    body = lines[1:] if draft["lead"] == lines[0] else lines
    assert body[0].startswith(draft["first"]) and draft["first"].endswith(".")
    assert DCS["text"].endswith(draft["last"])
    assert draft["relevant"] is DCS["relevant"]

    # A hand-checked JSON survives a second run unless --force says otherwise.
    (target / "hatinh-tong-ket-dan-van-2022.json").write_text('{"checked": true}', encoding="utf-8")
    again = run_cli("inspect", str(DCS_PAGE), "--url", DCS["url"], "--golden", str(target))
    assert again.returncode == 2 and "--force" in again.stderr
    assert json.loads((target / "hatinh-tong-ket-dan-van-2022.json").read_text()) == {
        "checked": True
    }
    forced = run_cli(
        "inspect", str(DCS_PAGE), "--url", DCS["url"], "--golden", str(target), "--force"
    )
    assert forced.returncode == 0, forced.stderr
    assert (
        json.loads((target / "hatinh-tong-ket-dan-van-2022.json").read_text())["checked"] is False
    )


@pytest.mark.parametrize(
    ("reason", "kind"), [("listing", "listing"), ("empty", "article"), (None, "article")]
)
def test_a_draft_calls_only_a_listing_a_listing(reason, kind):
    art = ExtractedArticle(url="https://x.vn/a", is_article=reason is None, reject_reason=reason)
    assert draft_expectations(art, "page.html")["kind"] == kind


def test_sentences_are_not_cut_at_abbreviations():
    text = "Ngày 22/10, BS.CK2 Hồng cho biết. TP. hồ Chí Minh mưa. “Chúng tôi” nói… 3 người đến."
    assert sentences(text) == [
        "Ngày 22/10, BS.CK2 Hồng cho biết.",
        "TP. hồ Chí Minh mưa.",
        "“Chúng tôi” nói…",
        "3 người đến.",
    ]
