"""The sources file: what the contract accepts, and one clear error for each mistake."""

from __future__ import annotations

import pytest

from dvcrawl.errors import ConfigError
from dvcrawl.sources import load_sources, select_sources

GOOD = """
[[sources]]
id = "hatinh"
name = "Cổng TTĐT Đảng bộ tỉnh Hà Tĩnh"
province = "Hà Tĩnh"
start_urls = ["https://hatinh.dcs.vn/", "https://hatinh.dcs.vn/dan-van/"]

[[sources]]
id = "danvan"
name = "Tạp chí Dân vận"
start_urls = ["https://danvan.vn/"]
interval = "30m"
max_pages = 200
exclude_selectors = [".share", "#comments"]
article_url_pattern = '-\\d+\\.html$'
"""


def write(tmp_path, text: str):
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_minimal_and_optional_keys_load(tmp_path):
    sources = load_sources(write(tmp_path, GOOD))
    assert [s.id for s in sources] == ["hatinh", "danvan"]
    hatinh, danvan = sources
    assert hatinh.province == "Hà Tĩnh"
    assert hatinh.domains == ("hatinh.dcs.vn",)
    assert danvan.interval == 1800
    assert danvan.max_pages == 200
    assert danvan.exclude_selectors == (".share", "#comments")


def test_example_file_in_repository_is_valid():
    from pathlib import Path

    sources = load_sources(Path(__file__).parents[1] / "sources.example.toml")
    assert len(sources) >= 5
    assert all(s.start_urls for s in sources)


BAD_CASES = {
    "malformed": ('[[sources]\nid = "x"', "malformed TOML"),
    "no-entries": ('title = "x"', "top level, key 'title'"),
    "missing-start-urls": ('[[sources]]\nid = "a"\nname = "A"', "source 'a', key 'start_urls'"),
    "missing-name": ('[[sources]]\nid = "a"\nstart_urls = ["http://a.vn/"]', "key 'name'"),
    "unknown-key": (
        '[[sources]]\nid = "a"\nname = "A"\nstart_urls = ["http://a.vn/"]\ncolour = "red"',
        "source 'a', key 'colour': unknown key",
    ),
    "bad-id": (
        '[[sources]]\nid = "Hà Tĩnh"\nname = "A"\nstart_urls = ["http://a.vn/"]',
        "key 'id'",
    ),
    "duplicate-id": (
        '[[sources]]\nid = "a"\nname = "A"\nstart_urls = ["http://a.vn/"]\n'
        '[[sources]]\nid = "a"\nname = "B"\nstart_urls = ["http://b.vn/"]',
        "source 'a', key 'id': duplicate id",
    ),
    "not-a-url": ('[[sources]]\nid = "a"\nname = "A"\nstart_urls = ["a.vn"]', "not an http(s) URL"),
    "urls-not-a-list": (
        '[[sources]]\nid = "a"\nname = "A"\nstart_urls = "http://a.vn/"',
        "key 'start_urls': must be a non-empty list of URLs",
    ),
    "empty-urls": ('[[sources]]\nid = "a"\nname = "A"\nstart_urls = []', "key 'start_urls'"),
    "wrong-type": (
        '[[sources]]\nid = "a"\nname = "A"\nstart_urls = ["http://a.vn/"]\nmax_pages = "many"',
        "key 'max_pages': wrong type",
    ),
    "bad-interval": (
        '[[sources]]\nid = "a"\nname = "A"\nstart_urls = ["http://a.vn/"]\ninterval = "soon"',
        "key 'interval'",
    ),
    "bad-selector": (
        '[[sources]]\nid = "a"\nname = "A"\nstart_urls = ["http://a.vn/"]\n'
        'content_selector = "div..body"',
        "key 'content_selector': invalid CSS selector",
    ),
    "bad-profile": (
        '[[sources]]\nid = "a"\nname = "A"\nstart_urls = ["http://a.vn/"]\nprofile = "joomla"',
        "key 'profile': unknown portal family 'joomla'",
    ),
    "bad-regex": (
        '[[sources]]\nid = "a"\nname = "A"\nstart_urls = ["http://a.vn/"]\n'
        'article_url_pattern = "(["',
        "key 'article_url_pattern': invalid regular expression",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_CASES))
def test_each_mistake_is_named(tmp_path, case):
    text, expected = BAD_CASES[case]
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_sources(path)
    message = str(info.value)
    assert str(path) in message
    assert expected in message


def test_missing_file_and_non_utf8(tmp_path):
    with pytest.raises(ConfigError, match="cannot read sources file"):
        load_sources(tmp_path / "nope.toml")
    path = tmp_path / "latin.toml"
    path.write_bytes('[[sources]]\nid = "a"\nname = "Hà"\n'.encode("cp1258"))
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_sources(path)


def test_select_unknown_id_is_an_error(tmp_path):
    sources = load_sources(write(tmp_path, GOOD))
    assert [s.id for s in select_sources(sources, ["danvan"])] == ["danvan"]
    with pytest.raises(ConfigError, match="unknown source id\\(s\\): nope"):
        select_sources(sources, ["nope"])
