"""What the commands print for people: problems one per line, compiler style (sorted by file and
line, so editors' tools can jump to them), and the items a build left out."""
from __future__ import annotations

import sys

from cchc.build.result import BuildResult
from cchc.core.messages import _
from cchc.core.problems import WARNING, Problem, Problems


def print_problems(problems: Problems, out=None) -> None:
    out = out or sys.stderr
    for p in problems.sorted():
        print(p, file=out)


def print_left_out(result: BuildResult, out=None) -> None:
    out = out or sys.stderr
    site = result.site
    if site is None:
        return
    for source in site.drafts:
        print(_("{file}: note: draft, left out (build --drafts to include it)", file=source), file=out)
    for source in site.future:
        print(_("{file}: note: dated in the future, left out (build --future to include it)", file=source), file=out)


def print_late(result: BuildResult, out=None) -> int:
    """One warning line per item posted later than site.yaml's `deadlines:` allow (not a build
    problem: the past cannot be edited, so it neither fails --strict nor stops publish).
    Returns how many."""
    from cchc.model.deadlines import late_postings
    out = out or sys.stderr
    if result.site is None:
        return 0
    late = late_postings(result.site)[0]
    for item in late:
        print(Problem(item.source, item.line, WARNING, item.message), file=out)
    return len(late)
