"""`new article --from FILE.docx`: real Word files (python-docx; LibreOffice from an .odt) become
the article an editor would have typed, pictures beside it, and every problem on its line."""
from __future__ import annotations

import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from conftest import cli, need
from word_files import (CITATION, EXPECTED_ODT, EXPECTED_PYTHON_DOCX, png, write_odt, write_python_docx)

SOFFICE = shutil.which("soffice")
PD_SLUG = "hoi-nghi-trien-khai-cong-tac-cai-cach-hanh-chinh-nam-2026"
ODT_SLUG = "so-cong-thuong-tong-ket-cong-tac-cai-cach-hanh-chinh"
HINT = "in Word: right-click the picture, Edit Alt Text; or write it between the [ ] of this line"


def front_matter(title: str, category: str = "chinh-sach") -> str:
    return (f'---\ntitle: "{title}"\ndate: 2026-01-15 00:00\ncategory: {category}\ntags: []\nsummary: ""\n'
            'author: ""\ndraft: true   # đổi thành false (hoặc xóa dòng) để đăng\n---\n\n')


def libreoffice_docx(tmp_path: Path) -> Path:
    """The .odt turned into .docx by LibreOffice itself, as `soffice --convert-to docx` does."""
    need(SOFFICE is not None, "LibreOffice is not installed (apt-get install -y libreoffice-writer-nogui)")
    odt = write_odt(tmp_path / "tong-ket.odt")
    out = tmp_path / "lo"
    subprocess.run([SOFFICE, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "docx", "--outdir", str(out), str(odt)], check=True, capture_output=True,
                   timeout=300)
    return out / "tong-ket.docx"


def test_a_word_report_becomes_the_article_an_editor_would_type(site, tmp_path):
    docx = write_python_docx(tmp_path / "bao-cao-hoi-nghi.docx")
    run = cli("new", "article", "--from", str(docx), "--category", "chinh-sach", "--date", "2026-01-15", site=site.root)
    assert run.code == 0, run.err
    rel = f"content/articles/2026/{PD_SLUG}.md"
    assert run.out.strip() == rel
    text = (site.root / rel).read_text(encoding="utf-8")
    title = "Hội nghị triển khai công tác cải cách hành chính năm 2026"
    assert text == front_matter(title) + EXPECTED_PYTHON_DOCX.format(slug=PD_SLUG)
    # the pictures, as they were in the file (one file each), in the article's own folder
    folder = site.root / "content" / "images" / PD_SLUG
    assert sorted(p.name for p in folder.iterdir()) == ["anh-1.png", "anh-2.png", "anh-3.png"]
    assert (folder / "anh-1.png").read_bytes() == png()
    # what the editor must check, each on the line of the article where it is
    lines = text.split("\n")
    table = next(n for n, line in enumerate(lines, 1) if line.startswith("| Đơn vị"))
    second = next(n for n, line in enumerate(lines, 1) if "anh-2.png" in line)
    assert run.err.splitlines() == [
        f"{rel}:{table}: warning: table 1 had merged cells; they were split, the text kept in the first cell "
        "(check the table against the Word file)",
        f"{rel}:{second}: warning: picture 2 has no description (alt text), and the build requires one ({HINT})",
        f"{rel}:{second + 2}: warning: picture 3's description was made up by Word (\"A group of people sitting at "
        f"a table Description automatical…\"), it was left out ({HINT})",
    ]


def test_no_word_leftovers_and_the_citation_links_like_in_any_article(site, tmp_path):
    site.document("61-2018-nd-cp", "61/2018/NĐ-CP", "Nghị định", "2018-04-23")
    docx = write_python_docx(tmp_path / "bao-cao.docx")
    run = cli("new", "article", "--from", str(docx), "--category", "chinh-sach", "--date", "2026-01-15", site=site.root)
    article = site.root / run.out.strip()
    text = article.read_text(encoding="utf-8")
    assert text == unicodedata.normalize("NFC", text)
    for leftover in ("\u00ad", "\u0007", "\u00a0", "\u200b", "tuyến chỉ", "(cũ)", "style=", "\n\n\n"):
        assert leftover not in text
    # the editor describes the two pictures, then the article builds
    text = text.replace("![](images", "![Ảnh hội nghị](images")
    article.write_text(text, encoding="utf-8")
    built = site.build("--drafts")
    assert built.code == 0, built.err
    html = site.read(f"tin-tuc/{PD_SLUG}/index.html")
    body = html[html.index('<div class="body">'):html.index('<footer class="article-foot">')]
    assert f'<a class="cite" href="../../van-ban/61-2018-nd-cp/">{CITATION}</a>' in body
    assert "<p></p>" not in body and "style=" not in body and "\u00ad" not in body
    assert '<ol start="3">\n<li>Đào tạo</li>' in body          # Word's numbers go on after a paragraph
    assert "<p>a) bồi dưỡng công chức;</p>" in body            # letters kept: "điểm a" is cited by them
    assert "rà soát thủ tục hành chính;<ul>\n<li>lĩnh vực điện;</li>" in body


def test_libreoffice_writes_the_same_article_from_an_odt(site, tmp_path):
    docx = libreoffice_docx(tmp_path)
    run = cli("new", "article", "--from", str(docx), "--date", "2026-01-15", "--category", "chinh-sach", site=site.root)
    assert run.code == 0, run.err
    rel = f"content/articles/2026/{ODT_SLUG}.md"
    text = (site.root / rel).read_text(encoding="utf-8")
    assert text == front_matter("Sở Công Thương tổng kết công tác cải cách hành chính") + EXPECTED_ODT.format(slug=ODT_SLUG)
    assert [line.split(": warning: ")[1][:24] for line in run.err.splitlines()] == [
        "table 1 had merged cells", "picture 2 has no descrip"]


def test_odt_and_doc_are_converted_through_libreoffice(site, tmp_path):
    need(SOFFICE is not None, "LibreOffice is not installed (apt-get install -y libreoffice-writer-nogui)")
    odt = write_odt(tmp_path / "tong-ket.odt")
    run = cli("new", "article", "--from", str(odt), "--date", "2026-01-15", "--category", "chinh-sach", site=site.root)
    assert run.code == 0, run.err
    body = EXPECTED_ODT.format(slug=ODT_SLUG)
    assert (site.root / run.out.strip()).read_text(encoding="utf-8").endswith(body)
    subprocess.run([SOFFICE, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "doc", "--outdir", str(tmp_path), str(odt)], check=True, capture_output=True,
                   timeout=300)
    other = minimal_copy(site, tmp_path)
    run = cli("new", "article", "--from", str(tmp_path / "tong-ket.doc"), "--date", "2026-01-15",
              "--category", "chinh-sach", site=other)
    assert run.code == 0, run.err
    # the old binary format keeps no picture description: the editor is asked for it
    assert (other / run.out.strip()).read_text(encoding="utf-8").endswith(
        body.replace("![Lãnh đạo Sở phát biểu tổng kết]", "![]"))
    assert "picture 1 has no description" in run.err


def minimal_copy(site, tmp_path: Path) -> Path:
    root = tmp_path / "other"
    shutil.copytree(site.root, root)
    shutil.rmtree(root / "content" / "images", ignore_errors=True)
    for path in (root / "content" / "articles" / "2026").glob("*.md"):
        path.unlink()
    return root


def test_without_libreoffice_doc_and_odt_are_refused_in_one_line(site, tmp_path, monkeypatch):
    odt = write_odt(tmp_path / "tong-ket.odt")
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    monkeypatch.delenv("PROGRAMFILES", raising=False)
    monkeypatch.delenv("PROGRAMFILES(X86)", raising=False)
    run = cli("new", "article", "--from", str(odt), site=site.root)
    assert run.code == 1
    assert run.err.splitlines() == [
        f"{odt}: error: .odt files are read through LibreOffice, which is not installed "
        "(open it in Word and save it as .docx: File > Save As > Word Document (*.docx))"]
    assert not (site.root / "content" / "articles" / "2026").exists()


@pytest.mark.parametrize("name, data, message", [
    ("bao-cao.pdf", b"%PDF-1.4", '"bao-cao.pdf" is not a Word file'),
    ("bao-cao.docx", b"\xd0\xcf\x11\xe0 an old .doc renamed", "is not a .docx file"),
    ("hong.docx", None, "the file cannot be read as a Word document"),
])
def test_what_is_not_a_word_file_is_one_line(site, tmp_path, name, data, message):
    path = tmp_path / name
    if data is None:   # a zip without a document in it
        import zipfile
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("word/other.xml", "<x/>")
    else:
        path.write_bytes(data)
    run = cli("new", "article", "--from", str(path), site=site.root)
    assert run.code == 1
    assert len(run.err.splitlines()) == 1 and f"{path}: error: {message}" in run.err
    assert "Traceback" not in run.err


def test_never_overwrites_an_article_or_a_picture(site, tmp_path):
    docx = write_python_docx(tmp_path / "bao-cao.docx")
    args = ("new", "article", "--from", str(docx), "--date", "2026-01-15")
    assert cli(*args, site=site.root).code == 0
    article = site.root / f"content/articles/2026/{PD_SLUG}.md"
    article.write_text("sửa tay", encoding="utf-8")
    again = cli(*args, site=site.root)
    assert again.code == 1 and "already exists; nothing was written" in again.err
    assert article.read_text(encoding="utf-8") == "sửa tay"
    # a picture left from before: neither it nor the article is written
    article.unlink()
    shutil.rmtree(site.root / "content" / "images")
    picture = site.root / f"content/images/{PD_SLUG}/anh-2.png"
    picture.parent.mkdir(parents=True)
    picture.write_bytes(b"old")
    again = cli(*args, site=site.root)
    assert again.code == 1 and f"content/images/{PD_SLUG}/anh-2.png: error: the file already exists" in again.err
    assert picture.read_bytes() == b"old" and not article.exists()
    assert [p.name for p in picture.parent.iterdir()] == ["anh-2.png"]


def _doc(paragraphs, tmp_path: Path) -> Path:
    import docx
    d = docx.Document()
    for text, style in paragraphs:
        d.add_paragraph(text, style=style)
    path = tmp_path / "x.docx"
    d.save(path)
    return path


@pytest.mark.parametrize("paragraphs, title, body", [
    ([("Tin ngắn", "Heading 1"), ("Nội dung.", None), ("Mục", "Heading 1")], "Tin ngắn", "Nội dung.\n\n## Mục\n"),
    ([("Sở họp giao ban", None), ("Nội dung.", None), ("Mục", "Heading 2")], "Sở họp giao ban", "Nội dung.\n\n### Mục\n"),
    ([("Mở đầu.", None), ("Tiêu đề thật", "Title")], "Tiêu đề thật", "Mở đầu.\n"),
])
def test_the_title_comes_from_the_title_style_else_the_first_heading_or_line(site, tmp_path, paragraphs, title, body):
    run = cli("new", "article", "--from", str(_doc(paragraphs, tmp_path)), "--date", "2026-01-15",
              "--category", "chinh-sach", site=site.root)
    assert run.code == 0, run.err
    assert (site.root / run.out.strip()).read_text(encoding="utf-8") == front_matter(title) + body


def test_a_title_and_from_together_is_a_usage_error(site, tmp_path):
    run = cli("new", "article", "Tiêu đề", "--from", str(tmp_path / "x.docx"), site=site.root)
    assert run.code == 2 and "not both" in run.err


@pytest.mark.parametrize("raw, clean", [
    ("ô\u0007", "ô"), ("mềm\u00addẻo", "mềmdẻo"), ("a\u00a0b", "a b"), ("zero\u200bwidth\ufeff", "zerowidth"),
    (unicodedata.normalize("NFD", "Quảng Ngãi"), "Quảng Ngãi"), ("tab\there", "tab here"),
])
def test_word_leftovers_are_cleaned(raw, clean):
    from cchc.commands.word.markdown import clean_text
    assert clean_text(raw) == clean
