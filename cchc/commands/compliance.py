"""`python build.py check --compliance`: the legal duties of the section (model/compliance.py), each
with its source and whether the section meets it, and what to fill where it does not."""
from __future__ import annotations

import datetime as dt
import difflib
import sys
from pathlib import Path

from cchc.core.config import CONFIG_FILE
from cchc.core.messages import _
from cchc.core.problems import Problems
from cchc.core.vietnamese import short_date
from cchc.model.compliance import DUTIES, MISSING, NOT_APPLICABLE, PRESENT, Facts, Finding, duty_keys, evaluate
from cchc.model.site import Site
from cchc.render.templates import LAYOUTS_DIR

LABELS = {PRESENT: _("present"), MISSING: _("MISSING"), NOT_APPLICABLE: _("n/a")}


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
            problems.warning(CONFIG_FILE, line, _("compliance.{key}: no duty of that name is met by a portal page",
                                                  key=key),
                             _("did you mean '{key}'?", key=near[0]) if near and key not in duty_keys()
                             else _("duties a portal page may meet: {keys}", keys=sorted(carried)))
            continue
        pages[key] = url
    return Facts(site, layouts, pages)


def print_checklist(findings: list[Finding], on: dt.date, out=None) -> int:
    """Print the checklist; 1 when a duty in force is not met. How far a reading of a text can be
    trusted is said once, as a numbered note under the list."""
    out = out or sys.stdout
    notes: list[str] = []

    def note(caveat) -> str:
        if not caveat:
            return ""
        if caveat not in notes:
            notes.append(caveat)
        return f" [{notes.index(caveat) + 1}]"
    indent = "    "
    print(_("Legal duties of this section on {day} (the texts are quoted in cchc/model/compliance.py):",
            day=short_date(on)), file=out)
    for f in findings:
        print(file=out)
        print(_("[{status}] {key}: {title}", status=LABELS[f.status], key=f.duty.key, title=f.duty.title), file=out)
        for s in f.applying:
            when = ""
            if f.status == NOT_APPLICABLE:
                when = (_("in force from {day}", day=short_date(s.start)) if on < s.start else
                        _("in force until {day}, ended by {text}", day=short_date(s.end), text=s.ended_by) if s.end
                        else "")
            print(indent + s.cite() + note(s.caveat) + (f", {when}" if when else ""), file=out)
        if f.status == NOT_APPLICABLE and f.duty.after:
            print(indent + str(f.duty.after), file=out)
        if f.portal_page:
            print(indent + str(_("met on the portal: {url}", url=f.portal_page)), file=out)
        elif f.status == NOT_APPLICABLE:
            print(indent + str(_("provided anyway") if not f.gaps else
                               _("not required now; {count} item(s) missing", count=len(f.gaps))), file=out)
        for gap in f.gaps if f.status == MISSING else ():
            print(indent + "-> " + gap.fill + (f" ({gap.what})" if gap.what else ""), file=out)
        if f.status == MISSING and f.duty.portal:
            print(indent + "-> " + str(_("or site.yaml compliance.{key}: the address of the portal page that has it",
                                         key=f.duty.key)), file=out)
    if notes:
        print(file=out)
        for n, caveat in enumerate(notes, start=1):
            print(f"[{n}] {caveat}", file=out)
    counts = {status: sum(1 for f in findings if f.status == status) for status in LABELS}
    print(file=out)
    print(_("Checklist: {present} present, {missing} missing, {na} not applicable on {day}.",
            present=counts[PRESENT], missing=counts[MISSING], na=counts[NOT_APPLICABLE], day=short_date(on)), file=out)
    return 1 if counts[MISSING] else 0


def run_compliance(site: Site, site_dir: Path, problems: Problems, on: dt.date) -> int:
    facts = compliance_facts(site, site_dir, problems)
    return print_checklist(evaluate(facts, on), on)
