"""The article identity learner (dvcrawl.articleid) with articles stored by earlier runs."""

from __future__ import annotations

from dvcrawl.articleid import IdentityLearner, Verdict

HOST = "https://tinh.dcs.vn"
STORED = f"{HOST}/Home/Tin-tuc-Su-kien/14024/tu-van-kham-suc-khoe-tien-hon-nhan"


def test_a_stored_story_under_another_section_is_an_alias_not_a_fetch():
    learner = IdentityLearner(known={STORED})
    moved = f"{HOST}/Home/Tin-noi-bat/14024/tu-van-kham-suc-khoe-tien-hon-nhan"
    assert learner.decide(moved) == (Verdict.SAME, STORED)
    assert learner.learned()["id"] is True  # id and slug agreed: free evidence


def test_without_stored_articles_the_same_url_is_fetched():
    learner = IdentityLearner()
    moved = f"{HOST}/Home/Tin-noi-bat/14024/tu-van-kham-suc-khoe-tien-hon-nhan"
    assert learner.decide(moved) == (Verdict.FETCH, None)


def test_a_stored_key_with_another_slug_is_fetched_and_never_compared_with_the_stored_page():
    """Ids counted per section would name two stories: fetch, and keep testing in-run pairs."""
    learner = IdentityLearner(known={STORED})
    other = f"{HOST}/Home/Kinh-te/14024/nong-dan-thu-hoach-lua-vu-dong-xuan"
    assert learner.decide(other) == (Verdict.FETCH, None)
    assert learner.learned()["id"] is None
    again = f"{HOST}/Home/Xa-hoi/14024/mot-cau-chuyen-khac-hoan-toan-o-xa"
    assert learner.decide(again) == (Verdict.FETCH, None)  # the in-run pair is compared


def test_a_learned_identity_makes_any_stored_key_an_alias():
    learner = IdentityLearner(known={STORED})
    first = f"{HOST}/Home/Kinh-te/555/bao-cao-kinh-te-quy-mot-cua-tinh-nha"
    second = f"{HOST}/Home/Tin-noi-bat/555/bao-cao-kinh-te-quy-mot-cua-tinh-nha"
    assert learner.decide(first) == (Verdict.FETCH, None)
    assert learner.decide(second) == (Verdict.SAME, first)  # id and slug agree: learned
    renamed = f"{HOST}/Home/Xa-hoi/14024/tieu-de-da-duoc-sua-lai-sau-khi-dang"
    assert learner.decide(renamed) == (Verdict.SAME, STORED)


def test_a_refuted_identity_fetches_stored_keys_too():
    learner = IdentityLearner(known={STORED})
    a = f"{HOST}/Home/Kinh-te/777/tin-kinh-te-so-mot-cua-huyen"
    b = f"{HOST}/Home/Xa-hoi/777/tin-xa-hoi-khac-han-cua-xa"
    learner.decide(a)
    learner.decide(b)
    learner.observe(a, a, "Tin kinh tế\nmột")
    learner.observe(b, b, "Tin xã hội\nhai")
    assert learner.learned()["id"] is False
    moved = f"{HOST}/Home/Tin-noi-bat/14024/tu-van-kham-suc-khoe-tien-hon-nhan"
    assert learner.decide(moved) == (Verdict.FETCH, None)
