"""An editor's first steps, as HUONG-DAN.md tells them, end nowhere dead (issue 20 §2): the preview
shows what is not published yet and marks it, a new document builds while it is filled in, the
sample publishes, a review copy opens from a folder, and the small things a first look finds."""
from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from conftest import REPO, cli, need
from test_serve import Served, article_text, make_site


# --- serve shows drafts and scheduled articles, each with its banner --------------------------

@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    s = make_site(tmp_path_factory.mktemp("first-steps") / "site")
    server = Served(s.root)
    server.site = s
    yield server
    server.stop()


def test_a_new_article_is_in_the_preview_at_once_with_its_banner_and_address(preview):
    mark = preview.mark()
    run = cli("new", "article", "Tin nháp mới", "--date", "2021-02-01", site=preview.root)
    assert run.code == 0 and run.out.strip() == "content/articles/2021/tin-nhap-moi.md"
    address = preview.base + "tin-tuc/tin-nhap-moi/"
    line = preview.wait_line(re.escape(address), since=mark, timeout=30)
    assert "draft: readers will not see it until 'draft: false'" in line
    status, _h, body = preview.get(preview.mount + "tin-tuc/tin-nhap-moi/")
    page = body.decode("utf-8")
    assert status == 200 and '<p class="preview-banner" role="note"><strong>Bản nháp</strong>' in page
    status, _h, body = preview.get(preview.mount)
    home = body.decode("utf-8")
    assert re.search(r'Tin nháp mới</a> <span class="preview-mark">Bản nháp</span>', home), home


def test_a_scheduled_article_shows_when_it_goes_up(preview):
    mark = preview.mark()
    when = dt.datetime.now() + dt.timedelta(days=30)
    (preview.root / "content/articles/2021/hen-gio.md").write_text(
        article_text("Tin hẹn giờ").replace("date: 2021-01-18", f'date: "{when:%Y-%m-%d} 08:30"'), encoding="utf-8")
    preview.wait_line(r"tin-tuc/tin-hen-gio/ \(scheduled", since=mark, timeout=30)
    status, _h, body = preview.get(preview.mount + "tin-tuc/tin-hen-gio/")
    assert status == 200 and f"<strong>Hẹn giờ đăng {when:%d/%m/%Y} 08:30</strong>" in body.decode("utf-8")


def test_build_and_publish_still_leave_drafts_and_scheduled_articles_out(preview):
    assert (preview.root / "content/articles/2021/tin-nhap-moi.md").exists()
    run = cli("build", site=preview.root)
    assert run.code == 0
    out = preview.root / "output"
    assert not (out / "tin-tuc/tin-nhap-moi").exists() and not (out / "tin-tuc/tin-hen-gio").exists()
    assert "preview-banner" not in "".join(p.read_text(encoding="utf-8") for p in out.rglob("*.html"))
    assert "Bản nháp" in cli("build", "--drafts", "--out", str(preview.root / "nhap"), site=preview.root).out + \
        (preview.root / "nhap/tin-tuc/tin-nhap-moi/index.html").read_text(encoding="utf-8")


# --- new document -> a file that builds ---------------------------------------------------------

def test_new_document_builds_while_it_is_filled_in(site):
    run = cli("--lang", "vi", "new", "document", "Quyết định số 908/QĐ-UBND ngày 29/10/2018", site=site.root)
    assert run.code == 0
    build = cli("--lang", "vi", "build", site=site.root)
    assert build.code == 0
    assert ("content/documents/908-qd-ubnd-2018.md:4: cảnh báo: văn bản nháp: còn phải điền title, issuer; văn bản "
            "chưa được đưa lên chuyên mục cho đến khi điền đủ; điền đủ các khóa đó, rồi đổi 'draft: true' thành "
            "'draft: false'") in build.err.splitlines()


# --- the sample publishes; a quoted wrong number stays as written --------------------------------

def test_the_fresh_sample_publishes_to_its_review_folder(sample_site):
    run = cli("publish", "thu-muc", "--dry-run", site=sample_site.root)
    assert run.code == 0, run.err + run.out
    assert "dry run: nothing sent" in run.out
    assert not [line for line in (run.out + run.err).splitlines() if ": warning:" in line or ": error:" in line]


def test_a_verbatim_number_is_quoted_without_a_warning_and_checked(site):
    body = "Kế hoạch ghi: «Nghị định số 61/2018/NQ-CP ngày 23/4/2018» (nguyên văn)."
    site.document("nd-61", "61/2018/NĐ-CP", "Nghị định", "2018-04-23")
    site.article("2021/trich", title="Trích kế hoạch", body=body)
    assert "61/2018/NQ-CP" in "".join(site.build().lines)            # without `verbatim:` it warns
    site.article("2021/trich", title="Trích kế hoạch", body=body, verbatim='["61/2018/NQ-CP"]')
    run = site.build("--strict")
    assert run.code == 0 and "warning" not in run.err
    assert "«Nghị định số 61/2018/NQ-CP ngày 23/4/2018»" in site.read("tin-tuc/trich-ke-hoach/index.html")
    site.article("2021/trich", title="Trích kế hoạch", body=body, verbatim='["Kế hoạch năm 2021"]')
    bad = site.build()
    assert bad.code == 1 and 'content/articles/2021/trich.md:5: error: verbatim: "Kế hoạch năm 2021"' in bad.err


# --- a review copy opens from a folder -----------------------------------------------------------

@pytest.fixture(scope="module")
def disk_copy(tmp_path_factory) -> Path:
    """The sample published to its `thu-muc` target (for_disk: true), as leaders open it."""
    root = tmp_path_factory.mktemp("disk") / "sample"
    root.mkdir()
    for name in ("content", "layouts"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "site.yaml", root / "site.yaml")
    run = cli("publish", "thu-muc", site=root)
    assert run.code == 0, run.out + run.err
    assert not (root / "output").exists()          # output/ stays the portal's section
    return root.parent / "ban-duyet"


def test_the_review_copy_links_end_in_index_html(disk_copy):
    home = (disk_copy / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'<a href="([^"#:]+)"', home)
    assert links and all(link.endswith((".html", ".xml", ".pdf", ".docx")) for link in links), links
    for link in links:
        assert (disk_copy / link).is_file(), link


def test_a_review_copy_opened_from_the_folder_works_in_a_browser(disk_copy, browser):
    page = browser.new_page()
    failed = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.goto((disk_copy / "index.html").as_uri())
    assert page.locator("h1, .section-name").first.is_visible()
    page.locator("nav.menu a", has_text="Thủ tục hành chính").click()
    assert page.url.endswith("chuyen-muc/thu-tuc-hanh-chinh/index.html")
    page.locator("article.item a").first.click()
    assert re.search(r"/tin-tuc/[^/]+/index\.html$", page.url), page.url
    page.locator("nav.menu a", has_text="Văn bản").click()
    assert page.url.endswith("van-ban/index.html")
    rows = page.locator("table.documents tbody tr")
    total = rows.count()
    page.select_option("#loc-loai", index=1)                         # a filter narrows the list
    assert 0 < len([i for i in range(total) if rows.nth(i).is_visible()]) < total
    page.goto((disk_copy / "tim-kiem" / "index.html").as_uri() + "?q=một+cửa")
    page.wait_for_selector("#tim-kiem-loi:not([hidden])")
    assert "chỉ hoạt động khi chuyên mục đã được đăng trên cổng thông tin" in page.inner_text("#tim-kiem-loi")
    assert not [u for u in failed if not u.endswith(".json")], failed   # only search's index files
    page.close()


# --- small things -------------------------------------------------------------------------------

def test_every_page_names_a_favicon_that_exists(sample_site):
    assert sample_site.build().code == 0
    out = sample_site.root / "output"
    for page in out.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        if "<head>" not in html:
            continue                      # tin-moi.html: a fragment the portal embeds in its own pages
        icon = re.search(r'<link rel="icon" type="image/svg\+xml" href="([^"]+)">', html)
        assert icon and (page.parent / icon.group(1)).resolve().is_file(), page


def test_tags_read_as_a_list_and_charts_stay_readable_on_a_phone(sample_site, browser):
    assert sample_site.build("--for-disk").code == 0
    out = sample_site.root / "output"
    page = browser.new_page(viewport={"width": 375, "height": 800})
    page.goto((out / "tin-tuc" / "co-che-mot-cua-mot-cua-lien-thong" / "index.html").as_uri())
    gap = page.evaluate("""() => { const a = document.querySelector('.tags a');
        const r = document.createRange(); r.setStart(a.nextSibling, 0); r.setEnd(a.nextSibling, 1);
        return r.getBoundingClientRect().left - a.getBoundingClientRect().right; }""")
    assert abs(gap) < 1, f"space before the comma: {gap}px"
    page.goto((out / "thong-ke" / "index.html").as_uri())
    sizes = page.evaluate("""() => [...document.querySelectorAll('svg.chart text')].map(t =>
        t.getBoundingClientRect().height)""")
    assert sizes and min(sizes) >= 12, sizes
    page.close()


def test_the_error_overlay_uses_fonts_with_vietnamese_letters():
    from cchc.commands.serve import LIVERELOAD_JS
    stack = re.search(r"font:15px/1\.5 ([^;]+);", LIVERELOAD_JS.replace('" +\n        "', "")).group(1)
    fonts = [f.strip(" '") for f in stack.split(",")]
    assert fonts[-1] == "monospace" and {"DejaVu Sans Mono", "Noto Sans Mono", "Liberation Mono"} <= set(fonts)


def test_report_formats_are_the_ones_the_readme_lists():
    from cchc.commands.report import FORMATS
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    listed = re.search(r"build\.py report [^`]*--format \{([a-z,]+)\}", readme).group(1).split(",")
    assert listed == list(FORMATS)
    run = cli("report", "--format", "text,md")
    assert run.code == 2 and "--format text,md: unknown format" in run.err
