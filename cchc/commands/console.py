"""What the commands print for people: problems one per line, compiler style (sorted by file and
line, so editors' tools can jump to them), and the items a build left out."""
from __future__ import annotations

import sys

from cchc.build.builder import BuildResult
from cchc.core.problems import Problems


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
        print(f"{source}: note: draft, left out (build --drafts to include it)", file=out)
    for source in site.future:
        print(f"{source}: note: dated in the future, left out (build --future to include it)", file=out)
