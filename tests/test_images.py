"""Pictures: alt text required, phone photos resized into a few widths (WebP and the original
format) with srcset/sizes/width/height, turned upright, stripped of EXIF/GPS/XMP, cached by
content (a second build does no image work), stale variants removed, thumbnails in lists, and
a phone downloading little of a 4000 px photo."""
from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from PIL import Image

from conftest import cli
from photos import GPS, phone_photo

PHOTO = "images/hoi-nghi/anh-1.jpg"


@pytest.fixture(scope="module")
def photo() -> bytes:
    """A 4000 x 3000 phone JPEG stored sideways (orientation 6), with GPS in EXIF and XMP."""
    return phone_photo()


def with_photo(site, photo: bytes, body: str = f"Đoạn đầu.\n\n![Đại biểu phát biểu tại hội nghị]({PHOTO})\n",
               **front) -> Path:
    path = site.root / "content" / PHOTO
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(photo)
    site.article("2021/co-anh", title="Hội nghị có ảnh", date="2021-01-20", body=body, **front)
    return path


def out_images(site) -> dict[str, bytes]:
    folder = site.root / "output" / "images"
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_phone_photo_is_published_upright_resized_and_without_its_metadata(site, photo):
    with_photo(site, photo)
    run = site.build()
    assert run.code == 0, run.err
    files = out_images(site)
    assert sorted(files) == sorted(f"hoi-nghi/{n}" for n in (
        "anh-1.480.jpg", "anh-1.960.jpg", "anh-1.jpg", "anh-1.480.jpg.webp", "anh-1.960.jpg.webp",
        "anh-1.1600.jpg.webp"))
    assert photo not in files.values()            # the 5 MB original is never published
    for name, data in files.items():
        with Image.open(io.BytesIO(data)) as im:
            width = int(re.search(r"\.(\d+)\.", name).group(1)) if re.search(r"\.\d+\.", name) else 1600
            # turned upright: the phone stored 4000 x 3000 sideways, it shows 3000 x 4000
            assert im.size == (width, round(4000 * width / 3000)), name
            assert not im.getexif(), name                       # no EXIF at all: no orientation, no maker
            assert GPS not in im.getexif().get_ifd(GPS) and not im.getexif().get_ifd(GPS), name
            assert "xmp" not in im.info and b"GPSLatitude" not in data, name
            assert im.format == ("WEBP" if name.endswith(".webp") else "JPEG")
    assert len(files["hoi-nghi/anh-1.480.jpg.webp"]) < len(files["hoi-nghi/anh-1.480.jpg"])


def test_the_page_offers_every_width_with_its_shape(site, photo):
    with_photo(site, photo)
    assert site.build().code == 0
    html = site.read("tin-tuc/hoi-nghi-co-anh/index.html")
    body = html[html.index('<div class="body">'):]
    sizes = 'sizes="(max-width: 50rem) calc(100vw - 2rem), 48rem"'
    assert ('<picture><source type="image/webp" srcset="../../images/hoi-nghi/anh-1.480.jpg.webp 480w, '
            '../../images/hoi-nghi/anh-1.960.jpg.webp 960w, ../../images/hoi-nghi/anh-1.1600.jpg.webp 1600w" '
            f'{sizes}><img src="../../images/hoi-nghi/anh-1.jpg" srcset="../../images/hoi-nghi/anh-1.480.jpg 480w, '
            '../../images/hoi-nghi/anh-1.960.jpg 960w, ../../images/hoi-nghi/anh-1.jpg 1600w" '
            f'{sizes} width="1600" height="2133" alt="Đại biểu phát biểu tại hội nghị" decoding="async"></picture>'
            ) in body      # the first picture near the top of a page without a cover: not lazy


def test_pictures_below_the_fold_load_lazily_and_the_cover_at_once(site, photo):
    with_photo(site, photo, body="Đoạn đầu.\n\n" + "Một đoạn dài của bài viết. " * 80
               + f"\n\n![Ảnh cuối bài]({PHOTO})\n", image=PHOTO, image_alt='"Quang cảnh hội nghị"')
    assert site.build().code == 0
    html = site.read("tin-tuc/hoi-nghi-co-anh/index.html")
    cover = re.search(r'<figure class="cover">(.*?)</figure>', html).group(1)
    assert 'alt="Quang cảnh hội nghị"' in cover and "loading" not in cover and 'width="1600" height="2133"' in cover
    assert re.search(r'<img [^>]*alt="Ảnh cuối bài" loading="lazy"', html)


def test_lists_show_thumbnails_from_the_same_variants(site, photo):
    with_photo(site, photo, image=PHOTO, image_alt='"Quang cảnh hội nghị"')
    assert site.build().code == 0
    for page, prefix in (("index.html", ""), ("chuyen-muc/tin-hoat-dong/index.html", "../../")):
        thumb = re.search(r'<picture class="thumb">(.*?)</picture>', site.read(page)).group(1)
        assert f'<img src="{prefix}images/hoi-nghi/anh-1.480.jpg"' in thumb
        assert f'{prefix}images/hoi-nghi/anh-1.480.jpg.webp 480w' in thumb and 'sizes="8rem"' in thumb
        assert 'width="1600" height="2133" alt="Quang cảnh hội nghị"' in thumb


@pytest.mark.parametrize("body", [
    f"Đoạn đầu.\n\n![]({PHOTO})\n",
    f"Đoạn đầu.\n\nDòng hai.\n\n<img src=\"{PHOTO}\">\n",
    "Ảnh ngoài:\n\n![ ](https://example.gov.vn/a.jpg)\n",
])
def test_a_picture_without_alt_text_is_an_error_on_its_line(site, photo, body):
    article = with_photo(site, photo, body=body).parents[2] / "articles" / "2021" / "co-anh.md"
    line = next(n for n, text in enumerate(article.read_text(encoding="utf-8").split("\n"), 1) if "](" in text or "<img" in text)
    before = site.snapshot() if (site.root / "output").exists() else {}
    run = site.build()
    assert run.code == 1
    src = re.search(r'\]\(([^)]*)\)|src="([^"]*)"', body)
    assert (f'content/articles/2021/co-anh.md:{line}: error: the picture "{src.group(1) or src.group(2)}" has no '
            "alt text (describe it between the brackets: ![what the picture shows](…))") in run.lines
    assert (site.snapshot() if (site.root / "output").exists() else {}) == before


def test_a_cover_picture_without_image_alt_is_an_error(site, photo):
    with_photo(site, photo, image=PHOTO)
    run = site.build()
    assert run.code == 1
    assert ("content/articles/2021/co-anh.md:5: error: image: has no image_alt (describe the picture in "
            "'image_alt:' for readers who cannot see it)") in run.lines


def test_a_second_build_does_no_image_work(site, photo, monkeypatch):
    path = with_photo(site, photo)
    assert site.build().code == 0
    first = {p: (site.root / "output" / "images" / p).stat().st_mtime_ns for p in out_images(site)}

    def no_decoding(*args, **kwargs):
        raise AssertionError("a picture was decoded")
    monkeypatch.setattr(Image, "open", no_decoding)
    again = cli("build", site=site.root)
    assert again.code == 0, again.err
    assert "0 written" in again.out
    assert {p: (site.root / "output" / "images" / p).stat().st_mtime_ns for p in out_images(site)} == first
    monkeypatch.undo()
    # another photo under the same name: made again, and only what changed is written
    path.write_bytes(phone_photo(2000, 1500, seed=3, orientation=1))
    third = cli("build", site=site.root)
    assert third.code == 0
    assert sorted(out_images(site)) == sorted(f"hoi-nghi/{n}" for n in (
        "anh-1.480.jpg", "anh-1.960.jpg", "anh-1.jpg", "anh-1.480.jpg.webp", "anh-1.960.jpg.webp",
        "anh-1.1600.jpg.webp"))
    with Image.open(site.root / "output" / PHOTO) as im:
        assert im.size == (1600, 1200)


def test_variants_no_longer_made_are_removed_like_any_page(site, photo):
    path = with_photo(site, photo)
    assert site.build().code == 0
    mine = site.root / "output" / "images" / "hoi-nghi" / "cua-cong-thong-tin.png"
    mine.write_bytes(b"not ours")
    site.write("site.yaml", (site.root / "site.yaml").read_text(encoding="utf-8") + "images: {widths: [400, 1200]}\n")
    assert site.build().code == 0
    assert sorted(out_images(site)) == sorted(f"hoi-nghi/{n}" for n in (
        "anh-1.400.jpg", "anh-1.jpg", "anh-1.400.jpg.webp", "anh-1.1200.jpg.webp", "cua-cong-thong-tin.png"))
    path.unlink()
    site.write("content/articles/2021/co-anh.md", "---\ntitle: \"Hết ảnh\"\ndate: 2021-01-20\ncategory: tin-hoat-dong\n---\nBài.\n")
    assert site.build().code == 0
    assert sorted(out_images(site)) == ["hoi-nghi/cua-cong-thong-tin.png"]


def test_check_warns_for_a_picture_over_the_size_limit(site, photo):
    with_photo(site, photo)
    site.write("site.yaml", (site.root / "site.yaml").read_text(encoding="utf-8") + "images: {max_kb: 40}\n")
    run = site.check()
    assert run.code == 0
    warning = [line for line in run.lines if line.startswith(f"content/{PHOTO}: warning:")]
    assert len(warning) == 1
    assert re.fullmatch(rf"content/{PHOTO}: warning: the picture is \d+ KB at 1600 px after resizing, more than "
                        r"images.max_kb \(40 KB\) in site.yaml \(crop it, or use a photo with less fine detail "
                        r"\(noise, foliage\)\)", warning[0])
    assert site.check("--strict").code == 1


def test_small_pictures_keep_their_size_and_other_files_are_copied(site):
    folder = site.root / "content" / "images"
    folder.mkdir(parents=True)
    small = io.BytesIO()
    Image.new("RGBA", (300, 200), (10, 120, 200, 128)).save(small, "PNG")
    (folder / "logo.png").write_bytes(small.getvalue())
    gif = io.BytesIO()       # a type that is not resized (an SVG is not published at all: issue 19, item 4)
    Image.new("P", (40, 30)).save(gif, "GIF")
    (folder / "so-do.gif").write_bytes(gif.getvalue())
    site.article("2021/logo", body="![Biểu trưng của Sở](images/logo.png)\n\n![Sơ đồ tổ chức](images/so-do.gif)\n")
    assert site.build().code == 0
    files = out_images(site)
    assert sorted(files) == ["logo.300.png.webp", "logo.png", "so-do.gif"]
    with Image.open(io.BytesIO(files["logo.png"])) as im:
        assert im.size == (300, 200) and im.mode == "RGBA"
    html = site.read("tin-tuc/bai-thu/index.html")
    assert 'srcset="../../images/logo.300.png.webp 300w"' in html and 'width="300" height="200"' in html
    assert '<img alt="Sơ đồ tổ chức" src="../../images/so-do.gif">' in html


def test_a_broken_picture_is_an_error_and_nothing_is_written(site):
    folder = site.root / "content" / "images"
    folder.mkdir(parents=True)
    (folder / "hong.jpg").write_bytes(b"\xff\xd8 not a jpeg")
    site.article("2021/hong", body="![Ảnh hỏng](images/hong.jpg)\n")
    run = site.build()
    assert run.code == 1
    assert any(line.startswith("content/images/hong.jpg: error: cannot read the picture") for line in run.lines)
    assert not (site.root / "output" / "images").exists()


def test_the_sample_site_still_builds(sample_site):
    run = sample_site.build()
    assert run.code == 0, run.err
    shutil.rmtree(sample_site.root / "output")


@pytest.mark.parametrize("scale", [1, 2])
def test_a_phone_downloads_at_most_200_kb_of_a_4000_px_photo(site, photo, browser, scale):
    """At 375 px wide (pixel density 1 and 2), the page with a 4000 px photo as its cover and in
    its text transfers at most 200 KB of pictures, by the browser's own resource timing."""
    from quality_helpers import serve
    with_photo(site, photo, image=PHOTO, image_alt='"Quang cảnh hội nghị"',
               body="Đoạn đầu.\n\n" + "Một đoạn dài của bài viết. " * 120 + f"\n\n![Đại biểu phát biểu]({PHOTO})\n")
    assert site.build().code == 0
    with serve(site.root / "output", "/cchc/") as root:
        context = browser.new_context(viewport={"width": 375, "height": 812}, device_scale_factor=scale)
        try:
            page = context.new_page()
            page.goto(root + "tin-tuc/hoi-nghi-co-anh/", wait_until="load")
            page.evaluate("window.scrollTo(0, document.body.scrollHeight)")   # the lazy picture too
            page.wait_for_timeout(500)
            page.wait_for_load_state("networkidle")
            pictures = page.evaluate("""performance.getEntriesByType('resource')
                .filter(e => /\\/images\\//.test(e.name)).map(e => [e.name.split('/images/')[1], e.transferSize])""")
            shown = page.evaluate("[...document.images].map(i => [i.currentSrc.split('/images/')[1], i.complete])")
        finally:
            context.close()
    assert pictures and all(done for _, done in shown), (pictures, shown)
    assert {name for name, _ in pictures} == {f"hoi-nghi/anh-1.{480 * scale}.jpg.webp"}
    total = sum(size for _, size in pictures)
    assert 0 < total <= 200 * 1024, pictures


def test_pages_with_pictures_are_valid_accessible_and_link_only_what_exists(site, photo, browser):
    """The Nu checker, axe-core (WCAG 2.1 AA) and the link crawler on the pages that show pictures:
    the article (cover and text) and the lists with thumbnails; srcset entries included."""
    from conftest import need
    from quality_helpers import VNU_JAR, crawl, describe_violations, run_axe, serve, vnu
    with_photo(site, photo, image=PHOTO, image_alt='"Quang cảnh hội nghị"')
    assert site.build().code == 0
    out = site.root / "output"
    checked, broken = crawl(out, "https://example.gov.vn/cchc/")
    assert checked and not broken, broken
    pages = [out / "tin-tuc" / "hoi-nghi-co-anh" / "index.html", out / "index.html",
             out / "chuyen-muc" / "tin-hoat-dong" / "index.html"]
    need(shutil.which("java") is not None and VNU_JAR.exists(), "java and node_modules/vnu-jar are needed")
    assert vnu(pages) == {}
    with serve(out, "/cchc/") as root:
        page = browser.new_page(viewport={"width": 375, "height": 812})
        try:
            for rel in ("tin-tuc/hoi-nghi-co-anh/", ""):
                page.goto(root + rel, wait_until="load")
                violations = run_axe(page)
                assert not violations, describe_violations(violations)
        finally:
            page.close()
