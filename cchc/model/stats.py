"""Publication statistics of one period, from the model: what the Office's quarterly and yearly
CCHC propaganda reports count, and what the public thong-ke/ page shows.

The department's plan has the Office (Văn phòng Sở) report the results of reform propaganda
to the provincial People's Committee every quarter and year, and the section's published
content is that record. Counts come from the model every command shares, never from reading
content/ again, so a report cannot disagree with the published site. Days are taken in the
site's time zone: an article at 2021-03-31 23:30 +07:00 belongs to the first quarter.
Pure data: render/reports.py writes it as text, Markdown, CSV or HTML.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from cchc.core.legal import STATUS_LABELS
from cchc.core.messages import Message, _
from cchc.core.vietnamese import DateError, parse_date, short_date, sort_key
from cchc.model.site import Site

QUARTERS = ("I", "II", "III", "IV")          # reports name quarters in Roman numerals: "Quý I"
NO_AUTHOR = "(không ghi tác giả)"
STATUS_ORDER = ("con-hieu-luc", "het-hieu-luc-mot-phan", "het-hieu-luc", "chua-co-hieu-luc", "")
DOCUMENTS_NOTE = ("Văn bản trong kỳ là văn bản có ngày ban hành nằm trong kỳ báo cáo (hệ thống không lưu "
                  "ngày văn bản được đưa lên chuyên mục); tình trạng hiệu lực tính tại ngày lập báo cáo.")


class PeriodError(ValueError):
    """An impossible --year/--quarter/--from/--to; str() is the message, .hint how to fix it."""

    def __init__(self, message: Message, hint: Message):
        super().__init__(message)
        self.message, self.hint = message, hint


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
            raise PeriodError(_("--from/--to cannot be combined with --year/--quarter"),
                              _("give either --year Y [--quarter Q] or --from D --to D"))
        if date_from is None or date_to is None:
            raise PeriodError(_("--from and --to go together"), _("e.g. --from 2021-01-01 --to 2021-06-30"))
        start, end = _day("--from", date_from), _day("--to", date_to)
        if start > end:
            raise PeriodError(_("--from {start} is after --to {end}", start=short_date(start), end=short_date(end)),
                              _("swap the two dates"))
        return Period(start, end, f"Từ ngày {short_date(start)} đến ngày {short_date(end)}",
                      f"{start.isoformat()}-{end.isoformat()}")
    if quarter is not None:
        if quarter not in (1, 2, 3, 4):
            raise PeriodError(_("--quarter {quarter}: a year has quarters 1, 2, 3 and 4", quarter=quarter),
                              _("e.g. --year 2021 --quarter 1"))
        if year is None:
            raise PeriodError(_("--quarter needs --year"), _("e.g. --year 2021 --quarter {quarter}", quarter=quarter))
    if year is None:
        return None
    if not 1900 <= year <= 9999:
        raise PeriodError(_("--year {year} is not a year of the section", year=year), _("e.g. --year 2021"))
    return year_period(year, quarter)


def _day(option: str, text: str) -> dt.date:
    try:
        return parse_date(text, dt.timezone.utc).date()
    except DateError as exc:
        raise PeriodError(_("{key}: {problem}", key=option, problem=exc.message), _("use YYYY-MM-DD or DD/MM/YYYY")) from None


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
    public: bool = True           # shown on thong-ke/ too (the late postings are the Office's own)

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
    names = {c.key: c.name for c, __ in site.categories}
    n = len(articles)
    none_yet = "Không có bài viết nào được đăng trong kỳ."

    by_category = Counter(a.category for a in articles)
    categories = Table("Bài viết theo chuyên mục", ["Chuyên mục", "Số bài", "Tỷ lệ"],
                       [[c.name, by_category[c.key], percent(by_category[c.key], n)] for c, __ in site.categories]
                       if n else [], chart=1, total=["Tổng cộng", n, percent(n, n)] if n else None, empty=none_yet)
    idle = [c.name for c, __ in site.categories if not by_category[c.key]]
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
    types = sorted({t for t, __ in kinds}, key=lambda t: (order.get(t, len(order)), sort_key(t)))
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
    if site.settings.deadlines:
        tables.append(late_table(site, period))

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


def late_table(site: Site, period: Period) -> Table:
    """What went up later than site.yaml's `deadlines:` allow, posted in the period."""
    from cchc.model.deadlines import START_LABELS, late_postings
    late, unknown = late_postings(site)
    rows = [[x.label, f"{x.rule.working_days} ngày làm việc từ {START_LABELS[x.rule.start]} {short_date(x.start)}",
             short_date(x.due), short_date(x.posted), x.late] for x in late if x.posted in period]
    table = Table("Văn bản, bài viết đăng chậm so với thời hạn", ["Văn bản, bài viết", "Thời hạn đăng", "Hạn cuối",
                  "Ngày đăng", "Số ngày làm việc chậm"], rows, empty="Không có văn bản, bài viết nào đăng chậm trong kỳ.",
                  public=False)
    if unknown:
        table.notes.append(f"{number(unknown)} văn bản không ghi ngày đăng (posted) nên chưa xét được thời hạn.")
    return table
