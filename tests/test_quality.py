"""Readers first (issue 7): every page type is valid, accessible, light and linked, checked for real.

Two sites are built once for the module: the repository's sample section and a generated one
of a few hundred articles. On both, every HTML page goes through the W3C Nu checker (one JVM
run) and a link crawler, and the feeds and the sitemap are validated. A headless Debian
Chromium then opens one page of each type, served from 127.0.0.1 under the base_url's path as
the portal would serve it: axe-core (WCAG 2.1 A + AA), no sideways scrolling at 375 px, no
request leaving 127.0.0.1, and screenshots at 375 and 1280 px into tests/artifacts/screenshots/.
"""
from __future__ import annotations

import re
import shutil
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import REPO, SiteFolder, generate_corpus, need
from quality_helpers import (AXE_JS, CHROMIUM, CHROMIUM_ARGS, VNU_JAR, absolute_urls_resolve, check_atom, check_rss,
                             check_sitemap, crawl, describe_violations, run_axe, serve, vnu)

SCREENSHOTS = REPO / "tests" / "artifacts" / "screenshots"
WIDTHS = (375, 1280)
ARTICLE_BUDGET = 60 * 1024   # HTML + CSS of an article, uncompressed: readers on slow phones


@dataclass
class Built:
    name: str
    folder: SiteFolder
    base_url: str

    @property
    def out(self) -> Path:
        return self.folder.root / "output"

    @property
    def pages(self) -> list[Path]:
        return sorted(self.out.rglob("*.html"))

    def page_types(self) -> dict[str, str]:
        """One URL (relative to base_url) of each page type, found in the output, not hard-coded."""
        def first(pattern: str) -> str:
            for p in self.pages:
                rel = p.relative_to(self.out).as_posix()
                if re.fullmatch(pattern, rel):
                    return rel.removesuffix("index.html")
            raise AssertionError(f"{self.name}: no page matches {pattern}")
        types = {
            "home": "",
            "article": first(r"tin-tuc/(?!trang-)[^/]+/index\.html"),
            "news": "tin-tuc/",
            "category": first(r"chuyen-muc/[^/]+/index\.html"),
            "tags": "the/",
            "tag": first(r"the/[^/]+/index\.html"),
            "archives": "luu-tru/",
            "archive": first(r"luu-tru/\d{4}/index\.html"),
            "documents": "van-ban/",
            "document": first(r"van-ban/[^/]+/index\.html"),
            "search": "tim-kiem/",
            "results": "tim-kiem/?q=cai%20cach",   # the search page showing results (JS + Pagefind)
            "sitemap": "so-do-trang/",
            "404": "khong-co-trang-nay/",   # a missing URL: the server answers with 404.html
        }
        if (self.out / "thong-ke" / "index.html").is_file():   # the report's public statistics page
            types["stats"] = "thong-ke/"
        if (self.out / "ke-hoach").is_dir():                   # a plan's progress page (content/plans/)
            types["plan"] = first(r"ke-hoach/[^/]+/index\.html")
        if (self.folder.root / "content" / "pages").is_dir():   # fixed pages: any top-level folder not above
            types["page"] = first(r"(?!(tin-tuc|chuyen-muc|the|luu-tru|van-ban|thu-tuc|tim-kiem|so-do-trang|thong-ke"
                                  r"|assets|files|images|en)/)[^/]+/index\.html")
        if (self.out / "thu-tuc" / "index.html").is_file():   # issue 24: procedures and pages in English
            types["procedures"] = "thu-tuc/"
            types["procedure"] = first(r"thu-tuc/[^/]+/index\.html")
        if (self.out / "en" / "index.html").is_file():
            types["english-home"] = "en/"
            types["english"] = first(r"en/[^/]+/index\.html")
        return types


def _build(name: str, folder: SiteFolder) -> Built:
    run = folder.build()
    assert run.code == 0, run.out + run.err
    text = (folder.root / "site.yaml").read_text(encoding="utf-8")
    base_url = re.search(r'^base_url:\s*"?([^"\s]+)"?', text, re.M).group(1)
    return Built(name, folder, base_url)


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Built:
    """The repository's sample section (as conftest's sample_site, but built once for the module)."""
    root = tmp_path_factory.mktemp("quality") / "sample"
    root.mkdir()
    for name in ("content", "layouts"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "site.yaml", root / "site.yaml")
    return _build("sample", SiteFolder(root))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Built:
    """A generated section of a few hundred articles and documents (the benchmark's generator)."""
    return _build("corpus", generate_corpus(tmp_path_factory.mktemp("quality-corpus"), articles=300, documents=100))


@pytest.fixture(scope="module", params=["sample", "corpus"])
def built(request) -> Built:
    return request.getfixturevalue(request.param)


# --- HTML validity -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def nu_report(sample, corpus, tmp_path_factory) -> dict[Path, list[str]]:
    """The Nu checker's errors for every page of both sites, from a single JVM."""
    need(shutil.which("java") is not None, "java is not installed (apt-get install default-jre-headless)")
    need(VNU_JAR.is_file(), "vnu.jar is missing: run `npm install` at the repository root")
    files = [p for site in (sample, corpus) for p in site.pages if p.name != "tin-moi.html"]
    # tin-moi.html is a fragment the portal's CMS embeds; check it inside a minimal document.
    wrapper = tmp_path_factory.mktemp("widget") / "tin-moi-embedded.html"
    fragment = (sample.out / "tin-moi.html").read_text(encoding="utf-8")
    wrapper.write_text(f'<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8"><title>Cổng</title></head>'
                       f"<body>{fragment}</body></html>\n", encoding="utf-8")
    return vnu(files + [wrapper])


def test_every_page_passes_the_nu_html_checker(built, nu_report):
    pages = [p for p in built.pages if p.name != "tin-moi.html"]
    assert len(pages) > (400 if built.name == "corpus" else 50)
    errors = [f"{p.relative_to(built.out).as_posix()}:{m}" for p in pages for m in nu_report.get(p, [])]
    assert not errors, f"{len(errors)} Nu checker error(s) in {built.name}:\n" + "\n".join(errors[:40])


def test_the_news_widget_is_valid_inside_a_portal_page(sample, nu_report):
    errors = [m for p, ms in nu_report.items() if p.name == "tin-moi-embedded.html" for m in ms]
    assert not errors, "\n".join(errors)


def test_the_nu_checker_reports_an_invalid_page(tmp_path):
    """The checker must be able to fail: a page with a duplicate id and a bad attribute."""
    need(shutil.which("java") is not None and VNU_JAR.is_file(), "java or vnu.jar missing")
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>x</title></head>'
                   '<body><p id="a">1</p><p id="a">2</p><form action=""></form></body></html>', encoding="utf-8")
    messages = vnu([bad]).get(bad, [])
    assert any("Duplicate ID" in m for m in messages) and any("action" in m for m in messages), messages


# --- links -------------------------------------------------------------------------------------------

def test_every_internal_link_and_asset_resolves(built):
    checked, broken = crawl(built.out, built.base_url)
    assert checked > (10_000 if built.name == "corpus" else 1_000)
    assert not broken, f"{len(broken)} broken of {checked} internal references:\n" + "\n".join(broken[:40])


def test_the_crawler_finds_a_missing_file_a_missing_anchor_and_a_link_above_the_root(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text('<p id="x">', encoding="utf-8")
    (tmp_path / "a" / "index.html").write_text(
        '<a href="../">ok</a><a href="../#x">ok</a><a href="https://example.gov.vn/">portal</a>'
        '<img src="../anh.png" alt=""><a href="../#y">no id</a><a href="../../ngoai/">above</a>', encoding="utf-8")
    checked, broken = crawl(tmp_path, "https://example.gov.vn/cchc/")
    assert checked == 5
    assert [b.split(" -> ")[0] for b in broken] == ["a/index.html: ../anh.png", "a/index.html: ../#y",
                                                   "a/index.html: ../../ngoai/"]


def test_the_build_warns_about_broken_links_in_markdown_with_file_and_line(site):
    site.article("2021/bai-hai", title="Bài hai")
    site.write("content/articles/2021/lien-ket.md", """\
        ---
        title: "Liên kết"
        date: 2021-02-01
        category: tin-hoat-dong
        ---

        Xem [bài đầu tiên](bai-dau-tien.md), [chuyên mục](../../chuyen-muc/chinh-sach/) và [bài hai](bai-hai.md).

        Còn [bài cũ](bai-khong-co.md) thì đã bị xóa.

        ![Ảnh hội nghị](images/hoi-nghi.png)

        | Tệp | Trang |
        |---|---|
        | [kế hoạch](files/ke-hoach.pdf) | [trang](../../khong-co-trang/) |

        Lại [bài cũ](bai-khong-co.md) lần nữa.
        """)
    site.write("content/pages/gioi-thieu.md", """\
        ---
        title: "Giới thiệu"
        ---

        Dòng một.

        Xem [bài](../articles/2021/khong-co.md).
        """)
    run = site.build()
    assert run.code == 0
    warnings = [line for line in run.lines if "broken link" in line]
    where = [w.split(": warning: ")[0] + " " + re.search(r'"([^"]+)"', w).group(1) for w in warnings]
    assert where == [
        "content/articles/2021/lien-ket.md:9 bai-khong-co.md",
        "content/articles/2021/lien-ket.md:11 images/hoi-nghi.png",
        "content/articles/2021/lien-ket.md:15 ../../khong-co-trang/",
        "content/articles/2021/lien-ket.md:15 files/ke-hoach.pdf",
        "content/articles/2021/lien-ket.md:17 bai-khong-co.md",
        "content/pages/gioi-thieu.md:7 ../articles/2021/khong-co.md",
    ], "\n".join(warnings)
    # Each says what is wrong and what to do about that kind of link.
    by_target = {re.search(r'"([^"]+)"', w).group(1): w for w in warnings}
    assert "(copy it into content/images/, or correct the name" in by_target["images/hoi-nghi.png"]
    assert "(copy it into content/files/" in by_target["files/ke-hoach.pdf"]
    assert "(link to another item by its file, e.g. [bài](../2026/ten-bai.md))" in by_target["bai-khong-co.md"]
    # Links that do resolve are rewritten to the target page and not reported.
    html = site.read("tin-tuc/lien-ket/index.html")
    assert 'href="../../tin-tuc/bai-dau-tien/"' in html and 'href="../../tin-tuc/bai-hai/"' in html
    assert not any("bai-dau-tien" in w or "chinh-sach" in w for w in warnings)
    # `check` reports the same, and --strict turns them into a failure.
    assert site.check("--strict").code == 1


# --- feeds and sitemap -------------------------------------------------------------------------------

def test_feeds_and_sitemap_are_valid_with_absolute_urls_from_base_url(built):
    atom_problems, atom_urls = check_atom(built.out / "feed.xml")
    rss_problems, rss_urls = check_rss(built.out / "rss.xml")
    sitemap_problems, locs = check_sitemap(built.out / "sitemap.xml")
    assert not atom_problems, "feed.xml (Atom, RFC 4287):\n" + "\n".join(atom_problems)
    assert not rss_problems, "rss.xml (RSS 2.0):\n" + "\n".join(rss_problems)
    assert not sitemap_problems, "sitemap.xml (sitemaps.org 0.9 XSD):\n" + "\n".join(sitemap_problems)
    assert len(atom_urls) > 10 and len(rss_urls) > 10
    # The sitemap lists every page of the section, each by its absolute URL.
    pages = {p.relative_to(built.out).as_posix() for p in built.out.rglob("index.html")}
    listed = {u[len(built.base_url):] + "index.html" for u in locs}
    assert pages - listed == set(), "pages missing from sitemap.xml"
    unresolved = absolute_urls_resolve(built.out, built.base_url, atom_urls + rss_urls + locs)
    assert not unresolved, "\n".join(unresolved[:20])


def test_the_feed_checks_catch_what_readers_reject(tmp_path):
    """A date without a time, a relative link and a missing title must each be reported."""
    atom = tmp_path / "feed.xml"
    atom.write_text('<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><id>https://x.vn/</id>'
                    '<updated>2021-01-01</updated><author><name>A</name></author><entry><id>https://x.vn/a/</id>'
                    '<updated>2021-01-01T00:00:00+07:00</updated><link href="tin-tuc/a/"/><summary>s</summary>'
                    '</entry></feed>', encoding="utf-8")
    problems, _ = check_atom(atom)
    assert any("RFC 3339" in p for p in problems) and any("not absolute" in p for p in problems) \
        and any("atom:title" in p for p in problems) and any("rel=self" in p for p in problems), problems
    rss = tmp_path / "rss.xml"
    rss.write_text('<rss version="2.0"><channel><title>T</title><link>https://x.vn/</link><description>d'
                   '</description><item><title>a</title><link>tin-tuc/a/</link><pubDate>2021-01-01</pubDate>'
                   '</item></channel></rss>', encoding="utf-8")
    problems, _ = check_rss(rss)
    assert any("RFC 822" in p for p in problems) and any("absolute" in p for p in problems), problems


# --- in a real browser -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser(sample, corpus):
    """Debian's Chromium driven by Playwright; never a downloaded browser.

    Both sites are built first: Playwright's sync API keeps an event loop running in this
    thread, and a build that uses asyncio (the Pagefind search index) cannot run inside it.
    """
    need(CHROMIUM.exists(), f"{CHROMIUM} is missing (apt-get install -y chromium)")
    need(AXE_JS.is_file(), "axe-core is missing: run `npm install` at the repository root")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        need(False, "playwright is not installed (pip install -e .[test])")
    pw = sync_playwright().start()
    b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield b
    b.close()
    pw.stop()


@pytest.fixture(scope="module")
def sample_server(sample):
    with serve(sample.out, urllib.parse.urlparse(sample.base_url).path) as root:
        yield root


@pytest.fixture(scope="module")
def corpus_server(corpus):
    with serve(corpus.out, urllib.parse.urlparse(corpus.base_url).path) as root:
        yield root


class Visit:
    """One page in one viewport, with every request it made recorded."""

    def __init__(self, browser, root: str, width: int, javascript: bool = True):
        self.root = root
        self.context = browser.new_context(viewport={"width": width, "height": 800}, java_script_enabled=javascript,
                                           locale="vi-VN", service_workers="block")
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.failed: list[str] = []   # references a browser could not load: broken even if no crawler saw them
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("requestfailed", lambda r: self.failed.append(f"{r.url} ({r.failure})"))
        self.page.on("response", lambda r: r.status >= 400 and self.failed.append(f"{r.url} ({r.status})"))

    def open(self, rel: str):
        response = self.page.goto(self.root + rel, wait_until="load")   # pages have no late requests to wait for
        if "?q=" in rel:   # search results arrive after the index is fetched: check them, not an empty list
            self.page.wait_for_selector("#ket-qua li", timeout=15_000)
        return response

    def broken_requests(self, allowed: str = "") -> list[str]:
        """Failed loads, less the page itself when it is meant to be missing and the portal's favicon."""
        return [f for f in self.failed if not f.startswith(allowed or "\0")
                and not urllib.parse.urlparse(f.split(" ")[0]).path == "/favicon.ico"]

    def foreign_requests(self) -> list[str]:
        local = urllib.parse.urlparse(self.root).netloc
        return [u for u in self.requests if urllib.parse.urlparse(u).netloc != local and not u.startswith("data:")]

    def overflow(self) -> int:
        """How many CSS pixels the page scrolls sideways (0 when it fits the viewport)."""
        return self.page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")

    def close(self):
        self.context.close()


SAMPLE_TYPES = ["home", "article", "news", "category", "tags", "tag", "archives", "archive", "page", "documents",
                "document", "search", "results", "sitemap", "stats", "plan", "404", "procedures", "procedure",
                "english-home", "english"]


@pytest.mark.parametrize("kind", SAMPLE_TYPES)
def test_each_page_type_is_accessible_fits_a_phone_and_stays_local(kind, sample, sample_server, browser):
    """axe WCAG 2.1 A/AA at both widths, no sideways scroll at 375 px, no third-party request."""
    rel = sample.page_types()[kind]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        visit = Visit(browser, sample_server, width)
        try:
            response = visit.open(rel)
            assert response.status == (404 if kind == "404" else 200), rel
            assert visit.page.evaluate("getComputedStyle(document.body).fontFamily") != "", "stylesheet not applied"
            assert visit.page.evaluate("document.styleSheets.length") >= 1, f"{rel}: no stylesheet loaded"
            visit.page.screenshot(path=str(SCREENSHOTS / f"sample-{kind}-{width}.png"), full_page=True)
            violations = run_axe(visit.page)
            assert not violations, f"{rel} at {width}px:\n{describe_violations(violations)}"
            if width == 375:
                assert visit.overflow() <= 0, f"{rel} scrolls sideways by {visit.overflow()}px at 375px"
            assert not visit.foreign_requests(), f"{rel} requested {visit.foreign_requests()}"
            missing = visit.broken_requests(sample_server + rel if kind == "404" else "")
            assert not missing, f"{rel} could not load {missing}"
        finally:
            visit.close()


def test_one_page_of_each_type_on_a_large_site(corpus, corpus_server, browser):
    """The generated corpus: long titles, many tags and documents, deep pagination."""
    types = corpus.page_types()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    failures = []
    visits = {width: Visit(browser, corpus_server, width) for width in WIDTHS}
    try:
        for kind, rel in types.items():
            for width, visit in visits.items():
                visit.open(rel)
                visit.page.screenshot(path=str(SCREENSHOTS / f"corpus-{kind}-{width}.png"), full_page=False)
                if width == 1280:
                    violations = run_axe(visit.page)
                    if violations:
                        failures.append(f"{rel}:\n{describe_violations(violations)}")
                elif visit.overflow() > 0:
                    failures.append(f"{rel} scrolls sideways by {visit.overflow()}px at 375px")
        for visit in visits.values():
            if visit.broken_requests(corpus_server + types["404"]):
                failures.append(f"could not load: {visit.broken_requests(corpus_server + types['404'])[:5]}")
            if visit.foreign_requests():
                failures.append(f"requests left 127.0.0.1: {visit.foreign_requests()[:5]}")
    finally:
        for visit in visits.values():
            visit.close()
    assert not failures, "\n".join(failures)


def test_axe_reports_what_it_should(browser):
    """The accessibility check must be able to fail: an image without alt, grey-on-white text."""
    visit = Visit(browser, "http://127.0.0.1:9/", 1280)
    try:
        visit.page.set_content('<!DOCTYPE html><html><head><title>x</title></head><body><main>'
                               '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
                               '<p style="color:#bbb">Chữ mờ</p></main></body></html>')
        found = {v["id"] for v in run_axe(visit.page)}
        assert {"image-alt", "color-contrast", "html-has-lang"} <= found, found
    finally:
        visit.close()


def test_keyboard_skip_link_and_visible_focus(sample, sample_server, browser):
    visit = Visit(browser, sample_server, 375)
    try:
        page = visit.page
        visit.open(sample.page_types()["article"])
        page.keyboard.press("Tab")
        skip = page.evaluate("""() => { const a = document.activeElement, r = a.getBoundingClientRect();
            return {text: a.textContent, href: a.getAttribute('href'), visible: r.left >= 0 && r.top >= 0
                    && r.width > 20 && r.right <= innerWidth, outline: getComputedStyle(a).outlineStyle}; }""")
        assert skip["href"] == "#noi-dung" and "nội dung" in skip["text"], skip
        assert skip["visible"], "the skip link must appear on screen when it has focus"
        page.keyboard.press("Enter")
        assert page.evaluate("document.activeElement.id") == "noi-dung", "Enter on the skip link must move focus to main"
        # The next Tab lands inside the main content, past the header and menu.
        page.keyboard.press("Tab")
        assert page.evaluate("!!document.activeElement.closest('main')")
        # Every focusable element shows a focus ring of at least 2px when reached by keyboard.
        page.evaluate("window.scrollTo(0, 0); document.body.focus()")
        page.locator(".skip").focus()
        unseen = []
        for _ in range(40):
            page.keyboard.press("Tab")
            ring = page.evaluate("""() => { const a = document.activeElement, s = getComputedStyle(a);
                return {what: a.outerHTML.slice(0, 80), outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
                        shadow: s.boxShadow !== 'none', body: a === document.body}; }""")
            if ring["body"]:
                break
            if not (ring["outline"] or ring["shadow"]):
                unseen.append(ring["what"])
        assert not unseen, "focus not visible on:\n" + "\n".join(unseen)
    finally:
        visit.close()


def test_document_filters_work_from_the_keyboard(sample, sample_server, browser):
    """Reach the filters with Tab, type a number without diacritics, pick a type with the arrow keys."""
    visit = Visit(browser, sample_server, 375)
    try:
        page = visit.page
        visit.open("van-ban/")
        shown_rows = "#bang-van-ban tbody tr:visible"
        total = page.locator(shown_rows).count()
        assert total >= 5
        for _ in range(60):   # Tab from the top of the page to the filter's text box
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.id") == "loc-chu":
                break
        else:
            pytest.fail("the document filter cannot be reached with Tab")
        page.keyboard.type("nghi dinh 61")   # without diacritics, as readers type on a phone
        symbols = _settle(lambda: page.locator(shown_rows + " td:first-child").all_inner_texts(),
                          lambda found: "61/2018/NĐ-CP" in found and len(found) < total)
        assert "61/2018/NĐ-CP" in symbols and len(symbols) < total, symbols
        assert re.search(r"\d", page.locator("#so-van-ban").inner_text()), "the count of matches is announced"
        page.keyboard.press("Control+A")
        page.keyboard.press("Backspace")
        page.keyboard.press("Tab")            # to "Loại văn bản"
        assert page.evaluate("document.activeElement.id") == "loc-loai"
        page.keyboard.press("ArrowDown")      # the first type in the list, chosen without a mouse
        chosen = page.evaluate("document.activeElement.value")
        summaries = _settle(lambda: page.locator(shown_rows + " td:nth-child(3)").all_inner_texts(),
                            lambda found: found and all(t.startswith(chosen + " ") for t in found))
        assert chosen and summaries and all(t.startswith(chosen + " ") for t in summaries), (chosen, summaries)
    finally:
        visit.close()


def _settle(read, done, seconds: float = 5.0):
    """Read until done(value) or the time is up (filters may fetch their data first); the last value."""
    import time
    end = time.monotonic() + seconds
    value = read()
    while not done(value) and time.monotonic() < end:
        time.sleep(0.1)
        value = read()
    return value


def test_every_article_is_under_the_weight_budget(built):
    """HTML + CSS of each article page, uncompressed, as a phone on a slow network downloads it."""
    heaviest, over = (0, ""), []
    for page in (built.out / "tin-tuc").glob("*/index.html"):
        if page.parent.name.startswith("trang-"):
            continue
        html = page.read_text(encoding="utf-8")
        css = [(page.parent / href).resolve() for href in re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)]
        assert css, f"{page}: no stylesheet"
        weight = page.stat().st_size + sum(f.stat().st_size for f in css)
        heaviest = max(heaviest, (weight, page.parent.name))
        if weight >= ARTICLE_BUDGET:
            over.append(f"{page.parent.name}: {weight} bytes")
    assert heaviest[0] > 0
    assert not over, f"over {ARTICLE_BUDGET} bytes:\n" + "\n".join(over)


def test_an_article_is_read_without_javascript_light_and_fontless(sample, sample_server, browser):
    rel = sample.page_types()["article"]
    visit = Visit(browser, sample_server, 375, javascript=False)
    try:
        visit.open(rel)
        page = visit.page
        assert page.locator("h1").inner_text().strip()
        assert len(page.locator("main .body").inner_text()) > 500, "the article's text must be there without JS"
        assert page.evaluate("document.styleSheets.length") >= 1
        assert visit.overflow() <= 0
        # The bytes a phone downloads to read it: the HTML and its stylesheets, nothing else needed.
        local = [urllib.parse.urlparse(u).path for u in visit.requests]
        files = [sample.out / urllib.parse.unquote(p[len(urllib.parse.urlparse(sample.base_url).path):])
                 for p in local]
        files = [f / "index.html" if f.is_dir() else f for f in files]
        weight = sum(f.stat().st_size for f in files if f.suffix in (".html", ".css"))
        assert weight < ARTICLE_BUDGET, f"{weight} bytes of HTML + CSS: {files}"
        assert not [f for f in files if f.suffix in (".woff", ".woff2", ".ttf", ".otf", ".eot")]
        assert not visit.foreign_requests()
        css = "".join(f.read_text(encoding="utf-8") for f in files if f.suffix == ".css")
        assert "@font-face" not in css and "@import" not in css
    finally:
        visit.close()


def test_the_document_index_lists_every_document_without_javascript(sample, sample_server, browser):
    """No script: the table (and its following pages, if any) still show every document."""
    visit = Visit(browser, sample_server, 1280, javascript=False)
    try:
        page, seen, rel = visit.page, [], "van-ban/"
        for _ in range(50):
            visit.open(rel)
            seen += page.locator("#bang-van-ban tbody tr:visible td:first-child a").all_inner_texts()
            assert not page.locator("#loc-van-ban").is_visible(), "filters need JS: hidden without it"
            following = page.locator('a[rel="next"]')
            if not following.count():
                break
            rel = urllib.parse.urljoin(rel, following.first.get_attribute("href"))
        documents = len(list((sample.folder.root / "content" / "documents").glob("*.md")))
        assert len(seen) == len(set(seen)) == documents, seen
    finally:
        visit.close()
