"""The period statistics (model/stats.py) written out: text for the terminal, Markdown to paste
into the Office's report, CSV for Excel, a standalone HTML page with bar charts, and the view
data of the public statistics page thong-ke/."""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from html import escape

from markupsafe import Markup

from cchc.core.vietnamese import short_date
from cchc.model.site import Site
from cchc.model.stats import DOCUMENTS_NOTE, Report, Table, build_report, cell, number, year_period


# --- text and Markdown ---------------------------------------------------------------------

TEXT_CELL = 60        # a terminal line is short: long titles are cut on screen, whole in md/csv/html


def _clip(text: str, size: int) -> str:
    return text if len(text) <= size else text[:size - 1].rstrip() + "…"


def to_text(r: Report) -> str:
    out = [r.heading.upper(), f"Chuyên mục: {r.site_title}", f"Kỳ báo cáo: {r.period_line}",
           f"Ngày lập: {short_date(r.made)}", ""]
    for i, t in enumerate(r.tables, start=1):
        out += [f"{i}. {t.title.upper()}", ""]
        if not t.rows:
            out += [f"   {t.empty}", ""]
            continue
        rows = [[_clip(cell(c), TEXT_CELL) for c in row] for row in [t.headers, *t.rows, *([t.total] if t.total else [])]]
        widths = [max(len(row[j]) for row in rows) for j in range(len(t.headers))]
        numeric = [j > 0 and all(isinstance(row[j], int) for row in t.rows) for j in range(len(t.headers))]
        for k, row in enumerate(rows):
            if k == 1 or (t.total and k == len(rows) - 1):
                out.append("   " + "  ".join("-" * w for w in widths))
            out.append("   " + "  ".join(c.rjust(w) if numeric[j] else c.ljust(w)
                                         for j, (c, w) in enumerate(zip(row, widths))).rstrip())
        out += [f"   {note}" for note in t.notes] + [""]
    out += ["Ghi chú:"] + [f"- {note}" for note in r.notes]
    return "\n".join(out) + "\n"


# A '<' would start HTML (a tag, a comment) and '[' a link wherever the Markdown is shown; an
# '&' that reads as a character reference would show as another character. '|' ends a cell.
_MARKDOWN_ACTIVE = re.compile(r"[\\|<>\[\]]|&(?=#?[A-Za-z0-9]+;)")


def markdown_cell(value) -> str:
    """A value as text in a Markdown table: shown as typed, never markup."""
    return _MARKDOWN_ACTIVE.sub(lambda m: {"<": "&lt;", ">": "&gt;", "&": "&amp;"}.get(m.group(), "\\" + m.group()), cell(value))


def to_markdown(r: Report) -> str:
    md = markdown_cell

    out = [f"# {r.heading}", "", f"**Chuyên mục:** {md(r.site_title)}  ", f"**Kỳ báo cáo:** {r.period_line}  ",
           f"**Ngày lập:** {short_date(r.made)}", ""]
    for i, t in enumerate(r.tables, start=1):
        out += [f"## {i}. {t.title}", ""]
        if not t.rows:
            out += [t.empty, ""]
            continue
        numeric = [j > 0 and all(isinstance(row[j], int) or "%" in str(row[j]) for row in t.rows)
                   for j in range(len(t.headers))]
        out.append("| " + " | ".join(md(h) for h in t.headers) + " |")
        out.append("|" + "|".join("---:" if n else "---" for n in numeric) + "|")
        for row in t.rows:
            out.append("| " + " | ".join(md(c) for c in row) + " |")
        if t.total:
            out.append("| " + " | ".join(f"**{md(c)}**" for c in t.total) + " |")
        out.append("")
        out += [f"_{note}_\n" for note in t.notes]
    out += ["**Ghi chú:**", ""] + [f"- {note}" for note in r.notes]
    return "\n".join(out) + "\n"


# --- CSV -----------------------------------------------------------------------------------

# OWASP, "CSV Injection": a cell that starts with one of these is a formula to Excel and
# LibreOffice (=HYPERLINK(…) sends data away, @SUM(…)|cmd runs a program).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell_text(value):
    """A value for a spreadsheet cell (CSV here, xlsx in render/plan_office.py: the one place for
    every spreadsheet the tool writes): numbers stay numbers; text that would start a formula gets
    a leading apostrophe, which Excel and LibreOffice read as "this is text", as OWASP advises."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(r: Report) -> str:
    """One row per article, for Excel.

    UTF-8 with a BOM, or Excel reads Vietnamese as mojibake. Semicolons, not commas: in the
    Vietnamese regional format (vi-VN) the comma is the decimal separator and Excel's list
    separator is ';', so a double-clicked file opens in columns there. (No "sep=;" line: with
    it Excel ignores the BOM.) Dates are ISO (2021-03-31), which Excel reads as a date in any
    regional format, where 03/04/2021 would be ambiguous.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(["STT", "Ngày đăng", "Giờ", "Tiêu đề", "Chuyên mục", "Tác giả, đơn vị",
                     "Văn bản trích dẫn", "Địa chỉ"])
    for i, a in enumerate(r.articles, start=1):
        writer.writerow([cell_text(c) for c in (i, a["date"].isoformat(), a["time"], a["title"], a["category"],
                                                a["author"], a["documents"], a["url"])])
    return "\ufeff" + buffer.getvalue()


# --- charts and HTML -----------------------------------------------------------------------

# Each label sits above its bar, so the chart is narrow: drawn at most CHART_WIDTH px wide, its
# 14-unit text stays at least 12 px on a 375 px phone (a 343 px column). With labels beside the
# bars it was 640 units wide and its text shrank to about 6 px there (issue 20).
CHART_WIDTH, ROW, BAR, FONT = 400, 42, 16, 14
BAR_SPACE = CHART_WIDTH - 60                        # room left for the value after the longest bar
LABEL_CHARS = 52


def bar_chart(title: str, bars: list[tuple[str, int]]) -> str:
    """Horizontal bars as inline SVG: no script, black on white (prints in black and white),
    lengths proportional to the counts, and an accessible name that reads out every value
    (the table beside it is the full alternative)."""
    top = max((v for __, v in bars), default=0)
    height = ROW * len(bars) + 4
    spoken = "; ".join(f"{label}: {number(v)}" for label, v in bars)
    out = [f'<svg class="chart" role="img" aria-label="{escape(f"Biểu đồ: {title}. {spoken}")}" '
           f'viewBox="0 0 {CHART_WIDTH} {height}" width="100%" style="max-width:{CHART_WIDTH}px;height:auto" '
           f'font-family="Arial, sans-serif" font-size="{FONT}">', f"<title>{escape(title)}</title>"]
    for i, (label, value) in enumerate(bars):
        y = 2 + i * ROW
        width = round(BAR_SPACE * value / top, 2) if top else 0
        short = _clip(label, LABEL_CHARS)
        out.append(f'<text x="1" y="{y + FONT}" fill="#000">{escape(short)}</text>')
        out.append(f'<rect class="bar" x="1" y="{y + FONT + 5}" width="{width}" height="{BAR}" '
                   f'fill="#555" stroke="#000" stroke-width="1"/>')
        out.append(f'<text x="{width + 7}" y="{y + FONT + 5 + BAR - 3}" fill="#000">{number(value)}</text>')
    out.append("</svg>")
    return "\n".join(out)


def table_html(t: Table, heading: str = "h2", number_prefix: str = "", fold: bool = False) -> str:
    """One section: heading, chart, data table (the chart's text alternative), notes.
    fold: the table sits in a <details> (the public page stays short on a phone)."""
    out = [f"<{heading}>{escape(number_prefix + t.title)}</{heading}>"]
    if not t.rows:
        out.append(f'<p class="empty">{escape(t.empty)}</p>')
        return "\n".join(out) + "\n"
    if t.chart is not None and any(v for _, v in t.bars):
        out.append(bar_chart(t.title, t.bars))
    numeric = [j > 0 and all(isinstance(row[j], int) or "%" in str(row[j]) for row in t.rows)
               for j in range(len(t.headers))]

    num = [' class="num"' if n else "" for n in numeric]

    def row(cells) -> str:
        first, *rest = cells
        return ("<tr>" + f'<th scope="row">{escape(cell(first))}</th>'
                + "".join(f"<td{num[j]}>{escape(cell(c))}</td>" for j, c in enumerate(rest, start=1)) + "</tr>")

    if fold:
        out.append(f"<details><summary>Bảng số liệu: {escape(t.title)}</summary>")
    out.append(f'<div class="table-scroll" tabindex="0" role="region" aria-label="Bảng số liệu: {escape(t.title)}">')
    out.append('<table class="documents stats">')
    out.append("<thead><tr>" + "".join(f'<th scope="col"{num[j]}>{escape(h)}</th>'
                                       for j, h in enumerate(t.headers)) + "</tr></thead>")
    out.append("<tbody>" + "\n".join(row(r) for r in t.rows) + "</tbody>")
    if t.total:
        out.append("<tfoot>" + row(t.total) + "</tfoot>")
    out.append("</table>\n</div>" + ("\n</details>" if fold else ""))
    out += [f'<p class="note">{escape(note)}</p>' for note in t.notes]
    return "\n".join(out) + "\n"


REPORT_CSS = """
body { font-family: "Times New Roman", Times, serif; font-size: 13pt; color: #000; background: #fff;
       max-width: 50rem; margin: 1.5rem auto; padding: 0 1rem; line-height: 1.45; }
h1 { font-size: 16pt; text-transform: uppercase; text-align: center; }
h2 { font-size: 13pt; margin-top: 1.5rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { border: 1px solid #000; padding: .2rem .4rem; text-align: left; vertical-align: top; }
thead th, tfoot th, tfoot td { font-weight: bold; }
tbody th { font-weight: normal; }
.num { text-align: right; }
.note, .empty { font-style: italic; }
svg.chart { display: block; margin: .5rem 0; }
@page { size: A4; margin: 2cm 2cm 2cm 3cm; }
@media print { body { margin: 0; max-width: none; } section { page-break-inside: avoid; } }
"""


def to_html(r: Report) -> str:
    """A standalone page (inline CSS and SVG, nothing else to copy) to print or attach."""
    title = f"{r.heading} - {r.period.label}"
    out = ["<!DOCTYPE html>", '<html lang="vi">', "<head>", '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{escape(title)}</title>", f"<style>{REPORT_CSS}</style>", "</head>", "<body>", "<main>",
           f"<h1>{escape(r.heading)}</h1>",
           f"<p>Chuyên mục: {escape(r.site_title)}<br>Kỳ báo cáo: {escape(r.period_line)}<br>"
           f"Ngày lập: {short_date(r.made)}</p>"]
    for i, t in enumerate(r.tables, start=1):
        out += ["<section>", table_html(t, "h2", f"{i}. "), "</section>"]
    out += ["<footer>", "<h2>Ghi chú</h2>", "<ul>"] + [f"<li>{escape(n)}</li>" for n in r.notes]
    out += ["</ul>", "</footer>", "</main>", "</body>", "</html>"]
    return "\n".join(out) + "\n"


# --- the public page thong-ke/ -------------------------------------------------------------

def stats_view(site: Site, year: int) -> dict:
    """View data of one year on the public statistics page: the report's tables, as HTML."""
    r = build_report(site, year_period(year), listing=False)
    articles, documents = r.count, r.documents
    return {"year": year, "id": f"nam-{year}", "articles": articles, "documents": documents,
            "summary": f"{number(articles)} bài viết, {number(documents)} văn bản ban hành trong năm.",
            "sections": [Markup(table_html(t, "h3", fold=True)) for t in r.tables[1:] if t.public],
            "notes": [n for n in r.notes if n != DOCUMENTS_NOTE]}


def stats_page(site: Site) -> dict:
    """Context of thong-ke/index.html: the current year (the build's now) and the previous one."""
    year = (site.now or dt.datetime.now(site.settings.timezone)).year
    return {"years": [stats_view(site, y) for y in (year, year - 1)], "documents_note": DOCUMENTS_NOTE}
