"""Vietnamese text: normalisation, folding, slugs, sort order and dates. Pure functions, no I/O.

Editors' tools save Vietnamese either precomposed (NFC) or decomposed (NFD, common on macOS
and in text pasted from some PDF readers); everything is compared and shown in NFC.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache

from cchc.core.messages import Message, _

WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")

# Vietnamese alphabetical order (Quốc ngữ), with f j w z placed as in the Latin alphabet for
# foreign words. Tones are a second-level difference, in dictionary order:
# ngang, huyền, hỏi, ngã, sắc, nặng (as in the Từ điển tiếng Việt of the Viện Ngôn ngữ học).
ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_TONE_MARKS = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_LETTER_RANK = {ch: i for i, ch in enumerate(ALPHABET)}

# Names Windows refuses for a file or folder, whatever the extension.
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)),
                     *(f"lpt{i}" for i in range(10))}
SLUG_MAX = 80


def nfc(text: str) -> str:
    """The one form every string is kept in."""
    return unicodedata.normalize("NFC", text)


@lru_cache(maxsize=16384)     # pure, and the same tags, issuers and names recur
def fold(text: str) -> str:
    """Remove tone and vowel marks and turn đ/Đ into d/D; case is kept.

    "Đẩy mạnh cải cách" -> "Day manh cai cach". đ has no Unicode decomposition, so
    NFD alone would leave it; that is the slip Python-Markdown's toc slugs make.
    """
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if not unicodedata.combining(c))


@lru_cache(maxsize=16384)
def slugify(text: str, max_length: int = SLUG_MAX) -> str:
    """ASCII slug for URLs and folder names: "Cải cách hành chính" -> "cai-cach-hanh-chinh".

    Safe on Windows: only [a-z0-9-], never a reserved device name, at most max_length
    characters cut at a word boundary. May return "" (for "!!!"); callers decide what then.
    """
    words = re.findall(r"[a-z0-9]+", fold(text).lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            if not slug:
                slug = word[:max_length]
            break
        slug = candidate
    if slug in _WINDOWS_RESERVED:
        slug += "-1"
    return slug


_SLUG_FORM = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def is_slug(text: str) -> bool:
    """slugify(text) == text != "", without folding the text: checking 10,000 front-matter slugs
    that way was a tenth of reading the files."""
    return len(text) <= SLUG_MAX and text not in _WINDOWS_RESERVED and _SLUG_FORM.fullmatch(text) is not None


def toc_slugify(value: str, separator: str = "-") -> str:
    """Heading anchors for Python-Markdown's toc extension (whose own slugify drops đ)."""
    return slugify(value) or "muc"


@lru_cache(maxsize=4096)
def _char_key(ch: str) -> tuple[int, int, int]:
    """(letter rank, tone, case) of one NFC character."""
    decomposed = unicodedata.normalize("NFD", ch)
    tone = 0
    kept = []
    for c in decomposed:
        if c in _TONE_MARKS:
            tone = _TONE_MARKS[c]
        else:
            kept.append(c)
    base = unicodedata.normalize("NFC", "".join(kept))
    lower = base.lower()
    case = 0 if base == lower else 1
    if lower in _LETTER_RANK:
        return (1000 + _LETTER_RANK[lower], tone, case)
    if lower.isdigit():
        return (500 + int(lower) if lower.isascii() else 600, tone, case)
    if lower.isspace():
        return (0, 0, 0)
    return (10 + min(ord(lower), 400), tone, case) if ord(lower) < 400 else (5000 + ord(lower), tone, case)


def sort_key(text: str) -> tuple:
    """Key that sorts names as a Vietnamese reader expects: a < ă < â < b … d < đ < e < ê,
    then by tone (ngang, huyền, hỏi, ngã, sắc, nặng), then lower case before upper case."""
    keys = [_char_key(c) for c in nfc(text).strip()]
    return (tuple(k[0] for k in keys), tuple(k[1] for k in keys), tuple(k[2] for k in keys))


# --- dates -------------------------------------------------------------------------------

_DATE_FORMATS = (
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?"), "ymd"),
    (re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?"), "dmy"),
)
DATE_HINT = _("use YYYY-MM-DD, YYYY-MM-DD HH:MM or DD/MM/YYYY")


class DateError(ValueError):
    """A date an editor wrote that cannot be read; str() is the message to show, .message the
    Message (to put in a problem, translated when printed)."""

    @property
    def message(self) -> Message:
        return self.args[0]


def parse_date(value: object, tz: dt.tzinfo) -> dt.datetime:
    """A date from front matter or a citation as an aware datetime in the site's time zone.

    PyYAML already turns `2021-01-18` into a date and `2021-01-18 08:00:00` into a naive
    datetime; `2021-01-18 08:00` and `18/01/2021` stay strings. All end up alike here.
    Raises DateError with a message an editor can act on.
    """
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=tz) if value.tzinfo is None else value.astimezone(tz)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=tz)
    if not isinstance(value, str):
        raise DateError(_("{value} is not a date", value=repr(value)))
    text = value.strip()
    for pattern, order in _DATE_FORMATS:
        m = pattern.fullmatch(text)
        if not m:
            continue
        a, b, c, hh, mm, ss = m.groups()
        year, month, day = (int(a), int(b), int(c)) if order == "ymd" else (int(c), int(b), int(a))
        try:
            return dt.datetime(year, month, day, int(hh or 0), int(mm or 0), int(ss or 0), tzinfo=tz)
        except ValueError:
            if 1 <= month <= 12 and day >= 1:
                last = _days_in_month(year, month)
                if day > last:
                    raise DateError(_('"{text}" is not a real date (month {month}/{year} has {days} days)',
                                      text=text, month=month, year=year, days=last)) from None
            raise DateError(_('"{text}" is not a real date', text=text)) from None
    raise DateError(_('"{text}" is not a date', text=" ".join(text.split())))   # one line, like every problem


def _days_in_month(year: int, month: int) -> int:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return (following - dt.timedelta(days=1)).day


def format_date(value: dt.date) -> str:
    """"Thứ Hai, 18/01/2021": the weekday and day/month/year, as Vietnamese pages show dates."""
    return f"{WEEKDAYS[value.weekday()]}, {value:%d/%m/%Y}"


def short_date(value: dt.date) -> str:
    """18/01/2021."""
    return f"{value:%d/%m/%Y}"
