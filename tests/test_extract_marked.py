"""The byline the markup marks (class="author", data-role/itemprop/rel="author"), printed
apart from the story: Báo Đầu tư and Người Lao động put it above the story, where neither the
end-of-story byline nor trafilatura finds it (their meta author, which trafilatura reads first,
names the site)."""

from __future__ import annotations

import pytest

from dvcrawl.extract import extract_article

PARA = "Ban Dân vận Huyện ủy phối hợp Mặt trận Tổ quốc vận động nhân dân hiến đất làm đường. "
URL = "https://baomau.vn/hien-dat-lam-duong-o-xa-thach-dai-d538952.html"


def _page(top: str = "", side: str = "") -> str:
    return (
        "<html lang='vi'><head><title>Hiến đất làm đường ở xã Thạch Đài</title>"
        "<meta name='author' content='BAOMAU.VN'><meta property='og:site_name' content='Báo Mẫu'>"
        "</head><body>"
        f"<div class='detail'><h1>Hiến đất làm đường ở xã Thạch Đài</h1>{top}"
        "<div>Thứ Tư, 06/09/2023 | 15:30</div><div class='noi-dung'>"
        f"<p>{PARA * 3}</p><p>{PARA * 3}Một là, tiếp tục tuyên truyền.</p></div></div>"
        f"{side}</body></html>"
    )


@pytest.mark.parametrize(
    "top",
    [
        "<div class='author-share-top'><a href='' class='author cl_green'>Nguyên Minh </a>"
        "<span class='post-time'> - 06/09/2023 15:30</span></div>",
        "<div class='detail-author'><p class='name' data-role='author'>Nguyên Minh</p></div>",
        "<span itemprop='author'>Nguyên Minh</span>",
    ],
)
def test_a_byline_marked_above_the_story_is_the_author(top):
    art = extract_article(_page(top=top), URL)
    assert art.author == "Nguyên Minh"
    assert "Nguyên Minh" not in art.text


def test_marks_naming_different_people_say_nothing():
    cards = "".join(
        f"<div class='card'><a href='/tin-{i}.html'>Tin khác số {i}</a>"
        f"<span class='author'>{name}</span></div>"
        for i, name in enumerate(["Quốc Hùng", "Văn Minh"])
    )
    assert extract_article(_page(side=cards), URL).author is None


def test_a_mark_around_more_than_a_name_or_naming_the_site_says_nothing():
    """A bio, an author box (name and an "all articles" link) or the site's name."""
    bio = "<div class='author'>Nguyên Minh viết về đầu tư từ năm 2010 cho nhiều tờ báo.</div>"
    assert extract_article(_page(top=bio), URL).author is None
    box = "<div class='author'><div>Nguyên Minh</div><div><a href='/tg'>Hồ sơ</a></div></div>"
    assert extract_article(_page(top=box), URL).author is None
    site = "<span class='author'>Báo Mẫu</span>"
    assert extract_article(_page(top=site), URL).author is None
