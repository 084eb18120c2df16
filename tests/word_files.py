"""Real Word files for the `new article --from` tests: one written with python-docx (plus the raw
WordprocessingML python-docx has no API for: footnotes, tracked changes, hyperlinks, a lettered
list), one written as OpenDocument and turned into .docx by LibreOffice, as an editor's Writer
would save it. Each covers every element issue 25 names; EXPECTED_* is the Markdown body the
conversion must give (pictures under images/<slug>/)."""
from __future__ import annotations

import io
import unicodedata
import zipfile
from pathlib import Path

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f'xmlns:w="{W_NS}"'
R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
CITATION = "Nghị định số 61/2018/NĐ-CP"


def png(width: int = 40, height: int = 30, color=(200, 30, 30)) -> bytes:
    from PIL import Image
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, "PNG")
    return out.getvalue()


# --- python-docx ------------------------------------------------------------------------------

def _numbering(doc, abstract_id: int, num_id: int, levels: list[tuple[str, str]]) -> None:
    """Add a list definition: levels as (numFmt, lvlText), e.g. [("decimal", "%1."), ("lowerLetter", "%2)")]."""
    from docx.oxml import parse_xml
    numbering = doc.part.numbering_part.element
    lvls = "".join(f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
                   f'<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="{720 * (i + 1)}" w:hanging="360"/></w:pPr></w:lvl>'
                   for i, (fmt, text) in enumerate(levels))
    abstract = parse_xml(f'<w:abstractNum {W} w:abstractNumId="{abstract_id}"><w:multiLevelType w:val="hybridMultilevel"/>'
                         f'{lvls}</w:abstractNum>')
    first_num = numbering.find(f"{{{W_NS}}}num")
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(parse_xml(f'<w:num {W} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>'))


def _listed(doc, text: str, num_id: int, level: int = 0):
    from docx.oxml import parse_xml
    p = doc.add_paragraph(text, style="List Paragraph")
    p._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {W}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'))
    return p


def _raw(p, xml: str) -> None:
    from docx.oxml import parse_xml
    p._p.append(parse_xml(xml))


def _footnotes(doc, notes: list[str]) -> None:
    from docx.opc.constants import CONTENT_TYPE as CT, RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    body = "".join(f'<w:footnote w:id="{i}"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {text}</w:t>'
                   f'</w:r></w:p></w:footnote>' for i, text in enumerate(notes, start=1))
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes {W}>'
           '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
           '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p>'
           f'</w:footnote>{body}</w:footnotes>')
    part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, xml.encode("utf-8"), doc.part.package)
    doc.part.relate_to(part, RT.FOOTNOTES)


def _footnote_ref(p, n: int) -> None:
    _raw(p, f'<w:r {W}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteReference w:id="{n}"/></w:r>')


def _link(doc, p, text: str, url: str) -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    rid = doc.part.relate_to(url, RT.HYPERLINK, is_external=True)
    _raw(p, f'<w:hyperlink {W} {R} r:id="{rid}"><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:hyperlink>')


def write_python_docx(path: Path) -> Path:
    """The report an editor gets from a unit, as Word writes it."""
    import docx
    from docx.shared import Cm
    doc = docx.Document()
    _numbering(doc, 90, 90, [("decimal", "%1."), ("lowerLetter", "%2)")])
    _numbering(doc, 91, 91, [("lowerLetter", "%1)")])
    _numbering(doc, 92, 92, [("bullet", "-"), ("bullet", "+")])
    _footnotes(doc, ["Theo báo cáo của Văn phòng Sở.", "Số liệu đến ngày 30/6/2026."])
    doc.add_paragraph("Hội nghị triển khai công tác cải cách hành chính năm 2026", style="Title")
    # NFD text (typed with a decomposing keyboard), a no-break space, a zero-width space
    p = doc.add_paragraph(unicodedata.normalize("NFD", "Sáng ngày 15/01/2026, Sở Công Thương tổ chức hội nghị"))
    p.add_run("\u00a0triển\u200b khai ")
    p.add_run("Kế hoạch").bold = True
    p.add_run(" theo ")
    p.add_run("đúng tiến độ").italic = True
    p.add_run(".")
    _footnote_ref(p, 1)
    doc.add_paragraph("")
    doc.add_paragraph(" \u00a0 ")
    doc.add_heading("Kết quả năm 2025", level=1)
    p = doc.add_paragraph(f"Sở đã thực hiện {CITATION} về cơ chế một cửa")
    _footnote_ref(p, 2)
    p.add_run("; xem thêm trên ")
    _link(doc, p, "Cổng Dịch vụ công quốc gia", "https://dichvucong.gov.vn/p/home/dvc-trang-chu.html")
    p.add_run(".")
    doc.add_heading("Về thủ tục hành chính", level=2)
    # a tracked change: an inserted word kept, a deleted one and a moved-away one gone
    p = doc.add_paragraph()
    _raw(p, f'<w:r {W}><w:t xml:space="preserve">Tỷ lệ hồ sơ trực tuyến </w:t></w:r>')
    _raw(p, f'<w:del {W} w:id="11" w:author="Phòng KH" w:date="2026-01-10T08:00:00Z"><w:r><w:delText xml:space="preserve">chỉ </w:delText></w:r></w:del>')
    _raw(p, f'<w:ins {W} w:id="12" w:author="Phòng KH" w:date="2026-01-10T08:00:00Z"><w:r><w:t xml:space="preserve">đã </w:t></w:r></w:ins>')
    _raw(p, f'<w:moveFrom {W} w:id="13" w:author="Phòng KH" w:date="2026-01-10T08:00:00Z"><w:r><w:t xml:space="preserve">(cũ) </w:t></w:r></w:moveFrom>')
    _raw(p, f'<w:r {W}><w:t xml:space="preserve">đạt 85%, vượt chỉ tiêu đề ra; hồ sơ giải quyết đúng hạn</w:t></w:r>')
    _raw(p, f'<w:r {W}><w:softHyphen/><w:t xml:space="preserve"> đạt 98,5\u00ad%.</w:t></w:r>')
    # Word lists: bullets (two levels), numbers continuing after a paragraph, letters under numbers
    doc.add_paragraph("Các nhiệm vụ trọng tâm:")
    _listed(doc, "rà soát thủ tục hành chính;", 92)
    _listed(doc, "lĩnh vực điện;", 92, 1)
    _listed(doc, "số hóa hồ sơ.", 92)
    _listed(doc, "Tuyên truyền", 90)
    _listed(doc, "trên Cổng thông tin;", 90, 1)
    _listed(doc, "tại bộ phận một cửa.", 90, 1)
    _listed(doc, "Kiểm tra", 90)
    doc.add_paragraph("Ngoài kế hoạch, Sở còn:")
    _listed(doc, "Đào tạo", 90)
    _listed(doc, "bồi dưỡng công chức;", 91)
    _listed(doc, "khen thưởng kịp thời.", 91)
    # the same lists typed by hand, as many editors do
    doc.add_paragraph("a) Văn phòng Sở chủ trì;")
    doc.add_paragraph("b) Các phòng phối hợp.")
    doc.add_paragraph("1. Thời gian: quý I/2026.")
    doc.add_paragraph("2. Địa điểm: hội trường Sở.")
    doc.add_paragraph("- Thành phần: lãnh đạo Sở;")
    doc.add_paragraph("- Các phòng, đơn vị.")
    # a table: a header row, a merged header cell, a merged column, a | and two paragraphs in a cell
    t = doc.add_table(rows=4, cols=3)
    t.style = "Table Grid"
    for c, text in enumerate(["Đơn vị", "Kết quả", ""]):
        t.cell(0, c).text = text
    t.cell(0, 1).merge(t.cell(0, 2))
    rows = [("Văn phòng", "12 hồ sơ", "đạt"), ("", "3 | 4", "vượt"), ("Phòng Quản lý", "8 hồ sơ", "đạt")]
    for r, row in enumerate(rows, start=1):
        for c, text in enumerate(row):
            t.cell(r, c).text = text
    t.cell(1, 0).merge(t.cell(2, 0))
    t.cell(1, 0).text = "Văn phòng"
    t.cell(3, 2).add_paragraph("(quý IV)")
    # pictures: described, without a description, with Word's automatic guess
    doc.add_picture(io.BytesIO(png()), width=Cm(4))
    _describe(doc, 0, "Quang cảnh hội nghị tại hội trường Sở")
    doc.add_paragraph("Đại biểu phát biểu tại hội nghị.")
    doc.add_picture(io.BytesIO(png(color=(30, 120, 30))), width=Cm(4))
    doc.add_picture(io.BytesIO(png(color=(30, 30, 160))), width=Cm(4))
    _describe(doc, 2, "A group of people sitting at a table\n\nDescription automatically generated")
    doc.save(path)
    return path


def _describe(doc, index: int, text: str) -> None:
    """Word's Alt Text: the description of the index-th picture (wp:docPr/@descr)."""
    doc.element.body.xpath("//wp:docPr")[index].set("descr", text)


EXPECTED_PYTHON_DOCX = f"""\
Sáng ngày 15/01/2026, Sở Công Thương tổ chức hội nghị triển khai **Kế hoạch** theo *đúng tiến độ*.[^1]

## Kết quả năm 2025

Sở đã thực hiện {CITATION} về cơ chế một cửa[^2]; xem thêm trên [Cổng Dịch vụ công quốc gia](https://dichvucong.gov.vn/p/home/dvc-trang-chu.html).

### Về thủ tục hành chính

Tỷ lệ hồ sơ trực tuyến đã đạt 85%, vượt chỉ tiêu đề ra; hồ sơ giải quyết đúng hạn đạt 98,5%.

Các nhiệm vụ trọng tâm:

- rà soát thủ tục hành chính;
    - lĩnh vực điện;
- số hóa hồ sơ.

1. Tuyên truyền

a) trên Cổng thông tin;

b) tại bộ phận một cửa.

2. Kiểm tra

Ngoài kế hoạch, Sở còn:

3. Đào tạo

a) bồi dưỡng công chức;

b) khen thưởng kịp thời.

a) Văn phòng Sở chủ trì;

b) Các phòng phối hợp.

1. Thời gian: quý I/2026.
2. Địa điểm: hội trường Sở.

- Thành phần: lãnh đạo Sở;
- Các phòng, đơn vị.

| Đơn vị | Kết quả |  |
|---|---|---|
| Văn phòng | 12 hồ sơ | đạt |
|  | 3 \\| 4 | vượt |
| Phòng Quản lý | 8 hồ sơ | đạt<br>(quý IV) |

![Quang cảnh hội nghị tại hội trường Sở](images/{{slug}}/anh-1.png)

Đại biểu phát biểu tại hội nghị.

![](images/{{slug}}/anh-2.png)

![](images/{{slug}}/anh-3.png)

[^1]: Theo báo cáo của Văn phòng Sở.
[^2]: Số liệu đến ngày 30/6/2026.
"""


# --- OpenDocument, converted by LibreOffice ------------------------------------------------------

_ODT_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
           'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
           'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
           'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
           'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
           'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
           'xmlns:xlink="http://www.w3.org/1999/xlink" '
           'xmlns:dc="http://purl.org/dc/elements/1.1/" '
           'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" '
           'xmlns:loext="urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0" '
           'office:version="1.3"')

_ODT_STYLES = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles {_ODT_NS}><office:styles>
<style:style style:name="Standard" style:family="paragraph" style:class="text"/>
<style:style style:name="Title" style:display-name="Title" style:family="paragraph" style:parent-style-name="Standard" style:class="chapter"/>
<style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph" style:parent-style-name="Standard" style:default-outline-level="1" style:class="text"/>
<style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph" style:parent-style-name="Standard" style:default-outline-level="2" style:class="text"/>
</office:styles></office:document-styles>"""

_ODT_CONTENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content {ns}>
<office:automatic-styles>
<style:style style:name="B" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>
<style:style style:name="I" style:family="text"><style:text-properties fo:font-style="italic"/></style:style>
<text:list-style style:name="Bullets">
<text:list-level-style-bullet text:level="1" text:bullet-char="-"><style:list-level-properties text:list-level-position-and-space-mode="label-alignment"><style:list-level-label-alignment text:label-followed-by="listtab" fo:text-indent="-0.635cm" fo:margin-left="1.27cm"/></style:list-level-properties></text:list-level-style-bullet>
<text:list-level-style-bullet text:level="2" text:bullet-char="+"><style:list-level-properties text:list-level-position-and-space-mode="label-alignment"><style:list-level-label-alignment text:label-followed-by="listtab" fo:text-indent="-0.635cm" fo:margin-left="1.905cm"/></style:list-level-properties></text:list-level-style-bullet>
</text:list-style>
<text:list-style style:name="Letters">
<text:list-level-style-number text:level="1" style:num-format="a" style:num-suffix=")"><style:list-level-properties text:list-level-position-and-space-mode="label-alignment"><style:list-level-label-alignment text:label-followed-by="listtab" fo:text-indent="-0.635cm" fo:margin-left="1.27cm"/></style:list-level-properties></text:list-level-style-number>
</text:list-style>
<text:list-style style:name="Numbers">
<text:list-level-style-number text:level="1" style:num-format="1" style:num-suffix="."><style:list-level-properties text:list-level-position-and-space-mode="label-alignment"><style:list-level-label-alignment text:label-followed-by="listtab" fo:text-indent="-0.635cm" fo:margin-left="1.27cm"/></style:list-level-properties></text:list-level-style-number>
</text:list-style>
<style:style style:name="PL" style:family="paragraph" style:parent-style-name="Standard" style:list-style-name="Letters"/>
<style:style style:name="PN" style:family="paragraph" style:parent-style-name="Standard" style:list-style-name="Numbers"/>
<style:style style:name="PB" style:family="paragraph" style:parent-style-name="Standard" style:list-style-name="Bullets"/>
</office:automatic-styles>
<office:body><office:text>
<text:tracked-changes>
<text:changed-region text:id="ct1"><text:deletion><office:change-info><dc:creator>Phòng KH</dc:creator><dc:date>2026-01-10T08:00:00</dc:date></office:change-info><text:p>chỉ </text:p></text:deletion></text:changed-region>
<text:changed-region text:id="ct2"><text:insertion><office:change-info><dc:creator>Phòng KH</dc:creator><dc:date>2026-01-10T08:00:00</dc:date></office:change-info></text:insertion></text:changed-region>
</text:tracked-changes>
<text:p text:style-name="Title">Sở Công Thương tổng kết công tác cải cách hành chính</text:p>
<text:p text:style-name="Standard">Chiều ngày 20/12/2026, Sở tổ chức hội nghị <text:span text:style-name="B">tổng kết</text:span> và <text:span text:style-name="I">triển khai</text:span> nhiệm vụ năm 2027.<text:note text:id="ftn1" text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>Theo giấy mời của Văn phòng Sở.</text:p></text:note-body></text:note></text:p>
<text:p text:style-name="Standard"/>
<text:h text:style-name="Heading_20_1" text:outline-level="1">Kết quả</text:h>
<text:p text:style-name="Standard">Thực hiện {citation}, tỷ lệ hồ sơ trực tuyến <text:change text:change-id="ct1"/><text:change-start text:change-id="ct2"/>đã <text:change-end text:change-id="ct2"/>đạt 90%; chi tiết tại <text:a xlink:type="simple" xlink:href="https://dichvucong.gov.vn/">Cổng Dịch vụ công</text:a>.</text:p>
<text:h text:style-name="Heading_20_2" text:outline-level="2">Nhiệm vụ</text:h>
<text:list text:style-name="Bullets">
<text:list-item><text:p text:style-name="PB">cải cách thể chế;</text:p>
<text:list><text:list-item><text:p text:style-name="PB">rà soát văn bản;</text:p></text:list-item></text:list></text:list-item>
<text:list-item><text:p text:style-name="PB">hiện đại hóa hành chính.</text:p></text:list-item>
</text:list>
<text:list text:style-name="Numbers">
<text:list-item><text:p text:style-name="PN">Quý I: rà soát;</text:p></text:list-item>
<text:list-item><text:p text:style-name="PN">Quý II: đánh giá.</text:p></text:list-item>
</text:list>
<text:list text:style-name="Letters">
<text:list-item><text:p text:style-name="PL">Văn phòng chủ trì;</text:p></text:list-item>
<text:list-item><text:p text:style-name="PL">các phòng phối hợp.</text:p></text:list-item>
</text:list>
<text:p text:style-name="Standard">- Gõ tay: thứ nhất;</text:p>
<text:p text:style-name="Standard">- Gõ tay: thứ hai.</text:p>
<table:table table:name="KetQua">
<table:table-column table:number-columns-repeated="3"/>
<table:table-row><table:table-cell table:number-columns-spanned="2"><text:p>Chỉ tiêu</text:p></table:table-cell><table:covered-table-cell/><table:table-cell><text:p>Kết quả</text:p></table:table-cell></table:table-row>
<table:table-row><table:table-cell table:number-rows-spanned="2"><text:p>Hồ sơ</text:p></table:table-cell><table:table-cell><text:p>trực tuyến</text:p></table:table-cell><table:table-cell><text:p>90%</text:p></table:table-cell></table:table-row>
<table:table-row><table:covered-table-cell/><table:table-cell><text:p>đúng hạn</text:p></table:table-cell><table:table-cell><text:p>99%</text:p></table:table-cell></table:table-row>
</table:table>
<text:p text:style-name="Standard"><draw:frame draw:name="Anh1" text:anchor-type="as-char" svg:width="4cm" svg:height="3cm"><draw:image xlink:href="Pictures/anh1.png" xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad"/><svg:title>Ảnh hội nghị</svg:title><svg:desc>Lãnh đạo Sở phát biểu tổng kết</svg:desc></draw:frame></text:p>
<text:p text:style-name="Standard"><draw:frame draw:name="Anh2" text:anchor-type="as-char" svg:width="4cm" svg:height="3cm"><draw:image xlink:href="Pictures/anh2.png" xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad"/></draw:frame></text:p>
<text:p text:style-name="Standard">Mềm\u00addẻo và <text:soft-page-break/>kết thúc.</text:p>
</office:text></office:body></office:document-content>"""

_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">
<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>
<manifest:file-entry manifest:full-path="Pictures/anh1.png" manifest:media-type="image/png"/>
<manifest:file-entry manifest:full-path="Pictures/anh2.png" manifest:media-type="image/png"/>
</manifest:manifest>"""


def write_odt(path: Path) -> Path:
    """An OpenDocument text as LibreOffice Writer saves it (mimetype first, uncompressed)."""
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        z.writestr("META-INF/manifest.xml", _MANIFEST, zipfile.ZIP_DEFLATED)
        z.writestr("styles.xml", _ODT_STYLES, zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", _ODT_CONTENT.format(ns=_ODT_NS, citation=CITATION), zipfile.ZIP_DEFLATED)
        z.writestr("Pictures/anh1.png", png())
        z.writestr("Pictures/anh2.png", png(color=(30, 120, 30)))
    return path


EXPECTED_ODT = f"""\
Chiều ngày 20/12/2026, Sở tổ chức hội nghị **tổng kết** và *triển khai* nhiệm vụ năm 2027.[^1]

## Kết quả

Thực hiện {CITATION}, tỷ lệ hồ sơ trực tuyến đã đạt 90%; chi tiết tại [Cổng Dịch vụ công](https://dichvucong.gov.vn/).

### Nhiệm vụ

- cải cách thể chế;
    - rà soát văn bản;
- hiện đại hóa hành chính.

1. Quý I: rà soát;
2. Quý II: đánh giá.

a) Văn phòng chủ trì;

b) các phòng phối hợp.

- Gõ tay: thứ nhất;
- Gõ tay: thứ hai.

| Chỉ tiêu |  | Kết quả |
|---|---|---|
| Hồ sơ | trực tuyến | 90% |
|  | đúng hạn | 99% |

![Lãnh đạo Sở phát biểu tổng kết](images/{{slug}}/anh-1.png)

![](images/{{slug}}/anh-2.png)

Mềmdẻo và kết thúc.

[^1]: Theo giấy mời của Văn phòng Sở.
"""
