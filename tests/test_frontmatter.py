"""cchc/frontmatter.py reads the usual front matter as PyYAML reads it, or declines it.

Whatever read_simple returns as a dict must be, key for key and type for type, what
yaml.load(fm, Loader=content._FrontMatterLoader) returns; anything else it must leave to PyYAML
(None). A reader that declined everything would pass that, so each test also asserts that the
usual front matters are accepted.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from cchc.core import content, files
from cchc.core.frontmatter import read_simple
from cchc.core.problems import Problems


def shape(value):
    """A value with its type, all the way down: 1 and True, date and datetime, 1 and '1' differ."""
    if isinstance(value, dict):
        return [(shape(k), shape(v)) for k, v in value.items()]   # in order
    if isinstance(value, list):
        return [shape(v) for v in value]
    return type(value).__name__, repr(value)


def check(fm: str) -> bool:
    """Whether read_simple took `fm`; fails if what it gives is not what PyYAML gives."""
    got = read_simple(fm)
    if got is None:
        return False
    want = yaml.load(fm, Loader=content._FrontMatterLoader)   # raises if PyYAML would refuse it
    assert shape(got) == shape(want), fm
    return True


# --- generated front matters ---------------------------------------------------------------

def often(common: list, rare: list, times: int = 6):
    return st.sampled_from(common * times + rare)


WORDS = ["Ban", "Chỉ", "đạo", "cải", "cách", "hành", "chính", "Sở", "Công", "Thương", "Quảng", "Ngãi", "năm", "2020",
         "SIPAS", "Nghị", "định", "61/2018/NĐ-CP", "số", "10/KH-UBND", "(PAR", "INDEX)", "87%", "1.000", "Ủy", "ban",
         "a-b", "https://a.vn/x", "x.pdf", "C#", "9001:2015", "—", "Tin,", "[mới]", "{x}", "it's", "a\"b", "\\n",
         "D:\\VB", "\\u1ea1", "\\"]
ODD_WORDS = ["+", "=", "?", "!", "&", "*", "|", ">", "%", "@", "`", "~", "\xa0", "-", "- x"]   # YAML's indicators…
YAML_WORDS = ["yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE", "on", "On",
              "ON", "off", "Off", "OFF", "y", "Y", "n", "N", "tRue", "null", "Null", "NULL", "~", "=", "<<", "1",
              "0x1F"]
KEYS = sorted(set(content.ARTICLE_KEYS + content.DOCUMENT_KEYS + content.PAGE_KEYS))
# What a reader like frontmatter.py could get wrong: pieces put anywhere in a value (the likeliest
# slips, first, drawn more often), and whole lines.
NEAR = ["#", " #", " # x", ": ", ":", "\\", '"', "'"] * 4 + [
    "\t", "\r", "\u2028", "\u2029", "\x85", "\x07", "\x1b", "\ufeff", "\x7f", "\ud7ff", "\ue000", "\uffff", "\U0001f600",
    "-", "- ", "? ", "[", "]", "{", "}", ",", "&a ", "*a", "!!str ", "|", ">", "%", "@", "`", "  ", "...", "---"]
NEAR_LINES = ["- x", "  - \"x\"", "  x: 1", " title: x", "# ghi chú", "---", "...", "title:x", "title : x",
              "'title': x", '"title": x', "? title", "title: |", "title: >-", "  tiếp theo", "tiêu_đề: x", "x: {a: 1}",
              "x: &a 1", "x: !!str 1", "%YAML 1.1", "\ttitle: x", "title:\t x", "title: x\t", "[a]: 1", "a b: 1", "\xa0"]


def insert(into: str, piece: str, at: int) -> str:
    at %= len(into) + 1
    return into[:at] + piece + into[at:]


text = st.lists(often(WORDS, ODD_WORDS + YAML_WORDS, 8), min_size=1, max_size=5).map(" ".join)
quoted = st.builds(lambda before, t, after: f'{before}"{t}"{after}', often([""], [" "], 10), text,
                   often(["", " "], ["  "], 10))
dates = st.builds(lambda y, m, d: f"{y:04d}-{m:02d}-{d:02d}", st.integers(1990, 2030),
                  often(list(range(1, 13)), [0, 13], 8), often(list(range(1, 29)), [0, 29, 30, 31, 32], 8))
times = st.builds(lambda sep, h, mi, s, frac, tz: f"{sep}{h}:{mi:02d}{s}{frac}{tz}",
                  often([" "], ["T", "t", "  "]), st.integers(0, 25), st.integers(0, 61),
                  st.sampled_from(["", ":00", ":07", ":59", ":61"]), often([""], [".5", ".123456789", "."]),
                  often([""], ["Z", " +07:00", "-05:00", " +7", " Z"]))
timestamps = st.builds(lambda d, t: d + t, dates, st.just("") | times)
numbers = st.one_of(st.integers(0, 10**20).map(str), st.floats(min_value=0).map(str),
                    st.sampled_from(["010", "0o10", "08", "0x1F", "0b101", "1_000", "+5", "-5", "1:30", "190:20:30",
                                     ".5", "1.", "1e3", "1.0e+3", "6.8523015e+5", "1_000.5", ".inf", "-.inf", ".NaN",
                                     "0", "00", "1,5", "9" * 5000, "1.2.3"]))
specials = st.sampled_from(YAML_WORDS + [""])
item = st.one_of(text.map(lambda t: f'"{t}"'), text, often(["CCHC", "TTHC"], ["1", "yes", "~", "-a", "a b"]))
flow = st.builds(lambda items, sep, inside, end: "[" + inside + sep.join(items) + inside + end + "]",
                 st.lists(item, max_size=4), often([", "], [",", " , ", "  ,"]), often([""], [" "], 4),
                 often([""], [",", " ,"], 20))
value = st.one_of(quoted, quoted, text, text, timestamps, numbers, specials, flow)
# a near miss anywhere in a value: inside or after the quotes, between list items, at either end
near_value = st.builds(insert, value, st.sampled_from(NEAR), st.integers(0, 200) | st.sampled_from([0, -1]))
key = often(KEYS, YAML_WORDS + ["_", "a1", "x_y", "Title", "k" * 101, "k" * 100], 20)
line = st.builds(lambda k, v: f"{k}:{' ' + v if v else ''}", key, value)
near_line = st.one_of(st.builds(lambda k, v: f"{k}: {v}", key, near_value), st.sampled_from(NEAR_LINES))


def put(lines: list[str], near: str | None, at: int) -> list[str]:
    at %= len(lines) + 1
    return lines[:at] + [near] + lines[at:] if near is not None else lines


# A front matter: realistic lines, sometimes a blank one, and (half the time) one near miss.
# Drawn as (text, whether it is realistic, i.e. has no near miss).
front_matters = st.builds(
    lambda lines, near, at, end: ("\n".join(put(lines, near, at)) + end, near is None),
    st.lists(st.one_of(line, line, line, line, often([""], ["   "])), min_size=1, max_size=8),
    st.none() | near_line, st.integers(0, 100), often(["\n"], ["", "\n\n", "\n  \n"]))


def test_what_it_reads_is_what_pyyaml_reads():
    """Every front matter it takes is read as PyYAML reads it; at least 30 % of the realistic ones
    (no near miss; some of them still hold 'yes' as a key, '-5', '? x'…) are taken."""
    seen = Counter()   # (realistic, accepted) -> examples

    @settings(max_examples=1500, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
    @given(case=front_matters)
    def reads_as_pyyaml(case):
        fm, realistic = case
        accepted = check(fm)
        seen[realistic, accepted] += 1

    reads_as_pyyaml()
    realistic = seen[True, True] + seen[True, False]
    assert realistic > 300 and seen[True, True] >= 0.3 * realistic, seen
    assert seen[False, True] > 0, seen    # some near misses are still YAML it knows (a '#' in quotes…)


# --- fixed cases -------------------------------------------------------------------------

ACCEPTED = [
    'title: "Ban Chỉ đạo cải cách hành chính của tỉnh chủ động rà soát Chỉ số hài lòng SIPAS năm 2020"',
    "date: 2020-08-25 15:58", "date: 2020-08-25 15:58:07", "date: 2020-08-25", "date: 2021-02-31",
    "date: 2021-13-01", "date: 2020-08-25 25:00:00", "date: 2020-8-5 1:02:03", "date: 2020-08-25T15:58:07.5+07:00",
    "date: 2001-12-14t21:59:43.10-05:00", "date: 2020-08-25 15:58:07 Z", "date: 0000-01-01",
    "slug: ban-chi-dao-cai-cach-hanh-chinh-01271", 'category: "Tin hoạt động"', 'tags: ["kiểm tra công vụ", CCHC]',
    "status: con-hieu-luc", "draft: true", "draft: yes", "draft: Off", "draft: y", "draft: n", "draft: tRue",
    "menu: 3", "menu: 010", "menu: 08", "menu: 0o10", "menu: 0x1F", "menu: 0b101", "menu: 1_000", "menu: +5",
    "menu: 1:30", "menu: 190:20:30", "menu: .5", "menu: 1.", "menu: 1e3", "menu: 1.0e+3", "menu: .inf", "menu: .NaN",
    "menu: 1,5", "summary:", "summary:   ", "summary: ~", "summary: Null", "summary: null", 'summary: ""',
    'summary: "  có khoảng trắng  "   ', "summary: a   b", "summary: Tin [mới] {x}, hay", 'summary: a "b"',
    "summary: it's", "summary: C#", "summary: a:b", "summary: https://a.vn/x?y=1", "summary: \\n", "summary: ...",
    "summary: \xa0x\xa0", "summary: x.", "summary: 100%", 'summary: "# không phải ghi chú: x"', "tags: []",
    "tags: [ ]", "tags: [a b,  c  ]", 'tags: [ "a" ,"b",c ]', "tags: [a-b, a?b, a!b, a&b, a*b]",
    'fields: ["Thủ tục hành chính", "Cải cách hành chính"]', "_: 1", "y: 1", "Y: x", "Title: x",
    "title: a\n\n   \ndate: 2020-08-25\n", "title: a\ntitle: b\ndate: 1\ntitle: c", "a:\nb: 1",
]
DECLINED = [
    "on: 1", "yes: x", "null: x", "true: x", "1: x", "tiêu_đề: x", '"title": x', "'title': x", "title : x",
    "title:x", " title: x", "\ttitle: x", "title:\tx", "title: x\t", "title: 'x'", 'title: "a\\"b"', 'title: "a\\nb"',
    'title: "a" b', 'title: "a" # x', "title: x # ghi chú", "title: a: b", "title: a:", "title: -5", "title: - x",
    "title: ? x", "title: |", "title: >", "title: {a: 1}", "title: &a x", "title: !!str 1", "title: *a", "title: %x",
    "title: @x", "title: `x`", "title: =", "title: <<", "title: " + "9" * 5000, "title: x\r", "title: x\u2028y",
    "title: x\x85y", "title: x\u2029y", "title: \ufeffx", "\ufefftitle: x", "title: x\x07", "title: x\x7f",
    "tags: [a, b,]", "tags: [a, , b]", "tags: [1, a]", "tags: [yes]", "tags: [~]", "tags: [-a]", "tags: [a: b]",
    "tags: [[a]]", "tags: [C#]", "tags: ['a']", 'tags: ["a" b]', "tags: [a] # x", "tags: [a] b", "tags: [a",
    "tags: [a, {b}]", "tags:\n  - a", "tags:\n- a", "- a", "# ghi chú\ntitle: x", "title: x\n  tiếp theo",
    "---\ntitle: x",
    "title: x\n...", "title: x\n---", "%YAML 1.1\n---\ntitle: x", "", "\n\n", "   \n", "x", "k" * 101 + ": x",
]


@pytest.mark.parametrize("fm", ACCEPTED)
def test_usual_and_borderline_lines_are_read_as_pyyaml_reads_them(fm):
    assert check(fm), fm


@pytest.mark.parametrize("fm", DECLINED)
def test_what_it_does_not_know_goes_to_pyyaml(fm):
    assert read_simple(fm) is None, fm


# --- the sample site and parse_front_matter ------------------------------------------------

SAMPLE = sorted((Path(__file__).parent.parent / "content").rglob("*.md"))


def test_the_sample_front_matters_are_read_as_pyyaml_reads_them():
    """The sample's articles and documents list tags and fields one per line ('  - "x"'), a shape
    frontmatter.py leaves to PyYAML; every front matter of one-line values is read."""
    assert SAMPLE
    one_line = accepted = 0
    for path in SAMPLE:
        fm = content.split_front_matter(files.decode_text(path.read_bytes())[0])[0]
        accepted += check(fm)
        if not any(line.startswith(" ") for line in fm.split("\n")):
            one_line += 1
            assert read_simple(fm) is not None, path
    assert one_line >= 2 and accepted >= one_line


def test_parse_front_matter_reports_as_before():
    """Duplicate keys, lines and values are what they were with PyYAML alone."""
    problems = Problems()
    fm = 'title: "Tin"\ndate: 2020-08-25\ntitle: "Tin hai"\ntags: [a, "b"]\n'
    data, lines = content.parse_front_matter(fm, "content/articles/a.md", problems)
    assert shape(data) == shape(yaml.load(fm, Loader=content._FrontMatterLoader))
    assert lines == {"title": 2, "date": 3, "tags": 5}
    assert [(p.line, str(p.message)) for p in problems.items] == [(4, "title: key appears twice (first on line 2)")]
