"""Citations of documents in running text ("Nghị định số 61/2018/NĐ-CP ngày 23/4/2018"), as
Vietnamese writers make them: found in a body, parsed from a front-matter value.

Every scan is linear in its input: the whole text is read by a few single passes (the numbers,
the addresses), and everything looked for around one number (the type words before it, the
date after it) is looked for in a window of a fixed size, never in the rest of the text. Long
runs of spaces, pasted tables of `1/A,1/A,…` and a relation value padded with 60,000 spaces
(issue 19, item 2) all cost time in proportion to their length; tests/test_legal.py counts the
characters each scan is given to prove it.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from cchc.core.legal.numbers import (GENERIC_TYPE_WORDS, LETTER_TYPE, SYMBOL_HINT, TEXT_SYMBOL, TYPE_WORDS,
                                     TYPE_WORDS_PATTERN, Symbol, SymbolError, implied_types, parse_symbol)
from cchc.core.messages import _
from cchc.core.vietnamese import nfc


@dataclass(frozen=True)
class Citation:
    """A reference to a document as a writer wrote it; [start, end) covers type words, number
    and date, so the whole phrase can become the link."""
    start: int
    end: int
    text: str
    symbol: Symbol
    type_name: str | None
    date: dt.date | None


def one_line(text: str, limit: int = 160) -> str:
    """A citation as a message shows it: one line whatever line breaks the writer's text had
    ("Chỉ⏎thị số⏎12/CT-TTg"), cut with "…" past `limit` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[:limit - 1] + "…"


def _canonical(name: str) -> str:
    return " ".join(name.split()).casefold()


_CANONICAL_TYPE = {_canonical(name): name for name in TYPE_WORDS}
_CANONICAL_TYPE.update({_canonical(name): None for name in GENERIC_TYPE_WORDS})
# Type words before a number, at the end of the text preceding it: "Nghị định số ",
# "nghị quyết ", "Luật Doanh nghiệp số " (a law's name may sit between "Luật" and "số"), "Báo
# cáo thẩm định số ", "Công văn hỏa tốc số " (two words may qualify any type before "số").
# Words may be split across lines.
_PREFIX = re.compile(
    rf"(?:\b(?P<law>Luật|Bộ\s+luật|Pháp\s+lệnh)(?:\s+[^\W\d_]+){{1,8}}?\s+(?i:số)"
    rf"|\b(?P<type>(?i:{TYPE_WORDS_PATTERN}))(?:(?:\s+[^\W\d_]+){{0,2}}?\s+(?i:số))?)\s*:?\s*$")
_LEADING = re.compile(rf"(?:(?:Luật|Bộ\s+luật|Pháp\s+lệnh)(?:\s+[^\W\d_]+){{0,8}}?\s+(?i:số)"
                      rf"|(?i:{TYPE_WORDS_PATTERN})(?:\s+(?i:số))?|(?i:số))\s*:?\s*")
_NUMBER_WORD = re.compile(r"(?:^|\s)(?i:số)\s*:?\s*$")
# The issue date after a number: "ngày 23/4/2018", "ngày 9.1.2025", "ngày 04-9-2025", "ngày 04
# tháng 9 năm 2025", each part possibly on the next line.
_DATE_AFTER = re.compile(
    r"[^\S\n]{0,3}\n?[^\S\n]{0,3},?\s{0,3}(?i:ngày)\s{1,3}"
    r"(?:(?P<d>\d{1,2})(?P<sep>[/.-])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4})"
    r"|(?P<d2>\d{1,2})\s{1,3}(?i:tháng)\s{1,3}(?P<m2>\d{1,2})\s{1,3},?\s{0,2}(?i:năm)\s{1,3}(?P<y2>\d{4}))(?!\d)")
_QUICK = re.compile(r"/[^\W\d_]")
_URL_MARK = re.compile(r"://|(?<!\S)(?i:www\.)")
_WWW = re.compile(r"(?i:www\.)")
_SPACE = re.compile(r"[ \n\t]")
# The windows every look around a number is bounded to, in characters.
PREFIX_WINDOW = 80      # enough for "Luật Tổ chức chính quyền địa phương số "
DATE_WINDOW = 64        # the longest date phrase _DATE_AFTER takes is 49 characters


def find_citations(text: str) -> list[Citation]:
    """Every citation of a document in a text node, in order, spans not overlapping.

    Runs on every text node of every article, so the common case (no citation) costs one
    substring test and one short regex scan. Dates (18/01/2021), fractions, URLs and plain
    numbers are not citations; an issuer-coded number without a type abbreviation (a Công
    văn's `123/UBND-KT`) needs type words before it ("Công văn số", "Văn bản số").
    """
    if "/" not in text or not _QUICK.search(text):
        return []
    found: list[Citation] = []
    floor = 0
    urls: list[tuple[int, int]] | None = None
    u = 0
    for m in TEXT_SYMBOL.finditer(text):
        at = m.start()
        if urls is None:           # only where a number is found: most texts with "/" have none
            urls = _url_spans(text)
        while u < len(urls) and urls[u][1] <= at:
            u += 1
        if at < floor or (u < len(urls) and urls[u][0] <= at):
            continue
        try:
            symbol = parse_symbol(m.group(0))
        except SymbolError:
            continue
        start, type_name, introduced = _type_before(text, max(floor, at - PREFIX_WINDOW), at)
        if not introduced and not _bare_citable(m.group(0), symbol):
            continue
        end, date = _date_after(text, m.end())
        found.append(Citation(start, end, text[start:end], symbol, type_name, date))
        floor = end
    return found


def _url_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) of each whitespace-delimited token that is an address (holds "://" or starts
    with "www."), in order. Each character is looked at a bounded number of times: a token is
    searched back only to the end of the previous one."""
    spans: list[tuple[int, int]] = []
    if "://" not in text and not _WWW.search(text):
        return spans
    for m in _URL_MARK.finditer(text):
        floor = spans[-1][1] if spans else 0
        if m.start() < floor:
            continue
        start = max(floor, text.rfind(" ", floor, m.start()) + 1, text.rfind("\n", floor, m.start()) + 1,
                    text.rfind("\t", floor, m.start()) + 1)
        space = _SPACE.search(text, m.end())
        spans.append((start, space.start() if space else len(text)))
    return spans


def _bare_citable(written: str, symbol: Symbol) -> bool:
    """A number alone is a citation only when its shape says so: a known type abbreviation
    written in capitals (`10/KH-UBND`, not `3/kh-x`) or a National Assembly number."""
    if symbol.abbreviation:
        head = re.sub(r"^\d+[a-zA-Z]?\s*[-–]\s*", "", written.split("/", 1)[0]) if symbol.is_party \
            else written.split("/")[-1]
        return head.lstrip("0123456789-–")[:1].isupper()
    names = implied_types(symbol)
    return bool(names) and names != LETTER_TYPE


def _type_before(text: str, lo: int, at: int) -> tuple[int, str | None, bool]:
    """(start of the citation, type name, whether type words introduce it) from the words just
    before a number, looked for in text[lo:at] only (at most PREFIX_WINDOW characters)."""
    lo = max(lo, at - PREFIX_WINDOW)
    window = text[lo:at]
    if not window.rstrip().rstrip(":").rstrip()[-1:].isalpha():
        return at, None, False    # "(61/2018/NĐ-CP", ", 48/2013/NĐ-CP": no type words, skip the search
    m = _PREFIX.search(window)
    if m:
        word = m.group("law") or m.group("type")
        return lo + m.start(), _CANONICAL_TYPE[_canonical(word)], True
    m = _NUMBER_WORD.search(window)
    if m:
        return lo + m.start() + (1 if m.group(0)[:1].isspace() else 0), None, False
    return at, None, False


def _date_after(text: str, at: int) -> tuple[int, dt.date | None]:
    m = _DATE_AFTER.match(text, at, at + DATE_WINDOW)
    if not m:
        return at, None
    d, mo, y = (m.group("d"), m.group("m"), m.group("y")) if m.group("d") else (m.group("d2"), m.group("m2"), m.group("y2"))
    try:
        return m.end(), dt.date(int(y), int(mo), int(d))
    except ValueError:
        return at, None       # "ngày 31/02/2021" is no date: the citation ends at the number


def parse_citation(text: str) -> Citation | None:
    """One whole value (a front-matter relation or `documents:` entry) as a citation, or None.

    Accepts `61/2018/NĐ-CP`, `Nghị định số 61/2018/NĐ-CP`, `Quyết định số 908/QĐ-UBND ngày
    29/10/2018`, and ignores a trailing description ("… của Chính phủ về …").
    """
    try:
        return citation_or_error(text)
    except SymbolError:
        return None


def citation_or_error(text: str) -> Citation:
    """Like parse_citation, but raises SymbolError saying why the value is not a citation."""
    value = nfc(str(text)).strip()
    m = TEXT_SYMBOL.search(value)
    if m is None:
        head = value[:PREFIX_WINDOW * 2]
        lead = _LEADING.match(head)
        parse_symbol(head[lead.end():] if lead else head)    # raises with the most useful reason
        raise SymbolError(_('"{text}" is not a citation; {hint}', text=one_line(value), hint=SYMBOL_HINT))  # pragma: no cover
    head = value[:m.start()]
    start, type_name, _introduced = _type_before(value, 0, m.start())
    if head.strip() and start != 0:
        raise SymbolError(_('"{text}": "{words}" before the number is not a document type '
                            '(write e.g. "Nghị định số 61/2018/NĐ-CP")', text=one_line(value),
                            words=one_line(head.strip(), 60)))
    symbol = parse_symbol(m.group(0))
    end, date = _date_after(value, m.end())
    rest = value[end:]
    if rest and not rest[0].isspace() and rest[0] not in ",;.(:":
        raise SymbolError(_('"{text}" is not a document number; {hint}', text=one_line(value), hint=SYMBOL_HINT))
    return Citation(0, end, value[:end], symbol, type_name, date)


def parts_concerned(value: str, citation: Citation) -> str:
    """What a relation value says after its citation about the parts concerned, in parentheses
    or after a colon: `61/2018/NĐ-CP (Điều 5, khoản 2 Điều 7)` -> "Điều 5, khoản 2 Điều 7"."""
    rest = nfc(str(value)).strip()[citation.end:].strip()
    if rest.startswith("(") and rest.endswith(")"):
        return " ".join(rest[1:-1].split())
    if rest.startswith(":"):
        return " ".join(rest[1:].split())
    return ""
