"""Constants more than one part of dvcrawl must agree on: one owner for each.

The Vietnam time zone (every offset-less time a portal prints is local time) and the one minimum
body length below which a page is a stub, not news.
"""

from __future__ import annotations

from datetime import timedelta, timezone

# Vietnam has kept UTC+07:00 without daylight saving since 1975; a fixed offset named like the
# IANA zone is exact and needs no tz database on the host.
VN_TZ_NAME = "Asia/Ho_Chi_Minh"
VN_TZ = timezone(timedelta(hours=7), VN_TZ_NAME)
VN_OFFSET = "+07:00"

# Shorter bodies (characters) are notices or stubs ("Đang cập nhật", a lone caption), not
# articles; a real short news item is a few hundred characters.
MIN_BODY_CHARS = 150
