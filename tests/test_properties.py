"""Properties that hold for any input (Hypothesis), and a bounded fuzz run of the whole build.

Example counts are fixed so the file stays within seconds in CI; the counts are in the
settings below and in the integrator's note.
"""
from __future__ import annotations

import datetime as dt
import re
import string
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

from conftest import MINIMAL_SITE_YAML, SiteFolder, cli, minimal_site
from cchc.build.builder import Builder
from cchc.build.result import BuildOptions
from cchc.core.config import load_settings
from cchc.core.content import read_entry
from cchc.core.legal import TYPE_ABBREVIATIONS, SymbolError, find_citations, parse_citation, parse_symbol
from cchc.core.problems import Problems
from cchc.core.vietnamese import DateError, is_slug, parse_date, slugify, toc_slugify

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵĐĂÂÊÔƠƯ"
text = st.text(alphabet=st.sampled_from(VIETNAMESE + string.printable + "\u0300\u0301\u0303\u0309\u0323\ufeff/\\:*?\"<>|."),
               max_size=120) | st.text(max_size=60)
FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --- slugs -----------------------------------------------------------------------------------

@FAST
@given(text)
@example("../../etc/x")
@example("CON")
@example("!!!")
def test_slug_is_ascii_windows_safe_and_stable(value):
    slug = slugify(value)
    assert slug == "" or re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug), slug
    assert ".." not in slug and len(slug) <= 80
    assert slug not in ("con", "prn", "aux", "nul")
    assert slugify(slug) == slug                       # stable: a slug is its own slug
    assert slugify(value) == slug                      # deterministic
    assert toc_slugify(value)                          # heading anchors are never empty


slug_like = (st.text(alphabet="az09-", max_size=100) | st.text(alphabet="az09-AĐđ _", max_size=90)
             | st.sampled_from(["con", "com1", "lpt9", "nul-1", "a" * 80, "a" * 81, "-a", "a-", "a--b"]))


@settings(max_examples=2000, deadline=None)
@given(slug_like | text)
def test_is_slug_agrees_with_slugify(value):
    """The front matter's slug check (is_slug) accepts exactly the texts slugify leaves as they
    are, the empty one excepted (no slug: the title's is used)."""
    assert is_slug(value) == (slugify(value) == value != "")
    assert is_slug(slugify(value)) or slugify(value) == ""


def test_empty_slug_is_an_error_for_the_editor(site):
    """slugify("!!!") is ""; the callers turn that into an error, never into a URL "tin-tuc//"."""
    assert slugify("!!!") == ""
    site.article("2021/khong-chu", title="!!!")
    run = site.build()
    assert run.code == 1
    assert "content/articles/2021/khong-chu.md:2: error: title: gives an empty slug (add 'slug: ten-bai-viet')" \
        in run.err.splitlines()


# --- dates -----------------------------------------------------------------------------------

@FAST
@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)), st.booleans(),
       st.integers(0, 23), st.integers(0, 59))
def test_dates_round_trip_in_every_accepted_form(day, with_time, hour, minute):
    iso = f"{day:%Y-%m-%d}" + (f" {hour:02d}:{minute:02d}" if with_time else "")
    expected = dt.datetime(day.year, day.month, day.day, hour if with_time else 0, minute if with_time else 0, tzinfo=TZ)
    assert parse_date(iso, TZ) == expected
    assert parse_date(f"{day.day}/{day.month}/{day.year}", TZ) == expected.replace(hour=0, minute=0)
    assert parse_date(day, TZ) == expected.replace(hour=0, minute=0)


@FAST
@given(text | st.from_regex(r"\d{1,4}[-/]\d{1,4}[-/]\d{1,5}( \d{1,3}:\d{1,3})?", fullmatch=True))
@example("30/02/2021")
@example("2021-13-01")
@example("99999-01-01")
def test_date_parsing_never_crashes(value):
    try:
        result = parse_date(value, TZ)
    except DateError as exc:
        assert str(exc) and "\n" not in str(exc)
    else:
        assert result.tzinfo is not None


# --- document numbers and citations ----------------------------------------------------------

abbreviations = st.sampled_from(sorted(TYPE_ABBREVIATIONS))
issuers = st.sampled_from(["CP", "TTg", "UBND", "BCT", "HĐND", "UBND-KT", "BNV"])


@FAST
@given(st.integers(1, 99999), st.integers(1945, 2099), abbreviations, issuers, st.booleans(),
       st.dates(min_value=dt.date(1945, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_generated_numbers_are_found_and_round_trip(number, year, abbr, issuer, with_year, issued):
    symbol = f"{number}/{year}/{abbr}-{issuer}" if with_year else f"{number}/{abbr}-{issuer}"
    parsed = parse_symbol(symbol)
    assert (parsed.text, parsed.number, parsed.year, parsed.abbreviation) == \
           (symbol, str(number), year if with_year else None, abbr)
    name = TYPE_ABBREVIATIONS[abbr]
    sentence = f"Thực hiện {name} số {symbol} ngày {issued.day}/{issued.month}/{issued.year} của cơ quan."
    found = find_citations(sentence)
    assert len(found) == 1
    c = found[0]
    assert c.symbol.key == parsed.key and c.date == issued and c.type_name == name
    assert sentence[c.start:c.end] == c.text
    assert parse_citation(c.text).symbol.key == parsed.key


@FAST
@given(text)
@example("Quyết định số 908/QĐ-UBND ngày 30/02/2018")
@example("61/NĐ-CP/2018")
def test_citation_recognition_never_crashes(value):
    for c in find_citations(value):
        assert 0 <= c.start < c.end <= len(value) and value[c.start:c.end] == c.text
    try:
        parse_symbol(value)
    except SymbolError as exc:
        assert str(exc)
    parse_citation(value)


# --- the front-matter reader -----------------------------------------------------------------

@pytest.fixture(scope="module")
def section(tmp_path_factory):
    root = tmp_path_factory.mktemp("props") / "site"
    (root / "content" / "articles").mkdir(parents=True)
    (root / "site.yaml").write_text(MINIMAL_SITE_YAML, encoding="utf-8")
    loaded, problems = load_settings(root)
    assert loaded is not None, problems.items
    return loaded


GOOD = "---\ntitle: Bài tốt\ndate: 2021-01-18\ncategory: tin-hoat-dong\ntags: [CCHC]\n---\n\nNội dung.\n".encode()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400) | st.builds(lambda a, b, c: GOOD[:a] + b + GOOD[c:], st.integers(0, len(GOOD)),
                                         st.binary(max_size=20), st.integers(0, len(GOOD))))
@example(b"---\n\xff\xfe\n---\n")
@example(b"---\ntitle: &a [*a]\n---\n")
@example(b"---\ndate: 2021-13-45\n---\n")
def test_front_matter_reader_gives_a_result_or_an_error_for_any_bytes(section, data):
    path = section.site_dir / "content" / "articles" / "x.md"
    path.write_bytes(data)
    problems = Problems()
    item = read_entry(path, "content/articles/x.md", "articles", section, problems)
    if item is None:
        assert problems.errors, "refused without saying why"
    assert all(p.file == "content/articles/x.md" and (p.line is None or p.line >= 1) and p.message for p in problems)


# --- fuzzing the whole build -----------------------------------------------------------------

TOKENS = [b"---\n", b":", b"\t", b"\n", b"\r", b"*", b"[", b"](", b"<", b">", b"&a ", b"*a", b"\x00", b"\xef\xbb\xbf",
          b"\xff", b"'", b'"', b"#", b"- ", b"> ", b"```", b"{{", b"{%", b"|", b"/", b"61/2018/N\xc4\x90-CP", b"30/02/2021",
          b"<script>", b"<iframe src=x>", b"\xcc\x81", b"..", b"`"]
FUZZ_EXAMPLES = 120


@pytest.fixture(scope="module")
def fuzz_site(tmp_path_factory) -> SiteFolder:
    s = minimal_site(tmp_path_factory.mktemp("fuzz") / "site", MINIMAL_SITE_YAML + "search: false\n")
    s.document("nd-61", "61/2018/NĐ-CP", "Nghị định", "2018-04-23")
    return s


def mutate(data: bytes, edits) -> bytes:
    for kind, at, size, token in edits:
        at = at % (len(data) + 1)
        if kind == 0:
            data = data[:at] + token + data[at:]
        elif kind == 1:
            data = data[:at] + data[at + size:]
        else:
            data = data[:at] + data[at:at + size] * 3 + data[at + size:]
    return data


SEED = ("---\ntitle: \"Kế hoạch CCHC năm 2021\"\ndate: 18/01/2021\ncategory: Tin hoạt động\ntags: [CCHC, Một cửa]\n"
        "summary: Tóm tắt\ndocuments: [\"Nghị định số 61/2018/NĐ-CP\"]\n---\n\n## Mục tiêu\n\nThực hiện Nghị định số "
        "61/2018/NĐ-CP ngày 23/4/2018, xem [văn bản](../../documents/nd-61.md).\n\n- một\n  - hai\n\n> trích\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n```\nmã\n```\n").encode()


@settings(max_examples=FUZZ_EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 2), st.integers(0, 10_000), st.integers(1, 40), st.sampled_from(TOKENS)),
                min_size=1, max_size=6))
def test_fuzz_the_whole_build_on_mutated_content(fuzz_site, edits):
    """A mutated article and a mutated document: the build ends with a result, never an
    exception, and every problem names a file of the section."""
    article = fuzz_site.root / "content/articles/2021/fuzz.md"
    article.parent.mkdir(parents=True, exist_ok=True)
    article.write_bytes(mutate(SEED, edits))
    document = fuzz_site.root / "content/documents/nd-61.md"
    original = document.read_bytes()
    document.write_bytes(mutate(original, edits[::-1]))
    try:
        result = Builder(fuzz_site.root, BuildOptions(write=False, now=dt.datetime(2026, 1, 1, tzinfo=TZ))).build()
    finally:
        document.write_bytes(original)
    for p in result.problems:
        assert p.file.startswith(("content/", "layouts/")) and (p.line is None or p.line >= 1) and p.message, p
    if result.ok:
        assert result.rendered                           # a clean build produced the section


def test_fuzzed_article_through_the_command_line_prints_no_traceback(fuzz_site):
    """The printed form of the same kind of input: compiler-style lines only."""
    article = fuzz_site.root / "content/articles/2021/fuzz.md"
    article.parent.mkdir(parents=True, exist_ok=True)
    article.write_bytes(mutate(SEED, [(0, 40, 1, b"\t"), (0, 9, 1, b"*a"), (2, 200, 30, b"")]))
    run = cli("check", site=fuzz_site.root)
    assert "Traceback" not in run.err
    assert all(re.match(r"[\w./-]+(:\d+)?: (error|warning|note): ", l) or l.startswith("Checked ")
               for l in run.lines), run.lines
