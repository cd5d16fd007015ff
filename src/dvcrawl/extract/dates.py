"""Vietnamese publication dates: parsing (day before month, always) and picking the right one.

Forms seen on portals (docs/domain.md): 06/01/2022, 6/1/2022, 12/10/2020 - 19:57,
22:37 27/12/2022, Chủ Nhật, 14/4/2024, Thứ Tư, 06/09/2023 | 15:30, Ngày 06/9/2023,
10:15 SA / 3:20 CH (SA/CH = AM/PM), (GMT+7), 06-01-2022, and ISO 8601 in metadata.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo

from dvcrawl.constants import VN_TZ
from dvcrawl.datesanity import MAX_FUTURE
from dvcrawl.textnorm import fold

__all__ = ["VN_TZ", "Found", "day_first_certain", "is_doubtful", "parse_iso", "parse_vn"]
# Before the web portals existed; a date older than this is a parsing accident.
EARLIEST_YEAR = 1990

# Day, month, year: "06/01/2022", "6-1-2022", "06.01.2022" (never month first).
_DMY = re.compile(r"(?<!\d)(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*((?:19|20)\d{2})(?!\d)")
# "ngày 6 tháng 1 năm 2022", "06 tháng 01, 2022" on folded text.
_WORDY = re.compile(r"(?<!\d)(\d{1,2}) thang (\d{1,2}),?\s*(?:nam\s+)?((?:19|20)\d{2})(?!\d)")
# Time with optional seconds and SA/CH/AM/PM: "19:57", "10:15 SA", "3:20 CH", "08h30",
# "lúc 10 giờ 15" (also folded: "10 gio 15").
_TIME = re.compile(
    r"(?<!\d)(\d{1,2})\s*(?:[:hg]|giờ|gio)\s*(\d{2})(?::\d{2})?(?:\s*(sa|ch|am|pm)\b)?", re.I
)
# ISO 8601 from metadata: "2022-12-27T22:37:00+07:00", "2022-12-27 22:37", "2022-12-27".
_ISO = re.compile(
    r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?)?"
)
# Both date forms hold at least six digits (day, month, four-digit year); folding neither
# makes nor removes a digit, so a text with fewer has no date (and is never folded).
_NOT_DIGIT = re.compile(r"\D+")
_DATE_DIGITS = 6
# How far (characters) a time may sit from its date in a date line.
_TIME_REACH = 24


@dataclass(frozen=True)
class Found:
    """A parsed date: the contract string and where in the text it was."""

    value: str  # "2022-12-27T22:37:00+07:00" or "2022-01-06"
    start: int
    end: int


def _make(y: int, m: int, d: int, hm: tuple[int, int] | None) -> str | None:
    try:
        day = date(y, m, d)
    except ValueError:
        return None
    if hm is None:
        return day.isoformat()
    hour, minute = hm
    if not (0 <= hour < 24 and 0 <= minute < 60):
        return day.isoformat()
    return datetime(y, m, d, hour, minute, tzinfo=VN_TZ).isoformat()


def _time_near(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The time printed right before or after a date ("22:37 27/12/2022", "... - 19:57")."""
    best = None
    for m in _TIME.finditer(text):
        gap = m.start() - end if m.start() >= end else start - m.end()
        if 0 <= gap <= _TIME_REACH and (best is None or gap < best[0]):
            best = (gap, m)
    if best is None:
        return None
    m = best[1]
    hour, minute, ampm = int(m.group(1)), int(m.group(2)), (m.group(3) or "").lower()
    if ampm in ("ch", "pm") and hour < 12:
        hour += 12
    elif ampm in ("sa", "am") and hour == 12:
        hour = 0
    return hour, minute


def parse_vn(text: str, pos: int = 0) -> Found | None:
    """The first Vietnamese date in ``text`` (from ``pos``) with its time if printed next to it."""
    if len(_NOT_DIGIT.sub("", text)) < _DATE_DIGITS:
        return None  # most lines of a page: no date to look for
    # The wordy form is matched on folded text: same length as NFC Vietnamese, so offsets hold.
    for pattern, subject in ((_DMY, text), (_WORDY, fold(text))):
        m = pattern.search(subject, pos)
        if not m:
            continue
        d, mo, y = (int(g) for g in m.groups())
        value = _make(y, mo, d, _time_near(subject, m.start(), m.end()))
        if value:
            return Found(value, m.start(), m.end())
    return None


def day_first_certain(text: str, found: Found) -> bool:
    """Would every reader take ``found`` (parsed from ``text``) day first? Dots are the
    European order ("27.01.2022", "4. 2. 2022"), and a day above 12 cannot be a month
    ("17/02/2022"); "06/01/2020" may be a US June 1st, and is read day first only on
    Vietnamese pages."""
    m = _DMY.match(text, found.start)
    if m is None:  # the wordy form ("6 tháng 1 năm 2022") names the month
        return True
    return "." in text[m.start() : m.end()] or int(m.group(1)) > 12


def parse_iso(text: str, zone: tzinfo | None = VN_TZ) -> str | None:
    """Metadata dates (ISO 8601) in the contract form. A stated offset is kept as the page gives
    it (converting would move a "19:10-05:00" evening into the next day); an offset-less time
    is read in ``zone`` (Vietnam time), or as its day alone when the zone is unknown (None)."""
    m = _ISO.match(text or "")
    if not m:
        return None
    y, mo, d, hh, mm, ss, tz = m.groups()
    if hh is None or (tz is None and zone is None):
        return _make(int(y), int(mo), int(d), None)
    try:
        naive = datetime(int(y), int(mo), int(d), int(hh), int(mm), int(ss or 0))
    except ValueError:
        return None
    if tz:
        try:
            stated = UTC if tz == "Z" else _offset(tz)
        except ValueError:  # "+25:00" is no offset on Earth: the stamp is no date
            return None
        moment = naive.replace(tzinfo=stated)
    else:
        moment = naive.replace(tzinfo=zone)  # portals print local time without a zone
    return moment.replace(second=0 if not ss else moment.second).isoformat()


def _offset(tz: str) -> timezone:
    sign = -1 if tz.startswith("-") else 1
    digits = tz[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0)))


def is_doubtful(value: str, now: datetime | None = None) -> bool:
    """A date in the future (beyond a day of clock skew) or before 1990 is not trusted."""
    now = now or datetime.now(VN_TZ)
    day = date.fromisoformat(value[:10])
    return day.year < EARLIEST_YEAR or day > (now + MAX_FUTURE).date()
