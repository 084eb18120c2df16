"""Posting deadlines in Vietnamese working days: site.yaml's `deadlines:`, documents' `posted:`,
the holidays package's Vietnam calendar and site.yaml's compensatory days; `check` warns for each
late item and `report` lists them, and neither stops a strict build or a publish."""
from __future__ import annotations

import datetime as dt
import re

import pytest

from conftest import MINIMAL_SITE_YAML, cli, minimal_site

# The 2025 swap for civil servants: Friday 2/5/2025 off, made up on Saturday 26/4/2025. Source:
# Thông báo 6150/TB-BLĐTBXH (2024) of Bộ Lao động - Thương binh và Xã hội, implementing the Prime
# Minister's instruction in Công văn 8726/VPCP-KGVX ngày 26/11/2024 of Văn phòng Chính phủ; quoted
# in /work/notes/legal-duties.md §7 ("Công chức, viên chức được hoán đổi ngày làm việc từ thứ Sáu
# ngày 2/5/2025 sang thứ Bảy ngày 26/4/2025").
SWAP_2025 = """\
deadlines:
  documents: {working_days: 2, from: issued}
  articles: {working_days: 2, from: documents}
holidays_extra:
  - {date: 2025-05-02, source: "Thông báo 6150/TB-BLĐTBXH; Công văn 8726/VPCP-KGVX ngày 26/11/2024"}
workdays_extra:
  - {date: 2025-04-26, source: "Thông báo 6150/TB-BLĐTBXH; Công văn 8726/VPCP-KGVX ngày 26/11/2024"}
"""


def test_a_document_issued_on_tuesday_29_april_2025_is_due_on_tuesday_6_may():
    """Two working days from Tuesday 29/4/2025: 30/4 and 1/5 are holidays, 2/5 the swapped day
    off, 3-4/5 the weekend; Monday 5/5 is the first working day and Tuesday 6/5 the second."""
    from cchc.core.workdays import WorkCalendar
    calendar = WorkCalendar((dt.date(2025, 5, 2),), (dt.date(2025, 4, 26),))
    assert dt.date(2025, 4, 29).weekday() == 1          # a Tuesday
    assert calendar.add(dt.date(2025, 4, 29), 2) == dt.date(2025, 5, 6)
    assert [calendar.is_working_day(dt.date(2025, 4, d)) for d in (26, 27, 30)] == [True, False, False]
    assert not calendar.is_working_day(dt.date(2025, 5, 1)) and not calendar.is_working_day(dt.date(2025, 5, 2))
    # The made-up Saturday counts: one working day from Friday 25/4 is Saturday 26/4.
    assert calendar.add(dt.date(2025, 4, 25), 1) == dt.date(2025, 4, 26)
    # Tết Ất Tỵ (Công văn 8726: 25/1-2/2/2025 off): one working day from Friday 24/1 is Monday 3/2.
    assert calendar.add(dt.date(2025, 1, 24), 1) == dt.date(2025, 2, 3)
    assert calendar.between(dt.date(2025, 5, 6), dt.date(2025, 5, 9)) == 3


def test_site_yaml_days_win_over_the_package():
    from cchc.core.workdays import WorkCalendar
    plain, extra = WorkCalendar(), WorkCalendar((dt.date(2025, 6, 3),), (dt.date(2025, 6, 7),))
    assert plain.add(dt.date(2025, 6, 2), 1) == dt.date(2025, 6, 3)
    assert extra.add(dt.date(2025, 6, 2), 1) == dt.date(2025, 6, 4)     # 3/6 declared off
    assert extra.add(dt.date(2025, 6, 6), 1) == dt.date(2025, 6, 7)     # Saturday 7/6 declared worked
    assert not WorkCalendar((), ()).is_working_day(dt.date(2025, 9, 2))   # Quốc khánh, from the package


@pytest.fixture
def late_site(tmp_path):
    s = minimal_site(tmp_path / "site", MINIMAL_SITE_YAML + SWAP_2025)
    s.document("nd-1", "1/2025/NĐ-CP", "Nghị định", "2025-04-29", posted="2025-05-09")   # 3 working days late
    s.document("nd-2", "2/2025/NĐ-CP", "Nghị định", "2025-04-29", posted="2025-05-06")   # on the last day
    s.document("nd-3", "3/2025/NĐ-CP", "Nghị định", "2025-04-29")                        # no posted: not judged
    s.article("2025/tin", title="Tin về Nghị định 2", date='"2025-05-08 09:00"', documents='["2/2025/NĐ-CP"]')
    return s


def test_check_warns_for_each_late_item_and_still_passes_strict(late_site):
    run = late_site.check("--strict")
    assert run.code == 0, run.err
    late = [re.sub(r"^(\S+?):\d+:", r"\1:N:", line) for line in run.lines if "late" in line and "warning" in line]
    assert late == [
        "content/articles/2025/tin.md:N: warning: posted 2 working day(s) late: due 06/05/2025 "
        "(2 working days from documents 29/04/2025), posted 08/05/2025",
        "content/documents/nd-1.md:N: warning: posted 3 working day(s) late: due 06/05/2025 "
        "(2 working days from issued 29/04/2025), posted 09/05/2025"]
    line = next(line for line in run.lines if line.startswith("content/documents/nd-1.md:"))
    assert line.startswith("content/documents/nd-1.md:7: warning:")     # the posted: line
    assert "2 item(s) posted after their deadline" in run.out
    assert late_site.build("--strict").code == 0


def test_report_lists_the_late_items_of_its_period(late_site, tmp_path):
    out = tmp_path / "r.md"
    run = cli("report", "--year", "2025", "--format", "md", "-o", str(out), site=late_site.root)
    assert run.code == 0, run.err
    text = out.read_text(encoding="utf-8")
    assert "## 7. Văn bản, bài viết đăng chậm so với thời hạn" in text
    assert ("| Nghị định 1/2025/NĐ-CP | 2 ngày làm việc từ ngày ban hành 29/04/2025 | 06/05/2025 | 09/05/2025 | 3 |"
            in text)
    assert "| Tin về Nghị định 2 |" in text
    assert "1 văn bản không ghi ngày đăng (posted) nên chưa xét được thời hạn." in text
    other = tmp_path / "r2024.md"
    assert cli("report", "--year", "2024", "--format", "md", "-o", str(other), site=late_site.root).code == 0
    assert "Không có văn bản, bài viết nào đăng chậm trong kỳ." in other.read_text(encoding="utf-8")
    # The public statistics page does not show the Office's own late list.
    assert late_site.build().code == 0
    assert "đăng chậm" not in late_site.read("thong-ke/index.html")


def test_without_deadlines_nothing_changes(site, tmp_path):
    site.document("nd-1", "1/2025/NĐ-CP", "Nghị định", "2025-04-29", posted="2025-06-09")
    run = site.check()
    assert run.code == 0 and not [line for line in run.lines if "late" in line]
    out = tmp_path / "r.md"
    assert cli("report", "--year", "2025", "--format", "md", "-o", str(out), site=site.root).code == 0
    assert "đăng chậm" not in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("extra, expected", [
    ("deadlines: {documents: {working_days: 2, from: posted}}\n",
     'site.yaml:N: error: deadlines.documents.from: "posted" is not one of: issued, effective'),
    ("deadlines: {documents: {working_days: hai, from: issued}}\n",
     'site.yaml:N: error: deadlines.documents.working_days: expected a whole number of at least 0, found "hai"'),
    ("holidays_extra: [2025-02-30]\n",
     'site.yaml:N: error: holidays_extra[1]: expected a day, found "2025-02-30"'),
    ("holidays_extra: [2025-05-02]\nworkdays_extra: [2025-05-02]\n",
     "site.yaml:N: error: workdays_extra: 02/05/2025 is also in holidays_extra"),
])
def test_bad_deadline_settings_are_errors_with_their_line(tmp_path, extra, expected):
    s = minimal_site(tmp_path / "site", MINIMAL_SITE_YAML + extra)
    run = s.check()
    assert run.code == 1
    assert expected in [re.sub(r"^site\.yaml:\d+:", "site.yaml:N:", line).split(" (")[0] for line in run.lines]


def test_posted_before_issued_is_a_warning(site):
    site.document("nd-1", "1/2025/NĐ-CP", "Nghị định", "2025-04-29", posted="2025-04-28")
    assert "content/documents/nd-1.md:7: warning: posted: 28/04/2025 is before the issue date 29/04/2025 " \
           "(write the day the entry went up on the section)" in site.check().lines


def test_new_document_records_today_as_posted(site):
    run = cli("new", "document", "5/2025/NĐ-CP", "--type", "Nghị định", site=site.root)
    assert run.code == 0, run.err
    text = (site.root / "content/documents/5-2025-nd-cp.md").read_text(encoding="utf-8")
    from zoneinfo import ZoneInfo
    assert f"posted: {dt.datetime.now(ZoneInfo('Asia/Ho_Chi_Minh')):%Y-%m-%d}" in text
