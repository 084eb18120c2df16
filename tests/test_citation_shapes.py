"""Numbers and citations as real texts write them (issue 21 §1), and every citation scan linear in
its input (issue 19, item 2).

The sentences are quoted from provincial and ministry texts (the address of each is beside it;
tests/data/real-texts/ holds longer excerpts with every citation labelled): letter suffixes,
numbers and type words broken across lines, official letters numbered by their issuer, the `&` of a
department's code, and writers' slips.
"""
from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from cchc.core.config import MarkdownSettings
from cchc.core.legal import citations, find_citations, parse_citation, parse_symbol
from cchc.markdown.engine import MarkdownRenderer
from test_legal import build, doc, shown
from test_markdown_engines import Fragment

HAI_PHONG = "https://ls1.hethongphapluat.com/quyet-dinh-30-2018-qd-ubnd-…-do-thanh-pho-hai-phong-ban-hanh.html"
BINH_DINH = "https://thuvienphapluat.vn/van-ban/Bo-may-hanh-chinh/Quyet-dinh-636-QD-UBND-nam-2012-…-152925.aspx"
TUYEN_QUANG = "https://thuvienphapluat.vn/van-ban/Bo-may-hanh-chinh/Ke-hoach-87-KH-UBND-nam-2013-…-228632.aspx"

SHAPES = [
    # (sentence, its source, [(cited phrase, key, type, date)])
    ("Căn cứ Nghị quyết số 30c/NQ-CP ngày 08 tháng\n11 năm 2011 của Chính phủ ban hành Chương trình tổng thể", BINH_DINH,
     [("Nghị quyết số 30c/NQ-CP ngày 08 tháng\n11 năm 2011", "30C/NQ-CP", "Nghị quyết", dt.date(2011, 11, 8))]),
    ("Thực hiện Nghị quyết số 30c/NQ-CP ngày 08/11/2011 của Chính phủ về ban hành Chương trình tổng thể; Chỉ\nthị số "
     "07/CT-TTg ngày 22/5/2013 về việc đẩy mạnh", TUYEN_QUANG,
     [("Nghị quyết số 30c/NQ-CP ngày 08/11/2011", "30C/NQ-CP", "Nghị quyết", dt.date(2011, 11, 8)),
      ("Chỉ\nthị số 07/CT-TTg ngày 22/5/2013", "7/CT-TTG", "Chỉ thị", dt.date(2013, 5, 22))]),
    ("Xét đề nghị của Giám đốc Sở Nội vụ tại Tờ\ntrình số 617/TTr-SNV ngày 05 tháng 11 năm 2011,", BINH_DINH,
     [("Tờ\ntrình số 617/TTr-SNV ngày 05 tháng 11 năm 2011", "617/TTR-SNV", "Tờ trình", dt.date(2011, 11, 5))]),
    ("Theo đề nghị của Sở Nội vụ tại Tờ trình số 1494/TTr-SNV ngày 28 tháng 6 năm 2018, Công văn số 2231/SNV-CCHC&PC "
     "ngày 28 tháng 9 năm 2018 và Báo cáo thẩm định số 18/BCTĐ-STP ngày 25 tháng 5 năm 2018 của Sở Tư pháp.", HAI_PHONG,
     [("Tờ trình số 1494/TTr-SNV ngày 28 tháng 6 năm 2018", "1494/TTR-SNV", "Tờ trình", dt.date(2018, 6, 28)),
      ("Công văn số 2231/SNV-CCHC&PC ngày 28 tháng 9 năm 2018", "2231/SNV-CCHC&PC", "Công văn", dt.date(2018, 9, 28)),
      ("Báo cáo thẩm định số 18/BCTĐ-STP ngày 25 tháng 5 năm 2018", "18/BCTD-STP", "Báo cáo", dt.date(2018, 5, 25))]),
    ("Xét đề nghị của Ban Xúc tiến và Hỗ trợ đầu tư tại Văn bản số 161/BXTĐT-MC ngày 11/3/2014,",
     "https://hethongphapluat.vn/quyet-dinh-757-qd-ubnd-nam-2014-…-tinh-quang-ninh.html",
     [("Văn bản số 161/BXTĐT-MC ngày 11/3/2014", "161/BXTDT-MC", None, dt.date(2014, 3, 11))]),
    # the issue's own examples
    ("theo Văn bản số 4836/SNV-TCBC ngày 04 tháng 9 năm 2025 của Sở Nội vụ", "issue 21",
     [("Văn bản số 4836/SNV-TCBC ngày 04 tháng 9 năm 2025", "4836/SNV-TCBC", None, dt.date(2025, 9, 4))]),
    ("quán triệt Nghị quyết số 60- NQ/TW (60 -NQ/TW)", "issue 21",
     [("Nghị quyết số 60- NQ/TW", "60-NQ/TW", "Nghị quyết", None), ("60 -NQ/TW", "60-NQ/TW", None, None)]),
    ("Nghị quyết 36a/NQ-CP ngày 14/10/2015 về Chính phủ điện tử", "issue 21",
     [("Nghị quyết 36a/NQ-CP ngày 14/10/2015", "36A/NQ-CP", "Nghị quyết", dt.date(2015, 10, 14))]),
    ("Nghị định 62/2018/NĐ-CP-Nghị định sửa đổi Nghị định 63/2010/NĐ-CP", "issue 21",
     [("Nghị định 62/2018/NĐ-CP", "62/2018/ND-CP", "Nghị định", None),
      ("Nghị định 63/2010/NĐ-CP", "63/2010/ND-CP", "Nghị định", None)]),
    ("Luật 59/2020/QH14 và 60/2020/QH14–Nghị định 01/2021/NĐ-CP", "issue 21",
     [("Luật 59/2020/QH14", "59/2020/QH14", "Luật", None), ("60/2020/QH14", "60/2020/QH14", None, None),
      ("Nghị định 01/2021/NĐ-CP", "1/2021/ND-CP", "Nghị định", None)]),
    ("Quyết định số 908/QĐ-UBND ngày 29.10.2018 và Quyết định số 2043/QĐ-UBND ngày 24-12-2020", "issue 21",
     [("Quyết định số 908/QĐ-UBND ngày 29.10.2018", "908/QD-UBND", "Quyết định", dt.date(2018, 10, 29)),
      ("Quyết định số 2043/QĐ-UBND ngày 24-12-2020", "2043/QD-UBND", "Quyết định", dt.date(2020, 12, 24))]),
    ("theo Nghị định số 61/2018/NĐ -\nCP của Chính phủ", "a PDF copy",
     [("Nghị định số 61/2018/NĐ -\nCP", "61/2018/ND-CP", "Nghị định", None)]),
    ("Quyết định 908/QĐ-UBND - Ban hành quy định", "a list of documents",
     [("Quyết định 908/QĐ-UBND", "908/QD-UBND", "Quyết định", None)]),
]


@pytest.mark.parametrize("text,source,expected", SHAPES, ids=[f"shape{n}" for n in range(len(SHAPES))])
def test_numbers_and_citations_as_real_texts_write_them(text, source, expected):
    found = find_citations(text)
    assert [(c.text, c.symbol.key, c.type_name, c.date) for c in found] == expected, source
    assert all(text[c.start:c.end] == c.text for c in found)


@pytest.mark.parametrize("text", ["số 123/UBND-KT", "trang 5 - KH", "COVID-19/NQ-CP", "https://x.vn/60-NQ/TW",
                                  "30c/nq-cp", "1/A,1/A,1/A"])
def test_still_not_citations(text):
    assert find_citations(text) == []


def test_a_letter_suffix_is_a_number_of_the_index():
    index, problems = build(doc("nq-30c", "30c/NQ-CP", "Nghị quyết", "08/11/2011"))
    assert shown(problems) == []
    f = index.facts["content/documents/nq-30c.md"]
    assert (f.slug, f.symbol.number, f.symbol.key) == ("30c-nq-cp-2011", "30c", "30C/NQ-CP")
    assert index.resolve_citation(parse_citation("Nghị quyết số 30c/NQ-CP ngày 08/11/2011")).source == f.source
    assert index.resolve_citation(parse_citation("Nghị quyết 30/NQ-CP ngày 08/11/2011")).source is None


def test_an_extended_abbreviation_fits_its_type():
    index, problems = build(doc("bctd", "18/BCTĐ-STP", "Báo cáo", "25/05/2018"))
    assert shown(problems) == []
    [c] = find_citations("và Báo cáo thẩm định số 18/BCTĐ-STP ngày 25 tháng 5 năm 2018 của Sở Tư pháp")
    assert index.resolve_citation(c).source == "content/documents/bctd.md"


SLIPS = [
    # written, the index, the hint of the warning
    ("Nghị quyết số 03-NQ/CP", [], "did you mean 03/NQ-CP? A State document's number has its type after the slash"),
    ("Nghị quyết số 03-NQ/CP ngày 15/01/2021", [("nq-03", "03/NQ-CP", "Nghị quyết", "15/01/2021")],
     "did you mean 03/NQ-CP ngày 15/01/2021 (content/documents/nq-03.md)?"),
    ("Nghị quyết 17/NQ-TW", [("tw-17", "17-NQ/TW", "Nghị quyết", "01/08/2007")],
     "did you mean 17-NQ/TW ngày 01/08/2007 (content/documents/tw-17.md)?"),
]


@pytest.mark.parametrize("written,entries,hint", SLIPS)
def test_party_and_state_shapes_confused(written, entries, hint):
    index, _ = build(*(doc(*e) for e in entries))
    [c] = find_citations(f"Thực hiện {written} của Chính phủ")
    assert str(index.describe(c.text, index.resolve_citation(c))[1]) == hint


def test_a_warning_for_a_citation_across_lines_is_one_line(site):
    site.article("2021/xuong-dong", title="Xuống dòng",
                 body="Thực hiện Chỉ\nthị số\n12/CT-TTg và Công văn số 2231/SNV-CCHC&PC ngày 28 tháng\n9 năm 2018.")
    run = site.build()
    assert run.code == 0, run.err
    warnings = [line for line in run.err.splitlines() if "xuong-dong" in line]
    assert warnings == [
        'content/articles/2021/xuong-dong.md:7: warning: "Chỉ thị số 12/CT-TTg" cites no document in the index '
        "(add it under content/documents/ or check the number)",
        'content/articles/2021/xuong-dong.md:9: warning: "Công văn số 2231/SNV-CCHC&PC ngày 28 tháng 9 năm 2018" '
        "cites no document in the index (add it under content/documents/ or check the number)"]


def test_a_letter_with_an_ampersand_links(site):
    yaml = (site.root / "site.yaml").read_text(encoding="utf-8")
    site.write("site.yaml", re.sub(r"document_types: \[", "document_types: [Công văn, ", yaml))
    site.document("2231-snv-cchc-pc-2018", "2231/SNV-CCHC&PC", "Công văn", "2018-09-28", issuer="Sở Nội vụ")
    site.article("2021/cong-van", title="Công văn", body="Theo Công văn số 2231/SNV-CCHC&PC ngày 28/9/2018.")
    run = site.build()
    assert run.code == 0 and "cong-van.md" not in run.err, run.err
    assert ('<a class="cite" href="../../van-ban/2231-snv-cchc-pc-2018/">Công văn số 2231/SNV-CCHC&amp;PC ngày '
            "28/9/2018</a>") in site.read("tin-tuc/cong-van/index.html")


# --- the three Markdown paths find the same citations ------------------------------------------

CITED = ["Luật 59/2020/QH14 và 60/2020/QH14–Nghị định 01/2021/NĐ-CP", "62/2018/NĐ-CP-Nghị định 63/2010/NĐ-CP",
         "Nghị quyết số 30c/NQ-CP", "60- NQ/TW", "Công văn số 2231/SNV-CCHC&PC", "03-NQ/CP",
         "Văn bản số 4836/SNV-TCBC ngày 04 tháng 9 năm 2025", "Chỉ\nthị số\n12/CT-TTg", "ngày 9.1.2025",
         "59/2020/QH14 – 60/2020/QH14", "Nghị định", "số", "–", "-", "—", ",", ";", "và", "Sở"]
MARKUP = ["**đậm**", "*nghiêng*", "`61/2018/NĐ-CP`", "[x](https://a.vn)", "&", "&amp;", "<b>x</b>",
          "https://a.vn/61/2018/NĐ-CP", "[Nghị định 61/2018/NĐ-CP](https://a.vn/x)"]
words = st.lists(st.sampled_from(CITED * 3 + MARKUP), min_size=1, max_size=8).map(" ".join)
one_line_words = words.map(lambda w: w.replace("\n", " "))
cells = one_line_words.map(lambda w: w.replace("|", ""))
block = st.one_of(words, one_line_words.map("- {}".format), one_line_words.map("## {}".format),
                  st.tuples(cells, cells).map(lambda c: "| a | b |\n|---|---|\n| {} | {} |".format(*c)))
bodies = st.lists(block, min_size=1, max_size=5).map("\n\n".join)
PYTHON_MARKDOWN = MarkdownRenderer(MarkdownSettings())
CMARK = MarkdownRenderer(MarkdownSettings(engine="commonmark"))


def _marks(html: str) -> list[tuple]:
    return [(text, a.get("data-cite"), a.get("data-cite-date"), a.get("data-cite-type")) for text, a in Fragment(html).marks]


@hsettings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=bodies)
def test_the_three_markdown_paths_find_the_same_citations(body):
    """prose.py (the fast path, when it takes the body), Python-Markdown with every processor, and
    cmark: the same marks, dash-joined lists included. Each block's inline markup is spaced, so
    that the engines agree on the text nodes (where their emphasis rules differ, text differs)."""
    md = PYTHON_MARKDOWN.variant(frozenset())
    md.reset()
    full = _marks(PYTHON_MARKDOWN.sanitize(md.convert(body)))
    assert _marks(PYTHON_MARKDOWN.render(body)) == full
    assert _marks(CMARK.render(body)) == full


def test_a_dash_joined_list_is_marked_whole_on_every_path():
    body = "Luật 59/2020/QH14 và 60/2020/QH14–Nghị định 01/2021/NĐ-CP."
    for with_markup in (body, "**Căn cứ** " + body, body + "\n\n| a | b |\n|---|---|\n| x | y |"):
        for renderer in (PYTHON_MARKDOWN, CMARK):
            assert [m[1] for m in _marks(renderer.render(with_markup))] == \
                ["59/2020/QH14", "60/2020/QH14", "1/2021/ND-CP"], (renderer.settings.engine, with_markup)


# --- every scan linear: each look around a number is bounded to a window -----------------------

class Counted:
    """A compiled pattern that records how many characters each call may read (pos to endpos)."""

    def __init__(self, pattern: re.Pattern, log: list):
        self.pattern, self.log = pattern, log

    def __getattr__(self, name):
        method = getattr(self.pattern, name)

        def counted(string, pos=0, endpos=None, *rest):
            end = len(string) if endpos is None else min(endpos, len(string))
            self.log.append((self.pattern.pattern[:20], end - pos))
            return method(string, pos, *(() if endpos is None else (endpos,)), *rest)
        return counted


class CountedText(str):
    """A text that records how far back each rfind/find scans (they read no more than that)."""
    log: list

    def rfind(self, sub, start=0, end=None):
        end = len(self) if end is None else end
        self.log.append(("rfind", end - start))
        return str.rfind(self, sub, start, end)


HOSTILE = {
    "spaces after a citation": lambda n: "Nghị định 61/2018/NĐ-CP" + " " * n + ", x",
    "1/A, repeated": lambda n: "1/A," * (n // 4),
    "citations with spaces after each": lambda n: ("Nghị định 61/2018/NĐ-CP" + " " * 200) * (n // 223),
    "numbers inside one long address": lambda n: "https://a.vn/" + "1/KH-UBND," * (n // 10),
}
BOUNDED = ("_PREFIX", "_NUMBER_WORD", "_DATE_AFTER", "_LEADING")
WINDOW = citations.PREFIX_WINDOW * 2


@pytest.fixture
def scans(monkeypatch):
    log: list = []
    for name in BOUNDED:
        monkeypatch.setattr(citations, name, Counted(getattr(citations, name), log))
    CountedText.log = log
    return log


@pytest.mark.parametrize("family", sorted(HOSTILE))
def test_every_look_around_a_number_reads_a_bounded_window(scans, family):
    """Issue 19, item 2: a citation followed by 16k spaces, `1/A,` repeated and a relation value
    padded with spaces took quadratic time. What each look around one number may read is counted
    (no clock): bounded by a window whatever the text's length, so the whole scan is linear."""
    text = CountedText(HOSTILE[family](64_000))
    find_citations(text)
    worst = max((n for _, n in scans), default=0)
    assert worst <= WINDOW, [entry for entry in scans if entry[1] > WINDOW][:3]
    assert sum(n for _, n in scans) <= 2 * WINDOW * (text.count("/") + 1)


def test_a_relation_value_padded_with_spaces_is_read_in_a_window(scans):
    value = "Nghị định" + " " * 60_000 + "a 61/2018/NĐ-CP"
    assert parse_citation(value) is None
    assert max(n for _, n in scans) <= WINDOW
    value = "Luật" + " " * 60_000 + "x"
    assert parse_citation(value) is None
    assert max(n for _, n in scans) <= WINDOW


def test_an_address_token_is_found_in_one_pass():
    text = "xem https://a.vn/" + "1/KH-UBND," * 5000 + " và Kế hoạch số 10/KH-UBND"
    assert [c.text for c in find_citations(text)] == ["Kế hoạch số 10/KH-UBND"]
    assert parse_symbol("10/KH-UBND").key == "10/KH-UBND"
