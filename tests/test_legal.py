"""cchc.core.legal: numbers, citations, relations and status of the legal-document index.

Table-driven: each row is what an editor writes and what the build must make of it.
"""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from cchc.core.content import LegalDocument
from cchc.core.legal import (STATUS_LABELS, TYPE_ABBREVIATIONS, Citation, SymbolError, build_index,
                        document_slug, find_citations, parse_citation, parse_symbol, type_of)
from cchc.core.problems import Problems

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = dt.date(2021, 6, 1)


def day(text: str) -> dt.datetime:
    """An aware datetime in the site's zone from "DD/MM/YYYY", as content.py produces."""
    d, m, y = (int(x) for x in text.split("/"))
    return dt.datetime(y, m, d, tzinfo=TZ)


LINES = {"symbol": 2, "type": 3, "title": 4, "issuer": 5, "issued": 6, "effective": 7, "expires": 8,
         "status": 9, "amends": 10, "replaces": 11, "guides": 12, "based_on": 13}


def doc(source: str, symbol: str, type_: str, issued: str, **kw) -> LegalDocument:
    for key in ("effective", "expires"):
        if isinstance(kw.get(key), str):
            kw[key] = day(kw[key])
    return LegalDocument(source=f"content/documents/{source}.md", lines=dict(LINES), symbol=symbol, type=type_,
                         title="Trích yếu", issuer="Cơ quan", issued=day(issued), **kw)


def build(*docs, today=TODAY):
    problems = Problems()
    return build_index(list(docs), today, problems), problems


def shown(problems: Problems) -> list[str]:
    return [str(p) for p in problems.sorted()]


# --- numbers -----------------------------------------------------------------------------

SHAPES = [
    # text, number, year, abbreviation, issuer, key, type, slug (issued 2018-05-02 when yearless)
    ("61/2018/NĐ-CP", "61", 2018, "NĐ", "CP", "61/2018/ND-CP", "Nghị định", "61-2018-nd-cp"),
    ("01/2018/TT-VPCP", "01", 2018, "TT", "VPCP", "1/2018/TT-VPCP", "Thông tư", "01-2018-tt-vpcp"),
    ("17/NQ-CP", "17", None, "NQ", "CP", "17/NQ-CP", "Nghị quyết", "17-nq-cp-2018"),
    ("908/QĐ-UBND", "908", None, "QĐ", "UBND", "908/QD-UBND", "Quyết định", "908-qd-ubnd-2018"),
    ("10/KH-UBND", "10", None, "KH", "UBND", "10/KH-UBND", "Kế hoạch", "10-kh-ubnd-2018"),
    ("17-NQ/TW", "17", None, "NQ", "TW", "17-NQ/TW", "Nghị quyết", "17-nq-tw-2018"),
    ("59/2020/QH14", "59", 2020, None, "QH14", "59/2020/QH14", "Luật", "59-2020-qh14"),
    ("05-CT/TU", "05", None, "CT", "TU", "5-CT/TU", "Chỉ thị", "05-ct-tu-2018"),
    ("45/KH-SCT", "45", None, "KH", "SCT", "45/KH-SCT", "Kế hoạch", "45-kh-sct-2018"),
    ("123/QĐ-TTg", "123", None, "QĐ", "TTg", "123/QD-TTG", "Quyết định", "123-qd-ttg-2018"),
    ("12/CT-TTg", "12", None, "CT", "TTg", "12/CT-TTG", "Chỉ thị", "12-ct-ttg-2018"),
    ("05/2019/NQ-HĐND", "05", 2019, "NQ", "HĐND", "5/2019/NQ-HDND", "Nghị quyết", "05-2019-nq-hdnd"),
    ("01/2018/TT-BNV", "01", 2018, "TT", "BNV", "1/2018/TT-BNV", "Thông tư", "01-2018-tt-bnv"),
    ("02/2011/UBTVQH12", "02", 2011, None, "UBTVQH12", "2/2011/UBTVQH12", "Pháp lệnh", "02-2011-ubtvqh12"),
    ("01/2015/TTLT-BNV-BTC", "01", 2015, "TTLT", "BNV-BTC", "1/2015/TTLT-BNV-BTC", "Thông tư liên tịch",
     "01-2015-ttlt-bnv-btc"),
    ("08-QĐi/TW", "08", None, "QĐi", "TW", "8-QDI/TW", "Quy định", "08-qdi-tw-2018"),
    ("45-KL/TW", "45", None, "KL", "TW", "45-KL/TW", "Kết luận", "45-kl-tw-2018"),
    ("15/QyĐ-UBND", "15", None, "QyĐ", "UBND", "15/QYD-UBND", "Quy định", "15-qyd-ubnd-2018"),
    ("07/CTr-UBND", "07", None, "CTr", "UBND", "7/CTR-UBND", "Chương trình", "07-ctr-ubnd-2018"),
    ("123/UBND-KT", "123", None, None, "UBND-KT", "123/UBND-KT", "Công văn", "123-ubnd-kt-2018"),
    # what Word and typing without Vietnamese keyboards produce
    ("61/2018/ND-CP", "61", 2018, "NĐ", "CP", "61/2018/ND-CP", "Nghị định", "61-2018-nd-cp"),
    ("61/2018/NĐ - CP", "61", 2018, "NĐ", "CP", "61/2018/ND-CP", "Nghị định", "61-2018-nd-cp"),
    ("17–NQ/TW", "17", None, "NQ", "TW", "17-NQ/TW", "Nghị quyết", "17-nq-tw-2018"),
]


@pytest.mark.parametrize("text,number,year,abbreviation,issuer,key,type_name,slug", SHAPES)
def test_parse_symbol(text, number, year, abbreviation, issuer, key, type_name, slug):
    s = parse_symbol(text)
    assert (s.text, s.number, s.year, s.abbreviation, s.issuer_code, s.key) == \
        (text.strip(), number, year, abbreviation, issuer, key)
    assert type_of(s) == type_name
    assert document_slug(s, dt.date(2018, 5, 2)) == slug


@pytest.mark.parametrize("text,slug", [
    ("61/2018/NĐ-CP", "61-2018-nd-cp"),
    ("908/QĐ-UBND", "908-qd-ubnd-2018"),
])
def test_slug_examples_of_the_design(text, slug):
    assert document_slug(parse_symbol(text), dt.date(2018, 10, 29)) == slug


def test_yearless_party_slug_takes_the_issue_year():
    assert document_slug(parse_symbol("17-NQ/TW"), day("11/8/2007").date()) == "17-nq-tw-2007"


BAD = [
    ("", "the number is empty"),
    ("18/01/2021", '"18/01/2021" is a date, not a document number'),
    ("61/2018", '"61/2018" has no type and issuer after the year'),
    ("NĐ-CP", '"NĐ-CP" has no "/"'),
    ("61", '"61" has no "/"'),
    ("Nghị định số 61/2018/NĐ-CP", 'write only the number, without the type words: "61/2018/NĐ-CP"'),
    ("NĐ-CP/61/2018", "must start with the document's number"),
    ("61/2018/NĐ", "the issuer is missing after NĐ"),
    ("10/KH", "the issuer is missing after KH"),
    ("0/QĐ-UBND", "cannot be 0"),
    ("61/1800/NĐ-CP", "1800 is not a plausible year"),
    ("61/2018/NĐ_CP", "is not a document number"),
    ("1/2", "is not a document number"),
]


@pytest.mark.parametrize("text,message", BAD)
def test_bad_numbers(text, message):
    with pytest.raises(SymbolError) as exc:
        parse_symbol(text)
    assert message in str(exc.value)


def test_tables():
    assert TYPE_ABBREVIATIONS["NĐ"] == "Nghị định"
    for abbr, name in [("NQ", "Nghị quyết"), ("QĐ", "Quyết định"), ("TT", "Thông tư"), ("CT", "Chỉ thị"),
                       ("KH", "Kế hoạch"), ("TB", "Thông báo"), ("HD", "Hướng dẫn"), ("CTr", "Chương trình"),
                       ("ĐA", "Đề án"), ("BC", "Báo cáo"), ("QC", "Quy chế"), ("QyĐ", "Quy định"),
                       ("TTr", "Tờ trình")]:
        assert TYPE_ABBREVIATIONS[abbr] == name
    assert STATUS_LABELS[""] == "Chưa xác định"
    assert STATUS_LABELS["con-hieu-luc"] == "Còn hiệu lực"


# --- citations in running text -----------------------------------------------------------

CITATIONS = [
    # text, [(cited phrase, key, type name, date)]
    ("Thực hiện Nghị định số 61/2018/NĐ-CP của Chính phủ",
     [("Nghị định số 61/2018/NĐ-CP", "61/2018/ND-CP", "Nghị định", None)]),
    ("theo 61/2018/NĐ-CP.", [("61/2018/NĐ-CP", "61/2018/ND-CP", None, None)]),
    ("Quyết định số 2043/QĐ-UBND ngày 24/12/2020 của Chủ tịch UBND tỉnh",
     [("Quyết định số 2043/QĐ-UBND ngày 24/12/2020", "2043/QD-UBND", "Quyết định", dt.date(2020, 12, 24))]),
    ("- Nghị quyết số 17-NQ/TW ngày 11/8/2007 của Ban Chấp hành",
     [("Nghị quyết số 17-NQ/TW ngày 11/8/2007", "17-NQ/TW", "Nghị quyết", dt.date(2007, 8, 11))]),
    ("Kế hoạch thực hiện Nghị quyết 17/NQ-CP ngày 07/3/2019 của Chính phủ",
     [("Nghị quyết 17/NQ-CP ngày 07/3/2019", "17/NQ-CP", "Nghị quyết", dt.date(2019, 3, 7))]),
    ("Luật số 59/2020/QH14 có hiệu lực", [("Luật số 59/2020/QH14", "59/2020/QH14", "Luật", None)]),
    ("Thực hiện Kế hoạch số 10/KH-UBND ngày 18/01/2021 của UBND tỉnh",
     [("Kế hoạch số 10/KH-UBND ngày 18/01/2021", "10/KH-UBND", "Kế hoạch", dt.date(2021, 1, 18))]),
    ("Luật Doanh nghiệp số 59/2020/QH14", [("Luật Doanh nghiệp số 59/2020/QH14", "59/2020/QH14", "Luật", None)]),
    ("theo nghị định số 61/2018/NĐ-CP", [("nghị định số 61/2018/NĐ-CP", "61/2018/ND-CP", "Nghị định", None)]),
    ("Quyết định số 908/QĐ-UBND, ngày 29 tháng 10 năm 2018",
     [("Quyết định số 908/QĐ-UBND, ngày 29 tháng 10 năm 2018", "908/QD-UBND", "Quyết định", dt.date(2018, 10, 29))]),
    ("số 45/KH-SCT", [("số 45/KH-SCT", "45/KH-SCT", None, None)]),
    ("Công văn số 123/UBND-KT ngày 02/3/2021", [("Công văn số 123/UBND-KT ngày 02/3/2021", "123/UBND-KT",
                                                 "Công văn", dt.date(2021, 3, 2))]),
    ("(Nghị định số 61/2018/NĐ-CP)", [("Nghị định số 61/2018/NĐ-CP", "61/2018/ND-CP", "Nghị định", None)]),
    # several in one sentence, one type word for a list
    ("Nghị định số 63/2010/NĐ-CP ngày 08/6/2010 của Chính phủ về kiểm soát TTHC; Nghị định số 48/2013/NĐ-CP "
     "ngày 14/5/2013; Nghị định số 92/2017/NĐ-CP",
     [("Nghị định số 63/2010/NĐ-CP ngày 08/6/2010", "63/2010/ND-CP", "Nghị định", dt.date(2010, 6, 8)),
      ("Nghị định số 48/2013/NĐ-CP ngày 14/5/2013", "48/2013/ND-CP", "Nghị định", dt.date(2013, 5, 14)),
      ("Nghị định số 92/2017/NĐ-CP", "92/2017/ND-CP", "Nghị định", None)]),
    ("các Nghị định 63/2010/NĐ-CP, 48/2013/NĐ-CP",
     [("Nghị định 63/2010/NĐ-CP", "63/2010/ND-CP", "Nghị định", None),
      ("48/2013/NĐ-CP", "48/2013/ND-CP", None, None)]),
    # an impossible date is not part of the citation
    ("Quyết định số 908/QĐ-UBND ngày 31/02/2018", [("Quyết định số 908/QĐ-UBND", "908/QD-UBND", "Quyết định", None)]),
]


@pytest.mark.parametrize("text,expected", CITATIONS)
def test_find_citations(text, expected):
    found = find_citations(text)
    assert [(c.text, c.symbol.key, c.type_name, c.date) for c in found] == expected
    for c in found:
        assert text[c.start:c.end] == c.text


NOT_CITATIONS = [
    "ngày 18/01/2021",
    "18/01/2021",
    "tỷ lệ 1/2 số hồ sơ",
    "24/7",
    "số 123 và 456",
    "xem https://thuvienphapluat.vn/van-ban/61/2018/NĐ-CP",
    "xem https://vbpl.vn/?so=61/2018/NĐ-CP",
    "www.example.vn/q=10/KH-UBND",
    "và/hoặc",
    "COVID-19/NQ-CP",
    "123/UBND-KT",                   # a Công văn's number alone: too much like other things
    "12/2020/ABC",                   # unknown shape with a year
    "3/kh-ubnd",                     # lower case: not a number as officials write it
    "10/KH-UBND/abc",                # part of a path
    "61/2018/NĐ",                    # no issuer
    "",
]


@pytest.mark.parametrize("text", NOT_CITATIONS)
def test_not_citations(text):
    assert find_citations(text) == []


def test_citation_span_with_the_dates_spacing_untouched():
    text = "Căn cứ Quyết định số 908/QĐ-UBND ngày 29/10/2018 của UBND tỉnh Quảng Ngãi;"
    [c] = find_citations(text)
    assert (c.start, c.end) == (7, 48)
    assert c.text == "Quyết định số 908/QĐ-UBND ngày 29/10/2018"


PARSE_CITATION = [
    ("61/2018/NĐ-CP", "61/2018/NĐ-CP", "61/2018/ND-CP", None, None),
    ("Nghị định số 63/2010/NĐ-CP", "Nghị định số 63/2010/NĐ-CP", "63/2010/ND-CP", "Nghị định", None),
    ("Quyết định số 908/QĐ-UBND ngày 29/10/2018", "Quyết định số 908/QĐ-UBND ngày 29/10/2018", "908/QD-UBND",
     "Quyết định", dt.date(2018, 10, 29)),
    ("  908/QĐ-UBND ngày 29/10/2018 của UBND tỉnh về đo lường sự hài lòng",
     "908/QĐ-UBND ngày 29/10/2018", "908/QD-UBND", None, dt.date(2018, 10, 29)),
    ("Công văn số 123/UBND-KT", "Công văn số 123/UBND-KT", "123/UBND-KT", "Công văn", None),
    ("số 17-NQ/TW", "số 17-NQ/TW", "17-NQ/TW", None, None),
]


@pytest.mark.parametrize("value,text,key,type_name,date", PARSE_CITATION)
def test_parse_citation(value, text, key, type_name, date):
    c = parse_citation(value)
    assert isinstance(c, Citation)
    assert (c.text, c.symbol.key, c.type_name, c.date) == (text, key, type_name, date)


@pytest.mark.parametrize("value", ["", "18/01/2021", "Căn cứ Nghị định 61/2018/NĐ-CP", "Nghị định số 61/2018",
                                   "xem văn bản", "61/2018/NĐ-CPabc/x"])
def test_parse_citation_refuses(value):
    assert parse_citation(value) is None


def test_find_citations_finds_nothing_in_text_without_citations():
    """Fractions and dates are not citations. (How its time grows with the text: benchmarks/scaling.py.)"""
    text = ("Trong năm 2021, Sở Công Thương đã tiếp nhận 1/2 số hồ sơ trực tuyến ngày 18/01/2021. " * 50)
    plain = "Cải cách hành chính là nhiệm vụ trọng tâm của Sở Công Thương. " * 50
    assert find_citations(plain) == [] and find_citations(text) == []


# --- the index ---------------------------------------------------------------------------

def test_clean_index():
    index, problems = build(
        doc("nd-61", "61/2018/NĐ-CP", "Nghị định", "23/04/2018", effective="21/06/2018"),
        doc("qd-908", "908/QĐ-UBND", "Quyết định", "29/10/2018", effective="29/10/2018"),
    )
    assert shown(problems) == []
    assert set(index.facts) == {"content/documents/nd-61.md", "content/documents/qd-908.md"}
    f = index.facts["content/documents/qd-908.md"]
    assert (f.slug, f.symbol.text, f.year, f.status) == ("908-qd-ubnd-2018", "908/QĐ-UBND", 2018, "con-hieu-luc")


def test_invalid_number_is_an_error_on_the_symbol_line_and_the_document_is_left_out():
    index, problems = build(doc("bad", "61/2018", "Nghị định", "23/04/2018"))
    assert index.facts == {}
    assert shown(problems) == [
        'content/documents/bad.md:2: error: symbol: "61/2018" has no type and issuer after the year; write it as '
        "in the document's header, e.g. 61/2018/NĐ-CP, 908/QĐ-UBND, 17-NQ/TW or 59/2020/QH14 "
        "(copy the number from the document's header (Số: …))"]


TYPE_CHECKS = [
    # type, number, warning or None
    ("Nghị định", "61/2018/NQ-CP",
     'content/documents/x.md:3: warning: type: "Nghị định" contradicts the number "61/2018/NQ-CP", which is a '
     "Nghị quyết's (NQ) (correct the type, or the number (a Nghị định's number has NĐ))"),
    ("Quyết định", "10/KH-UBND",
     'content/documents/x.md:3: warning: type: "Quyết định" contradicts the number "10/KH-UBND", which is a '
     "Kế hoạch's (KH) (correct the type, or the number (a Quyết định's number has QĐ))"),
    ("Luật", "59/2020/QH14", None),
    ("Nghị quyết", "30/2021/QH15", None),          # the National Assembly's resolutions share the shape
    ("Nghị định", "59/2020/QH14",
     'content/documents/x.md:3: warning: type: "Nghị định" contradicts the number "59/2020/QH14", which is a '
     "Luật's (correct the type, or the number (a Nghị định's number has NĐ))"),
    ("Thông tư", "01/2015/TTLT-BNV-BTC", None),      # the family name fits
    ("Quy định", "105-QĐ/TW", None),                 # older Party rules were numbered QĐ
    ("Nghị quyết", "17-NQ/TW", None),
    ("Công văn", "123/UBND-KT", None),
    ("Kế hoạch", "123/UBND-KT",
     'content/documents/x.md:3: warning: type: "Kế hoạch" contradicts the number "123/UBND-KT", which is a '
     "Công văn's (correct the type, or the number (a Kế hoạch's number has KH))"),
]


@pytest.mark.parametrize("type_,symbol,warning", TYPE_CHECKS)
def test_type_contradicting_the_number(type_, symbol, warning):
    year = symbol.split("/")[1] if symbol.count("/") == 2 else "2021"
    index, problems = build(doc("x", symbol, type_, f"01/01/{year}"))
    assert "content/documents/x.md" in index.facts      # a warning, not a reason to drop it
    assert shown(problems) == ([warning] if warning else [])


def test_number_year_and_issue_year_disagree():
    _, problems = build(doc("x", "61/2018/NĐ-CP", "Nghị định", "23/04/2017"))
    assert shown(problems) == ['content/documents/x.md:6: warning: issued: 23/04/2017 is in 2017, but the number '
                               '"61/2018/NĐ-CP" says 2018 (check the issue date and the number)']


def test_duplicate_number_is_an_error_naming_both_files():
    index, problems = build(doc("a", "61/2018/NĐ-CP", "Nghị định", "23/04/2018"),
                            doc("b", "61/2018/ND-CP", "Nghị định", "23/04/2018"))
    assert list(index.facts) == ["content/documents/a.md"]
    assert shown(problems) == [
        'content/documents/b.md:2: error: symbol: "61/2018/ND-CP" (2018) is also the number of '
        "content/documents/a.md; content/documents/b.md is left out of the index "
        "(keep one file per document, or correct the number or the issue date)"]


def test_duplicate_yearless_number_in_one_year_is_an_error():
    _, problems = build(doc("a", "908/QĐ-UBND", "Quyết định", "29/10/2018"),
                        doc("b", "908/QĐ-UBND", "Quyết định", "02/11/2018"))
    [p] = problems.errors
    assert (p.file, p.line) == ("content/documents/b.md", 2)
    assert "content/documents/a.md" in str(p.message)


def test_yearless_number_in_different_years_is_fine():
    index, problems = build(doc("a", "908/QĐ-UBND", "Quyết định", "29/10/2018"),
                            doc("b", "908/QĐ-UBND", "Quyết định", "05/07/2021"))
    assert shown(problems) == []
    assert sorted(f.slug for f in index.facts.values()) == ["908-qd-ubnd-2018", "908-qd-ubnd-2021"]


# --- resolving citations ------------------------------------------------------------------

@pytest.fixture
def index():
    idx, problems = build(
        doc("nd-61", "61/2018/NĐ-CP", "Nghị định", "23/04/2018", effective="21/06/2018"),
        doc("qd-908-2018", "908/QĐ-UBND", "Quyết định", "29/10/2018"),
        doc("qd-908-2021", "908/QĐ-UBND", "Quyết định", "05/07/2021"),
        doc("kh-10", "10/KH-UBND", "Kế hoạch", "18/01/2021"),
        doc("nq-17-tw", "17-NQ/TW", "Nghị quyết", "11/08/2007"),
    )
    assert shown(problems) == []
    return idx


RESOLVE = [
    # citation, source or None, candidates, suggestion
    ("Nghị định số 61/2018/NĐ-CP", "nd-61", ["nd-61"], None),
    ("61/2018/ND-CP", "nd-61", ["nd-61"], None),
    ("Kế hoạch số 10/KH-UBND", "kh-10", ["kh-10"], None),
    ("Kế hoạch số 10/KH-UBND ngày 18/01/2021", "kh-10", ["kh-10"], None),
    ("Nghị quyết số 17-NQ/TW ngày 11/8/2007", "nq-17-tw", ["nq-17-tw"], None),
    ("Quyết định số 908/QĐ-UBND ngày 29/10/2018", "qd-908-2018", ["qd-908-2018"], None),
    ("908/QĐ-UBND ngày 05/7/2021", "qd-908-2021", ["qd-908-2021"], None),
    ("Quyết định số 908/QĐ-UBND", None, ["qd-908-2018", "qd-908-2021"], None),
    ("Quyết định số 908/QĐ-UBND ngày 01/01/2019", None, [], None),
    ("Nghị định số 99/2018/NĐ-CP", None, [], None),
    ("Nghị định số 61/2018/NQ-CP", None, [], "61/2018/NĐ-CP"),
    ("61/2018/NQ-CP", None, [], "61/2018/NĐ-CP"),
    ("Quyết định số 61/2018/NĐ-CP", None, [], "61/2018/NĐ-CP"),
    ("Quyết định số 10/KH-UBND", None, [], "10/KH-UBND ngày 18/01/2021"),
]


@pytest.mark.parametrize("text,source,candidates,suggestion", RESOLVE)
def test_resolve_citation(index, text, source, candidates, suggestion):
    r = index.resolve_citation(parse_citation(text))
    path = "content/documents/{}.md".format
    assert r.source == (path(source) if source else None)
    assert r.candidates == [path(c) for c in candidates]
    assert r.suggestion == suggestion


def test_resolve_by_key_and_date_as_links_do(index):
    assert index.resolve("908/QD-UBND", dt.date(2021, 7, 5)).source == "content/documents/qd-908-2021.md"
    assert index.resolve("908/QD-UBND").ambiguous
    assert index.resolve("not a number").source is None


def test_describe_unresolved(index):
    r = index.resolve_citation(parse_citation("Nghị định số 61/2018/NQ-CP"))
    assert tuple(map(str, index.describe("Nghị định số 61/2018/NQ-CP", r))) == (
        '"Nghị định số 61/2018/NQ-CP": the type contradicts the number (NQ is Nghị quyết)',
        "did you mean 61/2018/NĐ-CP (content/documents/nd-61.md)?")
    r = index.resolve_citation(parse_citation("Quyết định số 908/QĐ-UBND"))
    assert tuple(map(str, index.describe("Quyết định số 908/QĐ-UBND", r))) == (
        '"Quyết định số 908/QĐ-UBND" could mean 2 documents: content/documents/qd-908-2018.md (ngày 29/10/2018), '
        "content/documents/qd-908-2021.md (ngày 05/07/2021)", "add the issue date: '… ngày DD/MM/YYYY'")
    assert index.describe("x", index.resolve("61/2018/NĐ-CP")) is None


# --- relations ----------------------------------------------------------------------------

def test_relations_and_their_inverses():
    index, problems = build(
        doc("nd-63", "63/2010/NĐ-CP", "Nghị định", "08/06/2010"),
        doc("nd-48", "48/2013/NĐ-CP", "Nghị định", "14/05/2013", amends=["Nghị định số 63/2010/NĐ-CP"]),
        doc("nd-92", "92/2017/NĐ-CP", "Nghị định", "07/08/2017", amends=["63/2010/NĐ-CP", "48/2013/NĐ-CP"]),
        doc("qd-908", "908/QĐ-UBND", "Quyết định", "29/10/2018",
            based_on=["Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ"]),
        doc("nd-61", "61/2018/NĐ-CP", "Nghị định", "23/04/2018"),
        doc("tt-01", "01/2018/TT-VPCP", "Thông tư", "23/11/2018", guides=["Nghị định số 61/2018/NĐ-CP"]),
        doc("qd-2043", "2043/QĐ-UBND", "Quyết định", "24/12/2020", replaces=["Quyết định số 908/QĐ-UBND ngày 29/10/2018"]),
    )
    assert shown(problems) == []
    f = {s.split("/")[-1][:-3]: x for s, x in index.facts.items()}
    path = "content/documents/{}.md".format
    assert f["nd-92"].relations["amends"] == [path("nd-63"), path("nd-48")]
    assert f["nd-63"].inverse["amended_by"] == [path("nd-48"), path("nd-92")]
    assert f["nd-48"].inverse["amended_by"] == [path("nd-92")]
    assert f["nd-61"].inverse["guided_by"] == [path("tt-01")]
    assert f["nd-61"].inverse["basis_for"] == [path("qd-908")]
    assert f["qd-908"].inverse["replaced_by"] == [path("qd-2043")]
    assert f["qd-2043"].relations["replaces"] == [path("qd-908")]
    assert f["nd-63"].relations == {r: [] for r in ("amends", "replaces", "guides", "based_on", "repeals", "suspends",
                                                    "partly_ends", "consolidates", "refers_to")}
    assert set(f["nd-63"].inverse) == {"amended_by", "replaced_by", "guided_by", "basis_for", "repealed_by",
                                       "suspended_by", "partly_ended_by", "consolidated_by", "referred_by"}


RELATION_PROBLEMS = [
    (["Nghị định số 24/2014/NĐ-CP"],
     'content/documents/x.md:10: warning: amends: "Nghị định số 24/2014/NĐ-CP" cites no document in the index '
     "(add it under content/documents/ or check the number)"),
    (["Nghị định số 61/2018/NQ-CP ngày 23/4/2018"],
     'content/documents/x.md:10: warning: amends: "Nghị định số 61/2018/NQ-CP ngày 23/4/2018": the type '
     "contradicts the number (NQ is Nghị quyết) (did you mean 61/2018/NĐ-CP (content/documents/nd-61.md)?)"),
    (["Quyết định số 908/QĐ-UBND"],
     'content/documents/x.md:10: warning: amends: "Quyết định số 908/QĐ-UBND" could mean 2 documents: '
     "content/documents/qd-908-a.md (ngày 29/10/2018), content/documents/qd-908-b.md (ngày 05/07/2021) "
     "(add the issue date: '… ngày DD/MM/YYYY')"),
    (["Nghị định số 61/2018"],
     'content/documents/x.md:10: warning: amends: "61/2018" has no type and issuer after the year; '
     "write it as in the document's header, e.g. 61/2018/NĐ-CP, 908/QĐ-UBND, 17-NQ/TW or 59/2020/QH14 "
     '(write e.g. "Nghị định số 63/2010/NĐ-CP" or "908/QĐ-UBND ngày 29/10/2018")'),
    (["45/2021/NĐ-CP"],
     'content/documents/x.md:10: warning: amends: "45/2021/NĐ-CP" is this document itself (remove the entry)'),
]


@pytest.mark.parametrize("amends,warning", RELATION_PROBLEMS)
def test_relation_problems(amends, warning):
    index, problems = build(
        doc("nd-61", "61/2018/NĐ-CP", "Nghị định", "23/04/2018"),
        doc("qd-908-a", "908/QĐ-UBND", "Quyết định", "29/10/2018"),
        doc("qd-908-b", "908/QĐ-UBND", "Quyết định", "05/07/2021"),
        doc("x", "45/2021/NĐ-CP", "Nghị định", "01/04/2021", amends=amends),
    )
    assert shown(problems) == [warning]
    assert index.facts["content/documents/x.md"].relations["amends"] == []


def test_ambiguous_relation_with_a_date_resolves():
    index, problems = build(
        doc("qd-908-a", "908/QĐ-UBND", "Quyết định", "29/10/2018"),
        doc("qd-908-b", "908/QĐ-UBND", "Quyết định", "05/07/2021"),
        doc("x", "45/2021/NĐ-CP", "Nghị định", "01/08/2021", replaces=["908/QĐ-UBND ngày 05/7/2021"]),
    )
    assert shown(problems) == []
    assert index.facts["content/documents/qd-908-b.md"].inverse["replaced_by"] == ["content/documents/x.md"]
    assert index.facts["content/documents/qd-908-a.md"].inverse["replaced_by"] == []


# --- status -------------------------------------------------------------------------------

STATUS = [
    # effective, expires, declared, status, warning (fragment) or None
    ("01/01/2020", None, "", "con-hieu-luc", None),
    ("01/07/2021", None, "", "chua-co-hieu-luc", None),
    ("01/01/2020", "01/01/2021", "", "het-hieu-luc", None),
    ("01/01/2020", "01/06/2021", "", "het-hieu-luc", None),         # expires today: no longer in force
    ("01/01/2020", "02/06/2021", "", "con-hieu-luc", None),
    ("01/06/2021", None, "", "con-hieu-luc", None),                 # takes effect today
    (None, None, "", "", None),                                     # nothing known: never "in force"
    (None, None, "het-hieu-luc", "het-hieu-luc", None),             # nothing proven: the editor's word
    (None, None, "con-hieu-luc", "con-hieu-luc", None),
    ("01/01/2020", None, "het-hieu-luc-mot-phan", "het-hieu-luc-mot-phan", None),
    ("01/01/2020", None, "con-hieu-luc", "con-hieu-luc", None),
    ("01/01/2020", None, "het-hieu-luc", "con-hieu-luc",
     'content/documents/x.md:9: warning: status: "het-hieu-luc" (Hết hiệu lực) disagrees with the facts: it took '
     "effect on 01/01/2020, so it is Còn hiệu lực (remove 'status:' to let the build compute it, or correct the "
     "dates and relations)"),
    ("01/07/2021", None, "con-hieu-luc", "chua-co-hieu-luc", "it takes effect on 01/07/2021, so it is Chưa có hiệu lực"),
    ("01/01/2020", "01/01/2021", "con-hieu-luc", "het-hieu-luc", "it expired on 01/01/2021, so it is Hết hiệu lực"),
    ("01/01/2020", "01/01/2021", "het-hieu-luc-mot-phan", "het-hieu-luc", "so it is Hết hiệu lực"),
]


@pytest.mark.parametrize("effective,expires,declared,status,warning", STATUS)
def test_status_from_dates(effective, expires, declared, status, warning):
    index, problems = build(doc("x", "61/2018/NĐ-CP", "Nghị định", "01/01/2018", effective=effective,
                                expires=expires, status=declared))
    f = index.facts["content/documents/x.md"]
    assert (f.status, f.declared_status) == (status, declared)
    assert f.status_label == STATUS_LABELS[status]
    lines = shown(problems)
    if warning is None:
        assert lines == []
    else:
        [line] = lines
        assert line.startswith("content/documents/x.md:9: warning: status: ") and warning in line


REPLACEMENT = [
    # replacement's effective date, its declared status, the old document's status
    ("01/01/2021", "", "het-hieu-luc"),                 # the replacement is in force
    ("01/07/2021", "", "con-hieu-luc"),                 # not yet: the old one still applies
    (None, "con-hieu-luc", "het-hieu-luc"),             # declared in force
    (None, "", "con-hieu-luc"),                         # nothing known of the replacement
]


@pytest.mark.parametrize("effective,declared,old_status", REPLACEMENT)
def test_status_of_a_replaced_document(effective, declared, old_status):
    index, problems = build(
        doc("old", "908/QĐ-UBND", "Quyết định", "29/10/2018", effective="29/10/2018"),
        doc("new", "2043/QĐ-UBND", "Quyết định", "24/12/2020", effective=effective, status=declared,
            replaces=["Quyết định số 908/QĐ-UBND ngày 29/10/2018"]),
    )
    assert shown(problems) == []
    assert index.facts["content/documents/old.md"].status == old_status


def test_replaced_document_declared_in_force_is_a_warning():
    _, problems = build(
        doc("old", "908/QĐ-UBND", "Quyết định", "29/10/2018", status="con-hieu-luc"),
        doc("new", "2043/QĐ-UBND", "Quyết định", "24/12/2020", effective="01/01/2021",
            replaces=["908/QĐ-UBND"]),
    )
    assert shown(problems) == [
        'content/documents/old.md:9: warning: status: "con-hieu-luc" (Còn hiệu lực) disagrees with the facts: '
        "it is replaced by 2043/QĐ-UBND (content/documents/new.md), which has taken effect, so it is Hết hiệu lực "
        "(remove 'status:' to let the build compute it, or correct the dates and relations)"]


def test_replacement_chain_and_cycle_terminate():
    index, problems = build(
        doc("a", "1/QĐ-UBND", "Quyết định", "01/01/2019", replaces=["2/QĐ-UBND"]),
        doc("b", "2/QĐ-UBND", "Quyết định", "01/01/2019", replaces=["1/QĐ-UBND"]),
    )
    assert {f.status for f in index.facts.values()} == {""}


def test_today_may_be_a_datetime():
    index, _ = build(doc("x", "61/2018/NĐ-CP", "Nghị định", "01/01/2018", effective="01/06/2021"),
                     today=dt.datetime(2021, 6, 1, 8, 0, tzinfo=TZ))
    assert index.facts["content/documents/x.md"].status == "con-hieu-luc"


def test_build_index_resolves_a_long_chain():
    """2,000 documents each based on the one before. (How its time grows: benchmarks/scaling.py.)"""
    docs = [doc(f"d{i}", f"{i}/QĐ-UBND", "Quyết định", "01/03/2020", effective="01/03/2020",
                based_on=[f"{i - 1}/QĐ-UBND ngày 01/03/2020"] if i > 1 else [])
            for i in range(1, 2001)]
    index, problems = build(*docs)
    assert len(index.facts) == 2000 and shown(problems) == []
    assert index.facts["content/documents/d2000.md"].relations["based_on"] == ["content/documents/d1999.md"]
    assert index.facts["content/documents/d1.md"].inverse["basis_for"] == ["content/documents/d2.md"]
