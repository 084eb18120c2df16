"""Citations of documents in running text ("Nghị định số 61/2018/NĐ-CP ngày 23/4/2018"), as
Vietnamese writers make them: found in a body, parsed from a front-matter value."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from cchc.core.legal.numbers import (EXTRA_TYPE_WORDS, LETTER_TYPE, PARTY_ABBREVIATIONS, SYMBOL_HINT,
                                     TEXT_SYMBOL, TYPE_ABBREVIATIONS, Symbol, SymbolError, implied_types,
                                     parse_symbol)
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


_TYPE_NAMES = sorted({*TYPE_ABBREVIATIONS.values(), *PARTY_ABBREVIATIONS.values(), *EXTRA_TYPE_WORDS},
                     key=len, reverse=True)
_CANONICAL_TYPE = {name.casefold(): name for name in _TYPE_NAMES}
_TYPE_WORDS = "|".join(re.escape(n) for n in _TYPE_NAMES)
# Type words before a number, at the end of the text preceding it: "Nghị định số ",
# "nghị quyết ", "Luật Doanh nghiệp số " (a law's name may sit between "Luật" and "số").
_PREFIX = re.compile(
    rf"(?:\b(?P<law>Luật|Bộ luật|Pháp lệnh)(?:\s+[^\W\d_]+){{1,8}}?\s+(?i:số)"
    rf"|\b(?P<type>(?i:{_TYPE_WORDS}))(?:\s+(?i:số))?)\s*:?\s*$")
_LEADING = re.compile(rf"(?:(?:Luật|Bộ luật|Pháp lệnh)(?:\s+[^\W\d_]+){{0,8}}?\s+(?i:số)"
                      rf"|(?i:{_TYPE_WORDS})(?:\s+(?i:số))?|(?i:số))\s*:?\s*")
_NUMBER_WORD = re.compile(r"(?:^|\s)(?i:số)\s*:?\s*$")
_DATE_AFTER = re.compile(
    r"\s*,?\s*(?i:ngày)\s+(?:(?P<d>\d{1,2})(?P<sep>[/.-])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4})"
    r"|(?P<d2>\d{1,2})\s+(?i:tháng)\s+(?P<m2>\d{1,2})\s+(?i:năm)\s+(?P<y2>\d{4}))(?!\d)")
_QUICK = re.compile(r"/[^\W\d_]")
_PREFIX_WINDOW = 80     # enough for "Luật Tổ chức chính quyền địa phương số "


def find_citations(text: str) -> list[Citation]:
    """Every citation of a document in a text node, in order, spans not overlapping.

    Runs on every text node of every article, so the common case (no citation) costs one
    substring test and one short regex scan. Dates (18/01/2021), fractions, URLs and plain
    numbers are not citations; a Công văn-shaped number needs the words "Công văn" before it.
    """
    if "/" not in text or not _QUICK.search(text):
        return []
    found: list[Citation] = []
    floor = 0
    for m in TEXT_SYMBOL.finditer(text):
        if m.start() < floor or _inside_url(text, m.start()):
            continue
        try:
            symbol = parse_symbol(m.group(0))
        except SymbolError:
            continue
        start, type_name = _type_before(text, max(floor, m.start() - _PREFIX_WINDOW), m.start())
        if type_name is None and not _bare_citable(m.group(0), symbol):
            continue
        end, date = _date_after(text, m.end())
        found.append(Citation(start, end, text[start:end], symbol, type_name, date))
        floor = end
    return found


def _inside_url(text: str, at: int) -> bool:
    token_start = max(text.rfind(" ", 0, at), text.rfind("\n", 0, at), text.rfind("\t", 0, at)) + 1
    token = text[token_start:at]
    return "://" in token or token.lower().startswith("www.")


def _bare_citable(written: str, symbol: Symbol) -> bool:
    """A number alone is a citation only when its shape says so: a known type abbreviation
    written in capitals (`10/KH-UBND`, not `3/kh-x`) or a National Assembly number."""
    if symbol.abbreviation:
        head = written.split("/", 1)[0] if symbol.is_party else written.split("/")[-1]
        return head.lstrip("0123456789-–")[:1].isupper()
    names = implied_types(symbol)
    return bool(names) and names != LETTER_TYPE


def _type_before(text: str, lo: int, at: int) -> tuple[int, str | None]:
    """(start of the citation, type name) from the type words just before a number."""
    window = text[lo:at]
    if not window.rstrip().rstrip(":").rstrip()[-1:].isalpha():
        return at, None           # "(61/2018/NĐ-CP", ", 48/2013/NĐ-CP": no type words, skip the search
    m = _PREFIX.search(window)
    if m:
        word = m.group("law") or m.group("type")
        return lo + m.start(), _CANONICAL_TYPE[word.casefold()]
    m = _NUMBER_WORD.search(window)
    if m:
        return lo + m.start() + (1 if m.group(0)[:1].isspace() else 0), None
    return at, None


def _date_after(text: str, at: int) -> tuple[int, dt.date | None]:
    m = _DATE_AFTER.match(text, at)
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
        lead = _LEADING.match(value)
        parse_symbol(value[lead.end():] if lead else value)    # raises with the most useful reason
        raise SymbolError(_('"{text}" is not a citation; {hint}', text=value, hint=SYMBOL_HINT))  # pragma: no cover
    head = value[:m.start()]
    start, type_name = _type_before(value, 0, m.start())
    if head.strip() and start != 0:
        raise SymbolError(_('"{text}": "{words}" before the number is not a document type '
                            '(write e.g. "Nghị định số 61/2018/NĐ-CP")', text=value, words=head.strip()))
    symbol = parse_symbol(m.group(0))
    end, date = _date_after(value, m.end())
    rest = value[end:]
    if rest and not rest[0].isspace() and rest[0] not in ",;.(":
        raise SymbolError(_('"{text}" is not a document number; {hint}', text=value, hint=SYMBOL_HINT))
    return Citation(0, end, value[:end], symbol, type_name, date)
