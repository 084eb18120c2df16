"""A plan's progress as the files the Office attaches to its self-assessment: a Word report laid
out as an administrative document, and an Excel workbook with a sheet per item.

The Word file follows Nghị định 30/2020/NĐ-CP, Phụ lục I (thể thức văn bản hành chính), as
/work/notes/legal-duties.md §6 quotes it:
- Mục I: A4; margins 20-25 mm top and bottom, 30-35 mm left, 15-20 mm right; Times New Roman,
  black; page numbers centred in the top margin, none on the first page.
- Mục II.1 (ô 1): "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" upper case, 12-13 pt, bold, top right;
  "Độc lập - Tự do - Hạnh phúc" 13-14 pt, bold, centred under it, with a rule as long as it.
- Mục II.2 (ô 2): the parent body (tên cơ quan chủ quản) upper case, 12-13 pt, upright; under
  it the issuing body upper case, 12-13 pt, bold, with a rule of 1/3 to 1/2 its length.
- Mục II.3 (ô 3): "Số:" 13 pt, then the number and the symbol ("…/BC-SCT"; BC is Báo cáo in
  Phụ lục III), left for the clerk (văn thư) to fill in when the report is registered.
- Mục II.4 (ô 4): place and date on the same line as the number, italic, 13-14 pt, with blanks
  for the day of signing.
- Mục II.5 (ô 5a): the type ("BÁO CÁO") upper case, bold, 13-14 pt; the summary (trích yếu)
  under it, bold, 13-14 pt, with a rule of 1/3 to 1/2 its length.
- Mục II.6.e: body 13-14 pt, justified, first line indented 1.27 cm, at least 6 pt between
  paragraphs, line spacing between single and 1.5.
The evidence's titles are clickable links to the articles on the portal.
"""
from __future__ import annotations

import io
import re

from cchc.core.config import Organization
from cchc.core.vietnamese import short_date
from cchc.model.plans import PlanProgress
from cchc.render.plans import NONE
from cchc.render.reports import cell_text

FONT = "Times New Roman"
BODY_PT = 14


# --- Word ------------------------------------------------------------------------------------

def plan_docx(p: PlanProgress, organization: Organization | None) -> bytes:
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = Mm(20), Mm(20), Mm(30), Mm(15)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(BODY_PT)
    _east_asian_font(normal.element)
    fmt = normal.paragraph_format
    fmt.space_before, fmt.space_after, fmt.line_spacing = Pt(0), Pt(6), 1.15
    _page_numbers(section)

    org = organization or Organization("")
    parent = (org.parent or "").upper()
    issuer = (org.short_name or org.name or "…").upper()
    symbol = f"BC-{org.abbreviation}" if org.abbreviation else "BC-…"
    place = org.place or "…"
    head = doc.add_table(rows=2, cols=2)
    head.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(head, (Cm(6.0), Cm(10.5)))
    left, right = head.cell(0, 0), head.cell(0, 1)
    _line(left.paragraphs[0], parent, 12.5) if parent else None
    _line(left.add_paragraph() if parent else left.paragraphs[0], issuer, 12.5, bold=True)
    _rule(left.add_paragraph(), Cm(1.6))
    _line(right.paragraphs[0], "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12.5, bold=True)
    _line(right.add_paragraph(), "Độc lập - Tự do - Hạnh phúc", 13.5, bold=True)
    _rule(right.add_paragraph(), Cm(1.8))
    _line(head.cell(1, 0).paragraphs[0], f"Số:        /{symbol}", 13)
    _line(head.cell(1, 1).paragraphs[0], f"{place}, ngày      tháng      năm 20…", 13.5, italic=True)

    doc.add_paragraph()
    _line(doc.add_paragraph(), "BÁO CÁO", 14, bold=True)
    summary = f"Kết quả thực hiện {p.plan.title[:1].lower()}{p.plan.title[1:]}"
    _line(doc.add_paragraph(), summary, 14, bold=True)
    _rule(doc.add_paragraph(), Cm(5.5))

    body = _body(doc, Cm)
    body(f"Kỳ báo cáo: {p.period_line}. Số liệu lấy từ chuyên mục {p.site_title}, lập ngày {short_date(p.made)}.")
    _heading(doc, "I. TỔNG HỢP")
    _table(doc, ["Nội dung", "Số lượng"], [[a, str(b)] for a, b in p.summary], (Cm(12), Cm(3.5)))
    _heading(doc, "II. KẾT QUẢ THEO TỪNG MỤC CỦA KẾ HOẠCH")
    _table(doc, ["Mục", "Nội dung", "Đơn vị chủ trì", "Chỉ tiêu", "Đã đạt (bài)", "Kết quả", "Quý chưa có bài"],
           [[i.item.code, i.item.title, i.item.unit or NONE, i.target_text, str(i.achieved), i.status,
             ", ".join(i.empty_quarters) or NONE] for i in p.items],
           (Cm(1.4), Cm(5.0), Cm(2.6), Cm(2.3), Cm(1.5), Cm(1.7), Cm(2.0)), size=11)
    _heading(doc, "III. TÀI LIỆU KIỂM CHỨNG: BÀI VIẾT THEO TỪNG MỤC")
    for i in p.items:
        _heading(doc, f"Mục {i.item.code}. {i.item.title}", bold=False, italic=True)
        if not i.evidence:
            body("Chưa có bài viết nào trong kỳ.")
        for n, e in enumerate(i.evidence, start=1):
            para = body(f"{n}. Ngày {short_date(e['date'])}: ")
            _hyperlink(para, e["title"], e["url"])
            para.add_run(f" ({e['category']}{', ' + e['author'] if e['author'] else ''}).")
        if i.empty_quarters:
            body(f"Quý chưa có bài: {', '.join(i.empty_quarters)}.")
    _heading(doc, "IV. GHI CHÚ")
    for note in p.notes:
        body(f"- {note}")

    doc.add_paragraph()
    sign = doc.add_table(rows=1, cols=2)
    _widths(sign, (Cm(7.0), Cm(9.5)))
    _line(sign.cell(0, 0).paragraphs[0], "Nơi nhận:", 12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    _line(sign.cell(0, 0).add_paragraph(), "- …;\n- Lưu: VT, VP.", 11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _line(sign.cell(0, 1).paragraphs[0], "QUYỀN HẠN, CHỨC VỤ CỦA NGƯỜI KÝ", 13, bold=True)
    _line(sign.cell(0, 1).add_paragraph(), "(Chữ ký, dấu)\n\n\nHọ và tên", 13, italic=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _line(paragraph, text: str, size: float, bold=False, italic=False, align=None):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if align is None else align
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.first_line_indent = None
    run = paragraph.add_run(text)
    run.font.size, run.font.bold, run.font.italic = Pt(size), bold, italic
    return paragraph


def _rule(paragraph, inset) -> None:
    """A short solid rule, centred: an empty paragraph's bottom border, narrowed by its indents
    (Phụ lục I draws the rules under the motto, the issuing body and the summary)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt
    fmt = paragraph.paragraph_format
    fmt.left_indent = fmt.right_indent = inset
    fmt.space_after, fmt.line_spacing = Pt(6), Pt(2)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph.paragraph_format.element.get_or_add_pPr().append(borders)


def _body(doc, Cm):
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    def add(text: str):
        para = doc.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        para.paragraph_format.first_line_indent = Cm(1.27)
        para.add_run(text)
        return para
    return add


def _heading(doc, text: str, bold=True, italic=False) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt
    para = doc.add_paragraph()
    para.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    para.paragraph_format.first_line_indent = Cm(1.27)
    para.paragraph_format.space_before = Pt(6)
    run = para.add_run(text)
    run.font.bold, run.font.italic = bold, italic


def _widths(table, widths) -> None:
    """Fixed column widths: Word reads the cells', LibreOffice the table grid's, so set both."""
    table.autofit = False
    for column, width in zip(table.columns, widths):
        column.width = width
        for cell in column.cells:
            cell.width = width


def _table(doc, headers: list[str], rows: list[list[str]], widths, size: float = 12) -> None:
    from docx.shared import Pt
    table = doc.add_table(rows=1 + len(rows), cols=len(headers))
    table.style = "Table Grid"
    _widths(table, widths)
    for r, values in enumerate([headers, *rows]):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            para = cell.paragraphs[0]
            para.paragraph_format.space_after = Pt(0)
            run = para.add_run(str(value))
            run.font.size, run.font.bold = Pt(size), r == 0


def _hyperlink(paragraph, text: str, url: str) -> None:
    """A clickable link (python-docx has no API for one: a w:hyperlink with an external relation)."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    rid = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rid)
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    for tag, attrs in (("w:color", {"w:val": "0000FF"}), ("w:u", {"w:val": "single"})):
        el = OxmlElement(tag)
        for k, v in attrs.items():
            el.set(qn(k), v)
        props.append(el)
    run.append(props)
    t = OxmlElement("w:t")
    t.text = text
    t.set(qn("xml:space"), "preserve")
    run.append(t)
    link.append(run)
    paragraph.paragraph_format.element.append(link)


def _east_asian_font(style_element) -> None:
    from docx.oxml.ns import qn
    fonts = style_element.get_or_add_rPr().get_or_add_rFonts()
    for key in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(key), FONT)


def _page_numbers(section) -> None:
    """Page numbers centred in the top margin from page 2 on (Phụ lục I, Mục I.7)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    section.different_first_page_header_footer = True
    para = section.header.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "2"
    run.append(t)
    field.append(run)
    para.paragraph_format.element.append(field)


# --- Excel -----------------------------------------------------------------------------------

SHEET_NAME = re.compile(r"[\[\]:*?/\\]")


def plan_xlsx(p: PlanProgress) -> bytes:
    """A summary sheet (totals, one row per item, items by quarter), a sheet per item with its
    evidence (dates as dates, addresses as links), and the articles counted toward no item."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Tổng hợp"
    bold = Font(bold=True)

    def put(sheet, row: list, style=None) -> None:
        sheet.append([cell_text(v) for v in row])
        if style is not None:
            for cell in sheet[sheet.max_row]:
                cell.font = style

    put(ws, [p.heading], Font(bold=True, size=14))
    put(ws, [f"Chuyên mục: {p.site_title}"])
    put(ws, [f"Kỳ báo cáo: {p.period_line}"])
    put(ws, [f"Ngày lập: {short_date(p.made)}"])
    put(ws, [])
    put(ws, ["Nội dung", "Số lượng"], bold)
    for row in p.summary:
        put(ws, row)
    put(ws, [])
    put(ws, ["Mục", "Nội dung", "Đơn vị chủ trì", "Chỉ tiêu", "Chỉ tiêu trong kỳ (bài)", "Đã đạt (bài)", "Kết quả",
             "Quý chưa có bài"], bold)
    for i in p.items:
        put(ws, [i.item.code, i.item.title, i.item.unit, i.target_text, i.target_total, i.achieved, i.status,
                 ", ".join(i.empty_quarters)])
    quarters = [label for label, _ in p.items[0].quarters] if p.items else []
    if quarters:
        put(ws, [])
        put(ws, ["Mục", *quarters, "Tổng"], bold)
        for i in p.items:
            put(ws, [i.item.code, *(n for _, n in i.quarters), i.achieved])
    put(ws, [])
    for note in p.notes:
        put(ws, [f"Ghi chú: {note}"])
    for column, width in zip("ABCDEFGH", (14, 60, 18, 28, 12, 12, 16, 30)):
        ws.column_dimensions[column].width = width

    names = {"Tổng hợp"}
    for i in p.items:
        sheet = wb.create_sheet(_sheet_name(f"Mục {i.item.code}", names))
        put(sheet, [f"Mục {i.item.code}: {i.item.title}"], Font(bold=True, size=13))
        put(sheet, [f"Đơn vị chủ trì: {i.item.unit or NONE}"])
        put(sheet, [f"Chỉ tiêu: {i.target_text}"])
        put(sheet, [f"Đã đạt: {i.achieved} bài. Kết quả: {i.status}."])
        put(sheet, [f"Quý chưa có bài: {', '.join(i.empty_quarters) or NONE}"])
        put(sheet, [])
        _evidence(sheet, i.evidence, put, bold)
    extra = wb.create_sheet(_sheet_name("Không thuộc mục nào", names))
    put(extra, ["Bài viết trong kỳ không thuộc mục nào của kế hoạch"], Font(bold=True, size=13))
    put(extra, [])
    _evidence(extra, p.not_counted, put, bold)
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                cell.alignment = Alignment(vertical="top", wrap_text=sheet is not ws or cell.column > 1)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _evidence(sheet, rows: list[dict], put, bold) -> None:
    put(sheet, ["STT", "Ngày đăng", "Tiêu đề", "Chuyên mục", "Tác giả, đơn vị", "Địa chỉ"], bold)
    if not rows:
        put(sheet, ["", "", "Chưa có bài viết nào trong kỳ."])
    for n, e in enumerate(rows, start=1):
        put(sheet, [n, e["date"], e["title"], e["category"], e["author"], e["url"]])
        date_cell, link_cell = sheet.cell(sheet.max_row, 2), sheet.cell(sheet.max_row, 6)
        date_cell.number_format = "DD/MM/YYYY"
        link_cell.hyperlink = e["url"]
        link_cell.style = "Hyperlink"
    for column, width in zip("ABCDEF", (6, 12, 60, 24, 20, 50)):
        sheet.column_dimensions[column].width = width


def _sheet_name(name: str, taken: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique."""
    base = SHEET_NAME.sub("-", name)[:31]
    candidate, n = base, 2
    while candidate in taken:
        suffix = f" ({n})"
        candidate, n = base[:31 - len(suffix)] + suffix, n + 1
    taken.add(candidate)
    return candidate

