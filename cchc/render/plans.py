"""A plan's progress (model/plans.py) written out: text, Markdown, CSV and a standalone HTML page
for `report --plan`, and the view data of the public page ke-hoach/<slug>/.

Text, Markdown and HTML are the period report's writers (render/reports.py) given the plan's
tables, so the two reports look and read alike; the CSV is one row per piece of evidence, for
the Office's self-assessment file. Spreadsheet cells are neutralised (render/reports.cell_text) so a
title that starts with "=" is text, never a formula (OWASP, CSV injection).
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from markupsafe import Markup

from cchc.core.vietnamese import short_date
from cchc.model import routes
from cchc.model.plans import PlanProgress, plan_period, plan_progress
from cchc.model.site import Site
from cchc.model.stats import Report, Table
from cchc.render.reports import cell_text, table_html, to_html, to_markdown, to_text

NONE = "—"


@dataclass
class PlanReport(Report):
    """The period report's shape, with the plan's heading (render/reports.py writes it)."""
    title: str = ""

    @property
    def heading(self) -> str:
        return self.title


def tables(p: PlanProgress) -> list[Table]:
    """Summary, one row per item, items by quarter, then each item's evidence and what counted
    toward no item."""
    out = [Table("Tổng hợp", ["Nội dung", "Số lượng"], p.summary)]
    out.append(Table("Kết quả theo từng mục của kế hoạch",
                     ["Mục", "Nội dung", "Đơn vị chủ trì", "Chỉ tiêu", "Đã đạt (bài)", "Kết quả", "Quý chưa có bài"],
                     [[i.item.code, i.item.title, i.item.unit or NONE, i.target_text, i.achieved, i.status,
                       ", ".join(i.empty_quarters) or NONE] for i in p.items], chart=4))
    quarters = [label for label, _ in p.items[0].quarters] if p.items else []
    if quarters:
        out.append(Table("Số bài theo quý", ["Mục", *quarters, "Tổng"],
                         [[i.item.code, *(n for _, n in i.quarters), i.achieved] for i in p.items]))
    for i in p.items:
        out.append(Table(f"Mục {i.item.code}: {i.item.title}", ["Ngày đăng", "Tiêu đề", "Địa chỉ", "Chuyên mục", "Tác giả"],
                         [[short_date(e["date"]), e["title"], e["url"], e["category"], e["author"] or NONE]
                          for e in i.evidence], empty="Chưa có bài viết nào trong kỳ.",
                         notes=[f"Quý chưa có bài: {', '.join(i.empty_quarters)}."] if i.empty_quarters else []))
    out.append(Table("Bài viết trong kỳ không thuộc mục nào của kế hoạch",
                     ["Ngày đăng", "Tiêu đề", "Địa chỉ", "Chuyên mục", "Tác giả"],
                     [[short_date(e["date"]), e["title"], e["url"], e["category"], e["author"] or NONE]
                      for e in p.not_counted],
                     empty="Mọi bài viết trong kỳ đều được tính cho kế hoạch." if p.published else "Không có bài viết nào được đăng trong kỳ."))
    return out


def as_report(p: PlanProgress) -> PlanReport:
    return PlanReport(p.site_title, p.period, p.made, tables(p), p.notes, [], p.published, 0, title=p.heading)


def plan_text(p: PlanProgress) -> str:
    return to_text(as_report(p))


def plan_markdown(p: PlanProgress) -> str:
    return to_markdown(as_report(p))


def plan_html(p: PlanProgress) -> str:
    return to_html(as_report(p))


def plan_csv(p: PlanProgress) -> str:
    """One row per piece of evidence (an item with none: one row saying so), for Excel: UTF-8 with
    a BOM and ';' as render/reports.to_csv explains."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Mục", "Nội dung mục", "Đơn vị chủ trì", "Chỉ tiêu", "Kết quả", "STT", "Ngày đăng", "Tiêu đề",
                     "Chuyên mục", "Tác giả, đơn vị", "Địa chỉ"])
    for i in p.items:
        head = [i.item.code, i.item.title, i.item.unit, i.target_text, i.status]
        if not i.evidence:
            writer.writerow([cell_text(c) for c in head + ["", "", "Chưa có bài viết nào trong kỳ", "", "", ""]])
        for n, e in enumerate(i.evidence, start=1):
            writer.writerow([cell_text(c) for c in head + [n, e["date"].isoformat(), e["title"], e["category"],
                                                           e["author"], e["url"]]])
    return "\ufeff" + buffer.getvalue()


# --- the public page ke-hoach/<slug>/ --------------------------------------------------------

def plan_page(site: Site, plan, article_view) -> dict:
    """Context of ke-hoach/<slug>/index.html: the plan over its own period, with the same numbers
    as `report --plan SLUG` (no period given). article_view: render/views.Views.article, so the
    lists hold each article's shared view and `serve` updates them after a title edit."""
    p = plan_progress(site, plan, plan_period(plan))
    parts = tables(p)
    return {
        "title": plan.title, "plan": {"slug": plan.slug, "note": plan.note, "document": plan.document,
                                      "document_url": p.document_url},
        "period": p.period_line, "stats_url": routes.STATS,
        "sections": [Markup(table_html(t, "h2")) for t in parts[:3]],
        "items": [{"code": i.item.code, "title": i.item.title, "unit": i.item.unit, "status": i.status,
                   "target": i.target_text, "empty_quarters": i.empty_quarters, "id": f"muc-{n}",
                   "evidence": [article_view(site.by_source[e["source"]]) for e in i.evidence]}
                  for n, i in enumerate(p.items, start=1)],
        "not_counted": [article_view(site.by_source[e["source"]]) for e in p.not_counted],
        "notes": p.notes,
    }


def plans_list(site: Site) -> list[dict]:
    """The plans, for the link list on thong-ke/."""
    return [{"title": p.title, "url": routes.plan(p.slug), "period": plan_period(p).span} for p in site.plans]
