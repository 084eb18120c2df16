"""`python build.py report`: the Office's quarterly and yearly CCHC propaganda reports.

The numbers come from model/stats.py (the model of one build, written nowhere: Builder with
write=False), written out by render/reports.py as text, Markdown, CSV or HTML.
"""
from __future__ import annotations

import sys
from pathlib import Path

from cchc.model.stats import PeriodError, build_report, parse_period, year_period
from cchc.render.reports import to_csv, to_html, to_markdown, to_text

FORMATS = ("text", "md", "csv", "html")


def run_report(args) -> int:
    """`python build.py report`: 0 written, 1 the content has errors or the file cannot be
    written, 2 an impossible period or format."""
    from cchc.build.builder import BuildOptions, Builder
    from cchc.commands.console import print_problems
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
