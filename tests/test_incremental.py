"""Incremental rebuilds (issue 4): edit one file, rebuild, only what depends on it is rendered
and written, and the result is still byte-identical to a full build.

Most tests drive one Builder the way `serve` does: kept between builds, told which files
changed. What they assert is what a user sees: which files under output/ were rewritten.
"""
from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import io
import random
import shutil
import sys
import threading

import pytest

from conftest import cli, cli_process, generate_corpus
from test_cache import Editor, problems, replace_in, tree

from cchc.build.builder import Builder
from cchc.build.result import FAST, FULL, BuildOptions
from cchc.build.incremental import Dependencies, Edit, classify
from cchc.build.workers import Workers
from cchc.core.content import Article, LegalDocument, Page
from cchc.core.progress import Progress

ARTICLE = "content/articles/2026/xay-dung-chinh-quyen-dien-tu.md"   # has slug: and summary:
PAGE = "tin-tuc/xay-dung-chinh-quyen-dien-tu/index.html"


@pytest.fixture
def serving(sample_site):
    """The sample section with one Builder kept across builds, as `serve` keeps it."""
    path = sample_site.root / "site.yaml"
    text = path.read_text(encoding="utf-8").replace("search: true", "search: false")
    path.write_text(text, encoding="utf-8")
    builder = Builder(sample_site.root, BuildOptions(quiet=True))
    first = builder.build()
    assert first.ok, first.problems.sorted()
    return sample_site, builder


def test_unchanged_site_renders_and_writes_nothing(serving):
    site, builder = serving
    again = builder.build()
    assert again.ok and again.stats.written == [] and again.stats.removed == []
    assert set(again.rendered) == {"tin-moi.json"}          # the only file not rendered from a template
    fresh = Builder(site.root, BuildOptions(quiet=True)).build()   # a new process: the caches on disk
    assert fresh.stats.written == [] and set(fresh.rendered) == {"tin-moi.json"}


def test_body_edit_rewrites_only_that_article(serving):
    site, builder = serving
    path = site.root / ARTICLE
    path.write_text(path.read_text(encoding="utf-8") + "\nMột đoạn mới của bài.\n", encoding="utf-8")
    result = builder.build(changed={path})
    assert result.stats.written == [PAGE]
    assert "Một đoạn mới của bài." in site.read(PAGE)


def fast(result) -> bool:
    """Serve's fast path built it (only the pages showing the edit), not the full pipeline."""
    assert result.path in (FAST, FULL)
    return result.path == FAST


def same_as_cold(site, warm, tmp_path, what: str) -> None:
    """The section built by `warm` equals a --no-cache build: every file and every problem."""
    cold_dir = tmp_path / "cold"
    shutil.rmtree(cold_dir, ignore_errors=True)
    cold = cli("build", "--quiet", "--no-cache", "--out", str(cold_dir), site=site.root)
    assert warm.ok and cold.code == 0, (what, warm.problems.sorted(), cold.err)
    assert sorted(str(p) for p in warm.problems.sorted()) == problems(cold), what
    got, want = tree(site.root / "output"), tree(cold_dir)
    assert sorted(got) == sorted(want), what
    assert [p for p in want if got[p] != want[p]] == [], what


def append(path, text: str) -> None:
    with open(path, "a", encoding="utf-8") as f:
        f.write(text)


def test_body_edits_take_the_fast_path_unless_citations_change(serving, tmp_path):
    """A save that changes only a body re-renders that page alone (no site-wide planning),
    and still equals a full build, warnings included; a new citation takes the full path,
    since the cited document's "cited by" list changes."""
    site, builder = serving
    path, page = site.root / ARTICLE, site.root / "content" / "pages" / "gioi-thieu.md"
    steps = [
        ("body only", path, "\nMột đoạn mới của bài.\n", True),
        ("unknown citation and broken link", path,
         "\nTheo Quyết định số 999/QĐ-KHONGCO, xem [bài cũ](../khong-co.md).\n", True),
        ("a fixed page's body", page, "\nĐịa chỉ liên hệ mới.\n", True),
        ("a new citation", path, "\nCăn cứ Nghị định số 107/2020/NĐ-CP.\n", False),
    ]
    for what, edited, text, expect_fast in steps:
        append(edited, text)
        result = builder.build(changed={edited})
        assert fast(result) == expect_fast, (what, result.path)
        if expect_fast:
            assert len(result.stats.written) == 1, (what, result.stats.written)
        same_as_cold(site, result, tmp_path, what)
    assert "Quyết định số 999/QĐ-KHONGCO" in " ".join(str(p) for p in result.problems.sorted())
    cited = site.read("van-ban/107-2020-nd-cp/index.html")
    assert "Xây dựng chính quyền điện tử trong công tác cải cách hành chính" in cited
    # Taking the unknown citation out again: same documents cited, so the fast path; its warning goes.
    replace_in(path, r"Theo Quyết định số 999/QĐ-KHONGCO, ", "Theo kế hoạch, ")
    result = builder.build(changed={path})
    assert fast(result) and result.stats.written == [PAGE]
    assert "999/QĐ-KHONGCO" not in " ".join(str(p) for p in result.problems.sorted())
    same_as_cold(site, result, tmp_path, "citation removed")


@pytest.mark.parametrize("field, value", [("date", "2026-01-02"), ("author", '"Phòng Kế hoạch"')])
def test_a_placing_edit_takes_the_full_path(serving, tmp_path, field, value):
    """A new date moves the article in its lists; an author is counted on thong-ke/: planned again."""
    site, builder = serving
    replace_in(site.root / ARTICLE, rf"^{field}: .*$", f"{field}: {value}")
    result = builder.build(changed={site.root / ARTICLE})
    assert not fast(result) and result.ok
    assert PAGE in result.stats.written
    same_as_cold(site, result, tmp_path, field)


@pytest.mark.parametrize("field, value", [("title", "Chính quyền điện tử: tiêu đề mới"),
                                          ("summary", "Tóm tắt mới của bài")])
def test_a_shown_field_edit_rewrites_its_lists_and_citing_documents_only(serving, tmp_path, field, value):
    """Title, summary: the pages showing the article change, nothing is planned again,
    the result equals a full build, and a later full build finds every page current."""
    site, builder = serving
    before = tree(site.root / "output")
    replace_in(site.root / ARTICLE, rf"^{field}: .*$", f'{field}: "{value}"')
    result = builder.build(changed={ARTICLE})                      # a path relative to the site works too
    assert fast(result), result.path
    written = set(result.stats.written)
    assert {PAGE, "index.html", "tin-tuc/index.html", "chuyen-muc/chinh-quyen-dien-tu/index.html",
            "feed.xml", "rss.xml"} <= written
    assert value in site.read("index.html") and value in site.read("feed.xml")
    if field == "title":                  # a citing document lists the article by its title
        assert "van-ban/17-nq-cp-2019/index.html" in written
        assert value in site.read("van-ban/17-nq-cp-2019/index.html")
    assert "van-ban/107-2020-nd-cp/index.html" not in written      # does not cite or show the article
    assert len(written) < len(before) / 4
    same_as_cold(site, result, tmp_path, field)
    again = Builder(site.root, BuildOptions(quiet=True)).build()   # a fresh process: the output record
    assert again.ok and again.stats.written == []
    assert set(again.rendered) == {"tin-moi.json"}     # the input digests recorded are a full build's


def test_a_site_yaml_edit_reaches_every_masthead_and_footer(serving, tmp_path):
    """The masthead and footer are rendered once per build for many pages (render.FragmentCache):
    the same Builder must not keep the last build's after site.yaml names a new organization."""
    site, builder = serving
    replace_in(site.root / "site.yaml", r'^  name: "Sở Công Thương tỉnh Quảng Ngãi"$', '  name: "Sở Mới Đổi Tên"')
    result = builder.build(changed={site.root / "site.yaml"})
    assert result.ok and len(result.stats.written) > 50
    for rel in ("index.html", PAGE, "van-ban/107-2020-nd-cp/index.html", "gioi-thieu/index.html"):
        assert site.read(rel).count("Sở Mới Đổi Tên") >= 2, rel       # the masthead's and the footer's
    same_as_cold(site, result, tmp_path, "organization")


def test_template_edit_rerenders_only_the_pages_using_it(serving):
    site, builder = serving
    documents = {p for p in tree(site.root / "output")
                 if p.startswith("van-ban/") and p.count("/") == 2 and p.endswith(".html")}   # not index.json
    replace_in(site.root / "layouts" / "document.html", r"\{% block content %\}",
               "{% block content %}<!-- mẫu mới -->")
    result = builder.build(changed={site.root / "layouts" / "document.html"})
    assert set(result.stats.written) == documents
    assert "<!-- mẫu mới -->" in site.read(sorted(documents)[0])


def test_classify_tells_what_an_edit_moves():
    """incremental.classify on plain values: a body, the fields lists only display, and what
    moves things (dates, categories, tags, a page's title, a citation, a document)."""
    article = Article("content/articles/a.md", body="Một.", title="Tiêu đề", date=dt.datetime(2026, 1, 2),
                      category="tin", tags=["CCHC"], summary="Tóm tắt", slug="a", digest="1")
    page = Page("content/pages/p.md", body="Một.", title="Giới thiệu", slug="gioi-thieu", digest="1")
    document = LegalDocument("content/documents/d.md", body="Một.", symbol="1/2020/NĐ-CP", digest="1")

    def edit(item, **changes):
        return dataclasses.replace(item, digest="2", **changes)

    cited = ["content/documents/d.md"]
    assert classify(article, article, [], []) is Edit.NONE
    assert classify(article, edit(article, body="Hai."), cited, cited) is Edit.BODY
    assert classify(page, edit(page, body="Hai."), [], []) is Edit.BODY
    for shown in ({"title": "Mới"}, {"summary": "Khác", "body": "Hai."}, {"image": "images/x.png"}):
        assert classify(article, edit(article, **shown), [], []) is Edit.SHOWN, shown
    for moved in ({"date": dt.datetime(2026, 1, 3)}, {"category": "khac"}, {"tags": ["CCHC", "Mới"]},
                  {"author": "Phòng Kế hoạch"}, {"slug": "b"}, {"draft": True}):
        assert classify(article, edit(article, **moved), [], []) is Edit.FULL, moved
    assert classify(page, edit(page, title="Giới thiệu chung"), [], []) is Edit.FULL    # in the menu
    assert classify(article, edit(article, body="Hai."), [], cited) is Edit.FULL        # a new citation
    assert classify(document, edit(document, body="Hai."), [], []) is Edit.FULL
    assert classify(article, None, [], []) is Edit.FULL                                 # unreadable now
    assert classify(article, Page(article.source, body="Một.", title="Tiêu đề"), [], []) is Edit.FULL


def test_dependencies_list_the_pages_showing_a_view_in_plan_order():
    deps = Dependencies({"index.html": ("a", "b", "a"), "tin-tuc/a/index.html": ("a", "d"), "van-ban/d/": ("d",)})
    assert deps.pages_showing("a") == ["index.html", "tin-tuc/a/index.html"]
    assert deps.pages_showing("d") == ["tin-tuc/a/index.html", "van-ban/d/"]
    assert deps.pages_showing("c") == []


def test_consecutive_fast_edits_equal_a_full_build_with_search(sample_site, tmp_path):
    """Saves one after another on one Builder, each on the fast path: two articles sharing
    lists have their titles edited in turn, one of them twice, bodies between, and a save that
    changes nothing writes nothing. Each result equals a cold build (the search index too), and a
    new process then finds every page current (the input digests recorded are a full build's)."""
    site = sample_site
    builder = Builder(site.root, BuildOptions(quiet=True))
    assert builder.build().ok
    other = site.root / "content" / "articles" / "2026" / "co-che-mot-cua-mot-cua-lien-thong.md"   # cites 61/2018
    mine, page = site.root / ARTICLE, site.root / "content" / "pages" / "gioi-thieu.md"
    english = site.root / "content" / "pages" / "en" / "gioi-thieu.md"       # issue 24: page-en.html

    def title(text: str):
        return lambda p: replace_in(p, r"^title: .*$", f'title: "{text}"')

    steps = [
        ("title", mine, title("Chính quyền điện tử, lần một")),
        ("other title", other, title("Một cửa liên thông, tiêu đề mới")),
        ("body", mine, lambda p: append(p, "\nMột đoạn mới.\n")),
        ("title again", mine, title("Chính quyền điện tử, lần hai")),
        ("summary and body", other, lambda p: (replace_in(p, r"^summary: .*$", 'summary: "Tóm tắt mới"'),
                                               append(p, "\nĐoạn thêm.\n"))),
        ("page body", page, lambda p: append(p, "\nĐịa chỉ mới.\n")),      # its translation's warning comes
        ("English page body", english, lambda p: append(p, "\nA new address.\n")),
        ("same bytes", mine, lambda p: p.write_bytes(p.read_bytes())),
    ]
    for what, path, change in steps:
        change(path)
        result = builder.build(changed={path})
        assert result.path == FAST, what
        if what == "same bytes":
            assert result.stats.written == [] and result.rendered == [], what
        same_as_cold(site, result, tmp_path, what)
    assert "Một cửa liên thông, tiêu đề mới" in site.read("van-ban/61-2018-nd-cp/index.html")
    again = Builder(site.root, BuildOptions(quiet=True)).build()
    assert again.ok and again.path == FULL and again.stats.written == []
    assert set(again.rendered) == {"tin-moi.json"}


def test_a_scheduled_article_coming_due_in_a_preview_ends_the_fast_path(sample_site, tmp_path):
    """serve previews scheduled articles (future=True) with a "Hẹn giờ đăng" banner. Once the
    first one's time has come, a save takes the full path, so the banner goes as in a full build."""
    site = sample_site
    when = dt.datetime(2030, 5, 4, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    (site.root / "content" / "articles" / "2030").mkdir(parents=True)
    (site.root / "content" / "articles" / "2030" / "hen-gio.md").write_text(
        '---\ntitle: "Bài hẹn giờ"\ndate: 2030-05-04 10:00\ncategory: trien-khai-thuc-hien\nslug: hen-gio\n'
        'summary: "Tóm tắt."\n---\n\nNội dung.\n', encoding="utf-8")
    builder = Builder(site.root, BuildOptions(quiet=True, future=True, now=when))
    assert builder.build().ok
    assert "Hẹn giờ đăng 04/05/2030 10:00" in site.read("tin-tuc/hen-gio/index.html")
    append(site.root / ARTICLE, "\nMột đoạn mới.\n")
    assert builder.build(changed={site.root / ARTICLE}).path == FAST          # 9:00, still scheduled
    builder.options.now = when + dt.timedelta(hours=2)                        # 11:00: it is due
    append(site.root / ARTICLE, "\nĐoạn thứ hai.\n")
    result = builder.build(changed={site.root / ARTICLE})
    assert result.ok and result.path == FULL
    assert "Hẹn giờ đăng" not in site.read("tin-tuc/hen-gio/index.html")
    cold = Builder(site.root, BuildOptions(quiet=True, future=True, cache=False, now=builder.options.now,
                                           out_dir=tmp_path / "cold")).build()
    assert cold.ok and tree(site.root / "output") == tree(tmp_path / "cold")


@pytest.mark.parametrize("seed", [3, 4])
def test_in_memory_builder_equals_cold_build_after_random_edits(serving, tmp_path, seed):
    site, builder = serving
    editor = Editor(site.root, random.Random(seed))
    for step in range(6):
        what = editor.random_edit()
        # What serve passes: the watcher's paths; now and then None (check everything by stat).
        changed = None if step % 3 == 2 else set(editor.touched)
        editor.touched.clear()
        warm = builder.build(changed=changed)
        same_as_cold(site, warm, tmp_path, what)


def test_worker_processes_give_the_same_bytes(tmp_path):
    """--jobs 2 (content files, Markdown and pages in worker processes) == --jobs 1, file for
    file and problem for problem; with an error, neither writes anything nor leaves a temporary file."""
    site = generate_corpus(tmp_path, articles=320, documents=40)
    with open(site.root / "site.yaml", "a", encoding="utf-8") as f:
        f.write("search: false\n")
    bad = site.root / "content" / "articles" / "2020" / "bai-loi.md"
    bad.parent.mkdir(parents=True, exist_ok=True)
    bad.write_text('---\ntitle: "Bài lỗi"\ndate: 2020-05-01\ncategory: tin-hoat-dong\n'
                   'tags: [CCHC]\n---\n\nTheo Quyết định số 999/QĐ-KHONGCO.\n', encoding="utf-8")
    one = cli("build", "--quiet", "--no-cache", "--jobs", "1", "--out", str(tmp_path / "one"), site=site.root)
    two = cli("build", "--quiet", "--no-cache", "--jobs", "2", "--out", str(tmp_path / "two"), site=site.root)
    assert one.code == two.code == 0, (one.err[-500:], two.err[-500:])
    assert "999/QĐ-KHONGCO" in one.err and problems(one) == problems(two)
    assert tree(tmp_path / "one") == tree(tmp_path / "two")
    # Workers forked (Linux, no other thread: a command-line build) and spawned (another thread
    # runs, as in serve) give the same pages.
    with another_thread():
        assert Workers.start_method() == "spawn"
        spawned = cli("build", "--quiet", "--no-cache", "--jobs", "2", "--out", str(tmp_path / "spawned"), site=site.root)
    assert spawned.code == 0 and problems(spawned) == problems(one)
    assert tree(tmp_path / "spawned") == tree(tmp_path / "one")
    forked = cli_process("build", "--quiet", "--no-cache", "--jobs", "2", "--out", str(tmp_path / "forked"),
                         cwd=site.root, timeout=300)
    assert forked.code == 0 and problems(forked) == problems(one)
    assert tree(tmp_path / "forked") == tree(tmp_path / "one")
    bad.write_text('---\ntitle: "Bài lỗi"\ndate: 31/02/2021\n---\n', encoding="utf-8")
    one = cli("build", "--quiet", "--no-cache", "--jobs", "1", "--out", str(tmp_path / "one"), site=site.root)
    two = cli("build", "--quiet", "--no-cache", "--jobs", "2", "--out", str(tmp_path / "two"), site=site.root)
    assert one.code == two.code == 1 and problems(one) == problems(two)
    assert "content/articles/2020/bai-loi.md:3" in two.err
    assert tree(tmp_path / "one") == tree(tmp_path / "two")      # the last good build, untouched
    assert not [p for p in (tmp_path / "two").rglob("*.tmp")]


@contextlib.contextmanager
def another_thread():
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork is used on Linux only")
def test_workers_are_forked_only_without_other_threads():
    """A command-line build forks its workers (they start with every module loaded); beside
    another thread, as in serve, forking is unsafe and they are spawned."""
    if threading.active_count() > 1:
        pytest.skip("a thread of another test still runs in this process")
    assert Workers.start_method() == "fork"
    with another_thread():
        assert Workers.start_method() == "spawn"


def test_progress_shows_phases_on_a_terminal_only(monkeypatch):
    import cchc.core.progress as progress

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr(progress, "DELAY", 0.0)
    screen = Terminal()
    p = Progress(True, screen)
    p.start("Rendering", 3)
    p.advance(3)
    p.finish()
    assert "Rendering 0/3" in screen.getvalue() and screen.getvalue().endswith("\r\x1b[K")
    for enabled, stream in ((False, Terminal()), (True, io.StringIO())):   # --quiet; a pipe or a log
        q = Progress(enabled, stream)
        q.start("Rendering", 3)
        q.finish()
        assert stream.getvalue() == ""


def test_build_through_a_pipe_prints_no_progress(sample_site):
    run = cli_process("build", cwd=sample_site.root)
    assert run.code == 0 and "\r" not in run.out + run.err
    assert run.out.startswith("Built ")
    quiet = cli_process("build", "--quiet", cwd=sample_site.root)
    assert quiet.code == 0 and quiet.out == ""


def test_a_partial_re_renders_the_pages_including_it_and_a_computed_name_all(serving):
    """Dependencies between layouts are followed: a new partial included by list.html re-renders
    the lists (and no article); a template name computed at render time cannot be followed, so
    then an edit of any layout re-renders every page of that template."""
    site, builder = serving
    layouts = site.root / "layouts"
    (layouts / "partials" / "ghi-chu.html").write_text("<!-- ghi chú 1 -->\n", encoding="utf-8")
    replace_in(layouts / "list.html", r"\{% block content %\}", '{% block content %}{% include "partials/ghi-chu.html" %}')
    assert builder.build().ok
    replace_in(layouts / "partials" / "ghi-chu.html", r"ghi chú 1", "ghi chú 2")
    written = builder.build().stats.written
    assert "tin-tuc/index.html" in written and PAGE not in written
    assert "ghi chú 2" in site.read("tin-tuc/index.html")
    replace_in(layouts / "list.html", r'\{% include "partials/ghi-chu.html" %\}',
               '{% include "partials/" ~ "ghi-chu.html" %}')
    assert builder.build().ok
    (layouts / "partials" / "khong-dung.html").write_text("<!-- không dùng -->\n", encoding="utf-8")
    result = builder.build()
    lists = {p for p, data in tree(site.root / "output").items() if "ghi chú 2".encode() in data}   # list.html's pages
    assert result.ok and len(lists) > 10 and lists <= set(result.rendered) and PAGE not in result.rendered
