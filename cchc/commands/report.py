"""`python build.py report`: the Office's quarterly and yearly CCHC propaganda reports, and with
`--plan SLUG` the progress of a plan of content/plans/ with its evidence.

The numbers come from model/stats.py and model/plans.py (the model of one build, written nowhere:
Builder with write=False), written out by render/reports.py and render/plans.py as text,
Markdown, CSV or HTML, and a plan's also as Word and Excel (render/plan_office.py).
"""
from __future__ import annotations

import sys
from pathlib import Path

from cchc.core.messages import _
from cchc.core.problems import ERROR, Problem
from cchc.model.stats import PeriodError, build_report, parse_period, year_period
from cchc.render.reports import to_csv, to_html, to_markdown, to_text

FORMATS = ("text", "md", "csv", "html")
PLAN_FORMATS = FORMATS + ("docx", "xlsx")
BINARY = ("docx", "xlsx")


def run_report(args) -> int:
    """`python build.py report`: 0 written, 1 the content has errors or the file cannot be
    written, 2 an impossible period or format."""
    from cchc.build.builder import Builder
    from cchc.build.result import BuildOptions
    from cchc.commands.console import print_problems

    fmt = getattr(args, "format", "text") or "text"
    plan_slug = getattr(args, "plan", None)
    try:
        if fmt not in (PLAN_FORMATS if plan_slug else FORMATS):
            raise PeriodError(_("--format {format}: unknown format", format=fmt),
                              _("use text, md, csv, html, or with --plan also docx or xlsx")
                              if fmt not in BINARY else _("docx and xlsx are written for a plan: add --plan SLUG"))
        period = parse_period(args.year, args.quarter, args.date_from, args.date_to)
    except PeriodError as exc:
        print(Problem("build.py report", None, ERROR, exc.message, exc.hint), file=sys.stderr)
        return 2

    result = Builder(args.site, BuildOptions(write=False)).build()
    if result.site is None or result.problems.errors:
        print_problems(result.problems)
        print(_("No report: fix the errors above first, or the report would miss the files that cannot be read."),
              file=sys.stderr)
        return 1
    site = result.site
    if plan_slug:
        return _plan_report(args, site, plan_slug, period, fmt, result.problems)
    period = period or year_period(site.now.year)
    tz = site.settings.timezone
    dated = {a.source: a.date for a in result.content.articles if a.date}
    excluded = tuple(sum(1 for s in left if s in dated and dated[s].astimezone(tz).date() in period)
                     for left in (site.drafts, site.future))
    report = build_report(site, period, excluded)
    text = {"text": to_text, "md": to_markdown, "csv": to_csv, "html": to_html}[fmt](report)
    if result.problems.warnings:
        print(_("Note: the content has {count} warning(s) (python build.py check lists them); they do not change "
                "the counts.", count=len(result.problems.warnings)), file=sys.stderr)

    return _write(args.output, text, fmt, f"bao-cao-cchc-{period.slug}")


def _plan_report(args, site, slug: str, period, fmt: str, problems) -> int:
    from cchc.model.plans import plan_period, plan_progress
    from cchc.render.plans import plan_csv, plan_html, plan_markdown, plan_text
    plan = next((p for p in site.plans if p.slug == slug), None)
    if plan is None:
        known = [p.slug for p in site.plans] or _("none: add a file to content/plans/")
        print(Problem("build.py report", None, ERROR, _("--plan {slug}: no plan content/plans/{slug}.yaml (plans: {known})",
                                                        slug=slug, known=known)), file=sys.stderr)
        return 2
    progress = plan_progress(site, plan, period or plan_period(plan))
    if fmt in BINARY:
        from cchc.render.plan_office import plan_docx, plan_xlsx
        data = plan_docx(progress, site.settings.organization) if fmt == "docx" else plan_xlsx(progress)
    else:
        data = {"text": plan_text, "md": plan_markdown, "csv": plan_csv, "html": plan_html}[fmt](progress)
    if problems.warnings:
        print(_("Note: the content has {count} warning(s) (python build.py check lists them); they do not change "
                "the counts.", count=len(problems.warnings)), file=sys.stderr)
    return _write(args.output, data, fmt, f"ke-hoach-{slug}-{progress.period.slug}")


def _write(target, text: str | bytes, fmt: str, stem: str) -> int:
    """To the screen (text, md), or to a file: -o FILE, else `stem.fmt` here for the others."""
    from cchc.core.files import atomic_write
    if target is None and fmt not in ("text", "md"):
        target = Path(f"{stem}.{fmt}")
    if str(target) == "-" and fmt in BINARY:
        print(Problem("build.py report", None, ERROR, _("a {format} file cannot go to the screen (give -o FILE.{format})",
                                                        format=fmt)), file=sys.stderr)
        return 2
    if target is None or str(target) == "-":
        sys.stdout.write(text.replace("\r\n", "\n"))     # text mode adds the \r back on Windows
        return 0
    try:
        atomic_write(Path(target), text if isinstance(text, bytes) else text.encode("utf-8"))
    except OSError as exc:
        print(Problem(str(target), None, ERROR, _("cannot write the report: {reason}", reason=exc.strerror or str(exc)),
                      _("is the file open in Excel or another program? close it and run again")), file=sys.stderr)
        return 1
    print(_("Report written: {file}", file=target), file=sys.stderr)
    return 0
