"""Scheduled articles appear at their time in Asia/Ho_Chi_Minh whatever the server's time zone, and
`publish TARGET --due` publishes only when something became due since the last publish: real
processes with the host's time zone set to UTC and to America/New_York (TZ), as on a server
abroad or a laptop set to another zone."""
from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from zoneinfo import ZoneInfo

import pytest

from conftest import MINIMAL_SITE_YAML, REPO, Run, minimal_site

VN = ZoneInfo("Asia/Ho_Chi_Minh")
HOST_ZONES = ["UTC", "America/New_York"]


def run_in(tz: str, *args: str, cwd) -> Run:
    env = dict(os.environ, TZ=tz)
    p = subprocess.run([sys.executable, str(REPO / "build.py"), *args], cwd=cwd, capture_output=True, text=True,
                       encoding="utf-8", env=env, timeout=300)
    return Run(p.returncode, p.stdout, p.stderr)


def vn(minutes: int) -> str:
    """A front-matter date `minutes` from now, written as an editor writes it: Vietnam's wall clock."""
    return f'"{dt.datetime.now(VN) + dt.timedelta(minutes=minutes):%Y-%m-%d %H:%M}"'


@pytest.mark.parametrize("tz", HOST_ZONES)
def test_scheduled_articles_appear_at_their_time_in_vietnam(tmp_path, tz):
    s = minimal_site(tmp_path / "site")
    s.article("da-den-gio", title="Đã đến giờ", date=vn(-2))          # 2 minutes ago in Vietnam
    s.article("sap-den-gio", title="Sắp đến giờ", date=vn(120))       # in 2 hours in Vietnam
    s.article("cuoi-ngay", title="Cuối ngày", date=vn(60 * 11))       # later today or tomorrow in Vietnam
    s.article("hom-nay", title="Hôm nay", date=f"{dt.datetime.now(VN):%Y-%m-%d}")   # today, Vietnam's date
    # A host in New York reading "HH:MM" as its own time would put "2 minutes ago" 12 hours ahead
    # (hidden); a UTC host would put "in 2 hours" 5 hours in the past (shown).
    run = run_in(tz, "build", "--quiet", cwd=s.root)
    assert run.code == 0, run.err
    news = s.read("tin-tuc/index.html")
    assert "Đã đến giờ" in news and "Hôm nay" in news
    assert "Sắp đến giờ" not in news and "Cuối ngày" not in news
    assert not (s.root / "output/tin-tuc/sap-den-gio").exists()
    check = run_in(tz, "check", cwd=s.root)
    assert "content/articles/sap-den-gio.md: note: dated in the future, left out" in check.err


@pytest.mark.parametrize("tz", HOST_ZONES)
def test_publish_due_sends_only_what_became_due(tmp_path, tz):
    target = tmp_path / "server"
    s = minimal_site(tmp_path / "site", MINIMAL_SITE_YAML + f'publish:\n  server: {{protocol: dir, path: "{target.as_posix()}"}}\n')
    s.article("hen-gio", title="Bài hẹn giờ", date=vn(180))

    never = run_in(tz, "publish", "server", "--due", cwd=s.root)
    assert never.code == 0 and "never published to" in never.err
    assert not target.exists() or not any(target.iterdir())

    assert run_in(tz, "publish", "server", "--quiet", cwd=s.root).code == 0
    manifest = target / ".cchc-manifest.json"
    built = dt.datetime.fromisoformat(json.loads(manifest.read_text(encoding="utf-8"))["built"])
    assert built.utcoffset() == dt.timedelta(hours=7)                   # recorded in the site's time zone
    assert abs((built - dt.datetime.now(VN)).total_seconds()) < 300

    quiet = run_in(tz, "publish", "server", "--due", cwd=s.root)
    assert quiet.code == 0 and "nothing became due since the last publish" in quiet.out
    assert "nothing sent" in quiet.out and not (target / "tin-tuc/bai-hen-gio").exists()

    # An article scheduled for 30 minutes ago, written before a publish made an hour ago: due now.
    s.article("vua-den-gio", title="Vừa đến giờ", date=vn(-30))
    doc = json.loads(manifest.read_text(encoding="utf-8"))
    doc["built"] = (dt.datetime.now(VN) - dt.timedelta(hours=1)).isoformat(timespec="seconds")
    manifest.write_text(json.dumps(doc), encoding="utf-8")
    due = run_in(tz, "publish", "server", "--due", cwd=s.root)
    assert due.code == 0, due.err
    assert "content/articles/vua-den-gio.md: scheduled for" in due.err
    assert (target / "tin-tuc/vua-den-gio/index.html").is_file()
    assert not (target / "tin-tuc/bai-hen-gio").exists()

    again = run_in(tz, "publish", "server", "--due", cwd=s.root)
    assert again.code == 0 and "nothing sent" in again.out


def test_due_counts_a_document_taking_effect(tmp_path):
    from cchc.commands.publish.due import became_due
    from cchc.core.config import load_settings
    from cchc.core.content import load_content
    from cchc.core.problems import Problems
    s = minimal_site(tmp_path / "site")
    s.document("nd-1", "1/2030/NĐ-CP", "Nghị định", "2030-01-02", effective="2030-03-01")
    settings, _ = load_settings(s.root)
    content = load_content(settings, Problems())
    midnight = dt.datetime(2030, 3, 1, tzinfo=VN)
    assert [str(m) for m in became_due(content, settings, midnight - dt.timedelta(minutes=15), midnight)] == [
        "content/documents/nd-1.md: effective 01/03/2030 (its status changes)"]
    assert became_due(content, settings, midnight, midnight + dt.timedelta(minutes=15)) == []
