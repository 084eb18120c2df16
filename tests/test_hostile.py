"""The bad-input corpus (tests/data/bad/cases.yaml): every editor's mistake or pasted page gives
its exact compiler-style line, the build ends within bounded memory, and a failed build
leaves output/ byte-for-byte as it was. How the build's time grows with the size of the
expanded cases is measured, not asserted: benchmarks/scaling.py (pytest's timeout still stops
a build that never ends)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
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
