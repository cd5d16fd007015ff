"""An independent scan for the junk families a reader must never see in an article body.

Written from the issue's list and the seeds, separately from the extractor's own rules, so a
rule that silently stops working is caught here.
"""

from __future__ import annotations

import re
import unicodedata

# Whole lines (case-insensitive) that are portal furniture, never article text.
_JUNK_EXACT = {
    "email print aa",
    "emailprintaa",
    "in bài",
    "cỡ chữ",
    "chia sẻ bài viết",
    "chia sẻ",
    "facebook",
    "zalo",
    "messenger",
    "back to top",
    "gửi cho bạn bè",
    "đọc nhiều nhất",
    "xem nhiều nhất",
    "các tin khác",
    "tin liên quan",
    "tin mới",
    "bình luận",
    "ý kiến bạn đọc",
    "skip ribbon commands",
    "skip to main content",
    "tiwer",
    "youtube",
    "google",
}
_JUNK_PATTERNS = [
    re.compile(r"^bình luận\s*:\s*\d+$", re.I),  # "Bình luận: 0"
    re.compile(r"\.(png|jpe?g|gif|webp)$", re.I),  # image file names printed as text
    re.compile(r"^kết nối tạp chí", re.I),  # magazine social bar
    re.compile(r"^(thứ (hai|ba|tư|năm|sáu|bảy)|chủ nhật),?\s*\d{1,2}/\d{1,2}/\d{4}$", re.I),
    re.compile(r"^theo\s*:", re.I),  # credits belong in their own field
]


def junk_lines(text: str) -> list[str]:
    """Lines of ``text`` that belong to a junk family."""
    found = []
    for raw in unicodedata.normalize("NFC", text).splitlines():
        line = raw.strip()
        if line.casefold().strip(" :") in _JUNK_EXACT or any(
            p.search(line) for p in _JUNK_PATTERNS
        ):
            found.append(line)
    return found


def token_f1(got: str, expected: str) -> float:
    """Bag-of-words F1 between two texts (NFC, case-folded word tokens)."""
    from collections import Counter

    def toks(s: str) -> Counter:
        return Counter(re.findall(r"\w+", unicodedata.normalize("NFC", s).casefold()))

    a, b = toks(got), toks(expected)
    common = sum((a & b).values())
    if not common:
        return 0.0
    p, r = common / sum(a.values()), common / sum(b.values())
    return 2 * p * r / (p + r)
