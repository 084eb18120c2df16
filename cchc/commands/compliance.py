"""`python build.py check --compliance`: the legal duties of the section (model/compliance.py), each
with its source and whether the section meets it, and what to fill where it does not."""
from __future__ import annotations

import datetime as dt
import difflib
import sys
from pathlib import Path

from cchc.core.config import CONFIG_FILE
from cchc.core.problems import Problems
from cchc.core.vietnamese import short_date
from cchc.model.compliance import DUTIES, MISSING, NOT_APPLICABLE, PRESENT, Facts, Finding, duty_keys, evaluate
from cchc.model.site import Site
from cchc.render.templates import LAYOUTS_DIR

LABELS = {PRESENT: "present", MISSING: "MISSING", NOT_APPLICABLE: "n/a"}


def compliance_facts(site: Site, site_dir: Path, problems: Problems) -> Facts:
    """The model, the text of every layout, and site.yaml's `compliance:` pages (an unknown duty
    there is a warning naming the nearest one)."""
    root = site_dir / LAYOUTS_DIR
    layouts = {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8", errors="replace")
               for p in sorted(root.rglob("*")) if p.is_file()} if root.is_dir() else {}
    carried = {d.key for d in DUTIES if d.portal}
    pages = {}
    for key, url, line in site.settings.compliance:
        if key not in carried:
            near = difflib.get_close_matches(key, sorted(carried), n=1, cutoff=0.5)
            problems.warning(CONFIG_FILE, line, f"compliance.{key}: no duty of that name is met by a portal page",
                             f"did you mean '{near[0]}'?" if near and key not in duty_keys()
                             else f"duties a portal page may meet: {', '.join(sorted(carried))}")
            continue
        pages[key] = url
    return Facts(site, layouts, pages)


def print_checklist(findings: list[Finding], on: dt.date, out=None) -> int:
    """Print the checklist; 1 when a duty in force is not met. How far a reading of a text can be
    trusted is said once, as a numbered note under the list."""
    out = out or sys.stdout
    notes: list[str] = []

    def note(caveat: str) -> str:
        if not caveat:
            return ""
        if caveat not in notes:
            notes.append(caveat)
        return f" [{notes.index(caveat) + 1}]"
    print(f"Legal duties of this section on {short_date(on)} (the texts are quoted in cchc/model/compliance.py):",
          file=out)
    for f in findings:
        print(f"\n[{LABELS[f.status]}] {f.duty.key}: {f.duty.title}", file=out)
        for s in f.applying:
            when = ""
            if f.status == NOT_APPLICABLE:
                when = (f", in force from {short_date(s.start)}" if on < s.start else
                        f", in force until {short_date(s.end)}, ended by {s.ended_by}" if s.end else "")
            print(f"    {s.cite()}{note(s.caveat)}{when}", file=out)
        if f.status == NOT_APPLICABLE and f.duty.after:
            print(f"    {f.duty.after}", file=out)
        if f.portal_page:
            print(f"    met on the portal: {f.portal_page}", file=out)
        elif f.status == NOT_APPLICABLE:
            print("    provided anyway" if not f.gaps else f"    not required now; {len(f.gaps)} item(s) missing", file=out)
        for gap in f.gaps if f.status == MISSING else ():
            print(f"    -> {gap.fill}" + (f" ({gap.what})" if gap.what else ""), file=out)
        if f.status == MISSING and f.duty.portal:
            print(f"    -> or site.yaml compliance.{f.duty.key}: the address of the portal page that has it", file=out)
    if notes:
        print("", file=out)
        for n, caveat in enumerate(notes, start=1):
            print(f"[{n}] {caveat}", file=out)
    counts = {status: sum(1 for f in findings if f.status == status) for status in LABELS}
    print(f"\nChecklist: {counts[PRESENT]} present, {counts[MISSING]} missing, {counts[NOT_APPLICABLE]} not applicable "
          f"on {short_date(on)}.", file=out)
    return 1 if counts[MISSING] else 0


def run_compliance(site: Site, site_dir: Path, problems: Problems, on: dt.date) -> int:
    facts = compliance_facts(site, site_dir, problems)
    return print_checklist(evaluate(facts, on), on)
