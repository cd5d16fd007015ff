"""Imported by the extraction pool's forkserver alone: every worker forked from it starts warm.

A worker's first page cost ~35 ms more than the next ones: trafilatura's domain check loads
the public-suffix list, the relevance lexicon compiles its patterns, and lazily compiled
regular expressions are built. Analysing one small built-in page here, once per crawl, makes
those ready before any worker is forked, instead of in every worker the pool starts (two per
executor, a new executor every :data:`dvcrawl.workpool.TASKS_PER_WORKER` pages per worker).
The crawl process never imports this module.
"""

from __future__ import annotations

import logging

from dvcrawl.workpool import analyse_page

log = logging.getLogger(__name__)

_PARAGRAPHS = (
    "Ban Dân vận Tỉnh uỷ tổ chức hội nghị tổng kết công tác dân vận năm 2026.",
    "Hội nghị biểu dương các mô hình dân vận khéo tiêu biểu ở cơ sở trong toàn tỉnh.",
    "Mặt trận Tổ quốc và các đoàn thể chính trị - xã hội phát huy vai trò giám sát.",
    "Đồng chí Trưởng ban phát biểu chỉ đạo, đề nghị các cấp uỷ tiếp tục đổi mới phương thức.",
    "Dịp này, 25 tập thể và 40 cá nhân được tặng Bằng khen vì thành tích xuất sắc.",
)
PAGE = (
    "<html><head><title>Hội nghị tổng kết công tác dân vận năm 2026</title></head><body>"
    "<article><h1>Hội nghị tổng kết công tác dân vận năm 2026</h1>"
    '<div class="date">07/12/2026 08:30</div><div class="content">'
    + "".join(f"<p>{text}</p>" for text in _PARAGRAPHS)
    + "</div></article></body></html>"
).encode()
# trafilatura's quick host pattern refuses a port or a name of fewer than four letters before
# its suffix ("vtv.vn"); such a page loads the public-suffix list (~25 ms), as the sample
# portals' pages all do.
URL = "http://10.0.0.1:8080/tin-tuc/hoi-nghi-dan-van-1.html"


def warm() -> bool:
    """Analyse the built-in page; False (and the workers warm up on their own) if it fails."""
    try:
        return analyse_page(PAGE, URL, {}).fingerprint is not None
    except Exception:  # a warm-up must never stop the forkserver, hence the pool
        log.exception("warming the extraction workers failed")
        return False


warm()
