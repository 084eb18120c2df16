"""Shared fixtures: real section folders in temp directories, driven through the command line."""
from __future__ import annotations

import contextlib
import functools
import importlib.util
import io
import os
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# Debian's Chromium, driven by Playwright; never a browser Playwright downloads itself. The flags
# keep it from calling home (refused on this network, and noisy).
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]
IN_CI = os.environ.get("CI") == "true"
# The suite reads the tool's messages in English (the developers' language, and the wording the
# tests were written against); tests of the Vietnamese catalogue ask for it with --lang vi. Set
# in the environment, so every `python build.py` a test starts speaks English too.
os.environ["CCHC_LANG"] = "en"

sys.path.insert(0, str(REPO))

from cchc.commands.cli import main  # noqa: E402


def need(condition: bool, reason: str) -> None:
    """Skip locally when a tool is missing; in CI (CI=true) fail instead, so nothing is silently untested."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    """One headless Debian Chromium per test module."""
    need(CHROMIUM.exists(), f"{CHROMIUM} is missing (apt-get install -y chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        need(False, "playwright for Python is not installed (pip install -e .[test])")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return [line for line in (self.out + self.err).splitlines() if line.strip()]


def cli(*args: str, site: Path | None = None) -> Run:
    """Run `python build.py ARGS` in-process (fast), with --site when given."""
    out, err = io.StringIO(), io.StringIO()
    argv = [*args] + (["--site", str(site)] if site is not None else [])
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse usage errors
            code = exc.code if isinstance(exc.code, int) else 2
    return Run(code, out.getvalue(), err.getvalue())


def cli_process(*args: str, cwd: Path, timeout: float = 120) -> Run:
    """Run `python build.py ARGS` as a real process in cwd, exactly as an editor would."""
    p = subprocess.run([sys.executable, str(REPO / "build.py"), *args], cwd=cwd, capture_output=True,
                       text=True, encoding="utf-8", timeout=timeout)
    return Run(p.returncode, p.stdout, p.stderr)


MINIMAL_SITE_YAML = """\
title: "Cải cách hành chính - Sở Thử nghiệm"
description: "Chuyên mục thử nghiệm."
base_url: "https://example.gov.vn/cchc/"
timezone: Asia/Ho_Chi_Minh
per_page: 2
portal: {name: "Cổng thông tin thử nghiệm", url: "https://example.gov.vn/"}
organization: {name: "Sở Thử nghiệm", address: "1 Đường Thử", phone: "0255 000 000", email: "vp@example.gov.vn"}
responsible: {unit: "Văn phòng Sở", person: "Nguyễn Văn A"}
categories:
  - {key: tin-hoat-dong, name: "Tin hoạt động"}
  - {key: chinh-sach, name: "Chính sách"}
document_types: [Luật, Nghị quyết, Nghị định, Quyết định, Thông tư, Kế hoạch]
"""


class SiteFolder:
    """A section folder in a temp directory, with helpers to write content the way editors do."""

    def __init__(self, root: Path):
        self.root = root

    def write(self, rel: str, text: str, encoding: str = "utf-8") -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(textwrap.dedent(text).lstrip("\n").encode(encoding))
        return path

    def article(self, name: str, title: str = "Bài thử", date: str = "2021-01-18", category: str = "tin-hoat-dong",
                body: str = "Nội dung bài viết.", **extra) -> Path:
        lines = [f'title: "{title}"', f"date: {date}", f"category: {category}"]
        lines += [f"{k}: {v}" for k, v in extra.items()]
        return self.write(f"content/articles/{name}.md", "---\n" + "\n".join(lines) + "\n---\n\n" + body + "\n")

    def document(self, name: str, symbol: str, type: str, issued: str, title: str = "Về cải cách hành chính",
                 issuer: str = "Chính phủ", **extra) -> Path:
        lines = [f'symbol: "{symbol}"', f"type: {type}", f'title: "{title}"', f'issuer: "{issuer}"', f"issued: {issued}"]
        lines += [f"{k}: {v}" for k, v in extra.items()]
        return self.write(f"content/documents/{name}.md", "---\n" + "\n".join(lines) + "\n---\n")

    def build(self, *args: str) -> Run:
        return cli("build", *args, site=self.root)

    def check(self, *args: str) -> Run:
        return cli("check", *args, site=self.root)

    def read(self, rel: str) -> str:
        return (self.root / "output" / rel).read_text(encoding="utf-8")

    def snapshot(self) -> dict[str, bytes]:
        """Every file under output/ with its bytes (to prove a failed build changed nothing)."""
        out = self.root / "output"
        return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def minimal_site(root: Path, site_yaml: str = MINIMAL_SITE_YAML) -> SiteFolder:
    """A minimal valid section in `root`: site.yaml, the real layouts, one article."""
    root.mkdir(parents=True)
    shutil.copytree(REPO / "layouts", root / "layouts")
    s = SiteFolder(root)
    s.write("site.yaml", site_yaml)
    s.article("2021/bai-dau-tien", title="Bài đầu tiên")
    return s


@pytest.fixture
def site(tmp_path: Path) -> SiteFolder:
    """A minimal valid section: site.yaml, the real layouts, one article."""
    return minimal_site(tmp_path / "site")


@pytest.fixture
def sample_site(tmp_path: Path) -> SiteFolder:
    """A copy of the repository's sample section (site.yaml, content/, layouts/)."""
    root = tmp_path / "sample"
    root.mkdir()
    for name in ("content", "layouts"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "site.yaml", root / "site.yaml")
    return SiteFolder(root)


def generate_corpus(dest: Path, articles: int, documents: int, seed: int = 1) -> SiteFolder:
    """A large section from benchmarks/corpus.py (the benchmark's own corpus), ready to build."""
    corpus = dest / "corpus"
    corpus_generator().write_corpus(corpus, articles, documents, "project", seed)
    root = dest / "site"
    (root / "content").mkdir(parents=True)
    shutil.move(str(corpus / "articles"), root / "content" / "articles")
    shutil.move(str(corpus / "documents"), root / "content" / "documents")
    shutil.copytree(REPO / "layouts", root / "layouts")
    fragment = (corpus / "site-fragment.yaml").read_text(encoding="utf-8")
    (root / "site.yaml").write_text(
        'title: "Cải cách hành chính"\nbase_url: "https://example.gov.vn/cchc/"\nper_page: 20\n' + fragment,
        encoding="utf-8")
    return SiteFolder(root)


@functools.lru_cache(maxsize=None)
def corpus_generator():
    """benchmarks/corpus.py as a module (benchmarks/ is scripts, not a package)."""
    spec = importlib.util.spec_from_file_location("cchc_benchmark_corpus", REPO / "benchmarks" / "corpus.py")
    module = sys.modules[spec.name] = importlib.util.module_from_spec(spec)   # dataclasses look it up
    spec.loader.exec_module(module)
    return module
