"""Publication statistics for the Office's quarterly and yearly CCHC propaganda reports.

The department's plan has the Office (Văn phòng Sở) report the results of reform propaganda
to the provincial People's Committee every quarter and year, and the section's published
content is that record. `python build.py report` turns the model of one build into those
numbers: text on screen, Markdown to paste into the report, CSV for Excel, or a standalone
HTML page with bar charts. The public page thong-ke/ shows the same tables and charts.

Counts come from the model every command shares (Builder with write=False), never from
reading content/ again, so a report cannot disagree with the published site. Days are taken
in the site's time zone: an article at 2021-03-31 23:30 +07:00 belongs to the first quarter.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import sys
from collections import Counter
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from markupsafe import Markup

from cchc.core.legal import STATUS_LABELS
from cchc.model.site import Site
from cchc.core.vietnamese import DateError, parse_date, short_date, sort_key

FORMATS = ("text", "md", "csv", "html")
QUARTERS = ("I", "II", "III", "IV")          # reports name quarters in Roman numerals: "Quý I"
NO_AUTHOR = "(không ghi tác giả)"
STATUS_ORDER = ("con-hieu-luc", "het-hieu-luc-mot-phan", "het-hieu-luc", "chua-co-hieu-luc", "")
DOCUMENTS_NOTE = ("Văn bản trong kỳ là văn bản có ngày ban hành nằm trong kỳ báo cáo (hệ thống không lưu "
                  "ngày văn bản được đưa lên chuyên mục); tình trạng hiệu lực tính tại ngày lập báo cáo.")


class PeriodError(ValueError):
    """An impossible --year/--quarter/--from/--to; str() is the message, .hint how to fix it."""

    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.hint = hint


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date                 # inclusive, as reports state periods
    label: str                   # "Quý I năm 2021"
    slug: str                    # "2021-quy-1", for default file names

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    @property
    def span(self) -> str:
        return f"từ ngày {short_date(self.start)} đến ngày {short_date(self.end)}"


def year_period(year: int, quarter: int | None = None) -> Period:
    if quarter is None:
        return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), f"Năm {year}", str(year))
    start = dt.date(year, 3 * quarter - 2, 1)
    end = dt.date(year + quarter // 4, 3 * quarter % 12 + 1, 1) - dt.timedelta(days=1)
    return Period(start, end, f"Quý {QUARTERS[quarter - 1]} năm {year}", f"{year}-quy-{quarter}")


def parse_period(year: int | None, quarter: int | None, date_from: str | None, date_to: str | None) -> Period | None:
    """The period the options name, None for "the current year" (known only after the build)."""
    if date_from is not None or date_to is not None:
        if year is not None or quarter is not None:
            raise PeriodError("--from/--to cannot be combined with --year/--quarter",
                              "give either --year Y [--quarter Q] or --from D --to D")
        if date_from is None or date_to is None:
            raise PeriodError("--from and --to go together", "e.g. --from 2021-01-01 --to 2021-06-30")
        start, end = _day("--from", date_from), _day("--to", date_to)
        if start > end:
            raise PeriodError(f"--from {short_date(start)} is after --to {short_date(end)}",
                              "swap the two dates")
        return Period(start, end, f"Từ ngày {short_date(start)} đến ngày {short_date(end)}",
                      f"{start.isoformat()}-{end.isoformat()}")
    if quarter is not None:
        if quarter not in (1, 2, 3, 4):
            raise PeriodError(f"--quarter {quarter}: a year has quarters 1, 2, 3 and 4", "e.g. --year 2021 --quarter 1")
        if year is None:
            raise PeriodError("--quarter needs --year", f"e.g. --year 2021 --quarter {quarter}")
    if year is None:
        return None
    if not 1900 <= year <= 9999:
        raise PeriodError(f"--year {year} is not a year of the section", "e.g. --year 2021")
    return year_period(year, quarter)


def _day(option: str, text: str) -> dt.date:
    try:
        return parse_date(text, dt.timezone.utc).date()
    except DateError as exc:
        raise PeriodError(f"{option}: {exc}", "use YYYY-MM-DD or DD/MM/YYYY") from None


# --- numbers -------------------------------------------------------------------------------

def number(n: int) -> str:
    """Vietnamese grouping: 1.234.567 (a dot for thousands)."""
    return f"{n:,}".replace(",", ".")


def percent(part: int, whole: int) -> str:
    """Vietnamese decimals: 12,5% (a comma before the decimals)."""
    return f"{100 * part / whole:.1f}".replace(".", ",") + "%" if whole else "-"


def cell(value) -> str:
    return number(value) if isinstance(value, int) else str(value)


# --- the report as data --------------------------------------------------------------------

@dataclass
class Table:
    """One numbered section of the report. Rows keep ints, each output formats them."""
    title: str
    headers: list[str]
    rows: list[list]
    chart: int | None = None      # column charted against the first one (None: no chart)
    total: list | None = None     # a closing "Tổng cộng" row, never charted
    empty: str = ""               # said instead of the table when it has no rows
    notes: list[str] = field(default_factory=list)

    @property
    def bars(self) -> list[tuple[str, int]]:
        return [(str(r[0]), r[self.chart]) for r in self.rows] if self.chart is not None else []


@dataclass
class Report:
    site_title: str
    period: Period
    made: dt.datetime
    tables: list[Table]
    notes: list[str]
    articles: list[dict]          # one per article of the period, oldest first (the CSV)
    count: int = 0                # articles published in the period
    documents: int = 0            # documents issued in the period

    @property
    def heading(self) -> str:
        return "Báo cáo kết quả tuyên truyền cải cách hành chính"

    @property
    def period_line(self) -> str:
        if self.period.label.startswith("Từ"):
            return self.period.label
        return f"{self.period.label} ({self.period.span})"


def build_report(site: Site, period: Period, excluded: tuple[int, int] | None = None,
                 listing: bool = True) -> Report:
    """The numbers of one period. excluded: (drafts, future articles) dated in it, when known;
    listing: also the per-article rows of the CSV (the public page does not need them)."""
    tz = site.settings.timezone

    def day(moment: dt.datetime) -> dt.date:
        return moment.astimezone(tz).date()

    # Only the years around the period are looked at: the page is rebuilt on every save in `serve`.
    near = [a for y, items in site.years if period.start.year - 1 <= y <= period.end.year + 1 for a in items]
    articles = [a for a in reversed(near) if day(a.date) in period]
    documents = [d for d in site.documents if day(d.issued) in period]
    names = {c.key: c.name for c, _ in site.categories}
    n = len(articles)
    none_yet = "Không có bài viết nào được đăng trong kỳ."

    by_category = Counter(a.category for a in articles)
    categories = Table("Bài viết theo chuyên mục", ["Chuyên mục", "Số bài", "Tỷ lệ"],
                       [[c.name, by_category[c.key], percent(by_category[c.key], n)] for c, _ in site.categories]
                       if n else [], chart=1, total=["Tổng cộng", n, percent(n, n)] if n else None, empty=none_yet)
    idle = [c.name for c, _ in site.categories if not by_category[c.key]]
    if n and idle:
        categories.notes.append("Chuyên mục chưa có bài trong kỳ: " + "; ".join(idle) + ".")

    by_month = Counter((d.year, d.month) for d in (day(a.date) for a in articles))
    months = Table("Bài viết theo tháng", ["Tháng", "Số bài"],
                   [[f"Tháng {m:02d}/{y}", by_month[(y, m)]] for y, m in _months(period)] if n else [],
                   chart=1, total=["Tổng cộng", n] if n else None, empty=none_yet)

    by_author = Counter(a.author.strip() or NO_AUTHOR for a in articles)
    authors = Table("Bài viết theo tác giả, đơn vị", ["Tác giả, đơn vị", "Số bài"],
                    [[name, k] for name, k in sorted(by_author.items(), key=lambda x: (-x[1], sort_key(x[0])))],
                    chart=1, total=["Tổng cộng", n] if n else None, empty=none_yet)

    kinds = Counter((d.type, site.legal.facts[d.source].status or "") for d in documents)
    statuses = [s for s in STATUS_ORDER if s or any(k[1] == "" for k in kinds)]
    order = {t: i for i, t in enumerate(site.settings.document_types)}
    types = sorted({t for t, _ in kinds}, key=lambda t: (order.get(t, len(order)), sort_key(t)))
    legal = Table("Văn bản ban hành trong kỳ, theo loại và tình trạng hiệu lực",
                  ["Loại văn bản", *(STATUS_LABELS[s] for s in statuses), "Tổng"],
                  [[t, *(kinds[(t, s)] for s in statuses), sum(kinds[(t, s)] for s in statuses)] for t in types],
                  chart=len(statuses) + 1,
                  total=["Tổng cộng", *(sum(kinds[(t, s)] for t in types) for s in statuses), len(documents)]
                  if documents else None,
                  empty="Không có văn bản nào ban hành trong kỳ.")

    # cites holds front-matter and body citations alike (links.py fills in the body ones).
    citing = Counter(src for a in articles for src in set(site.cites.get(a.source, [])))
    cited = [[f"{d.type} {d.symbol}", d.title, citing[d.source]] for d in site.documents if citing[d.source]]
    cited.sort(key=lambda r: -r[2])         # stable: ties stay newest document first
    citations = Table("Văn bản được bài viết trong kỳ trích dẫn", ["Văn bản", "Trích yếu", "Số bài trích dẫn"],
                      cited, chart=2, empty="Không có bài viết nào trong kỳ trích dẫn văn bản của hệ thống văn bản.")

    summary = [["Bài viết đã đăng", n],
               ["Chuyên mục có bài", f"{number(len(by_category))}/{number(len(site.categories))}"],
               ["Tác giả, đơn vị có bài", len(by_author)],
               ["Văn bản ban hành trong kỳ (có trong hệ thống văn bản)", len(documents)],
               ["Văn bản được bài viết trích dẫn", len(cited)],
               ["Lượt trích dẫn văn bản trong bài viết", sum(r[2] for r in cited)]]
    notes = []
    if excluded is not None:
        drafts, future = excluded
        summary += [["Không tính: bài nháp", drafts], ["Không tính: bài hẹn giờ đăng", future]]
        notes.append(f"Không tính {number(drafts)} bài nháp và {number(future)} bài hẹn giờ đăng "
                     "(ngày đăng sau thời điểm lập báo cáo) có ngày trong kỳ.")
    made = site.now or dt.datetime.now(tz)
    if period.end >= made.date():
        notes.append(f"Kỳ báo cáo chưa kết thúc: số liệu tính đến ngày {short_date(made)}.")
    notes.append(DOCUMENTS_NOTE)
    tables = [Table("Tổng hợp", ["Nội dung", "Số lượng"], summary), categories, months, authors, legal, citations]

    base = site.settings.base_url
    rows = [{"date": day(a.date), "time": a.date.astimezone(tz).strftime("%H:%M"), "title": a.title,
             "category": names[a.category], "author": a.author, "url": base + site.url_of[a.source],
             "documents": ", ".join(f"{site.by_source[s].type} {site.by_source[s].symbol}"
                                    for s in site.cites.get(a.source, []) if s in site.by_source)}
            for a in (articles if listing else [])]
    return Report(site.settings.title, period, made, tables, notes, rows, n, len(documents))


def _months(period: Period):
    y, m = period.start.year, period.start.month
    while (y, m) <= (period.end.year, period.end.month):
        yield y, m
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


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


def to_markdown(r: Report) -> str:
    def md(value) -> str:
        return cell(value).replace("\\", "\\\\").replace("|", "\\|")

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
        writer.writerow([i, a["date"].isoformat(), a["time"], a["title"], a["category"], a["author"],
                         a["documents"], a["url"]])
    return "\ufeff" + buffer.getvalue()


# --- charts and HTML -----------------------------------------------------------------------

CHART_WIDTH, LABEL_WIDTH, ROW, BAR = 640, 250, 26, 16
BAR_SPACE = CHART_WIDTH - LABEL_WIDTH - 70          # room left for the value after the longest bar
LABEL_CHARS = 36


def bar_chart(title: str, bars: list[tuple[str, int]]) -> str:
    """Horizontal bars as inline SVG: no script, black on white (prints in black and white),
    lengths proportional to the counts, and an accessible name that reads out every value
    (the table beside it is the full alternative)."""
    top = max((v for _, v in bars), default=0)
    height = ROW * len(bars) + 8
    spoken = "; ".join(f"{label}: {number(v)}" for label, v in bars)
    out = [f'<svg class="chart" role="img" aria-label="{escape(f"Biểu đồ: {title}. {spoken}")}" '
           f'viewBox="0 0 {CHART_WIDTH} {height}" width="100%" style="max-width:{CHART_WIDTH}px;height:auto" '
           f'font-family="Arial, sans-serif" font-size="13">', f"<title>{escape(title)}</title>"]
    for i, (label, value) in enumerate(bars):
        y = 4 + i * ROW
        width = round(BAR_SPACE * value / top, 2) if top else 0
        short = _clip(label, LABEL_CHARS)
        out.append(f'<text x="{LABEL_WIDTH - 6}" y="{y + BAR - 3}" text-anchor="end" fill="#000">{escape(short)}</text>')
        out.append(f'<rect class="bar" x="{LABEL_WIDTH}" y="{y}" width="{width}" height="{BAR}" '
                   f'fill="#555" stroke="#000" stroke-width="1"/>')
        out.append(f'<text x="{LABEL_WIDTH + width + 6}" y="{y + BAR - 3}" fill="#000">{number(value)}</text>')
    out.append(f'<line x1="{LABEL_WIDTH}" y1="0" x2="{LABEL_WIDTH}" y2="{height}" stroke="#000"/>')
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
            "sections": [Markup(table_html(t, "h3", fold=True)) for t in r.tables[1:]],
            "notes": [n for n in r.notes if n != DOCUMENTS_NOTE]}


def stats_page(site: Site) -> dict:
    """Context of thong-ke/index.html: the current year (the build's now) and the previous one."""
    year = (site.now or dt.datetime.now(site.settings.timezone)).year
    return {"years": [stats_view(site, y) for y in (year, year - 1)], "documents_note": DOCUMENTS_NOTE}


# --- the command ---------------------------------------------------------------------------

def run_report(args) -> int:
    """`python build.py report`: 0 written, 1 the content has errors or the file cannot be
    written, 2 an impossible period or format."""
    from cchc.build.builder import BuildOptions, Builder
    from cchc.commands.cli import print_problems
    from cchc.core.files import atomic_write

    fmt = getattr(args, "format", "text") or "text"
    try:
        if fmt not in FORMATS:
            raise PeriodError(f"--format {fmt}: unknown format", "use text, md, csv or html")
        period = parse_period(args.year, args.quarter, args.date_from, args.date_to)
    except PeriodError as exc:
        print(f"build.py report: error: {exc} ({exc.hint})", file=sys.stderr)
        return 2

    result = Builder(args.site, BuildOptions(write=False)).build()
    if result.site is None or result.problems.errors:
        print_problems(result.problems)
        print("No report: fix the errors above first, or the report would miss the files that cannot be read.",
              file=sys.stderr)
        return 1
    site = result.site
    period = period or year_period(site.now.year)
    tz = site.settings.timezone
    dated = {a.source: a.date for a in result.content.articles if a.date}
    excluded = tuple(sum(1 for s in left if s in dated and dated[s].astimezone(tz).date() in period)
                     for left in (site.drafts, site.future))
    report = build_report(site, period, excluded)
    text = {"text": to_text, "md": to_markdown, "csv": to_csv, "html": to_html}[fmt](report)
    if result.problems.warnings:
        print(f"Note: the content has {len(result.problems.warnings)} warning(s) (python build.py check lists them); "
              "they do not change the counts.", file=sys.stderr)

    target = args.output
    if target is None and fmt in ("csv", "html"):
        target = Path(f"bao-cao-cchc-{period.slug}.{fmt}")
    if target is None or str(target) == "-":
        sys.stdout.write(text.replace("\r\n", "\n"))     # text mode adds the \r back on Windows
        return 0
    try:
        atomic_write(Path(target), text.encode("utf-8"))
    except OSError as exc:
        print(f"{target}: error: cannot write the report: {exc.strerror or exc} "
              "(is the file open in Excel or another program? close it and run again)", file=sys.stderr)
        return 1
    print(f"Report written: {target}", file=sys.stderr)
    return 0
