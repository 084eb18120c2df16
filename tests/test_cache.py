"""Cache correctness (issue 8): a cached build never serves stale output.

After each edit of a random sequence (an article's body or title, a template, site.yaml, a
cited document's title, a new or deleted article), the cached build of output/ must equal a
--no-cache build of the same files into another folder, byte for byte, with the same problems.
Both builds run through the command line, so every cached build is a new Builder that reads
.cache/ from disk, as two `python build.py` runs would.
"""
from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

import pytest

from conftest import cli

from cchc.build.builder import Builder
from cchc.build.result import FAST, BuildOptions

SEEDS = [1, 2]
STEPS = 7


def tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def problems(run) -> list[str]:
    """The problem lines: what an editor reads (not the timing summary)."""
    return sorted(line for line in run.err.splitlines() if ": error: " in line or ": warning: " in line)


def replace_in(path: Path, pattern: str, repl: str) -> None:
    text = path.read_text(encoding="utf-8")
    new, n = re.subn(pattern, repl, text, count=1, flags=re.M)
    assert n == 1, (path, pattern)
    path.write_text(new, encoding="utf-8")


class Editor:
    """Random edits of the kinds an editor or a designer makes."""

    def __init__(self, root: Path, rng: random.Random):
        self.root, self.rng, self.n = root, rng, 0
        self.touched: set[Path] = set()     # what a file watcher would report since the last build

    def articles(self) -> list[Path]:
        return sorted((self.root / "content" / "articles").rglob("*.md"))

    def body(self) -> str:
        a = self.rng.choice(self.articles())
        cite = self.rng.choice(["Nghị định số 107/2020/NĐ-CP", "Quyết định số 999/QĐ-KHONGCO", "", "[x](../khong-co.md)"])
        self.touched.add(a)
        with open(a, "a", encoding="utf-8") as f:
            f.write(f"\nĐoạn thêm {self.n}: {cite}\n")
        return f"body {a.name}"

    def title(self) -> str:
        a = self.rng.choice(self.articles())
        self.touched.add(a)
        replace_in(a, r'^title: .*$', f'title: "Tiêu đề mới số {self.n}"')
        return f"title {a.name}"

    def template(self) -> str:
        name = self.rng.choice(["article.html", "list.html", "document.html"])
        self.touched.add(self.root / "layouts" / name)
        replace_in(self.root / "layouts" / name, r"\{% block content %\}",
                   "{% block content %}<!-- sửa " + str(self.n) + " -->")
        return f"template {name}"

    def site_yaml(self) -> str:
        path = self.root / "site.yaml"
        self.touched.add(path)
        if self.rng.random() < 0.5:
            replace_in(path, r"^per_page: .*$", f"per_page: {self.rng.choice([2, 3, 5])}")
        else:
            replace_in(path, r'^description: .*$', f'description: "Mô tả số {self.n}"')
        return "site.yaml"

    def document(self) -> str:
        doc = self.root / "content" / "documents" / "107-2020-nd-cp.md"
        self.touched.add(doc)
        replace_in(doc, r'^title: .*$', f'title: "Trích yếu mới số {self.n}"')
        return "cited document"

    def new_or_deleted(self) -> str:
        folder = self.root / "content" / "articles" / "2026"
        extra = folder / "bai-them.md"
        self.touched.add(extra)
        if extra.exists():
            extra.unlink()
            return "deleted article"
        extra.write_text('---\ntitle: "Bài thêm"\ndate: 2026-01-05\ncategory: chinh-quyen-dien-tu\n'
                         'tags: [CCHC]\n---\n\nTheo Nghị định số 107/2020/NĐ-CP.\n', encoding="utf-8")
        return "new article"

    def random_edit(self) -> str:
        self.n += 1
        kind = self.rng.choice([self.body, self.body, self.title, self.template, self.site_yaml, self.document,
                                self.new_or_deleted])
        return kind()


@pytest.fixture
def quiet_sample(sample_site):
    """The sample site without the search bundle (a separate program, tested on its own)."""
    path = sample_site.root / "site.yaml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"^search:.*$", "search: false", text, flags=re.M) if re.search(r"^search:", text, re.M) \
        else text + "\nsearch: false\n"
    path.write_text(text, encoding="utf-8")
    return sample_site


@pytest.mark.parametrize("seed", SEEDS)
def test_cached_build_equals_cold_build_after_random_edits(quiet_sample, tmp_path, seed):
    root, rng = quiet_sample.root, random.Random(seed)
    editor = Editor(root, rng)
    assert cli("build", "--quiet", site=root).code == 0
    for _ in range(STEPS):
        what = editor.random_edit()
        warm = cli("build", "--quiet", site=root)
        cold_dir = tmp_path / "cold"
        shutil.rmtree(cold_dir, ignore_errors=True)
        cold = cli("build", "--quiet", "--no-cache", "--out", str(cold_dir), site=root)
        assert warm.code == cold.code == 0, (what, warm.err, cold.err)
        assert problems(warm) == problems(cold), what
        got, want = tree(root / "output"), tree(cold_dir)
        assert sorted(got) == sorted(want), what
        stale = [p for p in want if got[p] != want[p]]
        assert not stale, (what, stale)


def test_engine_change_invalidates_every_cache(quiet_sample, monkeypatch):
    """A new engine (another version of the package or of Markdown) renders every page again."""
    from cchc.build import digests
    root = quiet_sample.root
    assert cli("build", site=root).code == 0
    again = cli("build", site=root)
    assert " 0 written" in again.out
    monkeypatch.setattr(digests, "_ENGINE", "another engine")
    # Same bytes come out, so nothing is rewritten, but every page was rendered again.
    result = Builder(root, BuildOptions(quiet=True)).build()
    assert result.ok and len(result.rendered) == result.pages


def test_no_cache_renders_every_page_and_rewrites_nothing_unchanged(quiet_sample):
    root = quiet_sample.root
    assert cli("build", site=root).code == 0
    before = tree(root / "output")
    result = Builder(root, BuildOptions(cache=False, quiet=True)).build()
    assert result.ok and len(result.rendered) == result.pages
    assert result.stats.written == [] and tree(root / "output") == before


def test_fast_path_leaves_the_caches_as_a_full_build_would(quiet_sample):
    """After serve's fast path (one body edited, in memory), a new process finds every page
    current: the output record holds the same input digests a full build would have written."""
    root = quiet_sample.root
    builder = Builder(root, BuildOptions(quiet=True))
    assert builder.build().ok
    article = root / "content" / "articles" / "2026" / "xay-dung-chinh-quyen-dien-tu.md"   # published
    with open(article, "a", encoding="utf-8") as f:
        f.write("\nĐoạn thêm khi đang xem trước.\n")
    edited = builder.build(changed={article})
    assert edited.ok and edited.path == FAST and len(edited.stats.written) == 1
    fresh = Builder(root, BuildOptions(quiet=True)).build()
    assert fresh.ok and fresh.stats.written == [] and set(fresh.rendered) == {"tin-moi.json"}
    assert "Đoạn thêm khi đang xem trước." in (root / "output" / edited.stats.written[0]).read_text(encoding="utf-8")


def test_one_edit_saves_a_small_delta_and_a_damaged_one_is_harmless(quiet_sample, tmp_path):
    """After one edit, a build writes the changed entry beside the content cache instead of
    rewriting all of it; the next build reads both. A damaged delta costs a re-read, never a
    stale page."""
    root = quiet_sample.root
    cache = root / ".cache"
    assert cli("build", "--quiet", site=root).code == 0
    whole = (cache / "content.pickle").stat()
    article = root / "content" / "articles" / "2026" / "xay-dung-chinh-quyen-dien-tu.md"
    with open(article, "a", encoding="utf-8") as f:
        f.write("\nĐoạn thêm để thử bộ nhớ đệm.\n")
    assert cli("build", "--quiet", site=root).code == 0
    assert (cache / "content.pickle").stat().st_mtime_ns == whole.st_mtime_ns
    assert (cache / "content-delta.pickle").stat().st_size < whole.st_size / 5
    fresh = Builder(root, BuildOptions(quiet=True)).build()         # content.pickle + delta
    assert fresh.ok and fresh.stats.written == []
    with open(article, "a", encoding="utf-8") as f:
        f.write("\nĐoạn thứ hai.\n")
    assert cli("build", "--quiet", site=root).code == 0
    (cache / "content-delta.pickle").write_bytes(b"not a pickle")
    warm = cli("build", "--quiet", site=root)
    cold = cli("build", "--quiet", "--no-cache", "--out", str(tmp_path / "cold"), site=root)
    assert warm.code == cold.code == 0 and problems(warm) == problems(cold)
    assert tree(root / "output") == tree(tmp_path / "cold")
    page = root / "output" / "tin-tuc" / "xay-dung-chinh-quyen-dien-tu" / "index.html"
    assert "Đoạn thứ hai." in page.read_text(encoding="utf-8")


def test_a_lost_link_cache_still_reports_every_warning_and_rewrites_nothing(quiet_sample):
    """A page that needs no rendering still has its link warnings reported (from the bodies
    placed again), and --strict still refuses them."""
    root = quiet_sample.root
    quoting = root / "content/articles/2026/ke-hoach-tuyen-truyen-cchc-nam-2021-cua-so.md"   # its wrong number warns again
    quoting.write_text(re.sub(r"verbatim:\n(?:  - .*\n)+", "", quoting.read_text(encoding="utf-8")), encoding="utf-8")
    first = cli("build", site=root)
    assert first.code == 0 and len(problems(first)) == 1
    before = tree(root / "output")
    (root / ".cache" / "links.pickle").unlink()
    again = cli("build", site=root)
    assert again.code == 0 and problems(again) == problems(first)
    assert "0 written" in again.out
    (root / ".cache" / "links.pickle").unlink()
    strict = cli("build", "--strict", site=root)
    assert strict.code == 1 and problems(strict) == problems(first)
    assert tree(root / "output") == before


def test_a_build_refused_late_leaves_no_folder_behind(site):
    """Pages are written while the bodies' citations and links are still being checked; when
    --strict then refuses a warning, the pages and the folders made for them go again."""
    site.article("2021/hai", title="Bài hai", tags="[CCHC]", body="Xem [bài cũ](../khong-co.md).")
    first = site.build("--strict")
    assert first.code == 1 and "broken link" in first.err
    assert not (site.root / "output").exists()
    (site.root / "content/articles/2021/hai.md").unlink()
    assert site.build().code == 0
    folders = sorted(p for p in (site.root / "output").rglob("*") if p.is_dir())
    before = site.snapshot()
    site.article("2021/ba", title="Bài ba", tags="[Mới]", body="Xem [bài cũ](../khong-co.md).")
    assert site.build("--strict").code == 1
    assert site.snapshot() == before
    assert sorted(p for p in (site.root / "output").rglob("*") if p.is_dir()) == folders
