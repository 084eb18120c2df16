"""Legal documents: numbers (số ký hiệu), types, citations, relations and status. No I/O.

This module turns the index's LegalDocument values into facts the site needs (slug, computed
status, resolved relations and their inverses) and recognises citations in running text.

Why numbers are parsed and not just compared as strings: writers cite the same document as
`61/2018/NĐ-CP`, `61/2018/ND-CP` or `Nghị định số 61/2018/NĐ-CP ngày 23/4/2018`; a number
without a year (`908/QĐ-UBND`) is only unique together with its issue year, because
provincial offices restart their numbering every year; and the type abbreviation inside the
number (NĐ, QĐ, …) lets the build catch a type that contradicts the number.

Known gaps, written down on purpose:
- The key folds Đ to D, so `HĐ` (Hợp đồng) and `HD` (Hướng dẫn), `ĐA` (Đề án) and `DA`
  (Dự án) share keys; both pairs never meet in one index in practice.
- Numbers are digits only: `12a/QĐ-UBND` is refused.
- A number shaped like a Công văn's (`123/UBND-KT`, no type abbreviation) is recognised in
  running text only after the words "Công văn"; bare, it looks too much like other things.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

from cchc.core.problems import Problems
from cchc.core.vietnamese import fold, nfc, short_date, slugify

# --- tables ------------------------------------------------------------------------------

# Abbreviations of document type names in a number, from the State's rules on document form:
# Nghị định 30/2020/NĐ-CP ngày 05/3/2020 về công tác văn thư, Phụ lục III ("Bảng chữ viết tắt
# tên loại văn bản"), completed with the types of legal documents (văn bản quy phạm pháp luật)
# whose numbers carry an abbreviation (NĐ, TT, TTLT, NQLT; Luật ban hành văn bản quy phạm
# pháp luật 2015 and Nghị định 34/2016/NĐ-CP, Mẫu số 1–5 of the Phụ lục).
TYPE_ABBREVIATIONS: dict[str, str] = {
    # legal documents (văn bản quy phạm pháp luật)
    "NĐ": "Nghị định",
    "TT": "Thông tư",
    "TTLT": "Thông tư liên tịch",
    "NQLT": "Nghị quyết liên tịch",
    # Nghị định 30/2020/NĐ-CP, Phụ lục III
    "NQ": "Nghị quyết",
    "QĐ": "Quyết định",
    "CT": "Chỉ thị",
    "QC": "Quy chế",
    "QyĐ": "Quy định",
    "TC": "Thông cáo",
    "TB": "Thông báo",
    "HD": "Hướng dẫn",
    "CTr": "Chương trình",
    "KH": "Kế hoạch",
    "PA": "Phương án",
    "ĐA": "Đề án",
    "DA": "Dự án",
    "BC": "Báo cáo",
    "BB": "Biên bản",
    "TTr": "Tờ trình",
    "HĐ": "Hợp đồng",
    "CĐ": "Công điện",
    "GN": "Bản ghi nhớ",
    "TTh": "Bản thỏa thuận",
    "GUQ": "Giấy ủy quyền",
    "GM": "Giấy mời",
    "GGT": "Giấy giới thiệu",
    "NP": "Giấy nghỉ phép",
    "PG": "Phiếu gửi",
    "PC": "Phiếu chuyển",
    "PB": "Phiếu báo",
}

# Party documents (`17-NQ/TW`) use the Party's own list (Quy định 66-QĐ/TW ngày 06/02/2017
# về thể loại, thẩm quyền ban hành và thể thức văn bản của Đảng): the same abbreviations as
# above for most types, plus these. Older Party rules (Quy định) were numbered with QĐ too.
PARTY_ABBREVIATIONS: dict[str, str] = {
    "KL": "Kết luận",
    "QĐi": "Quy định",
    "TT": "Thông tri",
    "CV": "Công văn",
}
_PARTY_ALSO = {"QĐ": ("Quy định",)}

# Type names that may open a citation in text, besides the tables' names.
_EXTRA_TYPE_WORDS = ("Luật", "Bộ luật", "Pháp lệnh", "Hiến pháp", "Công văn", "Thông tri", "Kết luận",
                     "Lệnh", "Sắc lệnh")
# Numbers of the National Assembly and its Standing Committee carry no abbreviation:
# `59/2020/QH14` is a law (or a resolution of the Quốc hội), `02/2011/UBTVQH12` an ordinance.
_ASSEMBLY_TYPES = (
    (re.compile(r"UBTVQH\d+"), ("Pháp lệnh", "Nghị quyết")),
    (re.compile(r"QH\d+"), ("Luật", "Bộ luật", "Nghị quyết", "Hiến pháp")),
)
_LETTER_TYPE = ("Công văn",)

STATUSES = ("con-hieu-luc", "het-hieu-luc", "het-hieu-luc-mot-phan", "chua-co-hieu-luc")
STATUS_LABELS: dict[str, str] = {
    "con-hieu-luc": "Còn hiệu lực",
    "het-hieu-luc": "Hết hiệu lực",
    "het-hieu-luc-mot-phan": "Hết hiệu lực một phần",
    "chua-co-hieu-luc": "Chưa có hiệu lực",
    "": "Chưa xác định",
}
RELATIONS = ("amends", "replaces", "guides", "based_on")
INVERSE = {"amends": "amended_by", "replaces": "replaced_by", "guides": "guided_by", "based_on": "basis_for"}

SYMBOL_HINT = "write it as in the document's header, e.g. 61/2018/NĐ-CP, 908/QĐ-UBND, 17-NQ/TW or 59/2020/QH14"
MIN_YEAR, MAX_YEAR = 1945, 2099


def _fold_key(text: str) -> str:
    return fold(text).upper()


# Lookups by the folded, upper-case form, so `ND`, `Nđ` and `NĐ` are one abbreviation. Where
# folding joins two (HĐ/HD, ĐA/DA) the one this section publishes wins: Hướng dẫn, Đề án.
_ABBR_BY_FOLD: dict[str, str] = {}
for _abbr in ("HĐ", "DA"):
    _ABBR_BY_FOLD[_fold_key(_abbr)] = _abbr
for _abbr in TYPE_ABBREVIATIONS:
    _ABBR_BY_FOLD[_fold_key(_abbr)] = _abbr
_PARTY_BY_FOLD = {_fold_key(a): a for a in PARTY_ABBREVIATIONS}
# Type name -> its abbreviation, to suggest the number a writer meant ("Nghị định" -> NĐ).
_ABBR_OF_TYPE = {name.casefold(): abbr for abbr, name in TYPE_ABBREVIATIONS.items()}


# --- numbers -----------------------------------------------------------------------------

class SymbolError(ValueError):
    """A document number (số ký hiệu) that cannot be read; str() is the message for an editor."""


@dataclass(frozen=True)
class Symbol:
    """A parsed number (số ký hiệu).

    text: as written (NFC, trimmed), for display; number: the number as written ("01");
    year: the year inside the number, or None (`908/QĐ-UBND`); abbreviation: the type
    abbreviation in its table form ("NĐ"), or None (laws, Công văn); issuer_code: what names
    the issuer ("CP", "UBND", "TW", "QH14", "UBND-KT"); key: folded form for matching
    ("61/2018/ND-CP": Đ→D, upper case, no spaces, no leading zeros in the number).
    """
    text: str
    number: str
    year: int | None
    abbreviation: str | None
    issuer_code: str
    key: str

    @property
    def is_party(self) -> bool:
        """Party documents put the abbreviation before the slash: `17-NQ/TW`."""
        return "-" in self.key.split("/", 1)[0]


_CODE = r"[^\W\d_][^\W_]*"
_CODES = rf"{_CODE}(?:-{_CODE})*"
# One number, spaces removed and dashes made '-': state `61/2018/NĐ-CP`, `17/NQ-CP`,
# `59/2020/QH14`, `123/UBND-KT`; Party `17-NQ/TW`.
_SYMBOL_SHAPE = re.compile(
    rf"(?P<num>\d{{1,5}})(?:/(?:(?P<year>\d{{4}})/)?(?P<codes>{_CODES})|-(?P<pabbr>{_CODE})/(?P<pissuer>{_CODES}))")
_DASHES = str.maketrans({"–": "-", "—": "-", "‑": "-", "‐": "-", "−": "-"})
_SPACES = re.compile(r"\s+")


def _compact(text: str) -> str:
    return _SPACES.sub("", nfc(text).translate(_DASHES))


def parse_symbol(text: str) -> Symbol:
    """Read a number as written in the `symbol:` key or a citation; raises SymbolError.

    Spaces are tolerated (`61/2018/NĐ - CP`) and dashes normalised, because Word and PDF
    copies insert them; the text is kept as written for display.
    """
    return _parse_symbol(nfc(str(text)).strip())


@lru_cache(maxsize=8192)
def _parse_symbol(shown: str) -> Symbol:
    """parse_symbol, cached: a site cites the same few hundred numbers thousands of times."""
    if not shown:
        raise SymbolError("the number is empty")
    compact = _compact(shown)
    m = _SYMBOL_SHAPE.fullmatch(compact)
    if m is None:
        raise SymbolError(_why_not_symbol(shown, compact))
    number = m.group("num")
    if int(number) == 0:
        raise SymbolError(f'"{shown}": the number (số) cannot be 0')
    year = int(m.group("year")) if m.group("year") else None
    if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
        raise SymbolError(f'"{shown}": {year} is not a plausible year of issue')
    if m.group("pabbr"):
        written = m.group("pabbr")
        abbreviation = _party_abbreviation(written)
        issuer = m.group("pissuer")
    else:
        segments = m.group("codes").split("-")
        abbreviation = _state_abbreviation(segments[0])
        if abbreviation is not None and len(segments) == 1:
            raise SymbolError(f'"{shown}": the issuer is missing after {segments[0]} '
                              f"(e.g. …/{segments[0]}-CP, …/{segments[0]}-UBND)")
        issuer = "-".join(segments[1:]) if abbreviation else m.group("codes")
    key = _fold_key(compact)
    key = re.sub(r"^0+(?=\d)", "", key)
    return Symbol(shown, number, year, abbreviation, issuer, key)


def _state_abbreviation(written: str) -> str | None:
    if written in TYPE_ABBREVIATIONS:
        return written
    return _ABBR_BY_FOLD.get(_fold_key(written))


def _party_abbreviation(written: str) -> str | None:
    for table, folded in ((PARTY_ABBREVIATIONS, _PARTY_BY_FOLD), (TYPE_ABBREVIATIONS, _ABBR_BY_FOLD)):
        if written in table:
            return written
        if _fold_key(written) in folded:
            return folded[_fold_key(written)]
    return None


def _why_not_symbol(shown: str, compact: str) -> str:
    """The most useful reason a text is not a number, for the editor's message."""
    if re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", compact):
        return f'"{shown}" is a date, not a document number; {SYMBOL_HINT}'
    if "/" not in compact:
        return f'"{shown}" has no "/"; {SYMBOL_HINT}'
    inside = _SYMBOL_SHAPE.search(compact)
    if inside and not compact[0].isdigit():
        return f'"{shown}": write only the number, without the type words: "{_inner_text(shown, inside)}"'
    if not compact[0].isdigit():
        return f'"{shown}" must start with the document\'s number (số); {SYMBOL_HINT}'
    if re.fullmatch(r"\d+/\d{4}", compact):
        return f'"{shown}" has no type and issuer after the year; {SYMBOL_HINT}'
    return f'"{shown}" is not a document number (số ký hiệu); {SYMBOL_HINT}'


def _inner_text(shown: str, m: re.Match) -> str:
    found = _TEXT_SYMBOL.search(shown)
    return found.group(0) if found else m.group(0)


def _implied_types(symbol: Symbol) -> tuple[str, ...] | None:
    """Every type name a number is compatible with, most likely first; None when unknown."""
    if symbol.abbreviation:
        if symbol.is_party:
            name = PARTY_ABBREVIATIONS.get(symbol.abbreviation) or TYPE_ABBREVIATIONS[symbol.abbreviation]
            return (name, *_PARTY_ALSO.get(symbol.abbreviation, ()))
        return (TYPE_ABBREVIATIONS[symbol.abbreviation],)
    if symbol.is_party:
        return None
    folded_issuer = _fold_key(symbol.issuer_code)
    for pattern, names in _ASSEMBLY_TYPES:
        if pattern.fullmatch(folded_issuer):
            return names
    if symbol.year is None:
        return _LETTER_TYPE     # `123/UBND-KT`: a Công văn's number has no type abbreviation
    return None


def type_of(symbol: Symbol) -> str | None:
    """The type name the number implies (`61/2018/NĐ-CP` → Nghị định, `…/QH14` → Luật), or None."""
    names = _implied_types(symbol)
    return names[0] if names else None


def type_fits(type_name: str, symbol: Symbol) -> bool:
    """Whether a declared or written type agrees with the number; unknown numbers fit anything.

    "Thông tư" fits `TTLT` (Thông tư liên tịch): the shorter name is the family.
    """
    names = _implied_types(symbol)
    if not names or not type_name:
        return True
    wanted = nfc(type_name).strip().casefold()
    return any(n.casefold() == wanted or n.casefold().startswith(wanted + " ") for n in names)


def document_slug(symbol: Symbol, issued: dt.date) -> str:
    """URL slug of a document: its number folded, plus the issue year when the number has none,
    since `908/QĐ-UBND` of 2018 and of 2021 are different documents."""
    slug = slugify(symbol.text)
    return slug if symbol.year is not None else f"{slug}-{issued.year}"


# --- citations ---------------------------------------------------------------------------

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


_TYPE_NAMES = sorted({*TYPE_ABBREVIATIONS.values(), *PARTY_ABBREVIATIONS.values(), *_EXTRA_TYPE_WORDS},
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
# The number in running text. Not after a letter, digit, '/', '.', or '-' (inside a URL, a
# date, a decimal, "COVID-19/…"); not followed by more of a path.
_TEXT_SYMBOL = re.compile(
    rf"(?<![\w/.\-–])\d{{1,5}}(?:/(?:\d{{4}}/)?{_CODE}(?:[-–]{_CODE})*|[-–]{_CODE}/{_CODE}(?:[-–]{_CODE})*)"
    rf"(?![\w/]|[-–][^\W_])")
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
    for m in _TEXT_SYMBOL.finditer(text):
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
    names = _implied_types(symbol)
    return bool(names) and names != _LETTER_TYPE


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
    m = _TEXT_SYMBOL.search(value)
    if m is None:
        lead = _LEADING.match(value)
        parse_symbol(value[lead.end():] if lead else value)    # raises with the most useful reason
        raise SymbolError(f'"{value}" is not a citation; {SYMBOL_HINT}')  # pragma: no cover
    head = value[:m.start()]
    start, type_name = _type_before(value, 0, m.start())
    if head.strip() and start != 0:
        raise SymbolError(f'"{value}": "{head.strip()}" before the number is not a document type '
                          f'(write e.g. "Nghị định số 61/2018/NĐ-CP")')
    symbol = parse_symbol(m.group(0))
    end, date = _date_after(value, m.end())
    rest = value[end:]
    if rest and not rest[0].isspace() and rest[0] not in ",;.(":
        raise SymbolError(f'"{value}" is not a document number; {SYMBOL_HINT}')
    return Citation(0, end, value[:end], symbol, type_name, date)


# --- the index ---------------------------------------------------------------------------

@dataclass
class DocumentFacts:
    """What the build knows about one document: identity, computed status, resolved relations.

    status: computed tình trạng hiệu lực ("" = unknown, label "Chưa xác định"); declared_status:
    the `status:` key as written; relations: relation -> target source paths; inverse:
    amended_by/replaced_by/guided_by/basis_for -> source paths; year: the identity year (the
    number's year, else the issue year).
    """
    source: str
    symbol: Symbol
    slug: str
    status: str = ""
    declared_status: str = ""
    relations: dict[str, list[str]] = field(default_factory=dict)
    inverse: dict[str, list[str]] = field(default_factory=dict)
    year: int = 0
    issued: dt.date | None = None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


@dataclass
class Resolution:
    """Where a citation leads. source: the document, or None. candidates: the documents a
    yearless number could mean when it is ambiguous (≥ 2), else [source] or []. suggestion:
    when unresolved, the citation the writer probably meant ("61/2018/NĐ-CP"), for a
    "did you mean …?" hint; suggestion_source: that document's source path."""
    source: str | None
    candidates: list[str] = field(default_factory=list)
    suggestion: str | None = None
    suggestion_source: str | None = None
    contradiction: str | None = None     # written type vs number, e.g. "NQ is Nghị quyết"

    @property
    def ambiguous(self) -> bool:
        return self.source is None and len(self.candidates) > 1


class LegalIndex:
    """Documents by source path, with lookups by number for resolving citations."""

    def __init__(self, facts: dict[str, DocumentFacts] | None = None):
        self.facts: dict[str, DocumentFacts] = facts or {}
        self._by_key: dict[str, list[str]] = {}
        self._by_loose: dict[tuple, list[str]] = {}
        self._resolved: dict[tuple, Resolution] = {}     # each citation is resolved twice a build
        for f in self.facts.values():
            self._add(f)

    def _add(self, f: DocumentFacts) -> None:
        self._resolved.clear()
        self.facts[f.source] = f
        self._by_key.setdefault(f.symbol.key, []).append(f.source)
        self._by_loose.setdefault(_loose_key(f.symbol), []).append(f.source)

    def resolve(self, symbol_key: str, date: dt.date | None = None, type_name: str | None = None) -> Resolution:
        """The document a number (key or as written) names, helped by a cited date and type.

        A yearless number is told apart by the year of the cited date. A written type that
        contradicts the number resolves to nothing: the writer got one of them wrong, and a
        wrong link is worse than none; the suggestion then names the likely document.
        """
        key = (symbol_key, date, type_name)
        found = self._resolved.get(key)
        if found is None:
            found = self._resolved[key] = self._resolve(symbol_key, date, type_name)
        return found

    def _resolve(self, symbol_key: str, date: dt.date | None, type_name: str | None) -> Resolution:
        try:
            symbol = parse_symbol(symbol_key)
        except SymbolError:
            return Resolution(None)
        candidates = self._by_key.get(symbol.key, [])
        if symbol.year is None and date is not None:
            candidates = [c for c in candidates if self.facts[c].year == date.year]
        if type_name and not type_fits(type_name, symbol):
            implied = type_of(symbol)
            why = f"{symbol.abbreviation or symbol.issuer_code} is {implied}" if implied else None
            suggestion = self._suggest(symbol, date, type_name) or (candidates[0] if len(candidates) == 1 else None)
            return self._unresolved(suggestion, contradiction=why)
        if len(candidates) == 1:
            return Resolution(candidates[0], list(candidates))
        if candidates:
            return Resolution(None, sorted(candidates, key=self._order))
        return self._unresolved(self._suggest(symbol, date, type_name))

    def resolve_citation(self, citation: Citation) -> Resolution:
        """resolve() with everything the citation says (number, date, written type)."""
        return self.resolve(citation.symbol.text, citation.date, citation.type_name)

    def describe(self, citation_text: str, resolution: Resolution) -> tuple[str, str] | None:
        """(message, hint) for an unresolved citation, the same wherever it was written."""
        if resolution.source is not None:
            return None
        if resolution.ambiguous:
            named = ", ".join(f"{c} (ngày {short_date(self.facts[c].issued)})" if self.facts[c].issued else c
                              for c in resolution.candidates)
            return (f'"{citation_text}" could mean {len(resolution.candidates)} documents: {named}',
                    "add the issue date: '… ngày DD/MM/YYYY'")
        hint = (f"did you mean {resolution.suggestion} ({resolution.suggestion_source})?"
                if resolution.suggestion else "add it under content/documents/ or check the number")
        if resolution.contradiction:
            return f'"{citation_text}": the type contradicts the number ({resolution.contradiction})', hint
        return f'"{citation_text}" cites no document in the index', hint

    def _order(self, source: str) -> tuple:
        f = self.facts[source]
        return (f.issued or dt.date.min, source)

    def _unresolved(self, suggestion_source: str | None, contradiction: str | None = None) -> Resolution:
        if suggestion_source is None:
            return Resolution(None, [], None, None, contradiction)
        f = self.facts[suggestion_source]
        shown = f.symbol.text if f.symbol.year is not None or f.issued is None else \
            f"{f.symbol.text} ngày {short_date(f.issued)}"
        return Resolution(None, [], shown, suggestion_source, contradiction)

    def _suggest(self, symbol: Symbol, date: dt.date | None, type_name: str | None) -> str | None:
        """The document with the same number, year and issuer but another type abbreviation
        (`61/2018/NQ-CP` → `61/2018/NĐ-CP`), preferring the one the written type names."""
        near = [s for s in self._by_loose.get(_loose_key(symbol), []) if self.facts[s].symbol.key != symbol.key]
        if symbol.year is None and date is not None:
            near = [s for s in near if self.facts[s].year == date.year]
        if type_name:
            fitting = [s for s in near if type_fits(type_name, self.facts[s].symbol)]
            near = fitting or near
        return near[0] if len(near) == 1 else None


def _loose_key(symbol: Symbol) -> tuple:
    """A number without its type abbreviation: what stays right when the abbreviation is a typo."""
    return (int(symbol.number), symbol.year, symbol.is_party, _fold_key(symbol.issuer_code))


# --- building the index ------------------------------------------------------------------

def build_index(documents: list, today: dt.date, problems: Problems) -> LegalIndex:
    """Parse every document's number, check it against its type and the other documents,
    resolve relations, compute inverses and statuses. Problems are reported, never raised.

    `documents` are cchc.content.LegalDocument values without drafts. A document whose number
    cannot be read, or that repeats another's number, is left out (with an error).
    """
    if isinstance(today, dt.datetime):
        today = today.date()
    index = LegalIndex()
    docs = {}
    identities: dict[tuple[str, int], str] = {}
    for doc in sorted(documents, key=lambda d: d.source):
        facts = _facts_of(doc, problems)
        if facts is None:
            continue
        identity = (facts.symbol.key, facts.year)
        if identity in identities:
            first = identities[identity]
            problems.error(doc.source, doc.line_of("symbol"),
                           f'symbol: "{facts.symbol.text}" ({facts.year}) is also the number of {first}; '
                           f"{doc.source} is left out of the index",
                           "keep one file per document, or correct the number or the issue date")
            continue
        identities[identity] = doc.source
        docs[doc.source] = doc
        index._add(facts)

    for source, doc in docs.items():
        _resolve_relations(index, doc, problems)
    for f in index.facts.values():
        for inverse in INVERSE.values():
            f.inverse[inverse] = sorted(f.inverse.get(inverse, []), key=index._order)
    _compute_statuses(index, docs, today, problems)
    return index


def _date_of(value) -> dt.date | None:
    if value is None:
        return None
    return value.date() if isinstance(value, dt.datetime) else value


def _facts_of(doc, problems: Problems) -> DocumentFacts | None:
    """One document's identity, or None (with an error) when its number cannot be used."""
    try:
        symbol = parse_symbol(doc.symbol)
    except SymbolError as exc:
        problems.error(doc.source, doc.line_of("symbol"), f"symbol: {exc}",
                       "copy the number from the document's header (Số: …)")
        return None
    issued = _date_of(doc.issued)
    if symbol.year is None and issued is None:
        problems.error(doc.source, doc.line_of("issued"),
                       f'issued: required: the number "{symbol.text}" has no year, so the issue date identifies it',
                       "add 'issued: YYYY-MM-DD'")
        return None
    if symbol.year is not None and issued is not None and issued.year != symbol.year:
        problems.warning(doc.source, doc.line_of("issued"),
                         f"issued: {short_date(issued)} is in {issued.year}, but the number "
                         f'"{symbol.text}" says {symbol.year}', "check the issue date and the number")
    if doc.type and not type_fits(doc.type, symbol):
        implied = type_of(symbol)
        own = _ABBR_OF_TYPE.get(doc.type.casefold())
        problems.warning(doc.source, doc.line_of("type"),
                         f'type: "{doc.type}" contradicts the number "{symbol.text}", which is a {implied}\'s'
                         + (f" ({symbol.abbreviation})" if symbol.abbreviation else ""),
                         f"correct the type, or the number (a {doc.type}'s number has {own})" if own
                         else "correct the type or the number")
    year = symbol.year if symbol.year is not None else issued.year
    return DocumentFacts(source=doc.source, symbol=symbol, slug=document_slug(symbol, issued or dt.date(year, 1, 1)),
                         declared_status=doc.status or "", year=year, issued=issued,
                         relations={r: [] for r in RELATIONS}, inverse={v: [] for v in INVERSE.values()})


def _resolve_relations(index: LegalIndex, doc, problems: Problems) -> None:
    """Each amends/replaces/guides/based_on entry → a document, or a warning on its line."""
    facts = index.facts[doc.source]
    for relation in RELATIONS:
        line = doc.line_of(relation)
        for written in getattr(doc, relation, None) or []:
            try:
                citation = citation_or_error(written)
            except SymbolError as exc:
                problems.warning(doc.source, line, f"{relation}: {exc}",
                                 'write e.g. "Nghị định số 63/2010/NĐ-CP" or "908/QĐ-UBND ngày 29/10/2018"')
                continue
            r = index.resolve_citation(citation)
            if r.source is None:
                message, hint = index.describe(citation.text, r)
                problems.warning(doc.source, line, f"{relation}: {message}", hint)
                continue
            if r.source == doc.source:
                problems.warning(doc.source, line, f'{relation}: "{written}" is this document itself',
                                 "remove the entry")
                continue
            if r.source not in facts.relations[relation]:
                facts.relations[relation].append(r.source)
                index.facts[r.source].inverse[INVERSE[relation]].append(doc.source)


def _compute_statuses(index: LegalIndex, docs: dict, today: dt.date, problems: Problems) -> None:
    """Status from the facts; the declared one only where facts prove nothing.

    Never "in force" by default: a reader relying on a repealed decree is the harm to avoid,
    so an unknown status stays "" (Chưa xác định).
    """
    proven: dict[str, tuple[str, str] | None] = {}

    def prove(source: str, visiting: frozenset) -> tuple[str, str] | None:
        """(status, reason) the facts prove for one document, or None."""
        if source in proven:
            return proven[source]
        doc = docs[source]
        effective, expires = _date_of(doc.effective), _date_of(doc.expires)
        result = None
        if expires is not None and expires <= today:
            result = ("het-hieu-luc", f"it expired on {short_date(expires)}")
        if result is None:
            for newer in index.facts[source].inverse["replaced_by"]:
                if newer in visiting:
                    continue
                took = prove(newer, visiting | {source})
                newer_status = took[0] if took else docs[newer].status or ""
                if newer_status in ("con-hieu-luc", "het-hieu-luc-mot-phan", "het-hieu-luc"):
                    result = ("het-hieu-luc", f"it is replaced by {index.facts[newer].symbol.text} "
                                              f"({newer}), which has taken effect")
                    break
        if result is None and effective is not None:
            result = (("chua-co-hieu-luc", f"it takes effect on {short_date(effective)}") if effective > today
                      else ("con-hieu-luc", f"it took effect on {short_date(effective)}"))
        proven[source] = result
        return result

    for source, doc in docs.items():
        facts = index.facts[source]
        declared = facts.declared_status
        result = prove(source, frozenset({source}))
        if result is None:
            facts.status = declared
            continue
        status, reason = result
        facts.status = status
        if not declared or declared == status:
            continue
        if declared == "het-hieu-luc-mot-phan" and status == "con-hieu-luc":
            facts.status = declared     # partly repealed is still in force: the editor knows more
            continue
        problems.warning(doc.source, doc.line_of("status"),
                         f'status: "{declared}" ({STATUS_LABELS.get(declared, declared)}) disagrees with the facts: '
                         f"{reason}, so it is {STATUS_LABELS[status]}",
                         "remove 'status:' to let the build compute it, or correct the dates and relations")
