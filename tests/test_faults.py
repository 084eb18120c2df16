"""Faults around the build: a full or read-only disk under output/, and Ctrl-C mid-write.

The editor must get one clear line (no traceback), the pages already published must stay
whole, and no half-written file may ever sit under a page's final name.
"""
from __future__ import annotations

import errno
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO, generate_corpus, need

import cchc.build.content_cache
import cchc.build.output


def files_under(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_no_half_files(before: dict[str, bytes], after: dict[str, bytes], new: dict[str, bytes]) -> None:
    """Every file is either what was there or what the build meant to write; no temp file is left."""
    leftovers = [rel for rel in after if rel.endswith(".tmp")]
    assert not leftovers, leftovers
    torn = [rel for rel, data in after.items() if data != before.get(rel) and data != new.get(rel)]
    assert not torn, torn


@pytest.fixture
def tiny_disk(tmp_path):
    """A 1 MB tmpfs (root and mount(8) needed; CI runs as root), unmounted afterwards."""
    mount = tmp_path / "disk"
    mount.mkdir()
    ok = os.name == "posix" and os.geteuid() == 0 and subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)], capture_output=True).returncode == 0
    if not ok:
        pytest.skip("cannot mount a tmpfs here; test_failing_writer covers the same path portably")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def reference(site, tmp_path) -> dict[str, bytes]:
    """What a build of the current content writes, built into a folder with room to spare."""
    ref = tmp_path / "reference"
    assert site.build("--out", str(ref), "--no-cache").code == 0
    return files_under(ref)


def test_disk_full_gives_a_clear_error_and_keeps_the_published_pages(site, tmp_path, tiny_disk):
    site.write("site.yaml", (site.root / "site.yaml").read_text(encoding="utf-8") + "search: false\n")
    out = tiny_disk / "output"
    assert site.build("--out", str(out)).code == 0
    before = files_under(out)
    site.article("2021/dai", title="Bài rất dài", body="Cải cách hành chính, một cửa liên thông. " * 30000)
    new = reference(site, tmp_path)
    run = site.build("--out", str(out))
    assert run.code == 1, run.out + run.err
    assert "Traceback" not in run.err
    assert any("No space left" in line or "no space" in line.lower() for line in run.err.splitlines()), run.err
    assert_no_half_files(before, files_under(out), new)
    assert files_under(out) == before, "a failed write left a mix of old and new pages"


def test_read_only_output_gives_a_clear_error_and_changes_nothing(site, tmp_path, tiny_disk):
    site.write("site.yaml", (site.root / "site.yaml").read_text(encoding="utf-8") + "search: false\n")
    out = tiny_disk / "output"
    assert site.build("--out", str(out)).code == 0
    before = files_under(out)
    assert subprocess.run(["mount", "-o", "remount,ro", str(tiny_disk)], capture_output=True).returncode == 0
    site.article("2021/moi", title="Bài mới")
    run = site.build("--out", str(out))
    assert run.code == 1, run.out + run.err
    assert "Traceback" not in run.err
    assert any("read-only" in line.lower() for line in run.err.splitlines()), run.err
    assert files_under(out) == before


def test_failing_writer(site, tmp_path, monkeypatch):
    """The same as a full disk, on any system: os.replace in the writer fails from its 3rd call on."""
    site.write("site.yaml", (site.root / "site.yaml").read_text(encoding="utf-8") + "search: false\n")
    assert site.build().code == 0
    out = site.root / "output"
    before = files_under(out)
    for n in range(6):
        site.article(f"2021/bai-{n}", title=f"Bài số {n}")
    new = reference(site, tmp_path)
    calls = {"n": 0}
    real_replace = os.replace

    def failing_replace(src, dst):
        calls["n"] += 1
        if calls["n"] >= 3:
            raise OSError(errno.ENOSPC, "No space left on device", str(dst))
        return real_replace(src, dst)

    monkeypatch.setattr(cchc.build.output.os, "replace", failing_replace)
    run = site.build()
    monkeypatch.undo()
    assert calls["n"] >= 3
    assert run.code == 1, run.out + run.err
    assert "Traceback" not in run.err and "No space left" in run.err
    assert_no_half_files(before, files_under(out), new)


def test_a_cache_that_cannot_be_saved_costs_speed_not_pages(site, tmp_path, monkeypatch):
    """The caches are saved during the build; a failure there is one warning, and the
    pages are written as a build without the cache writes them."""
    new = reference(site, tmp_path)

    def full_disk(self):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(cchc.build.content_cache.ContentCache, "save", full_disk)
    run = site.build()
    assert run.code == 0, run.out + run.err
    assert ".cache: warning: cannot save the cache: No space left on device (the next build reads and renders " \
           "everything again; make .cache/ a writable folder)" in run.err.splitlines(), run.err
    assert files_under(site.root / "output") == new


def test_ctrl_c_mid_build_leaves_no_half_written_file(tmp_path):
    need(os.name == "posix", "SIGINT to a child process is POSIX")
    site = generate_corpus(tmp_path, articles=800, documents=100)
    ref = tmp_path / "reference"
    done = subprocess.run([sys.executable, str(REPO / "build.py"), "--out", str(ref), "--no-cache", "--quiet"],
                          cwd=site.root, capture_output=True, text=True, encoding="utf-8", timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    new = files_under(ref)
    out = tmp_path / "output"
    proc = subprocess.Popen([sys.executable, str(REPO / "build.py"), "--out", str(out), "--no-cache"], cwd=site.root,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline and proc.poll() is None:   # interrupt once pages are being written
        if out.is_dir() and sum(1 for _ in out.rglob("*html*")) > 50:   # pages or their staged temps
            break
        time.sleep(0.005)
    assert proc.poll() is None, "the build ended before it could be interrupted"
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode != 0, "the interrupted build claims success"
    assert "Traceback" not in stderr, stderr[-3000:]
    after = files_under(out)
    temps = [rel for rel in after if re.search(r"(^|/)\.[^/]+\.\d+\.tmp$", rel)]
    assert temps == [], temps
    after = {rel: data for rel, data in after.items() if rel not in temps}
    # Interrupted while staging: nothing was renamed into place yet; while renaming: some pages.
    assert len(after) < len(new)
    assert_no_half_files({}, after, new)
