"""The core build, through the command line, on real folders: what an editor and a reader see."""
import json
import re
import unicodedata

from conftest import cli, cli_process


def page_links(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="([^"]*)"', html)


def test_build_writes_every_kind_of_page(site):
    site.article("2021/hai", title="Bài thứ hai", date="2021-02-01", category="chinh-sach", tags="[CCHC, Một cửa]")
    site.article("2020/ba", title="Bài năm trước", date="2020-12-30", tags="[CCHC]")
    site.write("content/pages/gioi-thieu.md", "---\ntitle: Giới thiệu\nmenu: 1\n---\n\nChuyên mục CCHC.\n")
    run = site.build()
    assert run.code == 0, run.err
    out = site.root / "output"
    for rel in ["index.html", "tin-tuc/index.html", "tin-tuc/trang-2/index.html",
                "tin-tuc/bai-dau-tien/index.html", "tin-tuc/bai-thu-hai/index.html",
                "chuyen-muc/tin-hoat-dong/index.html", "chuyen-muc/chinh-sach/index.html",
                "the/index.html", "the/cchc/index.html", "the/mot-cua/index.html",
                "luu-tru/index.html", "luu-tru/2021/index.html", "luu-tru/2020/index.html",
                "gioi-thieu/index.html", "so-do-trang/index.html", "van-ban/index.html", "tim-kiem/index.html",
                "404.html", "feed.xml", "rss.xml", "sitemap.xml", "tin-moi.html", "tin-moi.json"]:
        assert (out / rel).is_file(), rel
    # per_page is 2 in the fixture: three articles give two pages of news, newest first
    first = site.read("tin-tuc/index.html")
    assert first.index("Bài thứ hai") < first.index("Bài đầu tiên")
    assert "Bài năm trước" in site.read("tin-tuc/trang-2/index.html")
    assert "Built " in run.out


def test_article_page_carries_metadata_for_readers_and_machines(site):
    site.article("2021/mot-cua", title="Một cửa liên thông", date="2021-01-18 08:30", tags="[CCHC]",
                 summary='"Tóm tắt bài."', author='"Văn phòng Sở"')
    assert site.build().code == 0
    html = site.read("tin-tuc/mot-cua-lien-thong/index.html")
    assert "<h1>Một cửa liên thông</h1>" in html
    assert "Thứ Hai, 18/01/2021" in html
    assert '<time datetime="2021-01-18T08:30:00+07:00">' in html
    assert 'href="../../chuyen-muc/tin-hoat-dong/"' in html and 'href="../../the/cchc/"' in html
    assert '<link rel="canonical" href="https://example.gov.vn/cchc/tin-tuc/mot-cua-lien-thong/">' in html
    assert '<meta property="og:title" content="Một cửa liên thông">' in html
    assert '<meta property="og:type" content="article">' in html
    for dc in ("DC.title", "DC.creator", "DC.date", "DC.description", "DC.identifier", "DC.language"):
        assert f'name="{dc}"' in html
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert ld["@type"] == "NewsArticle" and ld["headline"] == "Một cửa liên thông"
    assert ld["datePublished"] == "2021-01-18T08:30:00+07:00"
    assert "Tóm tắt bài." in html
    assert "data-print" in html                       # the print button
    css = re.search(r'href="../../(assets/style\.[0-9a-f]{10}\.css)"', html).group(1)
    assert "@media print" in (site.root / "output" / css).read_text(encoding="utf-8")


def test_footer_names_the_responsible_unit_and_person(site):
    assert site.build().code == 0
    html = site.read("index.html")
    assert "Chịu trách nhiệm nội dung: Văn phòng Sở, Nguyễn Văn A" in html
    assert "0255 000 000" in html and "mailto:vp@example.gov.vn" in html
    assert 'href="https://example.gov.vn/"' in html          # back to the portal
    assert 'href="so-do-trang/"' in html


def test_all_internal_links_are_relative_and_for_disk_ends_in_index_html(site, tmp_path):
    site.article("2021/hai", title="Bài hai", tags="[CCHC]")
    assert site.build().code == 0
    for path in (site.root / "output").rglob("*.html"):
        if path.name == "404.html" or path.name == "tin-moi.html":
            continue   # 404 resolves from <base>; the portal widget must be absolute
        for link in page_links(path.read_text(encoding="utf-8")):
            assert not link.startswith("/"), (path, link)
            if not link.startswith(("http", "mailto:", "#")):
                target = (path.parent / link.split("#")[0]).resolve()
                assert target.exists(), (path, link)
    disk = tmp_path / "disk"
    assert site.build("--for-disk", "--out", str(disk)).code == 0
    html = (disk / "tin-tuc" / "bai-hai" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../chuyen-muc/tin-hoat-dong/index.html"' in html
    assert 'href="../../index.html"' in html


def test_drafts_and_future_articles_are_left_out_unless_asked(site):
    site.article("2021/nhap", title="Bản nháp", draft="true")
    site.article("2099/tuong-lai", title="Bài tương lai", date="2099-01-01")
    assert site.build().code == 0
    assert not (site.root / "output/tin-tuc/ban-nhap").exists()
    assert not (site.root / "output/tin-tuc/bai-tuong-lai").exists()
    check = site.check()
    assert check.code == 0
    assert "content/articles/2021/nhap.md: note: draft, left out" in check.err
    assert "content/articles/2099/tuong-lai.md: note: dated in the future, left out" in check.err
    assert site.build("--drafts", "--future").code == 0
    assert (site.root / "output/tin-tuc/ban-nhap/index.html").exists()
    assert (site.root / "output/tin-tuc/bai-tuong-lai/index.html").exists()


def test_check_writes_nothing(site):
    run = site.check()
    assert run.code == 0 and "Checked 1 articles" in run.out
    assert not (site.root / "output").exists()


def test_nfd_file_builds_the_same_site_as_its_nfc_twin(site, tmp_path):
    text = "---\ntitle: \"Đẩy mạnh cải cách hành chính\"\ndate: 2021-01-18\ncategory: Tin hoạt động\n" \
           "tags: [Cải cách]\n---\n\n## Đẩy mạnh chuyển đổi số\n\nNội dung có dấu: ệ ở ữ.\n"
    site.write("content/articles/2021/nfc.md", text)
    assert site.build("--out", str(tmp_path / "a")).code == 0
    site.write("content/articles/2021/nfc.md", unicodedata.normalize("NFD", text))
    assert site.build("--out", str(tmp_path / "b")).code == 0
    a = {p.relative_to(tmp_path / "a"): p.read_bytes() for p in (tmp_path / "a").rglob("*") if p.is_file()}
    b = {p.relative_to(tmp_path / "b"): p.read_bytes() for p in (tmp_path / "b").rglob("*") if p.is_file()}
    assert a == b and len(a) > 20
    html = (tmp_path / "a/tin-tuc/day-manh-cai-cach-hanh-chinh/index.html").read_text(encoding="utf-8")
    assert '<h2 id="day-manh-chuyen-doi-so">Đẩy mạnh chuyển đổi số</h2>' in html
    assert 'href="../../the/cai-cach/"' in html


def test_bom_and_crlf_are_accepted(site):
    path = site.root / "content/articles/2021/windows.md"
    path.write_bytes("\ufeff---\r\ntitle: Bài từ Notepad\r\ndate: 18/01/2021\r\ncategory: chinh-sach\r\n---\r\n\r\nXin chào.\r\n"
                     .encode("utf-8"))
    assert site.build().code == 0
    assert "Bài từ Notepad" in site.read("tin-tuc/bai-tu-notepad/index.html")


def test_dates_from_yaml_are_normalised_in_the_site_time_zone(site):
    site.article("2021/a", title="Ngày", date="2021-01-18")
    site.article("2021/b", title="Giờ", date="2021-01-18 08:00")
    site.article("2021/c", title="Kiểu Việt", date="18/01/2021")
    site.article("2021/d", title="Đủ giây", date="2021-01-18 23:30:00")
    assert site.build().code == 0
    assert 'datetime="2021-01-18T00:00:00+07:00"' in site.read("tin-tuc/ngay/index.html")
    assert 'datetime="2021-01-18T08:00:00+07:00"' in site.read("tin-tuc/gio/index.html")
    assert 'datetime="2021-01-18T00:00:00+07:00"' in site.read("tin-tuc/kieu-viet/index.html")
    assert 'datetime="2021-01-18T23:30:00+07:00"' in site.read("tin-tuc/du-giay/index.html")


def test_tags_are_listed_in_vietnamese_alphabetical_order(site):
    site.article("2021/t", title="Thẻ", tags="[Đất đai, Bình đẳng, Yên bình, An toàn, Ăn uống]")
    assert site.build().code == 0
    html = site.read("the/index.html")
    names = re.findall(r'<a href="[^"]+/">([^<]+)</a> <span class="count">', html)
    assert names == ["An toàn", "Ăn uống", "Bình đẳng", "Đất đai", "Yên bình"]


def test_feeds_and_sitemap_use_absolute_urls(site):
    assert site.build().code == 0
    feed = site.read("feed.xml")
    assert "<id>https://example.gov.vn/cchc/tin-tuc/bai-dau-tien/</id>" in feed
    assert "<link>https://example.gov.vn/cchc/tin-tuc/bai-dau-tien/</link>" in site.read("rss.xml")
    sitemap = site.read("sitemap.xml")
    assert "<loc>https://example.gov.vn/cchc/</loc>" in sitemap
    assert "<loc>https://example.gov.vn/cchc/tin-tuc/bai-dau-tien/</loc>" in sitemap
    widget = json.loads(site.read("tin-moi.json"))
    assert widget["items"][0]["url"] == "https://example.gov.vn/cchc/tin-tuc/bai-dau-tien/"


def test_assets_are_fingerprinted_and_change_name_with_content(site):
    assert site.build().code == 0
    first = sorted(p.name for p in (site.root / "output/assets").iterdir())
    css = site.root / "layouts/assets/style.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n.x{color:red}\n", encoding="utf-8")
    assert site.build().code == 0
    second = sorted(p.name for p in (site.root / "output/assets").iterdir())
    old = [n for n in first if n.startswith("style.")]
    new = [n for n in second if n.startswith("style.")]
    assert len(old) == len(new) == 1 and old != new      # new name, and the old file removed
    assert re.fullmatch(r"style\.[0-9a-f]{10}\.css", new[0])
    assert f"assets/{new[0]}" in site.read("index.html")


def test_rebuild_rewrites_only_changed_files_and_removes_only_its_own(site):
    site.article("2021/hai", title="Bài hai")
    assert site.build().code == 0
    out = site.root / "output"
    foreign = out / "cua-cong-thong-tin.html"
    foreign.write_text("portal file", encoding="utf-8")
    page = out / "tin-tuc/bai-dau-tien/index.html"
    before = page.stat().st_mtime_ns
    run = site.build()
    assert run.code == 0 and "0 written" in run.out
    assert page.stat().st_mtime_ns == before
    (site.root / "content/articles/2021/hai.md").unlink()
    run = site.build()
    assert run.code == 0
    assert not (out / "tin-tuc/bai-hai").exists()
    assert foreign.read_text(encoding="utf-8") == "portal file"
    assert page.stat().st_mtime_ns == before


def test_usage_error_exits_2(site):
    assert cli("build", "--no-such-option", site=site.root).code == 2


def test_build_py_runs_as_a_script(site):
    run = cli_process("--quiet", cwd=site.root)
    assert run.code == 0, run.err
    assert (site.root / "output/index.html").exists()


def test_sample_site_builds_without_a_warning(sample_site):
    """The 2021 plan writes "61/2018/NQ-CP" for 61/2018/NĐ-CP; the article quoting it lists the
    number under `verbatim:`, so it stays as written, unlinked, with no warning on every build."""
    run = sample_site.build()
    assert run.code == 0, run.err
    assert [line for line in run.err.splitlines() if ": warning: " in line or ": error: " in line] == []
    html = sample_site.read("tin-tuc/co-che-mot-cua-mot-cua-lien-thong/index.html")
    assert 'class="cite" href="../../van-ban/61-2018-nd-cp/"' in html
    quoted = sample_site.read("tin-tuc/ke-hoach-tuyen-truyen-cchc-nam-2021-cua-so/index.html")
    assert "«Nghị định số 61/2018/NQ-CP ngày 23/4/2018 của Chính phủ" in quoted


def test_serve_is_told_the_pages_before_the_search_index_is_built(site):
    """On a large site the search index takes seconds: the editor's page must not wait for it."""
    from cchc.build.builder import Builder
    out = site.root / "output"
    seen = []
    result = Builder(site.root).build(pages_written=lambda r: seen.append(
        ((out / "tin-tuc/bai-dau-tien/index.html").is_file(), (out / "tim-kiem/muc-luc.json").is_file(), r.ok)))
    assert seen == [(True, False, True)]
    assert result.ok and (out / "tim-kiem/muc-luc.json").is_file()


def test_the_menu_marks_the_section_of_every_page_and_its_links_fit_the_page_s_depth(site):
    """The masthead and footer are rendered once per menu entry and folder depth
    (render.FragmentCache); every page must still mark its own section, and only it."""
    for n in range(4):
        site.article(f"2021/bai-{n}", title=f"Bài số {n}", date=f"2021-02-0{n + 1}",
                     category="chinh-sach" if n % 2 else "tin-hoat-dong", tags="[CCHC]")
    site.write("content/pages/gioi-thieu.md", "---\ntitle: Giới thiệu\nmenu: 1\n---\n\nChuyên mục CCHC.\n")
    site.write("content/pages/lien-he.md", "---\ntitle: Liên hệ\n---\n\nKhông ở trong menu.\n")
    site.document("nd-61", "61/2018/NĐ-CP", "Nghị định", "2018-04-23")
    assert site.build().code == 0
    out = site.root / "output"
    sections = {"chuyen-muc/chinh-sach/": "Chính sách", "chuyen-muc/tin-hoat-dong/": "Tin hoạt động",
                "van-ban/": "Văn bản", "gioi-thieu/": "Giới thiệu"}

    def expected(rel: str) -> list[str]:
        if rel == "index.html":
            return ["Trang chủ"]
        return [name for prefix, name in sections.items() if rel.startswith(prefix)]
    must = ["index.html", "chuyen-muc/chinh-sach/index.html", "chuyen-muc/tin-hoat-dong/trang-2/index.html",
            "van-ban/index.html", "van-ban/61-2018-nd-cp/index.html", "gioi-thieu/index.html", "lien-he/index.html",
            "tin-tuc/bai-so-1/index.html", "the/cchc/trang-2/index.html"]
    seen = set()
    for path in sorted(out.rglob("*.html")):
        rel = path.relative_to(out).as_posix()
        html = path.read_text(encoding="utf-8")
        menu = re.search(r'<nav class="menu".*?</nav>', html, re.S)
        if menu is None:
            continue
        current = re.findall(r'aria-current="page">([^<]*)<', menu.group())
        assert current == expected(rel), (rel, current)
        footer = re.search(r'<footer class="footer">.*?</footer>', html, re.S).group()
        for link in page_links(menu.group() + footer):
            if not link.startswith(("http", "mailto:")):
                assert (path.parent / link).resolve().exists(), (rel, link)
        seen.add(rel)
    assert set(must) <= seen, set(must) - seen
