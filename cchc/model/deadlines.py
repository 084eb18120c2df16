"""Posting deadlines: which documents and articles went up later than site.yaml's `deadlines:`
allow, counted in Vietnamese working days (core/workdays.py).

A document's clock starts on its `issued` (or `effective`) day and stops on its `posted:` day;
a document without `posted:` is not judged (the section cannot know when it went up). An
article's clock starts on the issue day of the newest document its `documents:` list names
(news of a new document) and stops on its own date. Pure data: `check` prints each late item as
a warning line, `report` lists them; neither is a build problem, since a late posting is a fact
of the past that no edit can fix, and must not stop `publish`.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cchc.core.config import Deadline, Settings
from cchc.core.messages import _
from cchc.core.problems import Problems
from cchc.core.vietnamese import short_date
from cchc.core.workdays import WorkCalendar
from cchc.model.site import Site, listed_documents

START_LABELS = {"issued": "ngày ban hành", "effective": "ngày có hiệu lực", "documents": "ngày ban hành văn bản"}


@dataclass(frozen=True)
class LatePosting:
    source: str
    line: int
    kind: str                 # "documents" or "articles"
    label: str                # "Nghị định 61/2018/NĐ-CP" or the article's title
    start: dt.date            # the day the clock started
    due: dt.date              # the last day allowed
    posted: dt.date
    late: int                 # working days after `due`
    rule: Deadline

    @property
    def message(self):
        return _("posted {days} working day(s) late: due {due} ({allowed} working days from {start_key} {start}), "
                 "posted {posted}", days=self.late, due=short_date(self.due), allowed=self.rule.working_days,
                 start_key=self.rule.start, start=short_date(self.start), posted=short_date(self.posted))


def calendar_of(settings: Settings) -> WorkCalendar:
    return WorkCalendar(settings.holidays_extra, settings.workdays_extra)


def late_postings(site: Site) -> tuple[list[LatePosting], int]:
    """(every late item, oldest first; documents under a rule without `posted:`)."""
    s = site.settings
    if not s.deadlines:
        return [], 0
    tz, calendar = s.timezone, calendar_of(s)
    late: list[LatePosting] = []
    unknown = 0

    def judge(rule: Deadline, source: str, line: int, label: str, start: dt.date, posted: dt.date) -> None:
        due = calendar.add(start, rule.working_days)
        if posted > due:
            late.append(LatePosting(source, line, rule.kind, label, start, due, posted,
                                    calendar.between(due, posted), rule))

    rule = s.deadline("documents")
    if rule is not None:
        for d in site.documents:
            start = d.issued if rule.start == "issued" else d.effective
            if start is None:
                continue
            if d.posted is None:
                unknown += 1
                continue
            judge(rule, d.source, d.line_of("posted"), f"{d.type} {d.symbol}", start.astimezone(tz).date(),
                  d.posted.astimezone(tz).date())
    rule = s.deadline("articles")
    if rule is not None:
        for a in site.articles:
            issued = [site.by_source[src].issued for src in listed_documents(a, site.legal, Problems())
                      if src in site.by_source]
            if issued:
                judge(rule, a.source, a.line_of("date"), a.title, max(issued).astimezone(tz).date(),
                      a.date.astimezone(tz).date())
    late.sort(key=lambda x: (x.posted, x.source))
    return late, unknown

