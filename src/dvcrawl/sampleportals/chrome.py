"""HTML pieces every portal wraps around its content: the junk a crawler must see through.

Pure string builders; each site module arranges them in its own markup. The lists come from
what real portals show (docs/domain.md): date bar, mega menu with other agencies' links, marquee,
"Tin mới" / "Đọc nhiều nhất" sidebars with dates and teasers, share toolbars, footers.
"""

from __future__ import annotations

import zlib
from datetime import date, datetime
from html import escape

from dvcrawl.constants import VN_TZ

WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")
# Other agencies' sites in the mega menus and banner lists (real hosts; never crawled).
EXTERNAL_LINKS = (
    ("https://dangcongsan.vn/", "Báo điện tử Đảng Cộng sản Việt Nam"),
    ("https://chinhphu.vn/", "Cổng TTĐT Chính phủ"),
    ("https://danvan.vn/", "Ban Dân vận Trung ương"),
    ("https://mattran.org.vn/", "Ủy ban Trung ương MTTQ Việt Nam"),
    ("https://quochoi.vn/", "Quốc hội"),
    ("https://dichvucong.gov.vn/", "Cổng Dịch vụ công quốc gia"),
    ("https://tuyengiao.vn/", "Ban Tuyên giáo Trung ương"),
    ("https://baochinhphu.vn/", "Báo Chính phủ"),
    ("https://tapchicongsan.org.vn/", "Tạp chí Cộng sản"),
    ("https://qdnd.vn/", "Báo Quân đội nhân dân"),
    ("https://hoinongdan.org.vn/", "Trung ương Hội Nông dân Việt Nam"),
    ("https://hoilhpn.org.vn/", "Hội Liên hiệp Phụ nữ Việt Nam"),
    ("https://doanthanhnien.vn/", "Trung ương Đoàn TNCS Hồ Chí Minh"),
    ("https://cema.gov.vn/", "Ủy ban Dân tộc"),
)
# Tracking decorations real share buttons add to article links (the crawler must strip them).
TRACKING = (
    "?utm_source=zalo&utm_medium=share",
    "?fbclid=IwAR0x7sQk3M2bN",
    "?zarsrc=30",
    "#comments",
)


def today() -> date:
    return datetime.now(VN_TZ).date()


def weekday_date(d: date, pad: bool = False) -> str:
    """ "Thứ Hai, 23/11/2026" (pad=True) or "Chủ Nhật, 14/4/2024"."""
    day = f"{d.day:02d}/{d.month:02d}" if pad else f"{d.day}/{d.month}"
    return f"{WEEKDAYS[d.weekday()]}, {day}/{d.year}"


def links(items: list[tuple[str, str]], cls: str = "menu") -> str:
    lis = "".join(f'<li><a href="{escape(h)}">{escape(t)}</a></li>' for h, t in items)
    return f'<ul class="{cls}">{lis}</ul>'


def mega_menu(site_links: list[tuple[str, str]], cls: str = "mega-menu") -> str:
    """Site sections, then a sub-menu of other agencies, as on provincial portals."""
    outside = links(list(EXTERNAL_LINKS), "sub-menu")
    return f'<nav class="{cls}">{links(site_links, "nav")}<div class="lien-ket">Liên kết{outside}</div></nav>'


def item_list(title: str, items: list[tuple[str, str, str, str]], cls: str = "box-news") -> str:
    """A sidebar/related list; items are (href, title, date text, teaser), teaser may be ''."""
    rows = []
    for href, text, when, teaser in items:
        extra = f'<p class="sapo">{escape(teaser)}</p>' if teaser else ""
        rows.append(
            f'<li><a href="{escape(href)}">{escape(text)}</a> <span class="time">{escape(when)}</span>{extra}'
        )
    # Real portals often leave these <li> unclosed: keep that.
    return f'<div class="{cls}"><h3 class="title-box">{escape(title)}</h3><ul>{"".join(rows)}</ul></div>'


def marquee(text: str) -> str:
    return f'<div class="marquee"><marquee behavior="scroll" scrollamount="3">{escape(text)}</marquee></div>'


def toolbar(cls: str = "tools") -> str:
    """Email / Print / font size, rendered as adjacent links ("EmailPrintAa" in text)."""
    return (
        f'<div class="{cls}"><a href="javascript:void(0)" onclick="sendMail()">Email</a>'
        '<a href="javascript:window.print()">Print</a><a class="font-size" href="#">Aa</a></div>'
    )


def share_block() -> str:
    return (
        '<div class="social-share"><span>Chia sẻ:</span> <a class="fb" href="https://www.facebook.com/sharer.php">Facebook</a> '
        '<a class="zalo" href="https://zalo.me/share">Zalo</a> <a class="msg" href="https://m.me/">Messenger</a></div>'
        '<div id="fb-root"></div><script async defer crossorigin="anonymous" '
        'src="https://connect.facebook.net/vi_VN/sdk.js#xfbml=1&version=v18.0"></script>'
        "<script>var zaloShare=document.querySelector('.zalo');if(zaloShare){zaloShare.dataset.href=location.href;}</script>"
    )


def comment_form(heading: str = "Ý kiến bạn đọc", count: int | None = None) -> str:
    counter = f'<p class="comment-count">Bình luận: {count}</p>' if count is not None else ""
    return (
        f'<div class="comments">{counter}<h3>{escape(heading)}</h3><form method="post" action="#">'
        '<input name="hoten" placeholder="Họ và tên"><input name="email" placeholder="Email">'
        '<textarea name="noidung" placeholder="Nội dung ý kiến"></textarea>'
        '<button type="submit">Gửi ý kiến</button></form></div>'
    )


def footer(agency: str, address: str, licence: str, counter: int) -> str:
    return (
        f'<footer class="footer"><p><b>{escape(agency)}</b></p><p>Địa chỉ: {escape(address)}</p>'
        f"<p>{escape(licence)}</p><p>Ghi rõ nguồn khi phát hành lại thông tin từ website này.</p>"
        f'<div class="counter">Lượt truy cập: {counter:,}</div></footer>'.replace(
            f"{counter:,}", f"{counter:,}".replace(",", ".")
        )
    )


def inline_junk() -> str:
    """Inline styles and scripts real pages carry (analytics, Zalo widget)."""
    return (
        "<style>.marquee{color:#c00}.box-news li{list-style:square}</style>"
        "<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}"
        "gtag('js',new Date());gtag('config','G-DVCRAWL01');</script>"
    )


def floating_social() -> str:
    return (
        '<div class="float-social"><a href="https://zalo.me/">Zalo</a>'
        '<a href="https://m.me/">Messenger</a><a href="#top" class="back-top">Back to top</a></div>'
    )


def page(title: str, head_extra: str, body: str, meta_charset: bool = True) -> str:
    meta = '<meta charset="utf-8">' if meta_charset else ""
    return (
        f'<!DOCTYPE html><html lang="vi"><head>{meta}<title>{escape(title)}</title>'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">{head_extra}{inline_junk()}'
        f"</head><body>{body}</body></html>"
    )


def article_body(
    blocks: list,
    *,
    subhead: str = "h3",
    twice: bool = False,
    filename_text: bool = False,
    img_dir: str = "/uploads/news/",
    bold_lead: bool = False,
) -> str:
    """Body markup; captions (and, on some portals, image file names) sit among paragraphs.

    ``subhead`` "strong" prints subheadings as bold paragraphs (dcs.vn habit); ``twice`` prints
    each caption twice (WordPress theme + figcaption); ``filename_text`` prints the image file
    name as text (SharePoint habit). The first paragraph is left unclosed: real markup is sloppy.
    """
    out: list[str] = []
    for i, b in enumerate(blocks):
        text = escape(b.text)
        if b.kind == "p":
            if i == 0:
                out.append(f"<p>{'<strong>' + text + '</strong>' if bold_lead else text}")
            else:
                out.append(f"<p>{text}</p>")
        elif b.kind == "h":
            out.append(
                f"<p><strong>{text}</strong></p>"
                if subhead == "strong"
                else f"<{subhead}>{text}</{subhead}>"
            )
        else:
            out.append(_image(b, i, twice=twice, filename_text=filename_text, img_dir=img_dir))
    return "\n".join(out)


def _image(b, i: int, *, twice: bool, filename_text: bool, img_dir: str) -> str:
    src = f"{img_dir}anh-{i}-{zlib.crc32(b.text.encode()) % 10**6}.jpg"
    cap = escape(b.text)
    name = f"<p>{escape(b.file)}</p>" if filename_text and b.file else ""
    first = f'<p style="text-align:center"><img src="{src}" alt="{cap}"></p>'
    if twice:
        return f'{first}<p class="wp-caption-text">{cap}</p><figcaption>{cap}</figcaption>'
    return f'{first}{name}<p style="text-align:center"><em>{cap}</em></p>'
