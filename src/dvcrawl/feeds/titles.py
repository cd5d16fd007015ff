"""Vietnamese channel titles and descriptions: what a subscriber sees in the feed list."""

from __future__ import annotations

from dvcrawl.feeds import safe

_APPROVED_NOTE = " Chỉ gồm tin đã được biên tập viên duyệt."


def _note(mode: str) -> str:
    return _APPROVED_NOTE if mode == "approved" else ""


def all_texts(mode: str) -> tuple[str, str]:
    """(title, description) of the site-wide feed."""
    return (
        "Công tác dân vận: tin mới từ các cổng thông tin",
        "Tin bài mới nhất về công tác dân vận trên các cổng thông tin điện tử của Đảng bộ "
        "các tỉnh, thành phố, được dvcrawl tổng hợp tự động." + _note(mode),
    )


def source_texts(source_name: str, mode: str) -> tuple[str, str]:
    """(title, description) of one portal's feed."""
    name = safe.one_line(source_name)
    return (
        safe.shorten(f"Công tác dân vận: {name}", safe.TITLE_MAX),
        f"Tin bài mới nhất về công tác dân vận trên {name}." + _note(mode),
    )


def province_texts(province: str, mode: str, old_names: list[str] | None = None) -> tuple[str, str]:
    """(title, description) of one current province's feed (all its portals).

    ``old_names`` are the provinces merged into it in 2025 that its sources still name.
    """
    name = safe.one_line(province)
    merged = [safe.one_line(n) for n in old_names or [] if safe.one_line(n)]
    since = f" (gồm {', '.join(merged)} trước ngày 1/7/2025)" if merged else ""
    return (
        safe.shorten(f"Công tác dân vận: {name}", safe.TITLE_MAX),
        f"Tin bài mới nhất về công tác dân vận tại {name}{since}, từ các cổng thông tin "
        "của tỉnh." + _note(mode),
    )


def topic_texts(topic: str, mode: str) -> tuple[str, str]:
    """(title, description) of one topic's feed (every portal)."""
    name = safe.one_line(topic)
    return (
        safe.shorten(f"Công tác dân vận - chủ đề: {name}", safe.TITLE_MAX),
        f"Tin bài mới nhất về {name} trên các cổng thông tin điện tử của Đảng bộ các tỉnh, "
        "thành phố." + _note(mode),
    )
