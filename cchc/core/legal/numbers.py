"""Document numbers (số ký hiệu) and type names: parsing, the type a number implies, slugs.

Why numbers are parsed and not just compared as strings: writers cite the same document as
`61/2018/NĐ-CP`, `61/2018/ND-CP` or `Nghị định số 61/2018/NĐ-CP ngày 23/4/2018`; a number
without a year (`908/QĐ-UBND`) is only unique together with its issue year, because
provincial offices restart their numbering every year; and the type abbreviation inside the
number (NĐ, QĐ, …) lets the build catch a type that contradicts the number.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from cchc.core.messages import Message, _
from cchc.core.vietnamese import fold, nfc, slugify

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
EXTRA_TYPE_WORDS = ("Luật", "Bộ luật", "Pháp lệnh", "Hiến pháp", "Công văn", "Thông tri", "Kết luận",
                     "Lệnh", "Sắc lệnh")
# Numbers of the National Assembly and its Standing Committee carry no abbreviation:
# `59/2020/QH14` is a law (or a resolution of the Quốc hội), `02/2011/UBTVQH12` an ordinance.
_ASSEMBLY_TYPES = (
    (re.compile(r"UBTVQH\d+"), ("Pháp lệnh", "Nghị quyết")),
    (re.compile(r"QH\d+"), ("Luật", "Bộ luật", "Nghị quyết", "Hiến pháp")),
)
LETTER_TYPE = ("Công văn",)

# Tình trạng hiệu lực as the national database (vbpl.vn) shows it. A document "ngưng hiệu lực"
# while an authority has suspended (đình chỉ) it: Luật Ban hành văn bản quy phạm pháp luật
# 80/2015/QH13, Điều 153; it "hết hiệu lực" when its term ends, when it is replaced, or when it is
# repealed (bãi bỏ): Điều 154 of the same law.
STATUSES = ("con-hieu-luc", "het-hieu-luc", "het-hieu-luc-mot-phan", "chua-co-hieu-luc", "ngung-hieu-luc")
STATUS_LABELS: dict[str, str] = {
    "con-hieu-luc": "Còn hiệu lực",
    "het-hieu-luc": "Hết hiệu lực",
    "het-hieu-luc-mot-phan": "Hết hiệu lực một phần",
    "chua-co-hieu-luc": "Chưa có hiệu lực",
    "": "Chưa xác định",
    "ngung-hieu-luc": "Ngưng hiệu lực",     # after "": the filters' data numbers statuses in this order
}
# Relations between documents, in vbpl.vn's vocabulary (its "Lược đồ" of a document), each with
# the relation the other document shows: a front-matter key lists the documents this one acts
# on, and the build computes the other side.
RELATIONS = ("amends", "replaces", "guides", "based_on", "repeals", "suspends", "partly_ends", "consolidates",
             "refers_to")
INVERSE = {"amends": "amended_by", "replaces": "replaced_by", "guides": "guided_by", "based_on": "basis_for",
           "repeals": "repealed_by", "suspends": "suspended_by", "partly_ends": "partly_ended_by",
           "consolidates": "consolidated_by", "refers_to": "referred_by"}
RELATION_LABELS: dict[str, str] = {
    "based_on": "Căn cứ", "basis_for": "Là căn cứ của",
    "guides": "Hướng dẫn, quy định chi tiết", "guided_by": "Được hướng dẫn, quy định chi tiết bởi",
    "amends": "Sửa đổi, bổ sung", "amended_by": "Được sửa đổi, bổ sung bởi",
    "replaces": "Thay thế", "replaced_by": "Được thay thế bởi",
    "repeals": "Bãi bỏ", "repealed_by": "Bị bãi bỏ bởi",
    "suspends": "Đình chỉ", "suspended_by": "Bị đình chỉ bởi",
    "partly_ends": "Làm hết hiệu lực một phần", "partly_ended_by": "Bị hết hiệu lực một phần bởi",
    "consolidates": "Hợp nhất", "consolidated_by": "Được hợp nhất bởi",
    "refers_to": "Dẫn chiếu", "referred_by": "Được dẫn chiếu bởi",
}

SYMBOL_HINT = _("write it as in the document's header, e.g. 61/2018/NĐ-CP, 908/QĐ-UBND, 17-NQ/TW or 59/2020/QH14")
MIN_YEAR, MAX_YEAR = 1945, 2099


def fold_key(text: str) -> str:
    return fold(text).upper()


# Lookups by the folded, upper-case form, so `ND`, `Nđ` and `NĐ` are one abbreviation. Where
# folding joins two (HĐ/HD, ĐA/DA) the one this section publishes wins: Hướng dẫn, Đề án.
_ABBR_BY_FOLD: dict[str, str] = {}
for _abbr in ("HĐ", "DA"):
    _ABBR_BY_FOLD[fold_key(_abbr)] = _abbr
for _abbr in TYPE_ABBREVIATIONS:
    _ABBR_BY_FOLD[fold_key(_abbr)] = _abbr
_PARTY_BY_FOLD = {fold_key(a): a for a in PARTY_ABBREVIATIONS}
# Type name -> its abbreviation, to suggest the number a writer meant ("Nghị định" -> NĐ).
ABBR_OF_TYPE = {name.casefold(): abbr for abbr, name in TYPE_ABBREVIATIONS.items()}


# --- numbers -----------------------------------------------------------------------------

class SymbolError(ValueError):
    """A document number (số ký hiệu) that cannot be read; str() is the message for an editor,
    .message the Message (translated when printed)."""

    @property
    def message(self) -> Message:
        return self.args[0]


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


# A code of a number: letters and digits, starting with a letter; '&' may join two parts, as in
# the Sở Nội vụ's `2231/SNV-CCHC&PC` (Phòng Cải cách hành chính và Pháp chế).
CODE = r"[^\W\d_][^\W_]*(?:&[^\W_]+)*"
_CODES = rf"{CODE}(?:-{CODE})*"
# The number (số) itself: digits, and a letter some numbers carry (`30c/NQ-CP` of 08/11/2011,
# the Government's master programme of public-administration reform 2011-2020; `36a/NQ-CP`).
NUMBER = r"\d{1,5}[a-zA-Z]?"
# One number, spaces removed and dashes made '-': state `61/2018/NĐ-CP`, `17/NQ-CP`,
# `59/2020/QH14`, `123/UBND-KT`; Party `17-NQ/TW`.
_SYMBOL_SHAPE = re.compile(
    rf"(?P<num>{NUMBER})(?:/(?:(?P<year>\d{{4}})/)?(?P<codes>{_CODES})|-(?P<pabbr>{CODE})/(?P<pissuer>{_CODES}))")
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
        raise SymbolError(_("the number is empty"))
    compact = _compact(shown)
    m = _SYMBOL_SHAPE.fullmatch(compact)
    if m is None:
        raise SymbolError(_why_not_symbol(shown, compact))
    number = m.group("num")
    if int(number.rstrip("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")) == 0:
        raise SymbolError(_('"{text}": the number (số) cannot be 0', text=shown))
    year = int(m.group("year")) if m.group("year") else None
    if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
        raise SymbolError(_('"{text}": {year} is not a plausible year of issue', text=shown, year=year))
    if m.group("pabbr"):
        written = m.group("pabbr")
        abbreviation = _party_abbreviation(written)
        issuer = m.group("pissuer")
    else:
        segments = m.group("codes").split("-")
        abbreviation = _state_abbreviation(segments[0])
        if abbreviation is not None and len(segments) == 1:
            raise SymbolError(_('"{text}": the issuer is missing after {abbreviation} '
                                "(e.g. …/{abbreviation}-CP, …/{abbreviation}-UBND)", text=shown,
                                abbreviation=segments[0]))
        issuer = "-".join(segments[1:]) if abbreviation else m.group("codes")
    key = fold_key(compact)
    key = re.sub(r"^0+(?=\d)", "", key)
    return Symbol(shown, number, year, abbreviation, issuer, key)


def _state_abbreviation(written: str) -> str | None:
    if written in TYPE_ABBREVIATIONS:
        return written
    return _ABBR_BY_FOLD.get(fold_key(written))


def _party_abbreviation(written: str) -> str | None:
    for table, folded in ((PARTY_ABBREVIATIONS, _PARTY_BY_FOLD), (TYPE_ABBREVIATIONS, _ABBR_BY_FOLD)):
        if written in table:
            return written
        if fold_key(written) in folded:
            return folded[fold_key(written)]
    return None


def _why_not_symbol(shown: str, compact: str) -> Message:
    """The most useful reason a text is not a number, for the editor's message."""
    if re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", compact):
        return _('"{text}" is a date, not a document number; {hint}', text=shown, hint=SYMBOL_HINT)
    if "/" not in compact:
        return _('"{text}" has no "/"; {hint}', text=shown, hint=SYMBOL_HINT)
    inside = _SYMBOL_SHAPE.search(compact)
    if inside and not compact[0].isdigit():
        return _('"{text}": write only the number, without the type words: "{number}"', text=shown,
                 number=_inner_text(shown, inside))
    if not compact[0].isdigit():
        return _('"{text}" must start with the document\'s number (số); {hint}', text=shown, hint=SYMBOL_HINT)
    if re.fullmatch(r"\d+/\d{4}", compact):
        return _('"{text}" has no type and issuer after the year; {hint}', text=shown, hint=SYMBOL_HINT)
    return _('"{text}" is not a document number (số ký hiệu); {hint}', text=shown, hint=SYMBOL_HINT)


def _inner_text(shown: str, m: re.Match) -> str:
    found = TEXT_SYMBOL.search(shown)
    return found.group(0) if found else m.group(0)


def implied_types(symbol: Symbol) -> tuple[str, ...] | None:
    """Every type name a number is compatible with, most likely first; None when unknown."""
    if symbol.abbreviation:
        if symbol.is_party:
            name = PARTY_ABBREVIATIONS.get(symbol.abbreviation) or TYPE_ABBREVIATIONS[symbol.abbreviation]
            return (name, *_PARTY_ALSO.get(symbol.abbreviation, ()))
        return (TYPE_ABBREVIATIONS[symbol.abbreviation],)
    if symbol.is_party:
        return None
    folded_issuer = fold_key(symbol.issuer_code)
    for pattern, names in _ASSEMBLY_TYPES:
        if pattern.fullmatch(folded_issuer):
            return names
    if symbol.year is None:
        return LETTER_TYPE     # `123/UBND-KT`: a Công văn's number has no type abbreviation
    return None


def type_of(symbol: Symbol) -> str | None:
    """The type name the number implies (`61/2018/NĐ-CP` → Nghị định, `…/QH14` → Luật), or None."""
    names = implied_types(symbol)
    return names[0] if names else None


def type_fits(type_name: str, symbol: Symbol) -> bool:
    """Whether a declared or written type agrees with the number; unknown numbers fit anything.

    "Thông tư" fits `TTLT` (Thông tư liên tịch): the shorter name is the family.
    """
    names = implied_types(symbol)
    if not names or not type_name:
        return True
    wanted = nfc(type_name).strip().casefold()
    if any(n.casefold() == wanted or n.casefold().startswith(wanted + " ") for n in names):
        return True
    # A letter-shaped number whose first code extends the type's abbreviation: the Sở Tư pháp's
    # `18/BCTĐ-STP` is a Báo cáo (thẩm định), not a Công văn.
    own = ABBR_OF_TYPE.get(wanted)
    first = fold_key(symbol.issuer_code.split("-", 1)[0])
    return names == LETTER_TYPE and own is not None and first.startswith(fold_key(own)) and first != fold_key(own)


# Issuers that number State documents only: a Party-shaped number naming one is a slip
# (`03-NQ/CP` for `03/NQ-CP`); Party numbers end in /TW, /TU, /HU, /ĐU … (Quy định 66-QĐ/TW).
_STATE_ISSUERS = re.compile(r"(?:CP|TTG|VPCP|UBND\w*|HDND\w*)")


def swapped(symbol: Symbol) -> str | None:
    """The number with the Party and State shapes exchanged (`03-NQ/CP` <-> `03/NQ-CP`), as a
    writer who confused them meant it; None when the number has no type abbreviation."""
    if symbol.abbreviation is None or symbol.year is not None:
        return None
    head, __, tail = _compact(symbol.text).partition("/")
    if symbol.is_party:
        number, __, abbr = head.partition("-")
        return f"{number}/{abbr}-{tail}"
    abbr, __, issuer = tail.partition("-")
    return f"{head}-{abbr}/{issuer}" if issuer else None


def surely_state(symbol: Symbol) -> bool:
    """A Party-shaped number whose issuer only ever numbers State documents (`03-NQ/CP`)."""
    return symbol.is_party and bool(_STATE_ISSUERS.fullmatch(fold_key(symbol.issuer_code)))


def document_slug(symbol: Symbol, issued: dt.date) -> str:
    """URL slug of a document: its number folded, plus the issue year when the number has none,
    since `908/QĐ-UBND` of 2018 and of 2021 are different documents."""
    slug = slugify(symbol.text)
    return slug if symbol.year is not None else f"{slug}-{issued.year}"


# Type names as they open a citation in running text, longest first; the words of a name may be
# split by any whitespace, a line break included ("Chỉ⏎thị"). "Văn bản" names no type: an
# official letter cited as `Văn bản số 4836/SNV-TCBC` is any document.
TYPE_WORDS = sorted({*TYPE_ABBREVIATIONS.values(), *PARTY_ABBREVIATIONS.values(), *EXTRA_TYPE_WORDS},
                    key=len, reverse=True)
GENERIC_TYPE_WORDS = ("Văn bản",)
TYPE_WORDS_PATTERN = "|".join(r"\s+".join(re.escape(w) for w in name.split())
                              for name in sorted({*TYPE_WORDS, *GENERIC_TYPE_WORDS}, key=len, reverse=True))
# A type name glued to a number by a dash (`62/2018/NĐ-CP-Nghị định …`, `60/2020/QH14–Nghị định`):
# the name is not one more code of the number.
_GLUED_TYPE = rf"(?!(?i:{TYPE_WORDS_PATTERN})(?![^\W\d_]))"
# A dash between codes: tight, or spaced as Word and PDF copies leave it (`61/2018/NĐ - CP`, and
# across a line break); a spaced dash is followed by a code in capitals only, so that
# "908/QĐ-UBND - Ban hành …" does not take "Ban" as a code.
_TIGHT = rf"[-–]{_GLUED_TYPE}"
_SPACED = r"(?:[^\S\n]?\n?[^\S\n]?[-–][^\S\n]?\n?[^\S\n]?)"
_UPPER_CODE = r"[A-ZĐ][A-ZĐ\d]*(?:&[A-ZĐ\d]+)*(?![^\W_])"
_TEXT_CODES = rf"{CODE}(?:{_TIGHT}{CODE}|(?=\s|[-–]\s){_SPACED}{_UPPER_CODE})*"
# The number in running text. Not after a letter, digit, '/', '.', or '-' (inside a URL, a
# date, a decimal, "COVID-19/…"); not followed by more of a path. Every repetition is bounded
# or separated by a mandatory character, so a scan is linear in the text.
TEXT_SYMBOL = re.compile(
    rf"(?<![\w/.\-–]){NUMBER}(?:/(?:\d{{4}}/)?{_TEXT_CODES}|[^\S\n]?\n?[^\S\n]?[-–][^\S\n]?\n?[^\S\n]?{CODE}/{CODE}"
    rf"(?:{_TIGHT}{CODE})*)"
    rf"(?![\w/]|{_TIGHT}[^\W_]|(?=\s|[-–]\s){_SPACED}{_UPPER_CODE})")
