"""The two Markdown engines (site.yaml `markdown: {engine: …}`) give readers the same page.

Python-Markdown is the default; cmark-gfm (`commonmark`) is the fast one for large sections.
Whatever the rest of the pipeline reads from a body (heading anchors, citation marks, safe
raw HTML) must not depend on the choice, so most tests run once per engine and assert the
same thing. What is CommonMark's own (GFM strikethrough, autolinks, depth) is tested alone.
"""
from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from pathlib import Path


import pytest

from conftest import need
from cchc.core.config import MarkdownSettings
from cchc.markdown.engine import ENGINE_FAILED, MarkdownRenderer

ENGINES = ("python-markdown", "commonmark")
YOUTUBE = "https://www.youtube.com/embed/cchc"


def render(body: str, engine: str, raw_html: str = "sanitize") -> str:
    return MarkdownRenderer(MarkdownSettings(raw_html, ("www.youtube.com",), engine)).render(body)


class Fragment(HTMLParser):
    """What a browser makes of a fragment: elements with attributes, text, comments, and the
    text of each citation mark and each heading."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.comments: list[str] = []
        self.text = ""
        self.marks: list[tuple[str, dict]] = []     # (text, attributes) of each <a data-cite>
        self.headings: list[tuple[str, str]] = []   # (tag, id)
        self.code = ""                              # text inside <code>
        self._open: list[tuple[str, dict, int]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag in ("a", "code"):
            self._open.append((tag, attrs, len(self.text)))
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.headings.append((tag, attrs.get("id")))

    def handle_endtag(self, tag):
        if self._open and self._open[-1][0] == tag:
            _, attrs, start = self._open.pop()
            if tag == "a" and "data-cite" in attrs:
                self.marks.append((self.text[start:], attrs))
            if tag == "code":
                self.code += self.text[start:]

    def handle_data(self, data):
        self.text += data

    def handle_comment(self, data):
        self.comments.append(data)


# --- heading anchors ---------------------------------------------------------------------

HEADINGS = """\
# Giới thiệu chung

## Điều 1. Phạm vi điều chỉnh

Đoạn văn.

## Điều 1. Phạm vi điều chỉnh

### Đối tượng áp dụng

#### Kết quả **năm 2021** `CCHC`

##### Ghi chú

###### Phụ lục

## Điều 1_1

## Điều 1. Phạm vi điều chỉnh
"""


@pytest.mark.parametrize("engine", ENGINES)
def test_vietnamese_headings_get_folded_unique_anchors(engine):
    page = Fragment(render(HEADINGS, engine))
    assert page.headings == [
        ("h1", "gioi-thieu-chung"), ("h2", "dieu-1-pham-vi-dieu-chinh"), ("h2", "dieu-1-pham-vi-dieu-chinh_1"),
        ("h3", "doi-tuong-ap-dung"), ("h4", "ket-qua-nam-2021-cchc"), ("h5", "ghi-chu"), ("h6", "phu-luc"),
        ("h2", "dieu-1-1"), ("h2", "dieu-1-pham-vi-dieu-chinh_2")]


def test_the_same_heading_gets_the_same_anchor_with_either_engine():
    body = HEADINGS + "\n## Quyết định số 908/QĐ-UBND ngày 29/10/2018 [^1]\n\n## Đắk Lắk – Đồng Tháp\n\n[^1]: Chú thích.\n"
    ids = {engine: Fragment(render(body, engine)).headings for engine in ENGINES}
    assert ids["commonmark"] == ids["python-markdown"]
    assert ("h2", "quyet-dinh-so-908-qd-ubnd-ngay-29-10-2018") in ids["commonmark"]   # the footnote mark is not in it


# --- citation marks ----------------------------------------------------------------------

CITING = """\
Theo Nghị định số 61/2018/NĐ-CP, các đơn vị *thực hiện Thông tư 01/2018/TT-BCT* ngay.

- Quyết định số 908/QĐ-UBND ngày 29/10/2018 của UBND tỉnh;
- **Nghị quyết 76/NQ-CP** về cải cách hành chính.

| Văn bản | Nội dung |
|---|---|
| Kế hoạch 10/KH-UBND | Tuyên truyền |

Mã `Nghị định 99/2018/NĐ-CP` không phải trích dẫn, [Luật số 59/2020/QH14](https://vbpl.vn/x) đã là liên kết.

```
Chỉ thị 17/CT-TTg trong đoạn mã
```

## Nghị định 115/2013/NĐ-CP trong tiêu đề
"""


@pytest.mark.parametrize("engine", ENGINES)
def test_citations_are_marked_in_text_but_not_in_code_links_or_headings(engine):
    page = Fragment(render(CITING, engine))
    assert [(text, attrs.get("data-cite"), attrs.get("data-cite-date"), attrs.get("data-cite-type"))
            for text, attrs in page.marks] == [
        ("Nghị định số 61/2018/NĐ-CP", "61/2018/ND-CP", None, "Nghị định"),
        ("Thông tư 01/2018/TT-BCT", "1/2018/TT-BCT", None, "Thông tư"),
        ("Quyết định số 908/QĐ-UBND ngày 29/10/2018", "908/QD-UBND", "2018-10-29", "Quyết định"),
        ("Nghị quyết 76/NQ-CP", "76/NQ-CP", None, "Nghị quyết"),
        ("Kế hoạch 10/KH-UBND", "10/KH-UBND", None, "Kế hoạch"),
    ]
    assert "Chỉ thị 17/CT-TTg" in page.code and "Nghị định 99/2018/NĐ-CP" in page.code
    assert ("a", {"href": "https://vbpl.vn/x"}) in page.tags


@pytest.mark.parametrize("engine", ENGINES)
def test_a_citation_beside_ampersands_and_angle_brackets_keeps_the_text_whole(engine):
    body = "Nghị định 61/2018/NĐ-CP &amp; Thông tư 01/2018/TT-BCT (mục <1>) & 5 &lt; 6 \"trích\" 908/QĐ-UBND&lt;2&gt;"
    html = render(body, engine, raw_html="escape")
    page = Fragment(html)
    assert page.text == 'Nghị định 61/2018/NĐ-CP & Thông tư 01/2018/TT-BCT (mục <1>) & 5 < 6 "trích" 908/QĐ-UBND<2>'
    assert [text for text, _ in page.marks] == ["Nghị định 61/2018/NĐ-CP", "Thông tư 01/2018/TT-BCT", "908/QĐ-UBND"]
    assert "&amp;" in html and "&lt;2&gt;" in html


# --- GFM tables and footnotes ------------------------------------------------------------

@pytest.mark.parametrize("engine", ENGINES)
def test_tables_and_footnotes_render(engine):
    body = ("Chỉ số PAR INDEX tăng[^1].\n\n| Năm | Điểm |\n|:---|---:|\n| 2020 | 85,1 |\n| 2021 | 88,16 |\n\n"
            "[^1]: Theo báo cáo của Bộ Nội vụ.\n")
    page = Fragment(render(body, engine))
    names = [tag for tag, _ in page.tags]
    assert names.count("th") == 2 and names.count("td") == 4 and "table" in names
    assert "2021" in page.text and "88,16" in page.text
    ref = next(attrs["href"] for tag, attrs in page.tags if tag == "a" and attrs.get("href", "").startswith("#fn"))
    note = next(attrs for tag, attrs in page.tags if tag == "li" and attrs.get("id") == ref[1:])
    assert note and "Theo báo cáo của Bộ Nội vụ." in page.text
    styles = [attrs.get("style", "").rstrip(";") for tag, attrs in page.tags if tag in ("th", "td")]
    assert styles == ["text-align: left", "text-align: right"] * 3    # the columns' alignment, kept


def test_commonmark_adds_strikethrough_and_bare_autolinks_but_a_single_tilde_stays():
    page = Fragment(render("~~Kế hoạch cũ~~ thay bằng kế hoạch mới: 5~10 ngày còn 2~3 ngày, xem www.quangngai.gov.vn",
                           "commonmark"))
    assert [tag for tag, _ in page.tags].count("del") == 1
    assert ("a", {"href": "http://www.quangngai.gov.vn"}) in page.tags
    assert "5~10 ngày còn 2~3 ngày" in page.text


# --- raw HTML ----------------------------------------------------------------------------

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src="x.png" onerror="alert(1)">',
    '<a href="javascript:alert(1)">bấm</a>',
    f'<iframe src="{YOUTUBE}" title="Video"></iframe>',
    '<iframe src="https://evil.example/pwned"></iframe>',
    "<!-- ghi chú nội bộ -->",
    "<style>body{display:none}</style>",
    "[liên kết](javascript:alert(1))",
]
HOSTILE_BODY = "\n\n".join(HOSTILE) + "\n"


def nothing_runs(page: Fragment) -> None:
    for tag, attrs in page.tags:
        assert tag not in ("script", "style"), tag
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        assert not attrs.get("href", "").lower().startswith("javascript:"), (tag, attrs)
        assert not (tag == "iframe" and attrs.get("src") != YOUTUBE), (tag, attrs)
    assert not page.comments


@pytest.mark.parametrize("engine", ENGINES)
def test_sanitize_keeps_safe_html_and_drops_the_rest(engine):
    page = Fragment(render(HOSTILE_BODY, engine, "sanitize"))
    nothing_runs(page)
    assert ("iframe", {"src": YOUTUBE, "title": "Video"}) in page.tags   # an allowed host keeps its video
    assert ("img", {"src": "x.png"}) in page.tags
    assert "bấm" in page.text and "liên kết" in page.text and "alert" not in page.text


@pytest.mark.parametrize("engine", ENGINES)
def test_escape_shows_raw_html_as_text(engine):
    body = HOSTILE_BODY + "\nXem <https://dichvucong.gov.vn> và `<b>đậm</b>`.\n\n```\n<p>mã</p>\n```\n"
    page = Fragment(render(body, engine, "escape"))
    nothing_runs(page)
    assert not any(tag in ("img", "iframe") for tag, _ in page.tags)
    for raw in HOSTILE[:-1]:
        assert raw in page.text, raw                           # shown exactly as written
    assert ("a", {"href": "https://dichvucong.gov.vn"}) in page.tags   # an autolink is still a link
    assert "<b>đậm</b>" in page.code and "<p>mã</p>" in page.code      # code is still code


@pytest.mark.parametrize("engine", ENGINES)
def test_allow_keeps_raw_html_as_written(engine):
    page = Fragment(render(HOSTILE_BODY, engine, "allow"))
    assert ("script", {}) in page.tags and ("iframe", {"src": "https://evil.example/pwned"}) in page.tags
    assert " ghi chú nội bộ " in page.comments


# --- depth -------------------------------------------------------------------------------

@pytest.mark.parametrize("body", [">" * 10_000 + " sâu\n", "- " * 10_000 + "sâu\n", "1. " * 10_000 + "sâu\n",
                                  "*" * 10_000 + "sâu" + "*" * 10_000, "[" * 10_000 + "sâu" + "]" * 10_000],
                         ids=["quotes", "bullets", "numbers", "emphasis", "brackets"])
def test_commonmark_renders_ten_thousand_levels(body):
    """cmark is iterative: no recursion limit to hit. (How its time grows: benchmarks/scaling.py.)"""
    html = render(body, "commonmark")
    assert "sâu" in html


def test_the_nesting_limit_holds_with_commonmark(site):
    """content.body_limit is checked before either engine runs: the editor still gets the line."""
    site.write("site.yaml", (site.root / "site.yaml").read_text(encoding="utf-8") + "markdown: {engine: commonmark}\n")
    site.article("2021/sau", body="Mở đầu.\n\n" + ">" * 10_000 + " sâu")
    run = site.build()
    assert run.code == 1
    assert any(line.startswith("content/articles/2021/sau.md:9: error: the text is nested 10000 levels deep")
               for line in run.lines), run.lines


def test_commonmark_frees_what_it_parses():
    """cmarkgfm's own functions leak each parsed tree (here ~2 MB a render); ours must not."""
    need(Path("/proc/self/statm").exists(), "resident memory is read from /proc (Linux)")
    body = ("## Mục\n\nĐoạn văn có **chữ đậm**, [liên kết](https://x.vn) và Nghị định 61/2018/NĐ-CP.\n\n"
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n") * 400   # ~47 KB
    renderer = MarkdownRenderer(MarkdownSettings(engine="commonmark"))

    def resident() -> int:
        return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")

    renderer.render(body)
    before = resident()
    for _ in range(50):
        renderer.render(body)
    assert resident() - before < 20 * 2**20   # leaking would be ~100 MB


# --- site.yaml and a whole build ---------------------------------------------------------

def test_a_section_built_with_commonmark_links_citations_and_anchors_headings(site):
    site.document("nd-61-2018", "61/2018/NĐ-CP", "Nghị định", "2018-04-23",
                  title="Về thực hiện cơ chế một cửa, một cửa liên thông")
    site.article("2021/mot-cua", title="Triển khai cơ chế một cửa", body=(
        "## Căn cứ pháp lý\n\nThực hiện Nghị định số 61/2018/NĐ-CP, Sở ~~đã~~ đang triển khai.\n"))
    first = site.build()
    assert first.code == 0, first.lines
    assert "~~đã~~" in site.read("tin-tuc/trien-khai-co-che-mot-cua/index.html")   # Python-Markdown: no strikethrough

    site.write("site.yaml", (site.root / "site.yaml").read_text(encoding="utf-8") + "markdown: {engine: commonmark}\n")
    run = site.build()
    assert run.code == 0, run.lines
    article = site.read("tin-tuc/trien-khai-co-che-mot-cua/index.html")
    assert '<h2 id="can-cu-phap-ly">Căn cứ pháp lý</h2>' in article
    assert '<a class="cite" href="../../van-ban/61-2018-nd-cp/">Nghị định số 61/2018/NĐ-CP</a>' in article
    assert "<del>đã</del>" in article                    # the cached Python-Markdown body was not reused
    assert "../../tin-tuc/trien-khai-co-che-mot-cua/" in site.read("van-ban/61-2018-nd-cp/index.html")


def test_an_unknown_engine_is_one_error_on_its_line(site):
    text = (site.root / "site.yaml").read_text(encoding="utf-8") + "markdown:\n  raw_html: sanitize\n  engine: markdown-it\n"
    site.write("site.yaml", text)
    line = text.count("\n")
    run = site.check()
    assert run.code == 1
    assert [x for x in run.lines if ": error: " in x] == [
        f'site.yaml:{line}: error: markdown.engine: "markdown-it" is not one of: python-markdown, commonmark']


# --- Python-Markdown without the processors a body cannot use ------------------------------

from hypothesis import HealthCheck, given, settings as hsettings, strategies as st  # noqa: E402

# Markup an editor types (and mistypes), mixed with prose: every trigger of an inline pattern,
# alone and in the company of the others.
PIECES = ["Sở Công Thương", "cải cách", " ", " ", "\n", "\n\n", "  \n", "\t", "*", "**", "_", "__", "`", "```\n",
          "\\", "\\*", "[", "]", "(", ")", "![", "[x](http://a.vn)", "[x][r]", "[r]: http://r.vn\n", "[r]",
          "<", ">", "<b>", "</b>", "<div markdown=\"1\">\n", "</div>\n", "<!-- c -->", "&", "&amp;", "&#91;",
          "<http://a.vn>", "<a@b.vn>", "# ", "## Mục ", "- ", "1. ", "> ", "    ", "| a | b |\n|---|---|\n",
          "[^1]", "\n[^1]: chú thích\n", "*[CCHC]: Cải cách hành chính\n", "CCHC", "{: #x }", "[TOC]\n",
          "Nghị định số 61/2018/NĐ-CP", "Term\n: definition\n", ": ", "{", "}", "{#neo}", "~~~\n", "|", "\x02",
          "~~", "---\n", "<div class=\"footnote\" markdown=\"1\">\n"]
bodies = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


def _full(renderer: MarkdownRenderer, body: str) -> str:
    md = renderer.variant(frozenset())       # every processor, as configured
    md.reset()
    try:
        return renderer.sanitize(md.convert(body))
    except ValueError:
        return ENGINE_FAILED


def test_a_body_python_markdown_fails_on_is_one_error_line(site):
    """Python-Markdown's footnotes extension raises a ValueError on this pasted HTML."""
    site.article("2021/chu-thich", title="Chú thích", body='Đoạn đầu.\n\n<div class="footnote" markdown="1">\n1. mục\n</div>\n')
    run = site.build()
    assert run.code == 1 and "Traceback" not in run.err
    assert ('content/articles/2021/chu-thich.md:6: error: Python-Markdown fails on this text (an error of its own) '
            '(look for pasted HTML such as <div class="footnote" markdown="1"> and remove it)') in run.err.splitlines(), run.err


@pytest.mark.parametrize("raw_html", ["sanitize", "escape"])
@hsettings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(body=bodies)
def test_leaving_out_processors_a_body_cannot_use_changes_no_output(raw_html, body):
    renderer = MarkdownRenderer(MarkdownSettings(raw_html))
    assert renderer.render(body) == _full(renderer, body)


def test_the_sample_bodies_render_as_with_every_pattern():
    renderer = MarkdownRenderer(MarkdownSettings())
    files = sorted((Path(__file__).parent.parent / "content").rglob("*.md"))
    assert files
    for file in files:
        body = file.read_text(encoding="utf-8").split("---", 2)[-1]
        assert renderer.render(body) == _full(renderer, body), file
    assert len(renderer._variants) > 1      # some bodies did go without some processors


# --- plain prose written directly (cchc/prose.py) -------------------------------------------

from cchc.markdown import prose  # noqa: E402

# Words of the benchmark corpus and the sample articles (SAFE), and what sits at or past prose.py's
# limits (NEAR). A body is made of SAFE words with the rarer structural near misses (a line's start
# or end, a heading's level, a list mark, a table's shape, the gap between blocks), then one NEAR
# piece goes anywhere in it: most bodies stay close to prose.py's limits, on either side.
SAFE = ["Sở Công Thương", "cải cách", "hành chính", "đạt 87%", "1.000 hồ sơ", "(Kế hoạch)", ":", "-", "—",
        "Nghị định số 61/2018/NĐ-CP", "Quyết định 2795/2015/QĐ-UBND ngày 08/02/2015", "18-NQ/TW", "ngày 08/02/2015",
        "Kế hoạch số 10/KH-UBND", "theo 10/KH-UBND và 61/2018/NĐ-CP", "[Cổng](https://a.vn)", "đúng hạn;",
        "[Nghị định 61/2018/NĐ-CP](https://a.vn/x)", "https://a.vn/x", "1986.", "\"trích\""]
NEAR = ["!", "'", "+", "=", "^", "/", "a@b.vn", "www.a.vn", "  ", "[^x](https://a.vn)", "[ Cổng ](https://a.vn/b)",
        "![ảnh](https://a.vn)", "[x](https://a.vn/a_b)", "[x](http://a.vn \"t\")", "[x]", "*", "_", "`", "&",
        "<b>", "|", "#", "~", "\\", "[TOC]", "\xa0", "Luật 'x' số 61/2018/NĐ-CP"]
def often(common: list[str], rare: list[str], times: int = 6):
    return st.sampled_from(common * times + rare)
line = st.builds(lambda start, words, end: start + "Tin" + "".join(" " + w for w in words) + end,
                 often([""], [" ", "    ", "1. ", "- ", "* ", "+ ", "> ", "# ", ": ", "=", "---", "|", "\t"], 60),
                 st.lists(st.sampled_from(SAFE), max_size=6), often([""], [" ", "  ", "\\", " #"], 40))
paragraph = st.lists(line, min_size=1, max_size=3).map("\n".join)
heading = st.builds(lambda level, space, text: "#" * level + space + text, often([1, 2, 3, 4, 5, 6], [7], 2),
                    often([" "], ["", "  "], 16), line)
item = st.builds(lambda mark, text: mark + text, often(["- "], ["-  ", "* ", "1. ", "- 2. ", "- > "], 40), line)
plain_list = st.lists(item, min_size=1, max_size=4).map("\n".join)
cell = often(["", "Chỉ số", "94,58", " PAR INDEX ", "61/2018/NĐ-CP", "[x](https://a.vn)"], ["- ", "*", ":--", "# a"], 20)
separator = often(["---", ":--", "--:", ":-:", " --- "], ["-", "x", "", "- -"])
table = st.builds(lambda n, head, sep, rows, end: "\n".join(
    ["|" + "|".join(head[:n]) + end, "|" + "|".join(sep[:n]) + "|"] + ["|" + "|".join(r[:n]) + "|" for r in rows]),
    often([2, 3], [1]), st.lists(cell, min_size=3, max_size=3), st.lists(separator, min_size=3, max_size=3),
    st.lists(st.lists(cell, min_size=3, max_size=3), max_size=3), often(["|"], ["", " |"], 10))
safe_bodies = st.builds(
    lambda blocks, gaps: "".join(b + g for b, g in zip(blocks, gaps)),
    st.lists(st.one_of(paragraph, heading, plain_list, table), min_size=1, max_size=6),
    st.lists(often(["\n\n"], ["\n", "\n\n\n", "\n \n", ""], 30), min_size=6, max_size=6))
# ... and one NEAR piece (or none) put anywhere in it.
prose_bodies = st.builds(lambda body, piece, at: body[:at % (len(body) + 1)] + piece + body[at % (len(body) + 1):],
                         safe_bodies, often([""], NEAR, 25), st.integers(0, 10_000))


@hsettings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=prose_bodies)
def test_plain_prose_is_written_exactly_as_python_markdown_writes_it(body):
    """prose.render either declines a body or gives, byte for byte, what the engine gives;
    and what it gives unsanitised (prose.is_clean) is what the sanitiser would give back."""
    written = prose.render(body)
    if written is not None:
        md = MarkdownRenderer(MarkdownSettings("allow")).variant(frozenset())
        md.reset()
        assert written == md.convert(body)
        renderer = MarkdownRenderer(MarkdownSettings())
        assert renderer.render(body) == renderer.sanitize(written)


@hsettings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=prose_bodies)
def test_plain_prose_is_written_as_cmark_writes_it(body):
    """With the commonmark engine too, a body prose.py writes is what cmark gives, sanitised."""
    renderer = MarkdownRenderer(MarkdownSettings(engine="commonmark"))
    assert renderer.render(body) == renderer.sanitize(renderer.commonmark.convert(body))


def test_what_prose_is_clean_looks_for_is_what_the_sanitiser_rewrites():
    """Each thing prose.is_clean refuses is rewritten by nh3; prose's usual output is not."""
    renderer = MarkdownRenderer(MarkdownSettings())
    for html in ["<p>Tin\xa0mới</p>", '<p><a data-cite="1/QD" data-cite-type="Quy&#x27;t">số 1/QĐ</a></p>']:
        assert not prose.is_clean(html) and renderer.sanitize(html) != html, html
    usual = prose.render("## Kết quả\n\nTheo Nghị định số 61/2018/NĐ-CP, [Cổng](https://a.vn/x) \"mới\" 'x'.\n\n"
                         "| a | b |\n|:--|--:|\n| 1 | 2 |\n")
    assert prose.is_clean(usual) and renderer.sanitize(usual) == usual


@pytest.mark.parametrize("engine", ["python-markdown", "commonmark"])
def test_a_column_keeps_its_alignment_and_nothing_else_of_a_style(engine):
    """`|:-:|` centres a column with either engine; any other style an editor pastes goes."""
    renderer = MarkdownRenderer(MarkdownSettings(engine=engine))
    html = renderer.render("| Chỉ số | 2020 | 2021 |\n|:--|:-:|--:|\n| PAR INDEX | 85,42 | 87,10 |\n")
    assert re.findall(r'<td style="text-align: (\w+);?">', html) == ["left", "center", "right"], html
    pasted = renderer.render('<table><tr><td style="color: red; text-align: left;">x</td>'
                             '<td style="background:url(javascript:alert(1))">y</td></tr></table>\n')
    assert "style" not in pasted and ">x</td>" in pasted and ">y</td>" in pasted


def test_the_usual_article_is_written_directly_and_the_rest_goes_to_the_engine():
    usual = ("Sở Công Thương triển khai Kế hoạch số 10/KH-UBND ngày 18/01/2021\nvà Nghị định số 61/2018/NĐ-CP.\n\n"
             "## Kết quả nổi bật\n\n- Tỷ lệ đúng hạn đạt 98%;\n- Xem [Cổng Dịch vụ công](https://dichvucong.gov.vn).\n\n"
             "| Chỉ số | Năm 2020 |\n|---|---:|\n| PAR INDEX | 85,42 |\n")
    assert prose.render(usual) is not None
    renderer = MarkdownRenderer(MarkdownSettings())
    assert renderer.render(usual) == _full(renderer, usual)
    for body in ["Chữ **đậm**.", "- một\n\n- hai", "Dòng\n  thụt vào", "[x](https://a.vn \"tựa\")", "| a |\n|---|"]:
        assert prose.render(body) is None, body


@pytest.mark.parametrize("body", [
    "Xem [x](https://a.vn)(b)", "Xem [x](https://a.vn.)", "Xema[x](https://a.vn)b", "Xem [(x)](https://a.vn)",
    "Xem [x](https://a.vn)[y](https://b.vn)", "Xem [x\ny](https://a.vn)", "Xem [x](https://a.vn/ (t))",
    "Xem ![ảnh](https://a.vn/a.png)", "- Xem ![ảnh](https://a.vn/a.png)", "- một\n\n- hai",
    "Xem [Nghị định 61/2018/NĐ-CP](https://a.vn) và 61/2018/NĐ-CP", "Tin [^1](https://a.vn)", "Tin\u2028hai",
    "| a | b |\n|:-:|:--|\n| [x](https://a.vn) | 61/2018/NĐ-CP |", "|a|b|\n|-|-|\n|x|y|", "| a | b |\n|---|---|\n|  |  |",
    "# Tiêu đề\n\n# Tiêu đề\n\n## Tiêu-đề", "Tin: định nghĩa\nTiếp: x", "Tin @user và a@b.vn", "Tin\n===", "Tin ===",
    "Tin\xa0mới", "## Tin\xa0mới", "| a\xa0b | c |\n|---|---|\n| 1 | 2 |", "Theo Thông tư số 01/2021/TT-BNV\xa0ngày 11/01/2021"])
def test_prose_near_its_limits_is_written_as_python_markdown_writes_it_or_declined(body):
    written = prose.render(body)
    md = MarkdownRenderer(MarkdownSettings("allow")).variant(frozenset())
    md.reset()
    assert written is None or written == md.convert(body)
    renderer = MarkdownRenderer(MarkdownSettings())
    assert written is None or renderer.render(body) == renderer.sanitize(written)
