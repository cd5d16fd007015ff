"""dvcrawl.textnorm: one canonical form for Vietnamese text in any Unicode form or tone style."""

import random
import re
import unicodedata

import pytest

from dvcrawl.textnorm import canonical_tone, fold, nfc, normalize_for_compare


def test_nfc_composes_decomposed_text():
    decomposed = unicodedata.normalize("NFD", "Ban Dân vận Tỉnh ủy")
    assert decomposed != "Ban Dân vận Tỉnh ủy"
    assert nfc(decomposed) == "Ban Dân vận Tỉnh ủy"


@pytest.mark.parametrize(
    ("printed", "canonical"),
    [
        ("hoà", "hòa"),
        ("thuỷ", "thủy"),
        ("uỷ ban", "ủy ban"),
        ("Uỷ", "Ủy"),
        ("khoẻ", "khỏe"),
        ("Thanh Hoá", "Thanh Hóa"),
    ],
)
def test_canonical_tone_moves_the_mark_to_the_first_vowel(printed, canonical):
    assert canonical_tone(printed) == canonical
    assert canonical_tone(unicodedata.normalize("NFD", printed)) == canonical


@pytest.mark.parametrize("word", ["quà", "quý", "hoàng", "hoài", "thuyền", "hòa", "mùa", "thuế"])
def test_canonical_tone_leaves_other_words_alone(word):
    assert canonical_tone(word) == word


def test_canonical_tone_of_composed_text_equals_the_decomposed_path():
    """Composed text takes a shortcut; every mix of the rule's edges must come out the same as
    through the decomposed form (quà/quý, a letter or a combining mark after, upper case)."""
    pieces = [
        "o",
        "O",
        "u",
        "U",
        "q",
        "Q",
        "a",
        "e",
        "y",
        " ",
        "-",
        "\u0302",
        "\u0323",
        "à",
        "Ẹ",
        "ỷ",
        "Ý",
        "ậ",
        "ê",
        "ố",
        "đ",
        "n",
        "oà",
        "uỷ",
        "qu",
        "Ủ",
    ]
    rnd = random.Random(12)
    for _ in range(20000):
        text = nfc("".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 6))))
        decomposed = unicodedata.normalize("NFD", text)
        assert canonical_tone(text) == canonical_tone(decomposed), repr(text)


def test_fold_strips_diacritics_and_d_stroke():
    assert fold("Đảng ủy Quảng Trị") == "dang uy quang tri"
    assert fold(unicodedata.normalize("NFD", "DÂN VẬN")) == "dan van"


def test_normalize_for_compare_equates_forms_and_spacing():
    a = unicodedata.normalize("NFD", "Uỷ  ban\u00a0MTTQ  tỉnh Thanh Hoá")
    b = "ủy ban mttq tỉnh thanh hóa"
    assert normalize_for_compare(a) == b
    assert normalize_for_compare("hòa") != normalize_for_compare("hoa")


@pytest.mark.parametrize(
    "text",
    [
        "  Hoà\u00a0bình\t\n thuỷ  ",
        "a\u200bb \ufeffc",  # zero-width space and BOM collapse like spaces
        "x\u2028y\x1cz\x85w\u3000v",  # every other Unicode space collapses too
        "Straße, Café, naïve — “quoted”",
        "Ủy ban nhân dân tỉnh Hà Nam",
    ],
)
def test_normalize_for_compare_collapses_every_space_and_composes(text):
    """The fast paths (split/join, no recomposing without a tone to move) give the regex form."""
    expected = re.sub(r"[\s\u00a0\u200b\ufeff]+", " ", canonical_tone(nfc(text.casefold()))).strip()
    assert normalize_for_compare(text) == expected
    assert unicodedata.is_normalized("NFC", normalize_for_compare(text))
