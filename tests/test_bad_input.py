"""What an editor gets wrong: each mistake is one compiler-style line, all are reported, exit 1,
and output/ stays byte-for-byte as it was."""
import unicodedata

import pytest

from conftest import cli

GOOD = "---\ntitle: Bài tốt\ndate: 2021-01-18\ncategory: tin-hoat-dong\n---\n\nNội dung.\n"


def built(site):
    """A site with a good previous build, and the snapshot of its output."""
    assert site.build().code == 0
    return site.snapshot()


CASES = [
    # (file, text, expected line)
    ("content/articles/2021/yaml.md",
     "---\ntitle: Bài: lỗi\ndate: 2021-01-18\ncategory: tin-hoat-dong\n---\n",
     "content/articles/2021/yaml.md:2: error: front matter is not valid YAML: a colon ':' inside a value "
     '(put the whole value in double quotes, e.g. title: "Kế hoạch: năm 2021")'),
    ("content/articles/2021/thieu.md",
     "---\ntitle: Thiếu ngày\ncategory: tin-hoat-dong\n---\n",
     "content/articles/2021/thieu.md:2: error: date: required field is missing (add a line 'date: …' to the front matter)"),
    ("content/articles/2021/kieu.md",
     "---\ntitle: [một, hai]\ndate: 2021-01-18\ncategory: tin-hoat-dong\n---\n",
     "content/articles/2021/kieu.md:2: error: title: expected text, found a list "
     "(write the value on the same line, in quotes if it contains a colon)"),
    ("content/articles/2021/ngay.md",
     "---\ntitle: Ngày sai\ndate: 31/02/2021\ncategory: tin-hoat-dong\n---\n",
     'content/articles/2021/ngay.md:3: error: date: "31/02/2021" is not a real date (month 2/2021 has 28 days) '
     "(use YYYY-MM-DD, YYYY-MM-DD HH:MM or DD/MM/YYYY)"),
    ("content/articles/2021/so.md",
     "---\ntitle: Ngày là số\ndate: 20210118\ncategory: tin-hoat-dong\n---\n",
     "content/articles/2021/so.md:3: error: date: 20210118 is a number, not a date "
     "(use YYYY-MM-DD, YYYY-MM-DD HH:MM or DD/MM/YYYY)"),
    ("content/articles/2021/loai.md",
     "---\ntitle: Sai chuyên mục\ndate: 2021-01-18\ncategory: the-thao\n---\n",
     'content/articles/2021/loai.md:4: error: category: unknown category "the-thao" (use one of: tin-hoat-dong, chinh-sach)'),
    ("content/articles/2021/tab.md",
     "---\ntitle: Tab\n\tdate: 2021-01-18\ncategory: tin-hoat-dong\n---\n",
     "content/articles/2021/tab.md:3: error: front matter line starts with a tab (indent with spaces)"),
    ("content/articles/2021/kep.md",
     "---\ntitle: Một\ntitle: Hai\ndate: 2021-01-18\ncategory: tin-hoat-dong\n---\n",
     "content/articles/2021/kep.md:3: error: title: key appears twice (first on line 2) (keep one of them)"),
    ("content/articles/2021/slug.md",
     "---\ntitle: Slug\ndate: 2021-01-18\ncategory: tin-hoat-dong\nslug: ../../etc/x\n---\n",
     'content/articles/2021/slug.md:5: error: slug: "../../etc/x" is not a valid slug '
     "(use lower-case letters, digits and dashes, e.g. etc-x)"),
    ("content/articles/2021/nofm.md", "Quên phần đầu.\n",
     "content/articles/2021/nofm.md:1: error: the file does not start with front matter between '---' lines "
     "(put '---', the 'key: value' lines, then '---' at the top)"),
]


@pytest.mark.parametrize("rel, text, expected", CASES, ids=[c[0].rsplit("/", 1)[1] for c in CASES])
def test_each_mistake_is_one_clear_line_and_output_is_untouched(site, rel, text, expected):
    before = built(site)
    site.write(rel, text)
    run = site.build()
    assert run.code == 1
    assert expected in run.err.splitlines(), run.err
    assert "Traceback" not in run.err
    assert site.snapshot() == before


def test_all_problems_are_reported_not_only_the_first(site):
    before = built(site)
    for rel, text, _ in CASES[:6]:
        site.write(rel, text)
    run = site.build()
    assert run.code == 1
    for rel, _, expected in CASES[:6]:
        assert expected in run.err.splitlines()
    assert site.snapshot() == before


def test_windows_1258_file_is_refused_naming_the_encoding(site):
    before = built(site)
    (site.root / "content/articles/2021/ansi.md").write_bytes(
        unicodedata.normalize("NFD", "---\ntitle: Cải cách hành chính\ndate: 2021-01-18\ncategory: tin-hoat-dong\n---\n")
        .encode("cp1258"))
    run = site.build()
    assert run.code == 1
    line = next(l for l in run.err.splitlines() if l.startswith("content/articles/2021/ansi.md"))
    assert "line 2 is not UTF-8; the file looks like Windows-1258 (Vietnamese ANSI)" in line
    assert "save the file as UTF-8" in line
    assert site.snapshot() == before


def test_duplicate_url_from_folded_tone_marks_names_both_files(site):
    before = built(site)
    site.article("2021/a", title="Đông Du")
    site.article("2021/b", title="Đồng Du")
    run = site.build()
    assert run.code == 1
    assert ('content/articles/2021/b.md:2: error: URL "tin-tuc/dong-du/" is already used by content/articles/2021/a.md '
            "(titles that differ only by tone marks give the same slug: set 'slug:' in one of them)") in run.err
    assert site.snapshot() == before
    site.write("content/articles/2021/b.md", GOOD.replace("title: Bài tốt", "title: Đồng Du\nslug: dong-du-2"))
    assert site.build().code == 0


def test_unknown_key_is_a_warning_with_a_suggestion(site):
    site.write("content/articles/2021/tag.md", GOOD.replace("category:", "tag: [CCHC]\ncategory:"))
    run = site.build()
    assert run.code == 0
    assert "content/articles/2021/tag.md:4: warning: unknown front-matter key 'tag' (did you mean 'tags'?)" in run.err
    assert site.build("--strict").code == 1


def test_template_error_names_template_file_and_line(site):
    before = built(site)
    (site.root / "layouts/page.html").write_text("{% extends 'base.html' %}\n{% block content %}\n{{ title }\n{% endblock %}\n",
                                                 encoding="utf-8")
    site.write("content/pages/gioi-thieu.md", "---\ntitle: Giới thiệu\n---\n")
    run = site.build()
    assert run.code == 1
    assert any(l.startswith("layouts/page.html:3: error: template:") for l in run.err.splitlines()), run.err
    assert site.snapshot() == before


def test_undefined_variable_in_template_names_the_line(site):
    before = built(site)
    (site.root / "layouts/tags.html").write_text("{% extends 'base.html' %}\n{% block content %}\n\n{{ no_such_thing.x }}\n{% endblock %}\n",
                                                 encoding="utf-8")
    run = site.build()
    assert run.code == 1
    assert any(l.startswith("layouts/tags.html:4: error: template: UndefinedError") for l in run.err.splitlines()), run.err
    assert site.snapshot() == before


def test_site_yaml_problems_carry_their_line(site):
    before = built(site)
    yaml_text = (site.root / "site.yaml").read_text(encoding="utf-8")
    (site.root / "site.yaml").write_text(yaml_text.replace("per_page: 2", "per_page: hai\nper_pgae: 3"), encoding="utf-8")
    run = site.build()
    assert run.code == 1
    assert 'site.yaml:5: error: per_page: expected a whole number of at least 1, found "hai"' in run.err
    assert "site.yaml:6: warning: unknown key 'per_pgae' (did you mean 'per_page'?)" in run.err
    assert site.snapshot() == before


def test_broken_site_yaml(site):
    (site.root / "site.yaml").write_text('title: "x\nbase_url: 1\n', encoding="utf-8")
    run = site.build()
    assert run.code == 1 and run.err.startswith("site.yaml:")
    assert "Traceback" not in run.err


def test_missing_site_yaml(tmp_path):
    run = cli("build", site=tmp_path)
    assert run.code == 1
    assert "site.yaml: error: no site.yaml in" in run.err


def test_new_article_writes_a_ready_file_and_never_overwrites(site):
    run = cli("new", "article", "Đẩy mạnh cải cách hành chính", "--date", "2021-03-05", site=site.root)
    assert run.code == 0
    assert run.out.strip() == "content/articles/2021/day-manh-cai-cach-hanh-chinh.md"
    path = site.root / run.out.strip()
    text = path.read_text(encoding="utf-8")
    assert 'title: "Đẩy mạnh cải cách hành chính"' in text and "date: 2021-03-05" in text
    assert "category: tin-hoat-dong   # một trong: tin-hoat-dong, chinh-sach" in text
    path.write_text(text.replace("draft: true", "draft: false"), encoding="utf-8")
    again = cli("new", "article", "Đẩy mạnh cải cách hành chính", "--date", "2021-03-05", site=site.root)
    assert again.code == 1 and "already exists" in again.err
    assert "draft: false" in path.read_text(encoding="utf-8")
    assert site.build("--drafts").code == 0


def test_new_article_today_with_category(site):
    import datetime as dt
    run = cli("new", "article", "Tin mới", "--category", "Chính sách", site=site.root)
    assert run.code == 0
    assert run.out.strip() == f"content/articles/{dt.date.today():%Y}/tin-moi.md"
    assert "category: chinh-sach\n" in (site.root / run.out.strip()).read_text(encoding="utf-8")
    bad = cli("new", "article", "Khác", "--category", "the-thao", site=site.root)
    assert bad.code == 1 and "unknown category" in bad.err
