"""The dân vận relevance scorer on the labelled set, and its matching rules one by one."""

from __future__ import annotations

import unicodedata

from dvcrawl.relevance import score_article
from relevance_set import evaluate, load

SAMPLES = load()


def test_labelled_set_is_big_and_balanced():
    positives = [s for s in SAMPLES if s.relevant]
    assert len(SAMPLES) >= 80
    assert 0.4 <= len(positives) / len(SAMPLES) <= 0.6
    assert sum(1 for s in positives if "dân vận" not in s.title.lower()) >= 15
    assert len({s.id for s in SAMPLES}) == len(SAMPLES)


def test_f1_on_the_labelled_set():
    figures, wrong = evaluate(SAMPLES)
    assert figures.f1 >= 0.95, [(s.id, r) for s, r in wrong]


def test_terms_are_shown_and_title_weighs_more():
    body = "Ban Dân vận Huyện ủy chỉ đạo công tác dân vận ở cơ sở."
    in_title = score_article("Ban Dân vận Huyện ủy chỉ đạo", body)
    in_body = score_article("Hội nghị ở huyện", body)
    assert in_title.score > in_body.score
    assert "Ban Dân vận" in in_title.terms and "công tác dân vận" in in_title.terms


def test_unicode_form_tone_placement_and_missing_diacritics_do_not_matter():
    text = "Ủy ban Mặt trận Tổ quốc tỉnh Thanh Hóa hiệp thương, vận động nhân dân. " * 2
    nfd_old_tones = unicodedata.normalize("NFD", text.replace("Ủy", "Uỷ").replace("Hóa", "Hoá"))
    plain = "Uy ban Mat tran To quoc tinh Thanh Hoa hiep thuong, van dong nhan dan. " * 2
    scores = {score_article("Tin địa phương", t).score for t in (text, nfd_old_tones)}
    assert len(scores) == 1
    assert score_article("Tin dia phuong", plain).score == scores.pop()


def test_a_few_diacritics_in_a_text_typed_without_them_still_match_folded():
    """Under 1 % non-ASCII letters the text counts as typed without diacritics; from 1 % on,
    its unaccented words are not terms (they may be other words with the tones lost)."""
    plain = "Uy ban Mat tran To quoc tinh Thanh Hoa hiep thuong, van dong nhan dan. " * 4
    letters = sum(ch.isalpha() for ch in plain)
    few = plain + "ở " * (letters // 100 - 2)
    many = plain + "ở " * (letters // 50)
    assert score_article("Tin", few).terms == score_article("Tin", plain).terms != []
    assert score_article("Tin", many).terms == []


def test_look_alike_words_are_not_dan_van():
    for text in (
        "Người dân vận chuyển nông sản ra chợ.",
        "Vận động viên giành huy chương vàng.",
        "Nông dân thu hoạch lúa, dân số tăng, cầu dân sinh, khu dân cư mới.",
    ):
        result = score_article(text, text)
        assert not result.relevant and result.terms == [], text


def test_attendee_list_naming_the_ban_dan_van_is_not_enough():
    text = (
        "UBND tỉnh khởi công nhà máy điện mặt trời. Dự lễ có đồng chí Trưởng Ban Dân vận Tỉnh ủy,"
        " Chủ tịch Ủy ban MTTQ tỉnh. Nhà máy có công suất 50 MW, vốn 1.000 tỷ đồng."
    )
    result = score_article("Khởi công nhà máy điện mặt trời", text)
    assert not result.relevant
    assert "Ban Dân vận" in result.terms  # shown to staff, but it did not decide
