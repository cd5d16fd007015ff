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


def province_texts(province: str, mode: str) -> tuple[str, str]:
    """(title, description) of one province's feed (all its portals)."""
    name = safe.one_line(province)
    return (
        safe.shorten(f"Công tác dân vận: {name}", safe.TITLE_MAX),
        f"Tin bài mới nhất về công tác dân vận tại {name}, từ các cổng thông tin của tỉnh."
        + _note(mode),
    )
