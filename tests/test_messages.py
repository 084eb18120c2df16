"""The message catalogue (cchc/core/messages.py): every message an editor reads has its Vietnamese
text, the two languages take the same values, the committed files are what the tools make of
them, and the engine prints no text that bypasses the catalogue."""
from __future__ import annotations

import ast
import io
import pickle
import re
import string
import tomllib
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from conftest import REPO, cli
from cchc.core.messages import Message, _, current_language, one_line, set_language
from cchc.core.problems import Problems

LOCALE = REPO / "cchc" / "locale"
PO = LOCALE / "vi" / "LC_MESSAGES" / "cchc.po"
MO = LOCALE / "vi" / "LC_MESSAGES" / "cchc.mo"
POT = LOCALE / "messages.pot"


def extracted() -> dict[str, str]:
    """msgid -> "file:line" of every message in the code, read with pyproject.toml's mapping,
    as `pybabel extract -F pyproject.toml … cchc` reads it."""
    with open(REPO / "pyproject.toml", "rb") as f:
        mappings = tomllib.load(f)["tool"]["babel"]["mappings"]
    method_map = [(m["pattern"], m["method"]) for m in mappings]
    keywords = {k: None for m in mappings for k in m["keywords"]}
    found = {}
    for filename, line, msgid, _comments, _context in extract_from_dir(REPO / "cchc", method_map, keywords=keywords):
        found.setdefault(msgid, f"cchc/{filename}:{line}")
    return found


def catalogue(path: Path):
    with open(path, "rb") as f:
        return read_po(f, locale="vi" if path.suffix == ".po" else None)


def test_every_message_in_the_code_has_its_vietnamese_text():
    vi = {m.id: m.string for m in catalogue(PO) if m.id}
    fuzzy = {m.id for m in catalogue(PO) if m.id and m.fuzzy}
    missing = [f"{where}: {msgid!r}" for msgid, where in extracted().items() if not vi.get(msgid) or msgid in fuzzy]
    assert not missing, ("messages without a (checked) Vietnamese text in cchc/locale/vi/LC_MESSAGES/cchc.po; "
                         "README.md, 'Translating messages', says how:\n" + "\n".join(missing))


def test_the_committed_template_is_what_the_code_marks():
    in_code = set(extracted())
    in_pot = {m.id for m in catalogue(POT) if m.id}
    assert in_code == in_pot, ("run the extraction of README.md, 'Translating messages': "
                               f"new {sorted(in_code - in_pot)}, gone {sorted(in_pot - in_code)}")


_PERCENT = re.compile(r"%(?:\((\w+)\))?[-#0 +]*\d*(?:\.\d+)?[sdrif]")


def placeholders(text: str) -> set[str]:
    """{name} fields (str.format) and %(name)s / %s fields (argparse's own words)."""
    names = {f"{{{name.split('.')[0].split('[')[0]}}}" for _t, name, _s, _c in string.Formatter().parse(text)
             if name is not None}
    return names | {f"%({m.group(1)})" if m.group(1) else "%" for m in _PERCENT.finditer(text)}


def test_each_translation_takes_the_same_values_as_its_english():
    wrong = [f"{m.id!r}: {sorted(placeholders(m.id))} but {m.string!r}: {sorted(placeholders(m.string))}"
             for m in catalogue(PO) if m.id and m.string and placeholders(m.id) != placeholders(m.string)]
    assert not wrong, "\n".join(wrong)


def test_the_committed_mo_is_the_compiled_po():
    compiled = io.BytesIO()
    write_mo(compiled, catalogue(PO))
    assert MO.read_bytes() == compiled.getvalue(), "run: pybabel compile -d cchc/locale -D cchc"


# --- no text for people outside the catalogue ------------------------------------------------

# Modules whose messages are still English strings (issue 20 converts them); the list only shrinks.
NOT_YET = ()
SPEAKERS = {"print", "error", "warning", "say", "fail", "_fail"}   # calls that show text to people


def _words(node: ast.AST) -> str | None:
    """The literal text of a str constant or f-string argument, if it reads as words (has a space)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
    elif isinstance(node, ast.JoinedStr):
        text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
    elif isinstance(node, ast.BinOp):
        return _words(node.left) or _words(node.right)
    else:
        return None
    return text if " " in text.strip() else None


def bare_texts(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    rel = path.relative_to(REPO).as_posix()
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in SPEAKERS:
                for arg in [*node.args, *(k.value for k in node.keywords if k.arg != "file")]:
                    text = _words(arg)
                    if text:
                        found.append(f"{rel}:{node.lineno}: {name}({text!r}…) is not a _() message")
        elif isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            for arg in node.exc.args:
                text = _words(arg)
                if text:
                    found.append(f"{rel}:{node.lineno}: raise with {text!r}, not a _() message")
    return found


def test_the_engine_shows_no_text_outside_the_catalogue():
    found = []
    for path in sorted((REPO / "cchc").rglob("*.py")):
        rel = path.relative_to(REPO).as_posix()
        if not rel.startswith(NOT_YET):
            found += bare_texts(path)
    assert not found, "write these through cchc.core.messages._ (its docstring says how):\n" + "\n".join(found)


def test_no_module_that_marks_messages_hides_the_marker():
    """`for _ in …` or `a, _ = …` in a module that imports `_` breaks every message of that function."""
    found = []
    for path in sorted((REPO / "cchc").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imports = any(isinstance(n, ast.ImportFrom) and n.module == "cchc.core.messages" and
                      any(a.name == "_" for a in n.names) for n in ast.walk(tree))
        if imports:
            found += [f"{path.relative_to(REPO).as_posix()}:{n.lineno}" for n in ast.walk(tree)
                      if isinstance(n, ast.Name) and n.id == "_" and isinstance(n.ctx, ast.Store)]
    assert not found, "rename the throwaway `_` variables (e.g. `__`):\n" + "\n".join(found)


# --- the Message value ------------------------------------------------------------------------

@pytest.fixture
def vietnamese():
    set_language("vi")
    yield
    set_language(None)


def test_a_message_is_translated_when_shown_and_not_before(vietnamese):
    m = _('unknown category "{key}"', key="the-thao")
    assert str(m) == 'không có chuyên mục "the-thao"'
    set_language("en")
    assert str(m) == 'unknown category "the-thao"'
    assert f"{m}" == 'unknown category "the-thao"'


def test_a_message_pickles_compares_and_hashes_by_text_and_values():
    a = _("{key}: {problem}", key="date", problem=_('"{text}" is not a date', text="hôm qua"))
    b = pickle.loads(pickle.dumps(a))
    assert a == b and hash(a) == hash(b) and len({a, b}) == 1
    assert a != _("{key}: {problem}", key="updated", problem=_('"{text}" is not a date', text="hôm qua"))
    problems = Problems()
    problems.error("x.md", 3, a)
    problems.error("x.md", 3, b)
    assert len(problems.sorted()) == 1


def test_values_never_break_the_line(vietnamese):
    m = _('"{text}" is not a date', text="một\ndòng\r\x1b[31mhai\u2028ba")
    assert "\n" not in str(m) and "\x1b" not in str(m) and "\u2028" not in str(m)
    assert one_line("a\nb") == "a\\nb"
    problems = Problems()
    problems.error("content/a\nb.md", 2, m, _("put the value in quotes"))
    assert len(str(problems.items[0]).splitlines()) == 1


def test_lists_are_shown_joined():
    assert str(_("known: {names}", names=["portal", "thu-muc"])) in ("known: portal, thu-muc",
                                                                     "các nơi đã khai: portal, thu-muc")


# --- the language -----------------------------------------------------------------------------

BAD_DATE = "---\ntitle: Ngày sai\ndate: 31/02/2021\ncategory: tin-hoat-dong\n---\n"


def test_vietnamese_is_the_default_and_english_is_asked_for(site, monkeypatch):
    site.write("content/articles/2026/vi-du.md", BAD_DATE)
    monkeypatch.delenv("CCHC_LANG")
    vi = site.build()
    assert vi.code == 1
    assert ('content/articles/2026/vi-du.md:3: lỗi: date: ngày "31/02/2021" không có thật (tháng 2/2021 có 28 ngày); '
            "ghi theo dạng YYYY-MM-DD, YYYY-MM-DD HH:MM hoặc DD/MM/YYYY") in vi.err.splitlines()
    assert "Dựng không thành công: còn 1 lỗi phải sửa; thư mục output/ được giữ nguyên như trước." in vi.err
    en = cli("--lang", "en", "build", site=site.root)
    assert ('content/articles/2026/vi-du.md:3: error: date: "31/02/2021" is not a real date (month 2/2021 has 28 days) '
            "(use YYYY-MM-DD, YYYY-MM-DD HH:MM or DD/MM/YYYY)") in en.err.splitlines()
    monkeypatch.setenv("CCHC_LANG", "en")
    assert site.build().err == en.err
    assert cli("build", "--lang=vi", site=site.root).err == vi.err
    assert current_language() == "en"        # --lang holds for one run only


def test_warnings_say_canh_bao(site):
    site.write("content/articles/2021/tag.md", BAD_DATE.replace("31/02/2021", "2021-01-18").replace(
        "category:", "tag: [CCHC]\ncategory:"))
    run = cli("--lang", "vi", "build", site=site.root)
    assert run.code == 0
    assert ("content/articles/2021/tag.md:4: cảnh báo: không có khóa 'tag' trong thông tin đầu tệp; "
            "có phải định ghi 'tags'?") in run.err.splitlines()


def test_help_is_translated_too():
    vi = cli("--lang", "vi", "--help")
    assert vi.code == 0
    assert vi.out.startswith("cách dùng: build.py")
    assert "hiện hướng dẫn này rồi thoát" in vi.out and "Dựng chuyên mục Cải cách hành chính (CCHC)." in vi.out
    assert "dựng toàn bộ chuyên mục vào thư mục output/" in vi.out
    sub = cli("--lang", "vi", "build", "--help")
    assert "coi cảnh báo như lỗi" in sub.out and "tùy chọn" in sub.out
    en = cli("--help")
    assert en.out.startswith("usage: build.py") and "show this help message and exit" in en.out
    bad = cli("--lang", "vi", "report", "--year", "hai")
    assert bad.code == 2 and "build.py report: lỗi: tham số --year: giá trị 'hai' không hợp lệ (cần kiểu int)" in bad.err


def test_an_unknown_language_is_a_usage_error():
    run = cli("--lang", "fr", "build")
    assert run.code == 2 and "--lang fr" in run.err


# --- HUONG-DAN.md quotes the messages the tool really prints ------------------------------------

# The mistakes HUONG-DAN.md shows (sections 4, 8 and 9), made in a copy of the sample site.
GUIDE_MISTAKES = {
    "content/articles/2026/thong-bao.md":
        "---\ntitle: Thông báo: lịch tiếp công dân\ndate: 2026-11-20\ncategory: trien-khai-thuc-hien\n---\n\nNội dung.\n",
    "content/articles/2026/the-tab.md":
        '---\ntitle: "Tập huấn dịch vụ công"\ndate: 2026-11-20\ncategory: dich-vu-cong-truc-tuyen\ntags:\n'
        '\t- "tập huấn"\n---\n\nNội dung.\n',
    "content/articles/2026/sai-chuyen-muc.md":
        '---\ntitle: "Hội nghị giao ban"\ndate: 2026-11-20\ncategory: tin-hoat-dong\n---\n\nNội dung.\n',
    "content/articles/2026/vi-du.md":
        '---\ntitle: "Ví dụ"\ndate: 31/02/2021\ncategory: trien-khai-thuc-hien\n---\n\nNội dung.\n',
    "content/articles/2026/hop-ban-pci.md":
        '---\ntitle: "Họp bàn về chỉ số PCI"\ndate: 2026-11-20\ncategory: chi-so-cchc\n---\n\nNội dung.\n',
    "content/articles/2026/hop-ban-pci-2.md":
        '---\ntitle: "Họp ban về chỉ số PCI"\ndate: 2026-11-21\ncategory: chi-so-cchc\n---\n\nNội dung.\n',
    "content/articles/2026/go-sai-khoa.md":
        '---\ntitle: "Kết quả rà soát thủ tục"\ndate: 2026-11-20\ncatagory: thu-tuc-hanh-chinh\n---\n\nNội dung.\n',
    "content/articles/2026/trich-dan.md":
        '---\ntitle: "Tuyên truyền Nghị định mới"\ndate: 2026-11-20\ncategory: chu-truong-chinh-sach\n---\n\n'
        "Thực hiện Nghị định số 63/2010/NĐ-CP và Nghị định số 99/2026/NĐ-CP của Chính phủ.\n",
}
QUOTED = re.compile(r"^\s*(content/\S+?(?::\d+)?: (?:lỗi|cảnh báo): .*)$", re.M)


def test_every_message_the_guide_quotes_is_one_the_tool_prints(sample_site):
    import unicodedata
    for rel, text in GUIDE_MISTAKES.items():
        sample_site.write(rel, text)
    (sample_site.root / "content/articles/2026/ansi.md").write_bytes(unicodedata.normalize(
        "NFD", "---\ntitle: Cải cách hành chính\ndate: 2026-11-20\ncategory: trien-khai-thuc-hien\n---\n").encode("cp1258"))
    assert cli("--lang", "vi", "new", "document", "Quyết định số 15/QĐ-SCT ngày 05/01/2026", "--type", "Quyết định",
               site=sample_site.root).code == 0
    printed = set(cli("--lang", "vi", "check", site=sample_site.root).err.splitlines())
    guide = (REPO / "HUONG-DAN.md").read_text(encoding="utf-8")
    quoted = QUOTED.findall(guide)
    assert len(quoted) >= 10, quoted
    missing = [line for line in quoted if line.strip() not in printed]
    assert not missing, "HUONG-DAN.md quotes lines the tool does not print:\n" + "\n".join(missing)
