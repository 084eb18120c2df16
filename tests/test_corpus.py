"""benchmarks/corpus.py, the corpus the tests and the benchmark build: the same bytes for the same
arguments, the same text in every flavour, and a section that builds without a single warning
while holding what the engine must handle (citations of every number shape, relations, yearless
numbers shared by two years, a share of bodies beyond plain prose)."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, corpus_generator, cli, generate_corpus
from cchc.markdown import prose

corpus = corpus_generator()


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def body(text: str, flavor: str) -> str:
    if flavor == "pelican":
        return text.split("\n\n", 1)[1]
    return text.split("\n---\n", 1)[1]


@pytest.mark.parametrize("flavor", corpus.FLAVORS)
def test_same_arguments_same_bytes(tmp_path, flavor):
    corpus.write_corpus(tmp_path / "a", 40, 20, flavor, seed=7)
    corpus.write_corpus(tmp_path / "b", 40, 20, flavor, seed=7)
    corpus.write_corpus(tmp_path / "c", 40, 20, flavor, seed=8)
    a = tree(tmp_path / "a")
    assert len([p for p in a if p.startswith("articles/")]) == 40 and len([p for p in a if p.startswith("documents/")]) == 20
    assert a == tree(tmp_path / "b")
    assert a != tree(tmp_path / "c")


def test_more_articles_keep_the_first_ones_and_every_document(tmp_path):
    corpus.write_corpus(tmp_path / "small", 30, 25, "project")
    corpus.write_corpus(tmp_path / "large", 60, 25, "project")
    small, large = tree(tmp_path / "small"), tree(tmp_path / "large")
    assert small.items() <= large.items(), "a larger corpus adds articles; it changes none"


def test_the_flavours_hold_the_same_text(tmp_path):
    for flavor in corpus.FLAVORS:
        corpus.write_corpus(tmp_path / flavor, 50, 30, flavor)
    trees = {flavor: tree(tmp_path / flavor) for flavor in corpus.FLAVORS}
    names = {f: sorted(p for p in t if p.endswith(".md")) for f, t in trees.items()}
    assert names["project"] == names["hugo"] == names["pelican"]
    for name in names["project"]:
        texts = {f: body(trees[f][name].decode("utf-8"), f).lstrip("\n") for f in corpus.FLAVORS}
        assert texts["project"] == texts["hugo"] == texts["pelican"], name
    assert "site-fragment.yaml" in trees["project"] and "site-fragment.yaml" not in trees["hugo"]


def test_the_command_line(tmp_path):
    run = subprocess.run([sys.executable, str(REPO / "benchmarks" / "corpus.py"), "--articles", "5", "--documents", "3",
                          "--flavor", "hugo", "--out", str(tmp_path / "c"), "--seed", "3"],
                         capture_output=True, text=True, encoding="utf-8")
    assert run.returncode == 0, run.stderr
    assert run.stdout == f"wrote 5 articles + 3 documents (hugo) to {tmp_path / 'c'}\n"
    head = next((tmp_path / "c" / "articles").rglob("*.md")).read_text(encoding="utf-8").split("\n---\n")[0]
    assert re.search(r"(?m)^date: \d{4}-\d\d-\d\dT\d\d:\d\d:00\+07:00$", head) and "categories: [" in head


@pytest.fixture(scope="module")
def section(tmp_path_factory):
    site = generate_corpus(tmp_path_factory.mktemp("corpus"), articles=400, documents=150)
    run = cli("build", "--quiet", site=site.root)
    return site, run


def test_the_section_builds_without_a_warning(section):
    site, run = section
    assert run.code == 0, run.err
    assert run.lines == [], run.lines[:20]


def test_documents_have_every_common_number_shape_and_relations(section):
    site, _ = section
    docs = [p.read_text(encoding="utf-8") for p in (site.root / "content" / "documents").glob("*.md")]
    symbols = [re.search(r'(?m)^symbol: "(.*)"$', d).group(1) for d in docs]
    shapes = {"with year": r"\d+/\d{4}/NĐ-CP", "without year": r"\d+/QĐ-UBND", "Party": r"\d+-NQ/TW",
              "National Assembly": r"\d+/\d{4}/QH1\d", "joint circular": r"\d+/\d{4}/TTLT-[A-Z]+-[A-Z]+",
              "leading zero": r"0\d/\d{4}/TT-\w+", "Công văn": r"\d+/UBND-\w+", "Sở": r"\d+/(KH|QĐ)-SCT"}
    for name, shape in shapes.items():
        assert any(re.fullmatch(shape, s) for s in symbols), name
    for relation in ("amends", "replaces", "guides", "based_on"):
        assert any(re.search(rf"(?m)^{relation}: \[", d) for d in docs), relation
    yearless = [s for s in symbols if s.count("/") == 1]
    assert len(yearless) != len(set(yearless)), "some yearless number is used in two years"
    statuses = {re.search(r"(?m)^status: (.*)$", d).group(1) for d in docs if "\nstatus: " in d}
    assert statuses == {"con-hieu-luc", "het-hieu-luc", "het-hieu-luc-mot-phan"}
    assert any("\nstatus: " not in d for d in docs), "some documents leave the status to the build"


def test_articles_cite_documents_in_their_text_and_front_matter(section):
    site, _ = section
    out = site.root / "output"
    pages = [p.read_text(encoding="utf-8") for p in (out / "tin-tuc").glob("*/index.html")]
    assert sum(p.count('class="cite"') for p in pages) > 300, "citations in text become links"
    articles = [p.read_text(encoding="utf-8") for p in (site.root / "content" / "articles").rglob("*.md")]
    assert sum("\ndocuments: " in a or "\ndocuments:\n" in a for a in articles) > 100
    cited = "\n".join(articles)
    assert re.search(r"Quyết định số \d+/QĐ-UBND ngày \d{1,2}/\d{1,2}/\d{4}", cited)
    assert re.search(r"ngày \d\d tháng \d\d năm \d{4}", cited)
    document_pages = [p.read_text(encoding="utf-8") for p in (out / "van-ban").glob("*/index.html")]
    assert sum("tin-tuc/" in p for p in document_pages) > 50, "document pages list the articles citing them"


def test_most_bodies_are_plain_prose_and_some_are_not(section):
    """The engine writes plain prose itself (cchc/markdown/prose.py); about one body in twelve
    holds other markup and goes to Python-Markdown, as benchmarks/README.md says."""
    site, _ = section
    bodies = [body(p.read_text(encoding="utf-8"), "project") for p in (site.root / "content" / "articles").rglob("*.md")]
    plain = sum(1 for b in bodies if prose.render(b) is not None)
    assert 0.85 < plain / len(bodies) < 0.97, plain / len(bodies)
