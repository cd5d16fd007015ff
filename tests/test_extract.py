"""extract_article on bad input, encodings, per-source selectors, titles and bylines."""

from __future__ import annotations

import unicodedata

import pytest

from dvcrawl.extract import extract_article
from dvcrawl.extract.byline import credit_of, is_byline, split_tail
from dvcrawl.extract.title import strip_suffix

PARA = "Ban Dân vận Huyện ủy phối hợp Mặt trận Tổ quốc vận động nhân dân hiến đất làm đường. "
ARTICLE = (
    "<html><head><meta charset='{charset}'><title>Hiến đất làm đường ở xã Thạch Đài - Cổng TTĐT"
    " tỉnh Hà Tĩnh</title></head><body><div class='menu'><a href='/'>Trang chủ</a></div>"
    "<div class='news'><h1>Hiến đất làm đường ở xã Thạch Đài</h1><div>Thứ Tư, 06/09/2023 | 15:30"
    "</div><div class='noi-dung'><p>{p}</p><p>{p}Một là, tiếp tục tuyên truyền.</p>"
    "<div class='hop-chia-se'><a>Facebook</a> <a>Zalo</a></div>"
    "<p><b>Quốc Hùng - Văn Minh</b></p></div></div></body></html>"
)


def _article(charset: str = "utf-8") -> str:
    return ARTICLE.format(charset=charset, p=PARA * 3)


def test_plain_article_fields():
    art = extract_article(_article(), "http://127.0.0.1/a")
    assert art.is_article
    assert art.title == "Hiến đất làm đường ở xã Thạch Đài"
    assert art.published == "2023-09-06T15:30:00+07:00"
    assert art.author == "Quốc Hùng - Văn Minh"
    assert "Quốc Hùng" not in art.text and "Zalo" not in art.text
    assert "Một là, tiếp tục tuyên truyền." in art.text
    assert art["title"] == art.title and "text" in list(art.keys())


def test_decomposed_input_comes_out_nfc():
    art = extract_article(unicodedata.normalize("NFD", _article()), "http://127.0.0.1/a")
    assert unicodedata.is_normalized("NFC", art.text)
    assert art.title == "Hiến đất làm đường ở xã Thạch Đài"


@pytest.mark.parametrize("encoding", ["cp1258", "windows-1252"])
def test_mislabelled_bytes_are_decoded(encoding):
    text = _article(charset="utf-8").replace("Hiến đất", "Hien dat")
    data = text.encode("cp1258", errors="ignore") if encoding == "cp1258" else text.encode("utf-8")
    art = extract_article(data, "http://127.0.0.1/a")  # cp1258 bytes labelled utf-8
    assert art.is_article
    assert "Ban D" in art.text


def test_utf8_bytes_without_charset():
    data = _article(charset="").replace("<meta charset=''>", "").encode("utf-8")
    assert extract_article(data, "http://127.0.0.1/a").title == "Hiến đất làm đường ở xã Thạch Đài"


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        ("", "empty"),
        ("<html><body><p>Trang chủ</p></body></html>", "empty"),
        (
            "<html><head><title>Lỗi</title></head><body><h1>Trang bạn tìm không tồn tại</h1>"
            "<p>Vui lòng quay lại trang chủ.</p></body></html>",
            "error-page",
        ),
        (
            "<html><body><h1>Đăng nhập hệ thống</h1><form><input name='username'>"
            "<input type='password' name='password'></form></body></html>",
            "login-wall",
        ),
    ],
)
def test_non_articles_are_rejected(html, reason):
    art = extract_article(html, "http://127.0.0.1/x")
    assert not art.is_article
    assert art.reject_reason == reason


def test_listing_page_is_rejected():
    items = "".join(
        f"<div class='item'><h3><a href='/p/{i}'>Tin hoạt động số {i} của Ban Dân vận huyện Can Lộc"
        f"</a></h3><p>Tóm tắt ngắn của tin số {i}.</p></div>"
        for i in range(12)
    )
    html = f"<html><body><h1>Công tác dân vận</h1><div class='list'>{items}</div></body></html>"
    art = extract_article(html, "http://127.0.0.1/cate/12")
    assert not art.is_article and art.reject_reason == "listing"


@pytest.mark.parametrize(
    "data", [b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", b"\x89PNG\r\n\x1a\n\x00\x00"]
)
def test_binary_input_is_rejected(data):
    art = extract_article(data, "http://127.0.0.1/file")
    assert not art.is_article and art.reject_reason == "binary"


def test_source_selectors_override_detection():
    html = (
        "<html><body><div class='odd-body'><p>" + PARA * 4 + "</p><p class='promo'>Mua báo giấy"
        " giảm giá 50% trong tháng này tại quầy.</p></div><div class='x'><p>"
        + "Quảng cáo. " * 60
        + "</p></div></body></html>"
    )
    art = extract_article(
        html, "http://127.0.0.1/a", content_selector="div.odd-body", exclude_selectors=("p.promo",)
    )
    assert "Quảng cáo" not in art.text and "Mua báo" not in art.text
    assert art.text.startswith("Ban Dân vận Huyện ủy")


def test_site_wide_title_of_old_portals_is_not_the_title():
    html = (
        "<html><head><title>Cổng thông tin điện tử tỉnh Hà Nam</title></head><body>"
        "<h1 class='logo'>Cổng thông tin điện tử tỉnh Hà Nam</h1><div class='tieu-de'>Hội nghị"
        " tổng kết công tác dân vận</div><div class='ms-rtestate-field'><p>"
        + PARA * 4
        + "</p></div></body></html>"
    )
    art = extract_article(html, "http://127.0.0.1/Pages/a.aspx")
    assert art.title == "Hội nghị tổng kết công tác dân vận"
    assert art.family == "sharepoint"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Hội nghị tổng kết - Cổng TTĐT tỉnh Hà Nam", "Hội nghị tổng kết"),
        ("Hội nghị tổng kết | Báo Hà Tĩnh", "Hội nghị tổng kết"),
        ("Bình Phước: Hội nghị - Tạp chí Dân vận", "Bình Phước: Hội nghị"),
        ("Hội nghị tổng kết - hatinh.dcs.vn", "Hội nghị tổng kết"),
        ("Hội nghị tổng kết | BÁO HÀ TĨNH", "Hội nghị tổng kết"),
        ("Sơ kết 5 năm - những kết quả nổi bật", "Sơ kết 5 năm - những kết quả nổi bật"),
    ],
)
def test_title_suffix(raw, clean):
    assert strip_suffix(raw) == clean


@pytest.mark.parametrize(
    "line",
    [
        "Chu Thanh Hoài (Ban Dân vận Tỉnh ủy)",
        "Quốc Hùng - Văn Minh",
        "Lê Dũng Toàn, Ban Dân vận Tỉnh ủy Bình Phước",
        "Phan Đức Hà - Huyện ủy",
        "Bài, ảnh: Q. Hùng",
    ],
)
def test_bylines(line):
    assert is_byline(line)


@pytest.mark.parametrize(
    "line",
    [
        "Trao tặng Giấy khen cho 06 đơn vị",
        "Hội nghị thành công tốt đẹp.",
        "Hà Nội - những ngày đầu thu năm ấy",
        "Năm là, thường xuyên quan tâm bố trí cán bộ.",
    ],
)
def test_not_bylines(line):
    assert not is_byline(line)


def test_byline_and_credit_leave_the_body():
    lines, author, credit = split_tail(
        ["Đoạn một.", "Chu Thanh Hoài (Ban Dân vận Tỉnh ủy)", "Theo: dukcqtw.dcs.vn"]
    )
    assert (lines, author, credit) == (
        ["Đoạn một."],
        "Chu Thanh Hoài (Ban Dân vận Tỉnh ủy)",
        "dukcqtw.dcs.vn",
    )
    assert credit_of("Nguồn: Báo Hà Tĩnh") == "Báo Hà Tĩnh"


def test_profile_key_forces_a_family():
    html = "<html><body><div class='post-content'><p>" + PARA * 4 + "</p></div></body></html>"
    assert extract_article(html, "http://127.0.0.1/a").family is None
    assert extract_article(html, "http://127.0.0.1/a", profile="dcs").family == "dcs"


def test_configuration_mistakes_are_named():
    with pytest.raises(ValueError, match="unknown CMS family 'joomla'"):
        extract_article(_article(), "http://127.0.0.1/a", profile="joomla")
    with pytest.raises(ValueError, match="bad CSS selector 'div\\[\\['"):
        extract_article(_article(), "http://127.0.0.1/a", content_selector="div[[")


@pytest.mark.parametrize(
    ("line", "credit"),
    [
        ("Theo: dukcqtw.dcs.vn", "dukcqtw.dcs.vn"),
        ("(Theo TTXVN)", "TTXVN"),
        ("Theo Báo Nhân Dân.", "Báo Nhân Dân"),
        ("Nguồn tin: Cổng TTĐT tỉnh", "Cổng TTĐT tỉnh"),
        ("Theo số liệu mới nhất, huyện Bù Đốp hoàn thành 73,6% kế hoạch đề ra", None),
        ("Theo Phòng Kinh tế huyện Bình Đại, năm 2026 địa phương mở 6 lớp tập huấn", None),
    ],
)
def test_credit_lines(line, credit):
    assert credit_of(line) == credit


def test_logo_h1_of_the_portal_is_not_the_title():
    html = (
        "<html><head><title>ĐẢNG BỘ TỈNH HÀ TĨNH</title></head><body><div class='logo'>"
        "<h1>ĐẢNG BỘ TỈNH HÀ TĨNH</h1></div><div class='main'><h1>Hội Nông dân xã vận động"
        " hội viên hiến đất</h1><div class='body'><p>" + PARA * 4 + "</p></div></div></body></html>"
    )
    assert extract_article(html, "http://127.0.0.1/a").title == (
        "Hội Nông dân xã vận động hội viên hiến đất"
    )


def test_utf8_bytes_labelled_as_a_legacy_charset():
    data = _article(charset="windows-1252").encode("utf-8")
    assert extract_article(data, "http://127.0.0.1/a").title == "Hiến đất làm đường ở xã Thạch Đài"


def test_sentences_starting_with_a_toolbar_word_are_kept():
    first = "Chia sẻ với phóng viên, ông Lê Văn Tứ cho biết mô hình đã lan ra ba thôn"
    html = (
        "<html><body><h1>Mô hình hiến đất làm đường ở xã Sơn Tây</h1><div class='entry-content'>"
        f"<p>{first}</p><p>{PARA * 3}</p><p>Chia sẻ:</p><p>Bình luận (3)</p></div></body></html>"
    )
    text = extract_article(html, "http://127.0.0.1/a").text
    assert text.splitlines()[0] == first
    assert "Chia sẻ:" not in text and "Bình luận" not in text


@pytest.mark.parametrize("as_bytes", [False, True])
def test_xhtml_with_an_xml_declaration(as_bytes):
    html = (
        '<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml"><body>'
        "<h1>Hội nghị tổng kết công tác dân vận</h1><div class='entry-content'><p>"
        + PARA * 3
        + "</p></div></body></html>"
    )
    art = extract_article(html.encode() if as_bytes else html, "http://127.0.0.1/a")
    assert art.is_article and art.title == "Hội nghị tổng kết công tác dân vận"


def test_pathological_markup_does_not_crash():
    deep = "<div>" * 5000 + PARA + "</div>" * 5000
    for html in (deep, "<?php echo 1; ?>", "<html><body><!-- x --></body></html>", "\ufeff"):
        art = extract_article(html, "http://127.0.0.1/a")
        assert art.reject_reason in (None, "empty")


def test_reader_comments_after_the_comment_heading_are_cut():
    from dvcrawl.extract.lines import clean_lines

    story = [
        PARA * 2,
        "Hai là, các đoàn thể tuyên truyền sâu rộng đến từng hộ dân trong thôn. " * 2,
    ]
    raw = ["Hôm nay: Thứ Hai, 23/11/2026", *story, "BÌNH LUẬN", "Nguyễn Văn A: bài viết rất hay"]
    assert clean_lines(raw, "Tiêu đề", set()) == [" ".join(x.split()) for x in story]


def test_short_story_beside_an_unmarked_sidebar_is_not_a_listing():
    sidebar = "".join(
        f"<li><a href='/p/{i}'>Tin hoạt động số {i} của Ban Dân vận huyện Can Lộc</a></li>"
        for i in range(15)
    )
    html = (
        "<html><body><h1>Hội Nông dân xã vận động hội viên hiến đất</h1><div class='entry-content'>"
        f"<p>{PARA * 2}</p><p>{PARA}</p><p>{PARA}</p></div>"
        f"<div class='cot-phai'><ul>{sidebar}</ul></div>"
        "</body></html>"
    )
    art = extract_article(html, "http://127.0.0.1/a")
    assert art.is_article, art.reject_reason


def test_a_teaser_label_above_the_story_does_not_remove_it():
    menu = "".join(f"<a href='/m/{i}'>Chuyên mục số {i} của cổng</a> " for i in range(60))
    html = (
        f"<html><body><div>{menu}</div><div class='cot'><div class='nhan'>Tin mới</div>"
        f"<h1>Hội Nông dân xã vận động hội viên hiến đất</h1><div><p>{PARA * 2}</p>"
        f"<p>Hai là, {PARA * 2}</p><p>Ba là, {PARA * 2}</p></div></div></body></html>"
    )
    art = extract_article(html, "http://127.0.0.1/a")
    assert art.is_article, art.reject_reason
    assert art.text.startswith("Ban Dân vận Huyện ủy")


# A story of distinct sentences, so that a few lost words are a small share of its text.
STORY = "".join(
    f"<p>Đoạn {n}: hội nghị lần thứ {n} bàn về {topic} của xã trong năm nay và những năm tới.</p>"
    for n, topic in enumerate(
        ("giao thông", "thủy lợi", "trường học", "trạm y tế", "chợ", "nhà văn hóa", "điện"), 1
    )
)


def test_keyword_link_inside_a_sentence_keeps_its_words():
    """A class like 'cms-relate' on a link in running text marks a keyword, not a junk block."""
    sentence = (
        "Ngày 9-10, viện kiểm sát đã kháng nghị bản án sơ thẩm vụ "
        "<a class='cms-relate' href='/tag'>tranh chấp</a> hợp đồng tín dụng với ngân hàng."
    )
    html = (
        "<html><head><meta property='og:type' content='article'></head><body>"
        "<h1>Viện kiểm sát kháng nghị bản án sơ thẩm</h1><div class='article-body'>"
        f"<p>{sentence}</p>{STORY}<div class='box'><a class='share-fb'>Facebook</a>"
        " <a class='share-zalo'>Zalo</a></div></div></body></html>"
    )
    text = extract_article(html, "http://127.0.0.1/a").text
    assert "vụ tranh chấp hợp đồng tín dụng" in text
    assert "Facebook" not in text and "Zalo" not in text


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  Hà\u00a0Nội\u2009là\u202fthủ\tđô\n ", "Hà Nội là thủ đô"),
        ("\ufeffBáo\u200b cáo \u00adtổng kết\u3000năm", "Báo cáo tổng kết năm"),
        ("Ho\u0300a Bi\u0300nh \r\n", "Hòa Bình"),
        (" \u00a0\u200b ", ""),
    ],
)
def test_clean_line_spacing(raw: str, clean: str) -> None:
    """One space between words whatever the page's spaces (no-break, thin, ideographic, tab,
    line break), invisible characters gone, NFC."""
    from dvcrawl.extract.text import clean_line

    assert clean_line(raw) == clean
