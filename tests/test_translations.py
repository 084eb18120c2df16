"""Pages in English (issue 24, part 3): content/pages/en/… built under en/ with lang="en", hreflang
both ways with x-default, a language switch that never leads to a missing page (the built site is
crawled), English interface strings, and the `check` warning when a translation is older than its
Vietnamese page (translated_from: the digest of the text it was made from)."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import MINIMAL_SITE_YAML, SiteFolder, minimal_site

BASE = "https://example.gov.vn/cchc/"


class Links(HTMLParser):
    """The lang of <html>, the hreflang alternates of <head>, and the language switch's link."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.lang, self.alternates, self.switch, self._in_switch = None, {}, None, False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        elif tag == "link" and a.get("rel") == "alternate" and "hreflang" in a:
            self.alternates[a["hreflang"]] = a["href"]
        elif tag == "p" and "lang-switch" in (a.get("class") or ""):
            self._in_switch = True
        elif tag == "a" and self._in_switch:
            self.switch, self._in_switch = a["href"], False


def english_site(root: Path) -> SiteFolder:
    site = minimal_site(root, MINIMAL_SITE_YAML + 'languages: [vi, en]\n'
                        'english: {title: "Administrative reform - Test Department", organization: "Test Department"}\n')
    site.write("content/pages/gioi-thieu.md", '---\ntitle: "Giới thiệu"\nmenu: 1\n---\nChuyên mục của Sở.\n')
    site.write("content/pages/lien-he.md", '---\ntitle: "Liên hệ"\nmenu: 2\n---\nĐịa chỉ của Sở.\n')
    site.write("content/pages/en/gioi-thieu.md", '---\ntitle: "About"\nslug: about\nmenu: 1\n---\nThe section.\n')
    return site


def pages(out: Path) -> dict[str, Links]:
    """Every HTML page of the built site, by URL relative to base_url."""
    found = {}
    for path in sorted(out.rglob("*.html")):
        rel = path.relative_to(out).as_posix()
        if rel == "tin-moi.html":
            continue
        url = rel.removesuffix("index.html")
        found[url] = Links(path.read_text(encoding="utf-8"))
    return found


def resolve(page_url: str, href: str) -> str:
    """A link relative to the page at page_url -> a URL relative to the root."""
    import posixpath
    path = posixpath.normpath(posixpath.join(page_url or ".", href))
    return "" if path == "." else path + "/" if href.endswith("/") or href in ("./", "") else path


def test_english_pages_carry_hreflang_both_ways_and_no_switch_leads_to_a_missing_page(tmp_path):
    site = english_site(tmp_path / "site")
    run = site.build()
    assert run.code == 0, run.err
    out = site.root / "output"
    built = pages(out)
    assert built["en/about/"].lang == "en" and built["en/"].lang == "en" and built["gioi-thieu/"].lang == "vi"
    for url, page in built.items():
        # Every hreflang target is a page of the section that names this page back under this language.
        if page.alternates:
            assert set(page.alternates) >= {"vi", "en", "x-default"}, url
            assert page.alternates["x-default"] == page.alternates["vi"], url
            mine = [lang for lang, href in page.alternates.items() if href == BASE + url and lang != "x-default"]
            assert mine == [page.lang], (url, page.alternates)
            for lang, href in page.alternates.items():
                other = href[len(BASE):]
                assert href.startswith(BASE) and other in built, (url, href)
                assert built[other].alternates.get(page.lang) == BASE + url, (url, lang, href)
        # The switch of every page (404.html aside) leads to a page that exists, in the other language.
        if url != "404.html":
            assert page.switch is not None, url
            target = resolve(url, page.switch)
            assert target in built, (url, page.switch, target)
            assert built[target].lang != page.lang, (url, target)
    # Paired pages switch to each other; the others to the other language's home page.
    assert resolve("gioi-thieu/", built["gioi-thieu/"].switch) == "en/about/"
    assert resolve("en/about/", built["en/about/"].switch) == "gioi-thieu/"
    assert resolve("lien-he/", built["lien-he/"].switch) == "en/"
    assert resolve("tin-tuc/bai-dau-tien/", built["tin-tuc/bai-dau-tien/"].switch) == "en/"
    assert resolve("", built[""].switch) == "en/" and resolve("en/", built["en/"].switch) == ""
    assert "en/about/" not in {a for a in built[""].alternates.values()}


def test_english_pages_speak_english_around_their_text(tmp_path):
    site = english_site(tmp_path / "site")
    assert site.build().code == 0
    html = site.read("en/about/index.html")
    for english in ("Skip to the main content", ">Home</a>", "Address: <span lang=\"vi\">1 Đường Thử</span>",
                    "Phone: 0255 000 000", "Responsible for the content:", 'content="en"', 'og:locale" content="en_US"',
                    "<title>About - Administrative reform - Test Department</title>"):
        assert english in html, english
    for vietnamese in ("Bỏ qua, đến nội dung chính", "Trang chủ", "Chịu trách nhiệm nội dung", "Tìm kiếm"):
        assert vietnamese not in html, vietnamese
    home = site.read("en/index.html")
    assert '<a href="../en/about/">About</a>' in home
    assert "About" in site.read("so-do-trang/index.html")
    assert "<html lang=\"vi\">" in site.read("gioi-thieu/index.html")


def test_no_second_language_no_switch_no_hreflang(site):
    assert site.build().code == 0
    html = site.read("index.html")
    assert "hreflang" not in html and "lang-switch" not in html
    assert not (site.root / "output" / "en").exists()


def test_a_translation_older_than_its_vietnamese_page_is_a_check_warning(tmp_path):
    site = english_site(tmp_path / "site")
    run = site.check()
    missing = [line for line in run.lines if line.startswith("content/pages/en/gioi-thieu.md:2: warning: translated_from: missing")]
    assert len(missing) == 1, run.lines
    digest = re.search(r"is at ([0-9a-f]{8})", missing[0]).group(1)
    assert f"(once the translation matches it, add 'translated_from: {digest}')" in missing[0]
    english = site.root / "content" / "pages" / "en" / "gioi-thieu.md"
    english.write_text(english.read_text(encoding="utf-8").replace("menu: 1", f"menu: 1\ntranslated_from: {digest}"),
                       encoding="utf-8")
    assert not [line for line in site.check().lines if "en/gioi-thieu.md" in line]
    # The menu order is no change of text; a new sentence is, and CRLF line ends are not.
    vietnamese = site.root / "content" / "pages" / "gioi-thieu.md"
    vietnamese.write_bytes(vietnamese.read_bytes().replace(b"menu: 1", b"menu: 3").replace(b"\n", b"\r\n"))
    assert not [line for line in site.check().lines if "en/gioi-thieu.md" in line]
    with open(vietnamese, "a", encoding="utf-8") as f:
        f.write("Thêm một câu.\n")
    stale = [line for line in site.check().lines if "en/gioi-thieu.md" in line]
    assert len(stale) == 1 and stale[0].startswith(
        f"content/pages/en/gioi-thieu.md:5: warning: content/pages/gioi-thieu.md changed after this translation "
        f"(translated_from: {digest}, now "), stale
    assert site.check("--strict").code == 1


def test_a_translation_without_its_vietnamese_page_or_without_the_language_is_reported(tmp_path):
    site = english_site(tmp_path / "site")
    site.write("content/pages/en/history.md", '---\ntitle: "History"\n---\nText.\n')
    lines = site.check().lines
    assert "content/pages/en/history.md:1: warning: no Vietnamese page content/pages/history.md to pair with " \
           "(give the translation the file name of the page it translates)" in lines
    # Without `languages: [vi, en]`, an English page is not published (and takes no Vietnamese URL).
    plain = minimal_site(tmp_path / "plain")
    plain.write("content/pages/en/about.md", '---\ntitle: "About"\n---\nText.\n')
    run = plain.build()
    assert run.code == 0, run.err
    assert any(line.startswith("content/pages/en/about.md:1: warning: a page in content/pages/en/, but site.yaml's "
                               "languages do not name en") for line in run.lines), run.lines
    assert not (plain.root / "output" / "about").exists() and not (plain.root / "output" / "en").exists()


@pytest.mark.parametrize("value, message", [
    ("[vi, fr]", '"fr" is a language the layouts have no interface text for'),
    ("[en, vi]", 'the first language must be the site\'s language "vi"'),
])
def test_languages_the_layouts_cannot_speak_are_errors(tmp_path, value, message):
    site = minimal_site(tmp_path / "site", MINIMAL_SITE_YAML + f"languages: {value}\n")
    run = site.check()
    assert run.code == 1 and any(message in line and line.startswith("site.yaml:") for line in run.lines), run.lines
