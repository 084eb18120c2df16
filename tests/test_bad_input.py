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
    # (file, text, the line in English, the line in Vietnamese)
    ("content/articles/2021/yaml.md",
     "---\ntitle: Bài: lỗi\ndate: 2021-01-18\ncategory: tin-hoat-dong\n---\n",
     "content/articles/2021/yaml.md:2: error: front matter is not valid YAML: a colon ':' inside a value "
     '(put the whole value in double quotes, e.g. title: "Kế hoạch: năm 2021")',
     "content/articles/2021/yaml.md:2: lỗi: phần thông tin đầu tệp viết sai quy tắc: có dấu hai chấm ':' trong giá trị; "
     'đặt cả giá trị trong dấu ngoặc kép, ví dụ title: "Kế hoạch: năm 2021"'),
    ("content/articles/2021/thieu.md",
     "---\ntitle: Thiếu ngày\ncategory: tin-hoat-dong\n---\n",
     "content/articles/2021/thieu.md:2: error: date: required field is missing (add a line 'date: …' to the front matter)",
     "content/articles/2021/thieu.md:2: lỗi: date: thiếu thông tin bắt buộc này; "
     "thêm dòng 'date: …' vào phần thông tin đầu tệp"),
    ("content/articles/2021/kieu.md",
     "---\ntitle: [một, hai]\ndate: 2021-01-18\ncategory: tin-hoat-dong\n---\n",
     "content/articles/2021/kieu.md:2: error: title: expected text, found a list "
     "(write the value on the same line, in quotes if it contains a colon)",
     "content/articles/2021/kieu.md:2: lỗi: title: cần một đoạn chữ, nhưng gặp một danh sách; "
     "ghi giá trị trên cùng dòng với khóa; có dấu hai chấm thì đặt trong dấu ngoặc kép"),
    ("content/articles/2021/ngay.md",
     "---\ntitle: Ngày sai\ndate: 31/02/2021\ncategory: tin-hoat-dong\n---\n",
     'content/articles/2021/ngay.md:3: error: date: "31/02/2021" is not a real date (month 2/2021 has 28 days) '
     "(use YYYY-MM-DD, YYYY-MM-DD HH:MM or DD/MM/YYYY)",
     'content/articles/2021/ngay.md:3: lỗi: date: ngày "31/02/2021" không có thật (tháng 2/2021 có 28 ngày); '
     "ghi theo dạng YYYY-MM-DD, YYYY-MM-DD HH:MM hoặc DD/MM/YYYY"),
    ("content/articles/2021/so.md",
     "---\ntitle: Ngày là số\ndate: 20210118\ncategory: tin-hoat-dong\n---\n",
     "content/articles/2021/so.md:3: error: date: 20210118 is a number, not a date "
     "(use YYYY-MM-DD, YYYY-MM-DD HH:MM or DD/MM/YYYY)",
     "content/articles/2021/so.md:3: lỗi: date: 20210118 là một con số, không phải ngày; "
     "ghi theo dạng YYYY-MM-DD, YYYY-MM-DD HH:MM hoặc DD/MM/YYYY"),
    ("content/articles/2021/loai.md",
     "---\ntitle: Sai chuyên mục\ndate: 2021-01-18\ncategory: the-thao\n---\n",
     'content/articles/2021/loai.md:4: error: category: unknown category "the-thao" (use one of: tin-hoat-dong, chinh-sach)',
     'content/articles/2021/loai.md:4: lỗi: category: không có chuyên mục "the-thao"; ghi một trong: tin-hoat-dong, chinh-sach'),
    ("content/articles/2021/tab.md",
     "---\ntitle: Tab\n\tdate: 2021-01-18\ncategory: tin-hoat-dong\n---\n",
     "content/articles/2021/tab.md:3: error: front matter line starts with a tab (indent with spaces)",
     "content/articles/2021/tab.md:3: lỗi: dòng thông tin đầu tệp bắt đầu bằng ký tự Tab; "
     "dùng dấu cách để thụt lề, không dùng phím Tab"),
    ("content/articles/2021/kep.md",
     "---\ntitle: Một\ntitle: Hai\ndate: 2021-01-18\ncategory: tin-hoat-dong\n---\n",
     "content/articles/2021/kep.md:3: error: title: key appears twice (first on line 2) (keep one of them)",
     "content/articles/2021/kep.md:3: lỗi: title: khóa này được ghi hai lần (lần đầu ở dòng 2); chỉ giữ lại một dòng"),
    ("content/articles/2021/slug.md",
     "---\ntitle: Slug\ndate: 2021-01-18\ncategory: tin-hoat-dong\nslug: ../../etc/x\n---\n",
     'content/articles/2021/slug.md:5: error: slug: "../../etc/x" is not a valid slug '
     "(use lower-case letters, digits and dashes, e.g. etc-x)",
     'content/articles/2021/slug.md:5: lỗi: slug: "../../etc/x" không dùng được làm slug (phần cuối địa chỉ); '
     "chỉ dùng chữ thường không dấu, chữ số và dấu gạch ngang, ví dụ etc-x"),
    ("content/articles/2021/nofm.md", "Quên phần đầu.\n",
     "content/articles/2021/nofm.md:1: error: the file does not start with front matter between '---' lines "
     "(put '---', the 'key: value' lines, then '---' at the top)",
     "content/articles/2021/nofm.md:1: lỗi: tệp không bắt đầu bằng phần thông tin đặt giữa hai dòng '---'; "
     "ở đầu tệp ghi '---', các dòng 'khóa: giá trị', rồi '---'"),
]
LANGUAGES = {"en": 2, "vi": 3}     # which expected line of a case each language prints


def build_in(site, language: str, *args: str):
    return cli("--lang", language, "build", *args, site=site.root)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("case", CASES, ids=[c[0].rsplit("/", 1)[1] for c in CASES])
def test_each_mistake_is_one_clear_line_and_output_is_untouched(site, case, language):
    before = built(site)
    site.write(case[0], case[1])
    run = build_in(site, language)
    assert run.code == 1
    assert case[LANGUAGES[language]] in run.err.splitlines(), run.err
    assert "Traceback" not in run.err
    assert site.snapshot() == before


@pytest.mark.parametrize("language", LANGUAGES)
def test_all_problems_are_reported_not_only_the_first(site, language):
    before = built(site)
    for case in CASES[:6]:
        site.write(case[0], case[1])
    run = build_in(site, language)
    assert run.code == 1
    for case in CASES[:6]:
        assert case[LANGUAGES[language]] in run.err.splitlines()
    assert site.snapshot() == before
    assert run.err.splitlines()[-1] == {
        "en": "Build failed: 6 problem(s) to fix; output/ was left as it was.",
        "vi": "Dựng không thành công: còn 6 lỗi phải sửa; thư mục output/ được giữ nguyên như trước."}[language]


@pytest.mark.parametrize("language", LANGUAGES)
def test_windows_1258_file_is_refused_naming_the_encoding(site, language):
    before = built(site)
    (site.root / "content/articles/2021/ansi.md").write_bytes(
        unicodedata.normalize("NFD", "---\ntitle: Cải cách hành chính\ndate: 2021-01-18\ncategory: tin-hoat-dong\n---\n")
        .encode("cp1258"))
    run = build_in(site, language)
    assert run.code == 1
    line = next(l for l in run.err.splitlines() if l.startswith("content/articles/2021/ansi.md"))
    assert line == {
        "en": "content/articles/2021/ansi.md: error: line 2 is not UTF-8; the file looks like Windows-1258 "
              "(Vietnamese ANSI) (save the file as UTF-8 (in Notepad: Save As, Encoding: UTF-8))",
        "vi": "content/articles/2021/ansi.md: lỗi: dòng 2 không phải bảng mã UTF-8; tệp có vẻ được lưu bằng "
              "Windows-1258 (ANSI tiếng Việt); lưu lại tệp với bảng mã UTF-8 (trong Notepad: File → Save As, "
              "ô Encoding chọn UTF-8)"}[language]
    assert site.snapshot() == before


@pytest.mark.parametrize("language", LANGUAGES)
def test_duplicate_url_from_folded_tone_marks_names_both_files(site, language):
    before = built(site)
    site.article("2021/a", title="Đông Du")
    site.article("2021/b", title="Đồng Du")
    run = build_in(site, language)
    assert run.code == 1
    assert {
        "en": 'content/articles/2021/b.md:2: error: URL "tin-tuc/dong-du/" is already used by content/articles/2021/a.md '
              "(titles that differ only by tone marks give the same slug: set 'slug:' in one of them)",
        "vi": 'content/articles/2021/b.md:2: lỗi: địa chỉ "tin-tuc/dong-du/" đã được dùng cho content/articles/2021/a.md; '
              "hai tiêu đề chỉ khác nhau dấu thanh thì ra cùng một địa chỉ: thêm dòng 'slug:' khác nhau vào một "
              "trong hai tệp"}[language] in run.err.splitlines()
    assert site.snapshot() == before
    site.write("content/articles/2021/b.md", GOOD.replace("title: Bài tốt", "title: Đồng Du\nslug: dong-du-2"))
    assert site.build().code == 0


@pytest.mark.parametrize("language", LANGUAGES)
def test_unknown_key_is_a_warning_with_a_suggestion(site, language):
    site.write("content/articles/2021/tag.md", GOOD.replace("category:", "tag: [CCHC]\ncategory:"))
    run = build_in(site, language)
    assert run.code == 0
    assert {"en": "content/articles/2021/tag.md:4: warning: unknown front-matter key 'tag' (did you mean 'tags'?)",
            "vi": "content/articles/2021/tag.md:4: cảnh báo: không có khóa 'tag' trong thông tin đầu tệp; "
                  "có phải định ghi 'tags'?"}[language] in run.err.splitlines()
    assert build_in(site, language, "--strict").code == 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_template_error_names_template_file_and_line(site, language):
    before = built(site)
    (site.root / "layouts/page.html").write_text("{% extends 'base.html' %}\n{% block content %}\n{{ title }\n{% endblock %}\n",
                                                 encoding="utf-8")
    site.write("content/pages/gioi-thieu.md", "---\ntitle: Giới thiệu\n---\n")
    run = build_in(site, language)
    assert run.code == 1
    start = {"en": "layouts/page.html:3: error: template:", "vi": "layouts/page.html:3: lỗi: mẫu trang:"}[language]
    assert any(l.startswith(start) for l in run.err.splitlines()), run.err
    assert site.snapshot() == before


@pytest.mark.parametrize("language", LANGUAGES)
def test_undefined_variable_in_template_names_the_line(site, language):
    before = built(site)
    (site.root / "layouts/tags.html").write_text("{% extends 'base.html' %}\n{% block content %}\n\n{{ no_such_thing.x }}\n{% endblock %}\n",
                                                 encoding="utf-8")
    run = build_in(site, language)
    assert run.code == 1
    start = {"en": "layouts/tags.html:4: error: template: UndefinedError",
             "vi": "layouts/tags.html:4: lỗi: mẫu trang: UndefinedError"}[language]
    assert any(l.startswith(start) for l in run.err.splitlines()), run.err
    assert site.snapshot() == before


@pytest.mark.parametrize("language", LANGUAGES)
def test_site_yaml_problems_carry_their_line(site, language):
    before = built(site)
    yaml_text = (site.root / "site.yaml").read_text(encoding="utf-8")
    (site.root / "site.yaml").write_text(yaml_text.replace("per_page: 2", "per_page: hai\nper_pgae: 3"), encoding="utf-8")
    run = build_in(site, language)
    assert run.code == 1
    expected = {
        "en": ['site.yaml:5: error: per_page: expected a whole number of at least 1, found "hai"',
               "site.yaml:6: warning: unknown key 'per_pgae' (did you mean 'per_page'?)"],
        "vi": ['site.yaml:5: lỗi: per_page: cần một số nguyên từ 1 trở lên, nhưng gặp "hai"',
               "site.yaml:6: cảnh báo: không có khóa 'per_pgae'; có phải định ghi 'per_page'?"]}[language]
    assert all(line in run.err.splitlines() for line in expected), run.err
    assert site.snapshot() == before


@pytest.mark.parametrize("language", LANGUAGES)
def test_broken_site_yaml(site, language):
    (site.root / "site.yaml").write_text('title: "x\nbase_url: 1\n', encoding="utf-8")
    run = build_in(site, language)
    assert run.code == 1 and run.err.startswith("site.yaml:")
    assert {"en": "site.yaml:3: error: YAML: a quote that is never closed (close the quotes on this line)",
            "vi": "site.yaml:3: lỗi: tệp viết sai cú pháp: có dấu ngoặc kép mở mà không đóng; "
                  "đóng dấu ngoặc kép trên dòng này"}[language] in run.err.splitlines(), run.err
    assert "Traceback" not in run.err


@pytest.mark.parametrize("language", LANGUAGES)
def test_missing_site_yaml(tmp_path, language):
    run = cli("--lang", language, "build", site=tmp_path)
    assert run.code == 1
    assert {"en": "site.yaml: error: no site.yaml in", "vi": "site.yaml: lỗi: không có tệp site.yaml trong thư mục"
            }[language] in run.err


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
    bad = cli("--lang", "vi", "new", "article", "Khác", "--category", "the-thao", site=site.root)
    assert bad.err.strip() == 'lỗi: --category: không có chuyên mục "the-thao"; ghi một trong: tin-hoat-dong, chinh-sach'
