"""Issue 11: title and author on pages outside Vietnam (trafilatura's evaluation set showed the
failure kinds): a kicker or subtitle inside the h1, a menu or logo heading taken for the title,
site names left on the title, a closing line taken for the author, "By X" labels, names
re-cased by trafilatura; and co-authors printed one per line under Vietnamese stories."""

from __future__ import annotations

import pytest

import dvcrawl.extract.body as body_mod
from dvcrawl.extract import extract_article
from dvcrawl.extract.byline import split_tail
from dvcrawl.extract.people import pick_author, strip_label
from dvcrawl.extract.title import strip_suffix

STORY = (
    "The council approved the new budget for road repairs after a long debate on Tuesday "
    "evening, and the first works are to start in the spring. "
)
URL = "https://www.example-news.org/2024/03/05/council-budget/"


def _page(head: str = "", top: str = "", tail: str = "", html_attrs: str = "") -> str:
    return (
        f"<html lang='en' {html_attrs}><head>{head}</head><body>{top}"
        f"<article><p>{STORY * 4}</p><p>{STORY * 3}</p>{tail}</article></body></html>"
    )


def _og(title: str) -> str:
    return f"<meta property='og:title' content='{title}'>"


def test_a_kicker_inside_the_h1_is_not_part_of_the_title():
    title = "Council approves the road budget"
    top = f"<h1><span class='kicker'>Local politics</span> <span>{title}</span></h1>"
    art = extract_article(_page(head=_og(title), top=top), URL)
    assert art.title == title


def test_an_unrelated_h1_loses_to_the_og_title_printed_on_the_page():
    title = "Council approves the road budget after a long debate"
    top = (
        "<div class='top-bar'><h1>The Example News, the first daily of the region</h1></div>"
        f"<h2 class='story-title'>{title}</h2>"
    )
    art = extract_article(_page(head=_og(title), top=top), URL)
    assert art.title == title


def test_a_heading_in_the_footer_is_never_the_title():
    title = "Council approves the road budget after a long debate"
    tail = "<footer><h1>Privacy statement and imprint</h1></footer>"
    art = extract_article(_page(head=_og(title), tail=tail), URL)
    assert art.title == title


def test_a_breadcrumb_h1_that_agrees_with_the_title_tag_is_kept():
    title = "Council approves the road budget after a long debate"
    top = f"<nav><ol><li>Home</li><li><h1>{title}</h1></li></ol></nav>"
    head = f"<title>{title} | Example News</title>" + _og("Road budget passes")
    art = extract_article(_page(head=head, top=top), URL)
    assert art.title == title


def test_a_logo_word_in_the_page_layout_classes_does_not_hide_the_h1():
    title = "Council approves the road budget after a long debate"
    head = f"<title>{title} – ECN</title>"
    art = extract_article(
        _page(head=head, top=f"<h1>{title}</h1>", html_attrs="class='html_logo_left'"), URL
    )
    assert art.title == title


@pytest.mark.parametrize(
    ("raw", "site", "clean"),
    [
        (
            "Road budget passes | AOC media - Analyse Opinion Critique",
            "AOC media - Analyse Opinion Critique",
            "Road budget passes",
        ),
        (
            "Road budget passes · Global Voices auf Deutsch",
            "Global Voices auf Deutsch",
            "Road budget passes",
        ),
        ("Road budget passes • Example News", "Example News", "Road budget passes"),
        (
            "Road budget passes - a long debate",
            "Example News",
            "Road budget passes - a long debate",
        ),
    ],
)
def test_the_site_name_after_any_separator_is_stripped(raw, site, clean):
    assert strip_suffix(raw, site) == clean


def _with_author(author: str, tail: str = "") -> str:
    return _page(head=f"<meta name='author' content='{author}'>", tail=tail)


def test_outside_vietnam_the_pages_author_beats_a_closing_line():
    art = extract_article(_with_author("Jane Doe", tail="<p>Storage Best Picks</p>"), URL)
    assert art.author == "Jane Doe"
    assert art.decisions["author"] == "trafilatura"


def test_a_lone_site_name_is_the_author_outside_vietnam():
    page = _with_author("Example Foundation").replace(
        "<head>", "<head><meta property='og:site_name' content='Example Foundation'>"
    )
    assert extract_article(page, URL).author == "Example Foundation"


@pytest.mark.parametrize(
    ("printed", "author"),
    [
        ("jane doe", "jane doe"),
        ("Joe S.", "Joe S."),
        ("Perry Bacon Jr.", "Perry Bacon Jr."),
        ("T. V. Raman", "T. V. Raman"),
    ],
)
def test_the_author_is_spelled_as_the_page_prints_it(printed, author):
    assert extract_article(_with_author(printed), URL).author == author


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("By Jane Doe", "Jane Doe"),
        ("View all posts by Daniel Lemire", "Daniel Lemire"),
        ("Zeige alle Beiträge von Petra Ruland", "Petra Ruland"),
        ("Por Alberto Ávila", "Alberto Ávila"),
        ("责任编辑：孔德明", "孔德明"),
        ("Bynum Smith", "Bynum Smith"),
        ("Christoph von Ritter", "Christoph von Ritter"),
    ],
)
def test_byline_labels_are_no_part_of_the_name(raw, name):
    assert strip_label(raw) == name


def test_metadata_survives_a_trafilatura_pass_that_finds_no_body(monkeypatch):
    real = body_mod.trafilatura.bare_extraction

    def precision_finds_nothing(*args, favor_precision=False, **kwargs):
        if favor_precision:
            return None
        return real(*args, favor_precision=favor_precision, **kwargs)

    monkeypatch.setattr(body_mod.trafilatura, "bare_extraction", precision_finds_nothing)
    page = (
        "<html><head><title>One moment</title></head><body><div>You will be connected to "
        "www.example-news.org in just a moment.</div></body></html>"
    )
    art = extract_article(page, URL)
    assert not art.is_article
    assert (art.published or "").startswith("2024-03-05")


def test_quotes_left_around_a_name_are_dropped():
    found = "'Luana Patriolino; Raphael Felice"
    assert pick_author(None, found, local=False) == (
        "Luana Patriolino; Raphael Felice",
        "trafilatura",
    )


def test_co_authors_printed_one_per_line_are_one_byline():
    story = "Đoàn đại biểu dâng hương tại bảo tàng thành phố."
    lines, author, _ = split_tail([story, "THUẬN VĂN", "LÊ ÁNH"])
    assert (lines, author) == ([story], "THUẬN VĂN - LÊ ÁNH")
    lines, author, _ = split_tail([story, "Kết luận của hội nghị", "Quốc Hùng"])
    assert (lines[-1], author) == ("Kết luận của hội nghị", "Quốc Hùng")
