"""The usual front matter, read without PyYAML's constructor; anything else goes to PyYAML.

Almost every front matter is a handful of one-line `key: value` lines. yaml.load reads them with
the C parser but builds the values in Python: 48 µs of the 145 µs it took to read one content
file, 12,000 files a build. read_simple reads those lines itself and gives the very dict yaml.load
gives (same keys, order, values and types), or None at the first line it does not fully
understand: then content.parse_front_matter asks PyYAML, which also words every error. Measured
on the benchmark corpus (all of whose front matters it reads): parse_front_matter 52 -> 19 µs a file.

It never decides what a plain scalar is: PyYAML's resolver names the type (`yes` is a bool,
`010` an octal int, `2021-02-31` a timestamp) and PyYAML's own constructors build the value.
"""
from __future__ import annotations

import re
from functools import lru_cache

import yaml
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from cchc.core.messages import Message, _

_KEY_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_]{0,99}):(?: +(.*))?")   # 'key:' or 'key: value'
_QUOTED = re.compile(r'"([^"\\]*)" *')                                  # "text", no escapes, spaces after
# one item of a flow list, then ',' or ']': "text", or plain words without flow or quote characters
_ITEM = re.compile(r' *(?:"([^"\\]*)"|([^ ,\[\]{}#:"\']+(?: +[^ ,\[\]{}#:"\']+)*)) *([,\]])')
_EMPTY_LIST = re.compile(r"\[ *\]")
# Anything but '\n' and the characters PyYAML reads as printable text: tabs, '\r', NEL, U+2028,
# U+2029 (line breaks to YAML), a BOM and control characters all go to PyYAML.
_ODD = re.compile("[^\n -~\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
_INDICATORS = "-?:,[]{}#&*!|>'\"%@`"
_NO = object()   # not understood: the whole front matter goes to PyYAML

try:  # the C loader is ~10x faster on front matter (see benchmarks/README.md)
    Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - pure-Python PyYAML
    Loader = yaml.SafeLoader

_resolve = Resolver().resolve
_constructor = SafeConstructor()


def timestamp(node: yaml.ScalarNode):
    """A YAML timestamp, except that an impossible date (2021-02-31) stays text: the date check
    then reports it on its line, where PyYAML alone raises a bare ValueError. content's loader
    uses it too."""
    try:
        return _constructor.construct_yaml_timestamp(node)
    except ValueError:
        return node.value


_BUILD = {
    "tag:yaml.org,2002:bool": _constructor.construct_yaml_bool,
    "tag:yaml.org,2002:int": _constructor.construct_yaml_int,
    "tag:yaml.org,2002:float": _constructor.construct_yaml_float,
    "tag:yaml.org,2002:null": _constructor.construct_yaml_null,
    "tag:yaml.org,2002:timestamp": timestamp,
}
_STR = "tag:yaml.org,2002:str"


@lru_cache(maxsize=4096)   # keys and tags repeat from file to file
def _is_text(plain: str) -> bool:
    """Whether PyYAML reads this plain scalar as text (`yes`, `null`, `12` are not)."""
    return _resolve(yaml.ScalarNode, plain, (True, False)) == _STR


def read_simple(fm: str) -> dict | None:
    """yaml.load(fm, Loader=content._FrontMatterLoader) for lines of `key: value` (the value a
    "double-quoted" text without escapes, a one-line plain scalar, a one-line [flow, list] of
    texts, or nothing) and blank lines; None for any other front matter."""
    if _ODD.search(fm):
        return None
    data: dict = {}
    for line in fm.split("\n"):
        m = _KEY_LINE.fullmatch(line)
        if m is None:
            if line.strip(" "):
                return None
            continue
        key, value = m.groups()
        if not _is_text(key):
            return None
        value = _value(value.strip(" ")) if value else None
        if value is _NO:
            return None
        data[key] = value
    return data or None


def _value(text: str):
    if not text:
        return None
    if text[0] == '"':
        m = _QUOTED.fullmatch(text)
        return m.group(1) if m else _NO
    if text[0] == "[":
        return _flow_list(text)
    if text[0] in _INDICATORS or ": " in text or " #" in text or text.endswith(":"):
        return _NO
    tag = _resolve(yaml.ScalarNode, text, (True, False))
    if tag == _STR:
        return text
    build = _BUILD.get(tag)
    if build is None:
        return _NO
    try:
        return build(yaml.ScalarNode("", text))
    except Exception:   # e.g. an int of 5000 digits: PyYAML raises it again, as before
        return _NO


def _flow_list(text: str):
    if _EMPTY_LIST.fullmatch(text):
        return []
    items, at, end = [], 1, ","
    while end == ",":
        m = _ITEM.match(text, at)
        if m is None:
            return _NO
        quoted, plain, end = m.groups()
        if plain is not None and (plain[0] in _INDICATORS or not _is_text(plain)):
            return _NO
        items.append(plain if quoted is None else quoted)
        at = m.end()
    return items if at == len(text) else _NO


def first_alias(text: str) -> int | None:
    """Line (1-based) of the first YAML alias, if any. Aliases are refused: a few lines of them
    (a "billion laughs") expand to billions of items when the values are walked, taking minutes
    and gigabytes; and a problem in an aliased value would be reported on the anchor's line."""
    if "&" not in text or "*" not in text:   # an alias needs an anchor to refer to
        return None
    try:
        for event in yaml.parse(text, Loader=Loader):
            if isinstance(event, yaml.AliasEvent):
                return event.start_mark.line + 1
    except yaml.YAMLError:
        return None   # the loader reports the syntax error with its line
    return None


def nesting_line(text: str, deepest: int = 50) -> int:
    """The line where flow brackets ('[', '{') first nest deeper than anyone writes them: where a
    file PyYAML gave up on (RecursionError: it composes nested values by recursion) goes wrong."""
    depth = 0
    for i, line in enumerate(text.split("\n"), start=1):
        depth += line.count("[") + line.count("{") - line.count("]") - line.count("}")
        if depth > deepest:
            return i
    return 1


_QUOTE_IT = _("put the value in double quotes")
_YAML_EXPLAINED = (
    ("mapping values are not allowed", _("a colon ':' inside a value"),
     _('put the whole value in double quotes, e.g. title: "Kế hoạch: năm 2021"')),
    ("found character '\\t'", _("a tab character"), _("indent with spaces")),
    ("tab character", _("a tab character"), _("indent with spaces")),
    ("could not find expected ':'", _("a line that is not 'key: value'"), _("write each line as 'key: value'")),
    ("found undefined alias", _("a '*' at the start of a value"), _QUOTE_IT),
    ("found unexpected end of stream", _("a quote that is never closed"), _("close the quotes on this line")),
    ("could not determine a constructor", _("a value starting with '!'"), _QUOTE_IT),
    ("cannot start any token", _("a tab, or a value starting with a character YAML reserves (@, ` or %)"),
     _("indent with spaces, and put the value in double quotes if it starts with @, ` or %")),
    ("escape", _("a backslash '\\' inside double quotes"),
     _("write / instead of \\, or put the value in single quotes")),
    ("expected <block end>", _("this line is not indented like the lines above it"),
     _("indent the line with the same number of spaces as the others")),
)


def explain_yaml(problem: str) -> tuple[Message, Message]:
    """PyYAML's wording means little to an editor; name the usual slips in plain words, and keep
    PyYAML's own words beside a plain explanation for the rest."""
    for needle, what, hint in _YAML_EXPLAINED:
        if needle in problem:
            return what, hint
    # TRANSLATORS: {problem} is PyYAML's English description of a syntax error; say in plain
    # words that the line breaks the front matter's writing rules, and keep {problem} beside it.
    return (_("{problem}", problem=problem), _("check the indentation, colons and quotes on this line"))
