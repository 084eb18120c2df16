"""What a build is asked (BuildOptions) and what it answers (BuildResult), for the commands."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from cchc.build.output import WriteStats
from cchc.core.config import Settings
from cchc.core.content import Content
from cchc.core.problems import Problems
from cchc.model.site import Site

FULL = "full"    # every phase ran: settings, content, model, plan, render, write, search
FAST = "fast"    # serve's fast path (fast_path.py): only the pages showing what a save changed


@dataclass
class BuildOptions:
    out_dir: Path | None = None       # default: <site>/output
    drafts: bool = False
    future: bool = False
    strict: bool = False
    base_url: str | None = None
    jobs: int = 0                     # 0: one per CPU
    quiet: bool = False
    for_disk: bool = False
    write: bool = True                # False for `check`
    cache: bool = True                # False: ignore .cache/ and render every page (a cold build)
    now: dt.datetime | None = None    # the moment "future" is measured from (tests set it)


@dataclass
class BuildResult:
    problems: Problems
    settings: Settings | None = None
    content: Content | None = None
    site: Site | None = None
    rendered: list[str] = field(default_factory=list)      # output paths rendered by this build
    stats: WriteStats | None = None   # what was written and removed (None: nothing was written)
    seconds: float = 0.0
    pages: int = 0                    # output files the section consists of (rendered or not)
    timings: dict[str, float] = field(default_factory=dict)   # seconds per phase (the progress labels)
    path: str = FULL                  # FULL, or FAST when serve's fast path built it

    @property
    def ok(self) -> bool:
        return not self.problems.errors

    def failed(self, strict: bool) -> bool:
        return bool(self.problems.errors or (strict and self.problems.warnings))
