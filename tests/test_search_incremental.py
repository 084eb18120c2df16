"""The search index updated in place (cchc/search/indexer.py SearchIndex) gives exactly what a full index does.

A generated section is built once; then edits an editor makes, one after another, are rebuilt the
way `serve` rebuilds them (one Builder, the changed paths). After each, the files under
output/tim-kiem/ must be, name for name and byte for byte, those a from-scratch index of the same
section gives: no stale file left (the output record removes them), none missing. A SearchIndex
kept across the same edits (what the Builder keeps in `serve`) must say it updated in place, and
give the same files too.
"""
from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from conftest import SiteFolder, generate_corpus
from cchc.build.builder import CACHE_DIR, Builder
from cchc.build.result import BuildOptions
from cchc.markdown.engine import render_many
from cchc.render.pages import plan_jobs
from cchc.render.templates import fingerprint_assets
from cchc.render.views import Views
from cchc.search.encoding import BUNDLE, DATA
from cchc.search.indexer import SearchIndex
from cchc.search.storage import INDEX_CACHE
from cchc.core.vietnamese import fold

# After every generated date (the corpus ends in 2026), so every article is published and a new
# one can be the newest without being scheduled.
NOW = dt.datetime(2027, 6, 1, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
NEW_SYLLABLE = ("phướk", "phượk")       # two spellings of one folded syllable no corpus text has


class Section:
    """The generated section, its one Builder (as `serve` keeps it) and a SearchIndex kept beside it."""

    def __init__(self, site: SiteFolder, tmp: Path):
        self.site, self.tmp = site, tmp
        self.builder = Builder(site.root, BuildOptions(quiet=True, now=NOW))
        self.index = SearchIndex(tmp / "kept-cache")
        self.kept: dict[str, bytes] = {}        # the files self.index gave last
        self.marked: dict[str, str] = {}        # body -> HTML, so only edited bodies are rendered again
        self.steps = 0
        self.result = None

    def update_kept(self, jobs: list):
        update = self.index.update(self.result.site, jobs)
        self.kept = update.files
        return update.stats

    def build(self, changed: set[Path] | None = None):
        result = self.builder.build(changed)
        assert result.ok, [str(p) for p in result.problems.items]
        self.result = result
        return result

    def jobs(self) -> list:
        """The pages' jobs, planned the way builder.py plans them (bodies as Markdown renders them)."""
        site = self.result.site
        items = [*site.articles, *site.pages, *site.documents]
        todo = [i.body for i in items if i.body not in self.marked]
        self.marked.update(zip(todo, render_many(site.settings.markdown, todo)))
        assets = {name: out for name, (out, _) in fingerprint_assets(self.site.root).items()}
        return plan_jobs(site, Views(site, assets, NOW), {i.source: self.marked[i.body] for i in items})

    def folder(self, name: str) -> Path:
        self.steps += 1
        return self.tmp / f"{name}-{self.steps}"

    def from_scratch(self, jobs: list) -> dict[str, bytes]:
        """A full index of the same section, with no index kept nor saved."""
        update = SearchIndex(None).update(self.result.site, jobs)
        assert not update.stats.incremental and BUNDLE in update.files
        return update.files


def index_tree(out: Path) -> dict[str, bytes]:
    """What the index consists of: every file under tim-kiem/du-lieu/ and the entry, with its bytes."""
    files = {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted((out / DATA).iterdir())}
    files[BUNDLE] = (out / BUNDLE).read_bytes()
    return files


@pytest.fixture(scope="module")
def section(tmp_path_factory) -> Section:
    tmp = tmp_path_factory.mktemp("search-incremental")
    site = generate_corpus(tmp, 300, 60)
    text = (site.root / "site.yaml").read_text(encoding="utf-8")
    (site.root / "site.yaml").write_text(re.sub(r"(?m)^search:.*\n", "", text) + "search: true\n", encoding="utf-8")
    s = Section(site, tmp)
    s.build()
    stats = s.update_kept(s.jobs())
    assert not stats.incremental and stats.records > 300
    return s


def articles(s: Section) -> list[Path]:
    return sorted((s.site.root / "content" / "articles").rglob("*.md"))


def documents(s: Section) -> list[Path]:
    return sorted((s.site.root / "content" / "documents").glob("*.md"))


def replace(path: Path, pattern: str, repl: str) -> None:
    text = path.read_text(encoding="utf-8")
    new = re.sub(pattern, repl, text, count=1, flags=re.M)
    assert new != text, f"{pattern!r} not found in {path}"
    path.write_text(new, encoding="utf-8")


def append_to_body(path: Path, words: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + f"\n\n{words}\n", encoding="utf-8")


# --- the edits, in the order they are made -------------------------------------------------

def edit_body(s: Section) -> set[Path]:
    path = articles(s)[150]
    replace(path, r"^(?!---|\w+:)(\S.*)$", r"Hội nghị trực tuyến bàn về thủ tục đất đai. \1")
    return {path}


def edit_title(s: Section) -> set[Path]:
    path = articles(s)[40]
    replace(path, r'^title: "', 'title: "Điều chỉnh: ')
    return {path}


def edit_summary(s: Section) -> set[Path]:
    path = next(p for p in articles(s)[220:] if re.search(r"(?m)^summary: ", p.read_text(encoding="utf-8")))
    replace(path, r"^summary: .*$", 'summary: "Tóm tắt mới: một cửa liên thông rút ngắn thời gian."')
    return {path}


def add_newest_article(s: Section) -> set[Path]:
    path = s.site.article("2027/bai-moi-nhat", title="Bài mới nhất về chuyển đổi số", date="2027-01-15",
                          category="chuyen-doi-so", body="Sở triển khai chuyển đổi số toàn diện.")
    return {path}


def delete_old_article(s: Section) -> set[Path]:
    path = articles(s)[12]     # an old one: every later record's id moves down
    path.unlink()
    return {path}


def edit_document_title(s: Section) -> set[Path]:
    path = documents(s)[30]
    replace(path, r'^title: "', 'title: "Sửa đổi, bổ sung quy định về ')
    return {path}


def add_old_document(s: Section) -> set[Path]:
    path = s.site.document("nghi-dinh-777-2015", "777/2015/NĐ-CP", "Nghị định", "2015-03-02",
                           title="Quy định về kiểm soát thủ tục hành chính")   # ids after 2015 move up
    return {path}


def holding(s: Section, word: str) -> Path:
    """The one article holding `word` (put there by an earlier edit)."""
    found = [p for p in articles(s) if word in p.read_text(encoding="utf-8")]
    assert len(found) == 1, (word, found)
    return found[0]


def add_new_syllable(s: Section) -> set[Path]:
    corpus = "\n".join(p.read_text(encoding="utf-8") for p in s.site.root.joinpath("content").rglob("*.md"))
    assert not re.search(rf"\b{fold(NEW_SYLLABLE[0])}\b", fold(corpus).lower()), "no text holds the syllable yet"
    path = articles(s)[60]
    append_to_body(path, f"Một từ chưa có: {NEW_SYLLABLE[0]}.")
    return {path}


def change_most_frequent_spelling(s: Section) -> set[Path]:
    # In a title and a body (two fields), the second spelling outnumbers the first: the
    # syllable's mask bits change meaning, so the article holding the first changes too.
    path = next(p for p in articles(s) if NEW_SYLLABLE[0] not in p.read_text(encoding="utf-8"))
    replace(path, r'^title: "(.*)"$', rf'title: "\1 {NEW_SYLLABLE[1]}"')
    append_to_body(path, f"Lại một lần: {NEW_SYLLABLE[1]}.")
    return {path}


def remove_last_spelling(s: Section) -> set[Path]:
    path = holding(s, NEW_SYLLABLE[0])
    replace(path, rf"\n\nMột từ chưa có: {NEW_SYLLABLE[0]}\.\n", "\n")
    return {path}


def remove_last_syllable(s: Section) -> set[Path]:
    path = holding(s, NEW_SYLLABLE[1])
    replace(path, rf" {NEW_SYLLABLE[1]}\"$", '"')
    replace(path, rf"\n\nLại một lần: {NEW_SYLLABLE[1]}\.\n", "\n")
    return {path}


EDITS = [edit_body, edit_title, edit_summary, add_newest_article, delete_old_article, edit_document_title,
         add_old_document, add_new_syllable, change_most_frequent_spelling, remove_last_spelling,
         remove_last_syllable]


@pytest.mark.parametrize("edit", EDITS, ids=[e.__name__.replace("_", " ") for e in EDITS])
def test_an_edit_leaves_the_index_a_full_index_would_write(section, edit):
    s = section
    out = s.site.root / "output"
    before = index_tree(out)
    s.build(edit(s))
    jobs = s.jobs()
    expected = s.from_scratch(jobs)

    after = index_tree(out)
    assert after[BUNDLE] != before[BUNDLE], "the edit changes the index"
    assert after.keys() == expected.keys(), "the same file names: none stale, none missing"
    assert after == expected, [name for name in after if after[name] != expected[name]]
    assert set(before) - set(after), "changed files got new names; the old ones are gone"

    stats = s.update_kept(jobs)
    assert stats.incremental, "the kept index is updated in place, not made anew"
    assert s.kept == expected


def test_a_new_process_continues_from_the_saved_index(section):
    """`python build.py` after an edit: the index saved under .cache/ is loaded and updated."""
    s = section
    path = articles(s)[100]
    append_to_body(path, "Một đoạn viết thêm sau lần dựng trước.")
    s.build({path})
    jobs = s.jobs()
    expected = s.from_scratch(jobs)
    cache = s.folder("cache")
    shutil.copytree(s.site.root / CACHE_DIR, cache)
    assert (cache / INDEX_CACHE).is_file()
    update = SearchIndex(cache).update(s.result.site, jobs)
    assert update.stats.incremental
    assert update.files == expected

    (cache / INDEX_CACHE).write_bytes(b"not an index")      # damaged, or saved by another version
    update = SearchIndex(cache).update(s.result.site, jobs)
    assert not update.stats.incremental
    assert update.files == expected
