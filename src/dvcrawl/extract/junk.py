"""The junk families of Vietnamese portals, as data: labels, headings and class/id hints.

Collected from the five seed pages in shared/seeds/ (what a naive extractor left) and the
portal structure in docs/domain.md. Labels are compared on ``text.key`` (case, Unicode form
and tone placement ignored).
"""

from __future__ import annotations

import re

from dvcrawl.extract.text import key

# Whole lines that are never article text: toolbars, share/social buttons, ribbons, comment boxes.
JUNK_LABELS = frozenset(
    key(s)
    for s in (
        "Email Print Aa",
        "EmailPrintAa",
        "Email",
        "Print",
        "Aa",
        "In bài",
        "In trang",
        "Cỡ chữ",
        "Chia sẻ",
        "Đọc tiếp",
        "Về trang chủ đề",
        "Đọc tiếp Về trang Chủ đề",
        "Chia sẻ bài viết",
        "Chia sẻ:",
        "Facebook",
        "Zalo",
        "Messenger",
        "Twitter",
        "Tiwer",
        "Youtube",
        "Google",
        "Google+",
        "LinkedIn",
        "Back to top",
        "Về đầu trang",
        "Lên đầu trang",
        "Gửi cho bạn bè",
        "Gửi email",
        "Gửi bài viết",
        "Lưu bài viết",
        "Tweet",
        "Like",
        "Share",
        "Skip Ribbon Commands",
        "Skip to main content",
        "Bình luận",
        "Gửi bình luận",
        "Quay lại",
        "Trở về",
        "Xem thêm",
        "Kết nối tạp chí",
        "Kết nối",
        "Bản in",
        "Phóng to",
        "Thu nhỏ",
        "Nghe bài viết",
        "Đánh giá bài viết",
        "Ảnh minh họa",
        "(Ảnh minh họa)",
        "Ảnh: Internet",
        "Trang chủ",
        "Liên hệ",
        "Đầu trang",
        "Quay lại đầu trang",
        "In bài viết",
        "RSS",
        "Xem tiếp",
        "Đọc tiếp",
        "Trang trước",
        "Trang sau",
        "Bài trước",
        "Bài sau",
        "Tiếp theo",
        "Họ tên",
        "Họ và tên",
        "Nội dung",
        "Mã xác nhận",
        "Mã bảo vệ",
        "Gửi",
        "Hủy",
        "Nhập mã",
    )
)

# Headings that open a teaser/related list or a comment section: what follows is not the article.
TAIL_HEADINGS = frozenset(
    key(s)
    for s in (
        "Đọc nhiều nhất",
        "Xem nhiều nhất",
        "Các tin khác",
        "Tin khác",
        "Tham khảo thêm",
        "Tin liên quan",
        "Tin mới",
        "Tin mới nhất",
        "Tin mới hơn",
        "Tin cũ hơn",
        "Tin cùng chuyên mục",
        "Bài viết liên quan",
        "Bài liên quan",
        "Các bài viết khác",
        "Tin đã đưa",
        "Tin bài liên quan",
        "Tin tức liên quan",
        "Bài đọc nhiều",
        "Có thể bạn quan tâm",
        "BÌNH LUẬN",
        "Ý kiến bạn đọc",
        "Ý kiến",
        "Gửi ý kiến",
        "Viết bình luận",
        "Bình luận của bạn",
        "Tin nổi bật",
        "Tin xem nhiều",
        "Ý kiến của bạn",
        "Gửi ý kiến của bạn",
        "Tin cùng loại",
        "Bài viết khác",
        "Tin bài khác",
        "Các tin đã đưa",
        "Các tin cũ hơn",
        "Các tin mới hơn",
        "Tin tức khác",
        "Xem thêm tin",
    )
)

# Lines that only carry a count or a label with a value: "Bình luận: 0", "Lượt xem: 1.234",
# "Kết nối tạp chí: ...", "Tags: ...", "Từ khóa: ...". The label must stand alone or take a
# colon/bracket/number: "Chia sẻ với phóng viên, ông A cho biết ..." is a sentence.
JUNK_LINE = re.compile(
    r"^(bình luận|lượt xem|lượt đọc|số lượt xem|views?|kết nối tạp chí|tags?|từ khóa|từ khoá"
    r"|chia sẻ|share|tải về|file đính kèm|in bài|cỡ chữ)\s*(?:[:(]\s*(?:[\d.,]+\)?|[^.]{0,80})|\d[\d.,]*)?$",
    re.I,
)
# An image file name printed as text: "Toàn cảnh hội nghị tại điểm cầu huyện Lý Nhân.png".
FILE_NAME_LINE = re.compile(r"^[^\n]{1,200}\.(png|jpe?g|gif|webp|bmp|tiff?)$", re.I)
# A photo caption ending in its credit: "... tại buổi họp mặt. Ảnh: Q. Hùng", "(Ảnh: TL)".
PHOTO_CREDIT_LINE = re.compile(r"(^|[.\s(])ảnh\s*:\s*[^.]{1,40}\)?$", re.I)

# class/id words of page furniture around the article: header, menus, sidebars, banners,
# ribbons, date bars, counters. Matched as whole words of the class/id value (split on - _ and
# spaces), e.g. "main-menu", "s4-ribbonrow", "box-xemnhieu". Only applied outside the body.
PAGE_HINT = re.compile(
    r"(?:^|[\s_-])(header|footer|nav|navbar|menu|megamenu|sidebar|breadcrumbs?|banner|advert"
    r"|quangcao|marquee|ribbonrow|login|search|pager|pagination|paging|hotline|weather|datetime"
    r"|date-now|today|currentdate|current-date|date-bar|datebar|ngay-hien-tai|ngayhientai|topbar|copyright|counter|thongke|visitor|widget|footer)(?:$|[\s_-])",
    re.I,
)
# class/id words of junk that also sits inside article bodies: share bars, toolbars, related
# and most-read lists, comment boxes, tag lists, ratings ("box-tin-lien-quan", "post-share").
BODY_HINT = re.compile(
    r"(?:^|[\s_-])(share|sharing|social|toolbar|tools|print|comments?|binhluan|related|relate"
    r"|lienquan|tinlienquan|tinkhac|othernews|other-news|tags|tag-list|rating|ads|mostread|docnhieu"
    r"|xemnhieu|addthis|sharethis)(?:$|[\s_-])",
    re.I,
)
# A lower-case letter followed by a capital: where ASP.NET/DNN class names join words
# ("HeaderPane", "DateToday", "dnnCURRENTDATE").
_CAMEL = re.compile(r"([a-z])([A-Z])")


def hint_of(el) -> str:
    """An element's class and id as hint words: "dnn_HeaderPane" -> "dnn_Header Pane"."""
    raw = f"{el.get('class') or ''} {el.get('id') or ''}".strip()
    return _CAMEL.sub(r"\1 \2", raw) if raw else ""


# Tags whose whole subtree is junk on every portal.
JUNK_TAGS = (
    "script",
    "style",
    "noscript",
    "nav",
    "header",
    "footer",
    "aside",
    "iframe",
    "button",
    "select",
    "input",
    "textarea",
    "svg",
    "template",
)
