"""The lines after the story that only their place in the page tells apart: teaser summaries
and the source's name printed under the story (extract/trailing.py)."""

from __future__ import annotations

import lxml.html

from dvcrawl.extract.byline import split_tail
from dvcrawl.extract.trailing import credited_elsewhere, drop_teaser_summaries

STORY = [
    "Ban Dân vận Huyện ủy phối hợp Mặt trận Tổ quốc vận động nhân dân hiến đất làm đường "
    f"ở thôn {i}, sau nhiều buổi đối thoại với bà con trong thôn."
    for i in range(1, 5)
]
SUMMARY = "Hội nông dân xã tổ chức tập huấn kỹ thuật trồng lúa cho hơn 200 hội viên trong vùng..."
PAGE = """<html><body><div class="detail">{story}</div>
<div class="more"><h2>Đọc tiếp</h2>
 <article><a href="/x.htm"><img src="x.jpg"></a><div>
  <h3><a href="/x.htm">Nông dân xã Thạch Đài học trồng lúa mới</a></h3>
  <p>{summary}</p></div></article></div>
<div class="info"><p>Quốc Hùng</p><p>Báo Nông thôn</p></div>
<div class="src"><a>Theo <span>Báo Nông thôn</span> <span>Copy link</span></a></div>
</body></html>"""


def _page(summary: str = SUMMARY, story_end: str = "") -> lxml.html.HtmlElement:
    story = "".join(f"<p>{x}</p>" for x in STORY) + story_end
    return lxml.html.fromstring(PAGE.format(story=story, summary=summary))


def test_a_teaser_summary_after_the_story_is_dropped():
    removed: list[tuple[str, str]] = []
    assert drop_teaser_summaries(_page(), [*STORY, SUMMARY], removed) == STORY
    assert removed == [(SUMMARY[:120], "summary of another story's teaser")]


def test_a_last_paragraph_beside_a_link_inside_the_story_stays():
    """A story's own paragraph sits in the story's container, which is far more than a card,
    even when a headline link ("Xem thêm: ...") is printed near it."""
    last = "Ông Nguyễn Văn Hải cho biết, thôn sẽ hoàn thành con đường trước Tết Nguyên đán năm nay."
    end = f"<p>Xem thêm: <a href='/y.htm'>Hiến đất làm đường ở xã bên cạnh</a></p><p>{last}</p>"
    lines = [*STORY, "Xem thêm: Hiến đất làm đường ở xã bên cạnh", last]
    assert drop_teaser_summaries(_page(story_end=end), lines, []) == lines


def test_a_line_the_page_does_not_hold_stays():
    lines = [*STORY, "Một dòng mà trang không có ở đâu cả, dù dài hơn bốn mươi ký tự."]
    assert drop_teaser_summaries(_page(), lines, []) == lines


def test_the_source_printed_apart_is_a_credit_when_the_page_credits_it_elsewhere():
    tree = _page()
    assert credited_elsewhere(tree, "Báo Nông thôn")
    assert not credited_elsewhere(tree, "Quốc Hùng")  # printed, but never as "Theo ..."
    lines, author, credit = split_tail(
        [*STORY, "Báo Nông thôn"], lambda line: credited_elsewhere(tree, line)
    )
    assert (lines, author, credit) == (STORY, None, "Báo Nông thôn")


def test_without_the_page_a_bare_name_stays_text():
    lines, author, credit = split_tail([*STORY, "Báo Nông thôn"])
    assert credit is None and lines[-1] == "Báo Nông thôn"
