"""How far the section has carried out a plan (core/plans.py): per item, the articles that count
toward it (the evidence, "tài liệu kiểm chứng", the province asks for when it scores the reform
index), the target for the period and whether it is met, and the quarters with nothing.

An article counts toward an item when its front matter names the item (`plan_items: ["II.1.a"]`)
or the item's `match` selects it (its category, one of its tags, or a document it cites). Only
published articles of the period count, taken from the same model as the period report
(model/stats.py), so the two reports cannot disagree: the plan report's "articles published"
is the period report's, and every one of them either counts toward an item or is listed as not
counted. Days are the site's time zone's. Pure data: render/plans.py writes it.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from cchc.core.content import Article
from cchc.core.legal import parse_citation
from cchc.core.plans import Plan, PlanItem
from cchc.core.vietnamese import short_date, slugify
from cchc.model.site import Site
from cchc.model.stats import QUARTERS, Period, year_period

MET, MISSED, OPEN, NO_TARGET = "Đạt", "Chưa đạt", "Đang thực hiện", "Không có chỉ tiêu"
PER_LABELS = {"month": "tháng", "quarter": "quý", "year": "năm", "period": "cả kỳ kế hoạch"}


# --- the progress of one plan over one period ----------------------------------------------

def plan_period(plan: Plan) -> Period:
    """The plan's own period, labelled as reports name it ("Năm 2021")."""
    if (plan.start.month, plan.start.day, plan.end.month, plan.end.day) == (1, 1, 12, 31) and plan.start.year == plan.end.year:
        return year_period(plan.start.year)
    return Period(plan.start, plan.end, f"Từ ngày {short_date(plan.start)} đến ngày {short_date(plan.end)}",
                  f"{plan.start.isoformat()}-{plan.end.isoformat()}")


@dataclass
class Unit:
    """One month, quarter or year (or the plan's whole period) of a target, within the report."""
    start: dt.date
    end: dt.date
    label: str
    whole: bool               # entirely inside the report period
    count: int = 0
    state: str = OPEN         # MET, MISSED or OPEN


@dataclass
class ItemProgress:
    item: PlanItem
    evidence: list[dict]                  # one per article, oldest first
    quarters: list[tuple[str, int]]       # ("Quý I/2021", count) for each quarter begun by the report's day
    units: list[Unit] = field(default_factory=list)
    status: str = NO_TARGET

    @property
    def achieved(self) -> int:
        return len(self.evidence)

    @property
    def target_total(self) -> int | None:
        """The target for the whole units of the report period (None: no target, or none whole)."""
        t = self.item.target
        whole = [u for u in self.units if u.whole]
        return t.articles * len(whole) if t is not None and whole else None

    @property
    def target_text(self) -> str:
        t = self.item.target
        if t is None:
            return "Kế hoạch không giao chỉ tiêu"
        text = f"{t.articles} bài/{PER_LABELS[t.per]}"
        total = self.target_total
        return f"{text} ({total} bài trong kỳ)" if total is not None and len(self.units) > 1 else text

    @property
    def empty_quarters(self) -> list[str]:
        return [label for label, n in self.quarters if n == 0]


@dataclass
class PlanProgress:
    plan: Plan
    period: Period
    made: dt.datetime
    items: list[ItemProgress]
    published: int                        # articles published in the period (= the period report's)
    not_counted: list[dict]               # published in the period, counted toward no item
    site_title: str = ""
    document_url: str = ""                # the plan's own entry in the document index (site-relative)
    notes: list[str] = field(default_factory=list)

    @property
    def counted(self) -> int:
        return self.published - len(self.not_counted)

    @property
    def heading(self) -> str:
        return f"Báo cáo kết quả thực hiện {self.plan.title[:1].lower()}{self.plan.title[1:]}"

    @property
    def period_line(self) -> str:
        if self.period.label.startswith("Từ"):
            return self.period.label
        return f"{self.period.label} ({self.period.span})"

    @property
    def summary(self) -> list[list]:
        """The totals, in the order every format shows them."""
        met = sum(1 for i in self.items if i.status == MET)
        targeted = sum(1 for i in self.items if i.item.target is not None)
        return [["Bài viết đã đăng trong kỳ", self.published],
                ["Bài viết được tính cho kế hoạch", self.counted],
                ["Bài viết không thuộc mục nào của kế hoạch", len(self.not_counted)],
                ["Mục của kế hoạch", len(self.items)],
                ["Mục có bài viết trong kỳ", sum(1 for i in self.items if i.achieved)],
                ["Mục có chỉ tiêu / đã đạt", f"{targeted} / {met}"]]


def plan_items_owner(site: Site, article: Article, code: str) -> Plan | None:
    """The plan an article's `plan_items` code belongs to: the only plan with that code, else the
    one whose period holds the article's day (periods never overlap: check_plans)."""
    having = [p for p in site.plans if p.item(code) is not None]
    if len(having) <= 1:
        return having[0] if having else None
    day = article.date.astimezone(site.settings.timezone).date()
    return next((p for p in having if p.start <= day <= p.end), None)


def plan_progress(site: Site, plan: Plan, period: Period) -> PlanProgress:
    tz = site.settings.timezone
    made = site.now or dt.datetime.now(tz)
    today = made.astimezone(tz).date()

    def day(a: Article) -> dt.date:
        return a.date.astimezone(tz).date()

    articles = sorted((a for a in site.articles if day(a) in period), key=lambda a: (a.date, a.source))
    names = {c.key: c.name for c, _ in site.categories}
    base = site.settings.base_url

    def row(a: Article) -> dict:
        url = site.url_of[a.source]
        return {"date": day(a), "title": a.title, "url": base + url, "page": url, "category": names.get(a.category, ""),
                "author": a.author, "source": a.source}

    items = []
    counted: set[str] = set()
    for item in plan.items:
        documents = _documents(site, item)
        chosen = [a for a in articles if _selects(site, plan, item, documents, a)]
        counted.update(a.source for a in chosen)
        days = [day(a) for a in chosen]
        quarters = [(f"Quý {QUARTERS[q.start.month // 3]}/{q.start.year}", sum(1 for d in days if d in q))
                    for q in _quarters(period) if q.start <= today]
        progress = ItemProgress(item, [row(a) for a in chosen], quarters)
        if item.target is not None:
            progress.units = _units(item.target.per, plan, period, days, item.target.articles, today)
            states = {u.state for u in progress.units}
            progress.status = MISSED if MISSED in states else OPEN if OPEN in states or not states else MET
        items.append(progress)
    not_counted = [row(a) for a in articles if a.source not in counted]
    document_url = ""
    if plan.document:
        citation = parse_citation(plan.document)
        resolved = site.legal.resolve_citation(citation).source if citation else None
        document_url = site.url_of.get(resolved, "") if resolved else ""
    result = PlanProgress(plan, period, made, items, len(articles), not_counted, site.settings.title, document_url)
    result.notes = _notes(plan, period, today, result)
    return result


def _notes(plan: Plan, period: Period, today: dt.date, r: PlanProgress) -> list[str]:
    notes = []
    own = plan_period(plan)
    if period.end < plan.start or period.start > plan.end:
        notes.append(f"Kỳ báo cáo nằm ngoài thời gian thực hiện kế hoạch ({own.span}): bài viết trong kỳ được "
                     "xếp theo các mục của kế hoạch để tham khảo.")
    elif period.start < plan.start or period.end > plan.end:
        notes.append(f"Kỳ báo cáo chỉ trùng một phần với thời gian thực hiện kế hoạch ({own.span}).")
    if period.end >= today:
        notes.append(f"Kỳ báo cáo chưa kết thúc: số liệu tính đến ngày {short_date(today)}.")
    if all(i.item.target is None for i in r.items):
        notes.append("Kế hoạch không giao chỉ tiêu số lượng bài viết cho các mục: cột Kết quả không đánh giá đạt hay chưa đạt.")
    notes.append("Một bài viết có thể được tính cho nhiều mục; số bài đã đăng trong kỳ khớp với báo cáo thống kê "
                 "định kỳ của cùng kỳ.")
    return notes


def _documents(site: Site, item: PlanItem) -> set[str]:
    out = set()
    for text in item.match.documents:
        citation = parse_citation(text)
        source = site.legal.resolve_citation(citation).source if citation else None
        if source:
            out.add(source)
    return out


def _selects(site: Site, plan: Plan, item: PlanItem, documents: set[str], a: Article) -> bool:
    if item.code in a.plan_items and plan_items_owner(site, a, item.code) is plan:
        return True
    m = item.match
    if a.category in m.categories:
        return True
    if m.tags and {slugify(t) for t in a.tags} & set(m.tags):
        return True
    return bool(documents and documents & set(site.cites.get(a.source, [])))


def _quarters(period: Period) -> list[Period]:
    out = []
    y, q = period.start.year, (period.start.month - 1) // 3 + 1
    while True:
        p = year_period(y, q)
        if p.start > period.end:
            return out
        out.append(p)
        y, q = (y + 1, 1) if q == 4 else (y, q + 1)


def _units(per: str, plan: Plan, period: Period, days: list[dt.date], need: int, today: dt.date) -> list[Unit]:
    """The target's units that overlap the report period, each with its count and state."""
    if per == "period":
        spans = [(plan.start, plan.end, "cả kỳ kế hoạch")]
    else:
        spans = []
        y, m = period.start.year, period.start.month
        step = {"month": 1, "quarter": 3, "year": 12}[per]
        m = 1 if per == "year" else m - (m - 1) % step
        while dt.date(y, m, 1) <= period.end:
            start = dt.date(y, m, 1)
            ny, nm = (y + (m + step - 1) // 12, (m + step - 1) % 12 + 1)
            end = dt.date(ny, nm, 1) - dt.timedelta(days=1)
            label = {"month": f"Tháng {m:02d}/{y}", "quarter": f"Quý {QUARTERS[(m - 1) // 3]}/{y}", "year": f"Năm {y}"}[per]
            spans.append((start, end, label))
            y, m = ny, nm
    units = []
    for start, end, label in spans:
        if end < period.start or start > period.end:
            continue
        u = Unit(start, end, label, whole=period.start <= start and end <= period.end)
        u.count = sum(1 for d in days if max(start, period.start) <= d <= min(end, period.end))
        u.state = MET if u.count >= need else MISSED if u.whole and end < today else OPEN
        units.append(u)
    return units
