"""The department's own look (issue 24, part 4): logo, banner and favicon from site.yaml, "Tin liên
quan" under an article and the category's other news beside it, a footer showing only what is set,
Dublin Core metadata; and, on a section with all of it plus procedures, English pages and list
thumbnails (issue 25 resizes the pictures), the Nu checker and axe-core (375 and 1280 px) on every
new page."""
from __future__ import annotations

import datetime as dt
import re
import shutil
import struct
import urllib.parse
from pathlib import Path

import pytest

from conftest import MINIMAL_SITE_YAML, SiteFolder, minimal_site, need
from quality_helpers import AXE_JS, VNU_JAR, describe_violations, run_axe, serve, vnu
from test_compliance import complete_site, png

from cchc.core.vietnamese import slugify
from cchc.model.related import NEIGHBOURS


def with_pictures(root: Path, yaml_extra: str = "") -> SiteFolder:
    site = minimal_site(root, MINIMAL_SITE_YAML + yaml_extra)
    images = root / "content" / "images"
    images.mkdir(parents=True)
    (images / "logo.png").write_bytes(png(64, 64))
    (images / "banner.png").write_bytes(png(600, 80))
    (images / "hoi-nghi.png").write_bytes(png(120, 90))
    return site


# --- pictures ----------------------------------------------------------------------------------

def test_the_logo_is_in_the_header_with_its_size_and_is_the_favicon(tmp_path):
    site = with_pictures(tmp_path / "site", 'logo: "images/logo.png"\n')
    assert site.build().code == 0
    html = site.read("tin-tuc/bai-dau-tien/index.html")
    brand = html.split('<div class="brand">', 1)[1].split("</div>", 1)[0]
    assert '<picture class="logo">' in brand and \
           '<img src="../../images/logo.png" width="64" height="64" alt="Biểu trưng Sở Thử nghiệm"' in brand
    assert '<link rel="icon" href="../../images/logo.png">' in html
    assert "favicon." not in html                      # the department's icon, not the default one
    assert '<p class="org">Sở Thử nghiệm</p>' in brand


def test_a_banner_replaces_the_header_text_and_a_favicon_of_its_own_wins(tmp_path):
    site = with_pictures(tmp_path / "site", 'logo: "images/logo.png"\nbanner: "images/banner.png"\n'
                                            'favicon: "images/hoi-nghi.png"\n')
    assert site.build().code == 0
    html = site.read("index.html")
    banner = html.split('<a class="banner" href="./">', 1)[1].split("</a>", 1)[0]
    assert 'width="600" height="80" alt="Sở Thử nghiệm"' in banner and 'src="images/banner.png"' in banner
    assert '<link rel="icon" href="images/hoi-nghi.png">' in html
    assert 'class="logo"' not in html and '<p class="org">' not in html


def test_without_a_logo_the_default_favicon_stays(site):
    assert site.build().code == 0
    assert re.search(r'<link rel="icon" type="image/svg\+xml" href="assets/favicon\.\w+\.svg">', site.read("index.html"))


def test_a_missing_logo_is_an_error_on_its_line(tmp_path):
    site = with_pictures(tmp_path / "site", 'logo: "images/khong-co.png"\nbanner: "https://example.com/b.png"\n')
    run = site.check()
    assert run.code == 1
    assert 'site.yaml:13: error: logo: "images/khong-co.png" does not exist (put the picture in content/images/ ' \
           'and write images/name.jpg)' in run.lines
    assert any(line.startswith('site.yaml:14: error: banner: "https://example.com/b.png" is not a file of the section')
               for line in run.lines), run.lines


# --- related news ---------------------------------------------------------------------------------

def test_related_news_share_the_category_and_a_tag_or_a_document(site):
    site.document("61-2018-nd-cp", "61/2018/NĐ-CP", "Nghị định", "2018-04-23")
    site.article("2021/a", title="Tin A", date="2021-03-01", tags='["một cửa"]')
    site.article("2021/b", title="Tin B", date="2021-03-02", tags='["Một Cửa", "khác"]')
    site.article("2021/c", title="Tin C", date="2021-03-03", body="Theo Nghị định số 61/2018/NĐ-CP.")
    site.article("2021/d", title="Tin D", date="2021-03-04", documents='["61/2018/NĐ-CP"]')
    site.article("2021/e", title="Tin E", date="2021-03-05", category="chinh-sach", tags='["một cửa"]')
    site.article("2021/f", title="Tin F", date="2021-03-06")
    assert site.build().code == 0

    def related(slug: str) -> list[str]:
        html = site.read(f"tin-tuc/{slug}/index.html")
        section = html.split('id="tin-lien-quan"', 1)[1].split("</section>", 1)[0] if 'id="tin-lien-quan"' in html else ""
        return re.findall(r">(Tin [A-F])</a>", section)
    assert related("tin-a") == ["Tin B"] and related("tin-b") == ["Tin A"]       # the same tag, told by its slug
    assert related("tin-c") == ["Tin D"] and related("tin-d") == ["Tin C"]       # the same document, body or list
    assert related("tin-e") == [] and related("tin-f") == []                     # another category; nothing shared
    # Beside it: the news of its category published just before it, newest first.
    html = site.read("tin-tuc/tin-d/index.html")
    beside = html.split('id="tin-cung-chuyen-muc"', 1)[1].split("</aside>", 1)[0]
    assert re.findall(r">(Tin [A-F]|Bài đầu tiên)</a>", beside) == ["Tin C", "Tin B", "Tin A", "Bài đầu tiên"]
    assert 'id="tin-cung-chuyen-muc"' not in site.read("tin-tuc/bai-dau-tien/index.html")   # the category's first


def test_related_news_look_only_at_neighbours_in_time(tmp_path):
    """400 articles sharing one tag: each one's related are its nearest in time (no comparison of
    every pair, so the cost grows with the section, not with its square)."""
    site = minimal_site(tmp_path / "site")
    start = dt.date(2020, 1, 1)
    for n in range(400):
        site.article(f"2021/t{n:03d}", title=f"Tin số {n:03d}", date=(start + dt.timedelta(days=n)).isoformat(),
                     tags='["chung"]')
    assert site.build().code == 0
    html = site.read("tin-tuc/tin-so-200/index.html")
    section = html.split('id="tin-lien-quan"', 1)[1].split("</section>", 1)[0]
    numbers = sorted(int(n) for n in re.findall(r">Tin số (\d{3})</a>", section))
    assert len(numbers) == 5 and all(abs(n - 200) <= NEIGHBOURS for n in numbers), numbers


# --- footer and metadata -------------------------------------------------------------------------------

def test_the_footer_shows_each_contact_only_when_set(tmp_path):
    site = minimal_site(tmp_path / "full", MINIMAL_SITE_YAML.replace('email: "vp@example.gov.vn"',
                                                                     'email: "vp@example.gov.vn", fax: "0255 000 001"'))
    assert site.build().code == 0
    footer = site.read("index.html").split('<footer class="footer">', 1)[1]
    for line in ("<p>Sở Thử nghiệm</p>", "<p>Địa chỉ: 1 Đường Thử</p>", "<p>Điện thoại: 0255 000 000</p>",
                 "<p>Fax: 0255 000 001</p>", '<a href="mailto:vp@example.gov.vn">',
                 "<p>Chịu trách nhiệm nội dung: Văn phòng Sở, Nguyễn Văn A</p>"):
        assert line in footer, line
    bare = minimal_site(tmp_path / "bare", MINIMAL_SITE_YAML.replace(
        'organization: {name: "Sở Thử nghiệm", address: "1 Đường Thử", phone: "0255 000 000", email: "vp@example.gov.vn"}',
        'organization: {name: "Sở Thử nghiệm"}').replace('responsible: {unit: "Văn phòng Sở", person: "Nguyễn Văn A"}\n', ""))
    assert bare.build().code == 0
    footer = bare.read("index.html").split('<footer class="footer">', 1)[1]
    assert "<p>Sở Thử nghiệm</p>" in footer
    for word in ("Địa chỉ:", "Điện thoại:", "Fax:", "mailto:", "Chịu trách nhiệm"):   # (issue 20's note when
        assert word not in footer, word                                              # none is set says where)


def test_dublin_core_elements_on_news_document_and_procedure_pages(tmp_path):
    site = complete_site(tmp_path / "site")
    assert site.build().code == 0
    for rel in ("index.html", "tin-tuc/co-anh/index.html", "van-ban/95-2021-nd-cp/index.html",
                "thu-tuc/2-000648/index.html", "en/organisation/index.html"):
        html = site.read(rel)
        found = dict(re.findall(r'<meta name="(DC\.\w+)" content="([^"]*)">', html))
        # Thông tư 24/2011/TT-BTTTT Điều 4 khoản 1: none of the six required elements is empty (Điều 5 khoản 1).
        for element in ("DC.title", "DC.creator", "DC.date", "DC.description", "DC.publisher", "DC.identifier"):
            assert found.get(element), (rel, element)
        assert found["DC.publisher"] == "Sở Thử nghiệm" and found["DC.identifier"].startswith("https://")
        assert found["DC.language"] == ("en" if rel.startswith("en/") else "vi"), rel


# --- the new pages, checked for real ----------------------------------------------------------------

@pytest.fixture(scope="module")
def full(tmp_path_factory) -> SiteFolder:
    """Every new page type: logo, thumbnails, related news, procedures, English pages."""
    site = complete_site(tmp_path_factory.mktemp("identity") / "site")
    site.write("content/pages/en/co-cau-to-chuc.md", '---\ntitle: "Organisation"\nslug: organisation\n---\n'
               "The Department has an Office and four divisions.\n")
    for n in range(4):
        site.article(f"2021/tin-{n}", title=f"Tin có ảnh số {n}", date=f"2021-02-0{n + 1}", image="images/anh.png",
                     image_alt=f'"Ảnh số {n}"', tags='["một cửa"]')
    run = site.build()
    assert run.code == 0, run.err
    return site


NEW_PAGES = {"home": "", "list": "chuyen-muc/tin-hoat-dong/", "article": "tin-tuc/tin-co-anh-so-2/",
             "procedures": "thu-tuc/", "procedure": "thu-tuc/2-000648/", "document": "van-ban/95-2021-nd-cp/",
             "english-home": "en/", "english": "en/organisation/", "sitemap": "so-do-trang/"}


def test_the_new_pages_pass_the_nu_html_checker(full):
    need(shutil.which("java") is not None, "java is not installed (apt-get install default-jre-headless)")
    need(VNU_JAR.is_file(), "vnu.jar is missing: run `npm install` at the repository root")
    out = full.root / "output"
    files = [out / rel / "index.html" for rel in NEW_PAGES.values()]
    report = vnu(files)
    errors = [f"{p.relative_to(out)}: {m}" for p in files for m in report.get(p, [])]
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize("kind", list(NEW_PAGES))
def test_the_new_pages_are_accessible_at_375_and_1280_px(full, browser, kind):
    need(AXE_JS.is_file(), "axe-core is missing: run `npm install` at the repository root")
    with serve(full.root / "output", "/cchc/") as root:
        for width in (375, 1280):
            context = browser.new_context(viewport={"width": width, "height": 800}, locale="vi-VN")
            try:
                page = context.new_page()
                failed = []
                page.on("response", lambda r: r.status >= 400 and failed.append(r.url))
                page.goto(root + NEW_PAGES[kind], wait_until="load")
                violations = run_axe(page)
                assert not violations, f"{kind} at {width}px:\n{describe_violations(violations)}"
                if width == 375:
                    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
                    assert overflow <= 0, f"{kind} scrolls sideways by {overflow}px at 375px"
                assert not [u for u in failed if not urllib.parse.urlparse(u).path.endswith("favicon.ico")], failed
            finally:
                context.close()


def test_the_procedure_filters_work_and_the_table_is_whole_without_them(full, browser):
    with serve(full.root / "output", "/cchc/") as root:
        for javascript in (False, True):
            context = browser.new_context(viewport={"width": 375, "height": 800}, java_script_enabled=javascript)
            try:
                page = context.new_page()
                page.goto(root + "thu-tuc/", wait_until="load")
                assert page.locator("#bang-thu-tuc tbody tr:visible").count() == 1
                assert page.locator("#loc-thu-tuc").is_visible() == javascript
                if javascript:
                    page.fill("#loc-tt-chu", "khong co thu tuc nay")
                    page.wait_for_function("document.querySelectorAll('#bang-thu-tuc tbody tr:not([hidden])').length === 0")
                    page.fill("#loc-tt-chu", "giay chung nhan")      # without tone marks
                    page.wait_for_function("document.querySelectorAll('#bang-thu-tuc tbody tr:not([hidden])').length === 1")
                    assert "?q=giay+chung+nhan" in page.url
            finally:
                context.close()
