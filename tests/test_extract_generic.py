"""The region holding trafilatura's paragraphs (``generic.container_of``), found by their text
whatever whitespace the page prints in them."""

from __future__ import annotations

import lxml.html

from dvcrawl.extract.generic import container_of

PARAGRAPHS = [
    "Ban Dân vận Tỉnh ủy tổ chức hội nghị tổng kết công tác dân vận năm 2026 tại hội trường.",
    "Hội nghị biểu dương các mô hình dân vận khéo tiêu biểu ở cơ sở trong toàn tỉnh năm qua.",
]
TEASER = "Tin khác: Hội nghị biểu dương các mô hình dân vận khéo tiêu biểu ở cơ sở năm trước."


def _page(printed: list[str]) -> lxml.html.HtmlElement:
    body = "".join(f"<p>{text}</p>" for text in printed)
    return lxml.html.document_fromstring(
        f"<html><body><div id='story'>{body}</div><div id='more'><p>{TEASER}</p></div>"
        "</body></html>"
    )


def test_paragraphs_are_found_whatever_spaces_the_page_prints():
    printed = [
        "\n\t " + PARAGRAPHS[0].replace(" ", "\u00a0 ", 3) + " \n",
        PARAGRAPHS[1].replace(" ", "\n  "),
    ]
    tree = _page(printed)
    for limit in (True, False):
        box = container_of(tree, PARAGRAPHS, limit)
        assert box is not None and box.get("id") == "story"


def test_a_paragraph_sharing_only_its_first_and_last_words_is_not_a_match():
    other = PARAGRAPHS[1].replace("mô hình", "phong trào")  # same ends, other text
    assert container_of(_page([PARAGRAPHS[0], other]), PARAGRAPHS, False) is None
    assert container_of(_page(PARAGRAPHS), PARAGRAPHS, False).get("id") == "story"
