"""The bad-input corpus (tests/data/bad/cases.yaml): every editor's mistake or pasted page gives
its exact compiler-style line, the build ends within bounded memory, and a failed build
leaves output/ byte-for-byte as it was. How the build's time grows with the size of the
expanded cases is measured, not asserted: benchmarks/scaling.py (pytest's timeout still stops
a build that never ends)."""
from __future__ import annotations

import json
import os
import pickle
import re
import shutil
import sqlite3
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from conftest import MINIMAL_SITE_YAML, REPO, SiteFolder, cli, minimal_site, need

BAD = Path(__file__).resolve().parent / "data" / "bad"
CASES = yaml.safe_load((BAD / "cases.yaml").read_text(encoding="utf-8"))
DEFAULT_TO = "content/articles/2021/bad.md"
MEMORY = 1536 * 2**20        # address space of a build run in its own process (a YAML bomb wanted 5 GB)
SECRET = "mật khẩu: không được lộ".encode()   # path-symlink-file.txt, which lies outside the section


def case_bytes(case: dict) -> bytes:
    data = (BAD / case["file"]).read_bytes()
    spec = case.get("expand")
    if spec:
        every = spec.get("paragraph", 0)
        text = "".join(spec.get("indent", "") * i + spec["text"] + ("\n\n" if every and (i + 1) % every == 0 else "")
                       for i in range(spec["times"]))
        data = data.replace(b"@@X@@", text.encode("utf-8"))
    return data


def heavy(case: dict) -> bool:
    """Cases that could eat the machine run in their own process, under a memory limit."""
    return "expand" in case or "bomb" in case["file"]


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> SiteFolder:
    """A minimal section built once (search off: the search index is not what these cases test)."""
    s = minimal_site(tmp_path_factory.mktemp("hostile") / "site", MINIMAL_SITE_YAML + "search: false\n")
    assert s.build().code == 0
    return s


def run_limited(site: Path) -> tuple[int, str]:
    """`python build.py` in site/, its address space capped (POSIX)."""
    def limit():
        import resource
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    p = subprocess.run([sys.executable, str(REPO / "build.py")], cwd=site, capture_output=True, text=True,
                       encoding="utf-8", preexec_fn=limit if os.name == "posix" else None)
    return p.returncode, p.stdout + p.stderr


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_bad_input_case(base, tmp_path, case):
    root = tmp_path / "site"
    shutil.copytree(base.root, root, symlinks=True)
    site = SiteFolder(root)
    before = site.snapshot()
    to = root / case.get("to", DEFAULT_TO)
    to.parent.mkdir(parents=True, exist_ok=True)
    if case.get("link"):
        outside = tmp_path / "outside" / case["file"]
        outside.parent.mkdir()
        outside.write_bytes(case_bytes(case))
        try:
            to.symlink_to(outside)
        except OSError:
            need(False, "this system cannot create symbolic links")
    else:
        to.write_bytes(case_bytes(case))

    if heavy(case):
        code, text = run_limited(root)
    else:
        run = cli("build", site=root)
        code, text = run.code, run.out + run.err
    lines = text.splitlines()

    assert "Traceback" not in text and "MemoryError" not in text, text[-3000:]
    assert code == case["code"], text[-3000:]
    expected = case.get("expect", [])
    missing = [e for e in expected if e not in lines]
    assert not missing, "\n".join(["expected:", *missing, "got:", *lines[:20]])
    if not expected:   # accepted as it is: then without a word of complaint
        assert not [l for l in lines if ": error: " in l or ": warning: " in l], lines[:20]
    if code == 1:
        assert site.snapshot() == before, "a failed build changed output/"
    if "page" in case:
        assert case["page"]["contains"] in site.read(case["page"]["path"])
    # Nothing is written beside output/, and nothing from outside content/ is published.
    assert sorted(os.listdir(root)) == [".cache", "content", "layouts", "output", "site.yaml"]
    assert not any(SECRET in p.read_bytes() for p in (root / "output").rglob("*") if p.is_file())


def test_corpus_is_complete():
    """Every file of the corpus is a case, every case has its expectation, and there are enough."""
    files = {p.name for p in BAD.iterdir() if p.name != "cases.yaml"}
    assert files == {c["file"] for c in CASES}
    assert all(c.get("expect") or c.get("page") for c in CASES)
    assert len(CASES) >= 40


# --- issue 19: what the cases above cannot show ----------------------------------------------------

def placed(base: SiteFolder, tmp_path: Path, name: str) -> SiteFolder:
    """A copy of the base section with one case of the corpus in place."""
    case = next(c for c in CASES if c["file"] == name)
    root = tmp_path / "site"
    shutil.copytree(base.root, root, symlinks=True)
    to = root / case.get("to", DEFAULT_TO)
    to.parent.mkdir(parents=True, exist_ok=True)
    to.write_bytes(case_bytes(case))
    return SiteFolder(root)


CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def test_control_characters_never_reach_the_output(base, tmp_path):
    """Word's cell mark (U+0007), U+FFFE, "\\x01" and "\\0" in YAML: the feeds stay well-formed XML,
    no control character reaches a page (NUL least of all)."""
    site = placed(base, tmp_path, "body-control-chars.md")
    site.write("site.yaml", MINIMAL_SITE_YAML.replace('"Cải cách hành chính - Sở Thử nghiệm"', '"Cải cách hành chính\\x01 - Sở"')
               .replace('"Chuyên mục thử nghiệm."', '"Chuyên mục\\0 thử nghiệm."') + "search: false\n")
    run = site.build()
    assert run.code == 0, run.err
    assert "site.yaml:1: warning: title: an invisible control character (U+0001) was left out" in run.err
    assert "site.yaml:2: warning: description: an invisible control character (U+0000) was left out" in run.err
    for name in ("feed.xml", "rss.xml", "sitemap.xml"):
        ET.parse(site.root / "output" / name)          # raises on a character XML forbids
    for path in (site.root / "output").rglob("*"):
        if path.suffix in (".html", ".xml", ".json", ".js") and path.is_file():
            text = path.read_text(encoding="utf-8")
            assert not CONTROL.search(text), (path, CONTROL.search(text))


def test_a_hand_written_citation_mark_is_no_traceback_anywhere(base, tmp_path):
    """<a data-cite="…" data-cite-date="x"> typed in a body: build, check and publish each finish
    with their lines, never a traceback."""
    site = placed(base, tmp_path, "md-raw-data-cite.md")
    site.write("site.yaml", MINIMAL_SITE_YAML + "search: false\npublish:\n  thu-muc: {protocol: dir, path: ../www}\n")
    (tmp_path / "www").mkdir()
    for args in (("build",), ("check",), ("publish", "thu-muc")):
        run = cli(*args, site=site.root)
        assert "Traceback" not in run.out + run.err, (args, run.out, run.err)
        assert run.code == (1 if args[0] == "publish" else 0), (args, run.out, run.err)   # publish is strict
        assert 'warning: "Nghị định 61" cites no document in the index' in run.err, (args, run.err)


def test_escape_sequences_never_reach_the_terminal(base, tmp_path):
    """YAML "\\e" in a target's name or path: shown escaped in every line publish prints, as problem
    lines already are."""
    site = SiteFolder(tmp_path / "site")
    shutil.copytree(base.root, site.root, symlinks=True)
    site.write("site.yaml", MINIMAL_SITE_YAML + 'search: false\npublish:\n  "\\e[31mportal":\n'
                                                '    {protocol: dir, path: "../www"}\n')
    (tmp_path / "www").mkdir()
    for args in (("publish", "\x1b[31mportal", "--dry-run"), ("publish", "\x1b[31mportal")):
        run = cli(*args, site=site.root)
        assert run.code == 0, run.out + run.err
        assert "\x1b" not in run.out + run.err and "\x07" not in run.out + run.err, repr(run.out + run.err)
        assert "\\x1b[31mportal" in run.out
    # In a value (here the path), the characters are left out, each named in one warning line.
    site.write("site.yaml", MINIMAL_SITE_YAML + 'search: false\npublish:\n  portal:\n'
                                                '    {protocol: dir, path: "../www\\e]0;pwned\\a"}\n')
    run = cli("publish", "portal", "--dry-run", site=site.root)
    assert "\x1b" not in run.out + run.err and "\x07" not in run.out + run.err, repr(run.out + run.err)
    assert ("site.yaml:16: warning: publish.portal.path: an invisible control character (U+001B) was left out "
            "(delete it from the file; it comes from a copy from Word or a program)") in run.err.splitlines()


# --- issue 19, item 9: .cache/ is not trusted ---------------------------------------------------------

class _Planted:
    """A pickle that, once unpickled, makes a folder: the proof that a cache file was unpickled."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return os.mkdir, (str(self.marker),)


def built_copy(base: SiteFolder, tmp_path: Path) -> SiteFolder:
    site = SiteFolder(tmp_path / "site")
    shutil.copytree(base.root, site.root, symlinks=True)
    assert site.build().code == 0
    return site


def test_a_recorded_path_outside_output_is_never_deleted(base, tmp_path):
    """An output-record entry "../../victim.txt" (with the victim's own size and time, so it looks
    as written by the build) would make the next build delete the victim as an orphan."""
    site = built_copy(base, tmp_path)
    victim = tmp_path / "victim.txt"
    victim.write_text("không phải của chuyên mục", encoding="utf-8")
    st = victim.stat()
    record_file = next((site.root / ".cache").glob("*-output-record.json"))
    record = json.loads(record_file.read_text(encoding="utf-8"))
    record["files"]["../../victim.txt"] = ["0" * 16, st.st_size, st.st_mtime_ns, ""]
    record_file.write_text(json.dumps(record), encoding="utf-8")
    run = site.build()
    assert run.code == 0, run.err
    assert victim.read_text(encoding="utf-8") == "không phải của chuyên mục"
    assert (site.root / "output" / "index.html").is_file()


@pytest.mark.parametrize("name", ["content.pickle", "content-delta.pickle", "links.pickle", "search-index.pickle"])
@pytest.mark.parametrize("form", ["plain", "sealed-elsewhere"])
def test_a_foreign_cache_file_is_never_unpickled(base, tmp_path, name, form):
    """A cache file the build did not write (planted, or copied from another machine with the site
    folder) is discarded: the build reads everything again and gives the same pages."""
    site = built_copy(base, tmp_path)
    site.write("site.yaml", MINIMAL_SITE_YAML)          # search on: search-index.pickle is read
    assert site.build().code == 0
    expected = site.read("index.html")
    marker = tmp_path / "unpickled"
    payload = pickle.dumps({"fingerprint": _Planted(marker)} if name.startswith("content") else _Planted(marker))
    if form == "sealed-elsewhere":                      # the format, with another user's seal
        payload = b"cchc-sealed/1\n" + b"\x5a" * 32 + payload
    (site.root / ".cache" / name).write_bytes(payload)
    run = site.build()
    assert run.code == 0, run.err
    assert not marker.exists(), f"{name} was unpickled"
    assert site.read("index.html") == expected


def test_a_forged_markdown_cache_row_never_reaches_a_page(base, tmp_path):
    """The Markdown cache holds HTML that goes into pages as it is: a row written by anything but
    this user's builds (here: every row replaced by a script) is not used."""
    site = built_copy(base, tmp_path)
    db = sqlite3.connect(str(site.root / ".cache" / "markdown.sqlite"))
    with db:
        db.execute("UPDATE body SET html = ?", ("<script>alert('cache')</script>",))
    db.close()
    shutil.rmtree(site.root / "output")                  # every page rendered again, from the caches
    run = site.build()
    assert run.code == 0, run.err
    pages = [p.read_text(encoding="utf-8") for p in (site.root / "output").rglob("*.html")]
    assert pages and not any("alert('cache')" in page for page in pages)
    assert any("Bài đầu tiên" in page for page in pages)
