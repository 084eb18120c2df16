"""Plans as content (content/plans/*.yaml) and `report --plan`: every problem on its line, the
progress per item against its target, the quarters with nothing, totals that agree with the period
report, the page ke-hoach/<slug>/ linked from thong-ke/, the sample's 2021 plan, and the Word and
Excel files the Office attaches (opened by LibreOffice, same numbers as the Markdown report)."""
from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from conftest import MINIMAL_SITE_YAML, REPO, cli, minimal_site, need

PLAN = """\
title: "Kế hoạch tuyên truyền cải cách hành chính năm 2021"
document: "Kế hoạch số 5/KH-SCT ngày 05/01/2021"
period: {from: 2021-01-01, to: 2021-12-31}
items:
  - code: "A.1"
    title: "Chính sách"
    unit: "Văn phòng Sở"
    target: {articles: 2, per: quarter}
    match: {categories: [chinh-sach]}
  - code: "A.2"
    title: "Nêu tên mục"
    unit: "Phòng Quản lý thương mại"
    target: {articles: 1, per: month}
  - code: "B"
    title: "Một cửa"
    target: {articles: 1, per: year}
    match: {tags: ["Một cửa"]}
  - code: "C"
    title: "Văn bản về một cửa"
    match: {documents: ["Nghị định số 61/2018/NĐ-CP"]}
"""
INJECTION = '=HYPERLINK(""http://x.example/"",""bấm"")'


@pytest.fixture(scope="module")
def plan_site(tmp_path_factory):
    s = minimal_site(tmp_path_factory.mktemp("plans") / "site")
    (s.root / "content/articles/2021/bai-dau-tien.md").unlink()
    s.write("content/plans/ke-hoach-2021.yaml", PLAN)
    s.document("kh-5", "5/KH-SCT", "Kế hoạch", "2021-01-05")
    s.document("nd-61", "61/2018/NĐ-CP", "Nghị định", "2018-04-23")
    for n, date in enumerate(("2021-01-10", "2021-02-10", "2021-04-05")):
        s.article(f"cs-{n}", title=f"Chính sách {n}", date=date, category="chinh-sach", author='"Văn phòng Sở"')
    s.article("neu-ten", title="Bài nêu tên mục", date="2021-03-15", plan_items='["A.2"]')
    s.article("mot-cua", title="Bài một cửa", date="2021-07-01", tags='["Một cửa"]')
    s.article("van-ban", title="Bài trích văn bản", date="2021-10-01", documents='["61/2018/NĐ-CP"]')
    s.article("khac", title="Bài không thuộc mục nào", date="2021-11-11")
    s.article("cong-thuc", title=INJECTION.replace('""', '\\"'), date="2021-12-01", category="chinh-sach",
              author='"+Phòng = thử"')
    s.article("nam-sau", title="Bài năm sau", date="2022-01-03", category="chinh-sach")
    return s


def report(site, tmp: Path, *args: str, fmt: str = "md") -> Path:
    out = tmp / f"report.{fmt}"
    run = cli("report", *args, "--format", fmt, "-o", str(out), site=site.root)
    assert run.code == 0, run.err
    return out


def md_rows(text: str, title: str) -> dict[str, list[str]]:
    block = re.search(rf"^## \d+\. {re.escape(title)}\n\n(.*?)(?:\n\n|\Z)", text, re.S | re.M)
    assert block, title
    rows = [[c.strip().strip("*") for c in re.split(r"(?<!\\)\|", line)[1:-1]]
            for line in block.group(1).splitlines() if line.startswith("|")]
    return {r[0]: r[1:] for r in rows[2:]}


def test_one_row_per_item_with_target_achieved_and_status(plan_site, tmp_path):
    text = report(plan_site, tmp_path, "--plan", "ke-hoach-2021").read_text(encoding="utf-8")
    assert text.startswith("# Báo cáo kết quả thực hiện kế hoạch tuyên truyền cải cách hành chính năm 2021\n")
    rows = md_rows(text, "Kết quả theo từng mục của kế hoạch")
    assert {code: (r[2], r[3], r[4], r[5]) for code, r in rows.items()} == {
        "A.1": ("2 bài/quý (8 bài trong kỳ)", "4", "Chưa đạt", "Quý III/2021"),
        "A.2": ("1 bài/tháng (12 bài trong kỳ)", "1", "Chưa đạt",
                "Quý II/2021, Quý III/2021, Quý IV/2021"),
        "B": ("1 bài/năm", "1", "Đạt", "Quý I/2021, Quý II/2021, Quý IV/2021"),
        "C": ("Kế hoạch không giao chỉ tiêu", "1", "Không có chỉ tiêu", "Quý I/2021, Quý II/2021, Quý III/2021"),
    }
    quarters = md_rows(text, "Số bài theo quý")
    assert quarters["A.1"] == ["2", "1", "0", "1", "4"]
    evidence = md_rows(text, "Mục A.1: Chính sách")
    assert list(evidence) == ["10/01/2021", "10/02/2021", "05/04/2021", "01/12/2021"]
    assert evidence["10/01/2021"] == ["Chính sách 0", "https://example.gov.vn/cchc/tin-tuc/chinh-sach-0/",
                                      "Chính sách", "Văn phòng Sở"]
    assert "_Quý chưa có bài: Quý III/2021._" in text
    assert md_rows(text, "Bài viết trong kỳ không thuộc mục nào của kế hoạch") == {
        "11/11/2021": ["Bài không thuộc mục nào", "https://example.gov.vn/cchc/tin-tuc/bai-khong-thuoc-muc-nao/",
                       "Tin hoạt động", "—"]}


@pytest.mark.parametrize("period", [("--year", "2021"), ("--year", "2021", "--quarter", "4"),
                                    ("--year", "2022"), ("--from", "2021-03-01", "--to", "2022-02-28")])
def test_totals_agree_with_the_period_report(plan_site, tmp_path, period):
    plan = report(plan_site, tmp_path, "--plan", "ke-hoach-2021", *period).read_text(encoding="utf-8")
    (tmp_path / "report.md").rename(tmp_path / "plan.md")
    plain = report(plan_site, tmp_path, *period).read_text(encoding="utf-8")
    summary, general = md_rows(plan, "Tổng hợp"), md_rows(plain, "Tổng hợp")
    published = int(summary["Bài viết đã đăng trong kỳ"][0])
    assert published == int(general["Bài viết đã đăng"][0])
    assert int(summary["Bài viết được tính cho kế hoạch"][0]) + \
        int(summary["Bài viết không thuộc mục nào của kế hoạch"][0]) == published


def test_a_quarter_report_flags_the_items_with_nothing_in_it(plan_site, tmp_path):
    text = report(plan_site, tmp_path, "--plan", "ke-hoach-2021", "--year", "2021", "--quarter", "3").read_text(
        encoding="utf-8")
    rows = md_rows(text, "Kết quả theo từng mục của kế hoạch")
    assert rows["A.1"][2:] == ["2 bài/quý", "0", "Chưa đạt", "Quý III/2021"]
    assert rows["B"][2:] == ["1 bài/năm", "1", "Đạt", "—"]
    assert rows["C"][3:] == ["0", "Không có chỉ tiêu", "Quý III/2021"]


def test_text_csv_and_html_hold_the_same_rows(plan_site, tmp_path):
    text = report(plan_site, tmp_path, "--plan", "ke-hoach-2021", fmt="text").read_text(encoding="utf-8")
    assert re.search(r"A\.1 +Chính sách +Văn phòng Sở +2 bài/quý \(8 bài trong kỳ\) +4 +Chưa đạt", text)
    rows = list(csv.reader(io.StringIO(report(plan_site, tmp_path, "--plan", "ke-hoach-2021", fmt="csv")
                                       .read_text(encoding="utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Mục", "Nội dung mục", "Đơn vị chủ trì"]
    assert [r[0] for r in rows[1:]].count("A.1") == 4
    html = report(plan_site, tmp_path, "--plan", "ke-hoach-2021", fmt="html").read_text(encoding="utf-8")
    assert html.count('<svg class="chart"') == 1 and "Chưa đạt" in html


def test_spreadsheet_cells_never_start_a_formula(plan_site, tmp_path):
    rows = list(csv.reader(io.StringIO(report(plan_site, tmp_path, "--plan", "ke-hoach-2021", fmt="csv")
                                       .read_text(encoding="utf-8-sig")), delimiter=";"))
    cells = [c for r in rows for c in r]
    assert "'" + INJECTION.replace('""', '"') in cells and "'+Phòng = thử" in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_the_page_shows_the_same_numbers_and_thong_ke_links_to_it(plan_site, tmp_path):
    assert plan_site.build().code == 0
    page = plan_site.read("ke-hoach/ke-hoach-2021/index.html")
    assert "<h1>Kế hoạch tuyên truyền cải cách hành chính năm 2021</h1>" in page
    assert '<th scope="row">A.1</th><td>Chính sách</td><td>Văn phòng Sở</td><td>2 bài/quý (8 bài trong kỳ)</td>' \
           '<td class="num">4</td><td>Chưa đạt</td><td>Quý III/2021</td>' in page
    assert '<svg class="chart" role="img"' in page
    assert '<a href="../../tin-tuc/chinh-sach-0/">Chính sách 0</a>' in page
    assert '<a href="../../van-ban/5-kh-sct-2021/">Kế hoạch số 5/KH-SCT ngày 05/01/2021</a>' in page
    stats = plan_site.read("thong-ke/index.html")
    assert '<a href="../ke-hoach/ke-hoach-2021/">Kế hoạch tuyên truyền cải cách hành chính năm 2021</a>' in stats
    assert "ke-hoach/ke-hoach-2021/" in plan_site.read("sitemap.xml")


def test_a_section_without_plans_has_no_plan_link(site):
    assert site.build().code == 0
    assert "ke-hoach" not in site.read("thong-ke/index.html")


@pytest.mark.parametrize("text, expected", [
    (PLAN.replace("articles: 2,", "articles: hai,"),
     'content/plans/p.yaml:8: error: items[1].target.articles: expected a number of articles, found "hai"'),
    (PLAN.replace("per: quarter", "per: week"),
     'content/plans/p.yaml:8: error: items[1].target.per: "week" is not one of: month, quarter, year, period'),
    (PLAN.replace('code: "A.2"', 'code: "A.1"'),
     'content/plans/p.yaml:10: error: items[2].code: "A.1" is already the code of the item on line 5'),
    (PLAN.replace("categories: [chinh-sach]", "categories: [khong-co]"),
     'content/plans/p.yaml:9: error: items[1].match.categories: unknown category "khong-co"'),
    (PLAN.replace("to: 2021-12-31", "to: 2020-12-31"),
     "content/plans/p.yaml:3: error: period: from 01/01/2021 is after to 31/12/2020"),
    (PLAN.replace("to: 2021-12-31", "to: 2021-02-30"),
     'content/plans/p.yaml:3: error: period.to: "2021-02-30" is not a day'),
    (PLAN.replace("    unit: \"Văn phòng Sở\"", "    unti: \"Văn phòng Sở\""),
     "content/plans/p.yaml:7: warning: unknown key 'items[1].unti'"),
    (PLAN.replace('"Nghị định số 61/2018/NĐ-CP"', '"Nghị định số 99/2018/NĐ-CP"'),
     'content/plans/p.yaml:20: warning: match.documents: "Nghị định số 99/2018/NĐ-CP" names no document of the index'),
    ("title: x\nitems: []\n", "content/plans/p.yaml:1: error: period: required key is missing"),
    ("title: [x\n", "content/plans/p.yaml:2: error: not valid YAML"),
])
def test_every_problem_of_a_plan_file_is_one_line_with_its_line(site, text, expected):
    site.write("content/plans/p.yaml", text)
    site.document("nd-61", "61/2018/NĐ-CP", "Nghị định", "2018-04-23")
    lines = site.check().lines
    assert any(line.startswith(expected) for line in lines), "\n".join(lines)
    assert all("\n" not in line for line in lines)


def test_unknown_item_codes_and_overlapping_plans(site):
    site.write("content/plans/a.yaml", PLAN)
    site.write("content/plans/b.yaml", PLAN.replace("from: 2021-01-01", "from: 2021-06-01"))
    site.article("2021/sai-ma", title="Sai mã", plan_items='["A.9"]')
    lines = site.check().lines
    assert "content/plans/b.yaml:3: error: period overlaps the period of content/plans/a.yaml (01/01/2021-31/12/2021) " \
           "(plans must not overlap, or an article's plan_items would not say which plan it counts toward)" in lines
    assert 'content/articles/2021/sai-ma.md:5: warning: plan_items: "A.9" is not an item of any plan ' \
           "(known codes: A.1, A.2, B, C)" in lines


def test_an_unknown_plan_or_a_binary_format_without_a_plan_is_a_usage_error(plan_site):
    run = cli("report", "--plan", "khong-co", site=plan_site.root)
    assert run.code == 2 and "no plan content/plans/khong-co.yaml (plans: ke-hoach-2021)" in run.err
    run = cli("report", "--format", "docx", site=plan_site.root)
    assert run.code == 2 and "add --plan SLUG" in run.err


# --- the sample section's 2021 plan ----------------------------------------------------------

def test_the_sample_carries_the_2021_plan_and_its_articles_count_toward_it(sample_site, tmp_path):
    run = sample_site.check()
    assert run.code == 0 and not [line for line in run.lines if "content/plans/" in line]
    text = report(sample_site, tmp_path, "--plan", "tuyen-truyen-cchc-2021", "--year", "2026").read_text(encoding="utf-8")
    rows = md_rows(text, "Kết quả theo từng mục của kế hoạch")
    assert list(rows) == ["II.1.a", "II.1.b", "II.2", "III"]
    assert all(int(r[3]) > 0 for r in rows.values())
    assert rows["III"][3] == md_rows(text, "Tổng hợp")["Bài viết đã đăng trong kỳ"][0] == "11"
    assert all(r[2] == "Kế hoạch không giao chỉ tiêu" for r in rows.values())   # the plan sets no figure
    assert "Kỳ báo cáo nằm ngoài thời gian thực hiện kế hoạch" in text
    own = report(sample_site, tmp_path, "--plan", "tuyen-truyen-cchc-2021").read_text(encoding="utf-8")
    assert "**Kỳ báo cáo:** Năm 2021 (từ ngày 01/01/2021 đến ngày 31/12/2021)" in own


# --- Word and Excel --------------------------------------------------------------------------

def test_docx_has_the_administrative_heading_the_links_and_the_markdown_numbers(plan_site, tmp_path):
    from docx import Document
    md = md_rows(report(plan_site, tmp_path, "--plan", "ke-hoach-2021").read_text(encoding="utf-8"),
                 "Kết quả theo từng mục của kế hoạch")
    path = report(plan_site, tmp_path, "--plan", "ke-hoach-2021", fmt="docx")
    doc = Document(str(path))
    head = doc.tables[0]
    # Fixed widths in the table grid (LibreOffice reads those): the national title fits on one line.
    assert [round(c.width.cm, 1) for c in head.columns] == [6.0, 10.5]
    assert [p.text for p in head.cell(0, 1).paragraphs][:2] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                                                                 "Độc lập - Tự do - Hạnh phúc"]
    assert head.cell(0, 1).paragraphs[0].runs[0].bold and head.cell(0, 1).paragraphs[0].runs[0].font.size.pt == 12.5
    assert head.cell(0, 0).paragraphs[0].text == "SỞ THỬ NGHIỆM"
    assert head.cell(1, 0).paragraphs[0].text.startswith("Số:") and "/BC-" in head.cell(1, 0).paragraphs[0].text
    assert head.cell(1, 1).paragraphs[0].runs[0].italic and ", ngày" in head.cell(1, 1).paragraphs[0].text
    texts = [p.text for p in doc.paragraphs]
    assert "BÁO CÁO" in texts
    items = doc.tables[2]
    assert {r.cells[0].text: r.cells[4].text for r in items.rows[1:]} == {code: r[3] for code, r in md.items()}
    assert {r.cells[0].text: r.cells[5].text for r in items.rows[1:]} == {code: r[4] for code, r in md.items()}
    section = doc.sections[0]
    assert (round(section.left_margin.mm), round(section.right_margin.mm), round(section.page_width.mm)) == (30, 15, 210)
    assert doc.styles["Normal"].font.name == "Times New Roman"
    with zipfile.ZipFile(path) as z:
        rels = z.read("word/_rels/document.xml.rels").decode("utf-8")
        body = z.read("word/document.xml").decode("utf-8")
    assert 'Target="https://example.gov.vn/cchc/tin-tuc/chinh-sach-0/" TargetMode="External"' in rels
    assert body.count("<w:hyperlink ") == 7     # every piece of evidence


def test_xlsx_has_a_summary_and_a_sheet_per_item_with_the_markdown_numbers(plan_site, tmp_path):
    from openpyxl import load_workbook
    md = md_rows(report(plan_site, tmp_path, "--plan", "ke-hoach-2021").read_text(encoding="utf-8"),
                 "Kết quả theo từng mục của kế hoạch")
    wb = load_workbook(report(plan_site, tmp_path, "--plan", "ke-hoach-2021", fmt="xlsx"))
    assert wb.sheetnames == ["Tổng hợp", "Mục A.1", "Mục A.2", "Mục B", "Mục C", "Không thuộc mục nào"]
    summary = wb["Tổng hợp"]
    rows = {}
    for r in summary.iter_rows(values_only=True):
        if r and r[0] in md:
            rows.setdefault(r[0], r)          # the items table; the quarters table follows it
    assert {code: (r[4], r[5], r[6]) for code, r in rows.items()} == {
        code: (8 if code == "A.1" else 12 if code == "A.2" else 1 if code == "B" else None, int(r[3]), r[4])
        for code, r in md.items()}
    sheet = wb["Mục A.1"]
    evidence = [r for r in sheet.iter_rows(min_row=8, values_only=True) if r[0]]
    assert len(evidence) == 4 and evidence[0][1].strftime("%d/%m/%Y") == "10/01/2021"
    assert sheet.cell(8, 6).hyperlink.target == "https://example.gov.vn/cchc/tin-tuc/chinh-sach-0/"
    values = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "'" + INJECTION.replace('""', '"') in values
    assert not [v for v in values if v[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert not [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.data_type == "f"]


def test_libreoffice_opens_both_files(plan_site, tmp_path):
    soffice = shutil.which("soffice")
    need(soffice is not None, "LibreOffice is missing (apt-get install libreoffice-writer-nogui libreoffice-calc-nogui)")
    files = [report(plan_site, tmp_path, "--plan", "ke-hoach-2021", fmt=f) for f in ("docx", "xlsx")]
    profile = (tmp_path / "lo-profile").as_uri()      # its own profile: runs beside another soffice
    run = subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                          "--outdir", str(tmp_path / "pdf"), *map(str, files)],
                         capture_output=True, text=True, timeout=240)
    assert run.returncode == 0, run.stderr
    pdfs = sorted((tmp_path / "pdf").glob("*.pdf"))
    assert [p.stem for p in pdfs] == ["report", "report"] or len(pdfs) == 1  # same stem: one overwrites the other
    for pdf in pdfs:
        assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 2000


def test_docx_heading_uses_the_organization_settings(tmp_path):
    from docx import Document
    yaml = MINIMAL_SITE_YAML.replace(
        'organization: {name: "Sở Thử nghiệm", address: "1 Đường Thử", phone: "0255 000 000", email: "vp@example.gov.vn"}',
        'organization: {name: "Sở Công Thương tỉnh Quảng Ngãi", parent: "UBND tỉnh Quảng Ngãi", '
        'short_name: "Sở Công Thương", abbreviation: "SCT", place: "Quảng Ngãi"}')
    s = minimal_site(tmp_path / "site", yaml)
    s.write("content/plans/kh.yaml", PLAN.split("items:")[0].replace('document: "Kế hoạch số 5/KH-SCT ngày 05/01/2021"\n', "")
            + 'items:\n  - {code: "1", title: "Mục một"}\n')
    doc = Document(str(report(s, tmp_path, "--plan", "kh", fmt="docx")))
    head = doc.tables[0]
    assert [p.text for p in head.cell(0, 0).paragraphs][:2] == ["UBND TỈNH QUẢNG NGÃI", "SỞ CÔNG THƯƠNG"]
    assert not head.cell(0, 0).paragraphs[0].runs[0].bold and head.cell(0, 0).paragraphs[1].runs[0].bold
    assert head.cell(1, 0).paragraphs[0].text.replace(" ", "") == "Số:/BC-SCT"
    assert head.cell(1, 1).paragraphs[0].text.startswith("Quảng Ngãi, ngày")
