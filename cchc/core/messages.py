"""Messages for people, in the editor's language: Vietnamese by default, English on request.

How to write one (every line the tool prints for people goes through here):

    from cchc.core.messages import _
    problems.error(rel, line, _('unknown category "{key}"', key=key), _("use one of: {keys}", keys=known))
    print(_("Built {pages} pages in {seconds} s.", pages=n, seconds=f"{t:.2f}"))

- The text is English, with named `{placeholders}` (str.format syntax; a literal brace is `{{`).
  Pass values by name; never build the text with an f-string or `+`: the catalogue holds the
  text as written in `_()`, and a translator must see the whole sentence. A value may itself
  be a Message (a reason inside a sentence); a list or tuple is shown joined by ", ".
- `_()` returns a Message: the English text and the values, nothing translated yet. Problems
  are made in worker processes and kept in the build cache on disk, and one build may be
  printed in either language, so a Message is translated only by `str()` (at print time), and
  compares, hashes and pickles by its text and values.
- Then give it its Vietnamese text (tests/test_messages.py fails until you do), as README.md,
  "Translating messages", says: extract, update, write the msgstr in
  cchc/locale/vi/LC_MESSAGES/cchc.po, compile. If a rebase conflicts in the .mo, compile again.

The language: `--lang en` (cli.py) or CCHC_LANG=en; else Vietnamese. The runtime needs only the
standard library's gettext reading the compiled .mo (Babel is a tool for the catalogue only).
"""
from __future__ import annotations

import gettext as _gettext
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "cchc"
LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
ENVIRONMENT = "CCHC_LANG"

_chosen: str | None = None     # set_language(); None: the environment decides


def set_language(language: str | None) -> str:
    """Choose the language of every later str(message); None: back to CCHC_LANG or Vietnamese.
    Raises ValueError for a language without a catalogue."""
    global _chosen
    if language is not None and language not in LANGUAGES:
        raise ValueError(language)
    _chosen = language
    return current_language()


def current_language() -> str:
    if _chosen is not None:
        return _chosen
    wanted = os.environ.get(ENVIRONMENT, "").strip().lower()[:2]
    return wanted if wanted in LANGUAGES else DEFAULT_LANGUAGE


@lru_cache(maxsize=None)
def _catalogue(language: str) -> _gettext.NullTranslations:
    if language == "en":      # the msgids are the English text
        return _gettext.NullTranslations()
    return _gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)


def gettext(text: str) -> str:
    """One fixed text in the current language (for argparse's own words; see cli.py)."""
    return _catalogue(current_language()).gettext(text)


# Line breaks and control characters a value may carry (a file name, a pasted title, a YAML
# error): shown escaped, so one problem stays one line and nothing steers the terminal.
_UNPRINTABLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029]")
_ESCAPES = {"\n": "\\n", "\r": "\\r"}


def one_line(text: str) -> str:
    return _UNPRINTABLE.sub(lambda m: _ESCAPES.get(m.group(), f"\\x{ord(m.group()):02x}"), text)


@dataclass(frozen=True)
class Message:
    """A text for people and its values, translated when shown (str())."""
    msgid: str
    params: tuple[tuple[str, object], ...] = ()

    def __str__(self) -> str:
        values = {name: _shown(value) for name, value in self.params}
        try:
            return gettext(self.msgid).format_map(values)
        except (KeyError, IndexError, ValueError):   # a broken translation: the English still says it
            return self.msgid.format_map(values)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __bool__(self) -> bool:
        return bool(self.msgid)


@dataclass(frozen=True)
class Decimal:
    """A number with decimals, written as the language writes it: 1,25 in Vietnamese, 1.25 in English."""
    value: float
    digits: int = 2

    def __str__(self) -> str:
        text = f"{self.value:.{self.digits}f}"
        return text.replace(".", ",") if current_language() == "vi" else text


def _(msgid: str, /, **params) -> Message:
    """Mark a text for the catalogue and bind its values (see the module's docstring)."""
    return Message(msgid, tuple((name, _frozen(value)) for name, value in sorted(params.items())))


def _frozen(value):
    """Values as they will be shown, in hashable and picklable form."""
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return tuple(_frozen(v) for v in items)
    if isinstance(value, (Message, Decimal, str, int, float)) or value is None:
        return value
    return str(value)


def _shown(value) -> str:
    if isinstance(value, tuple):
        return ", ".join(_shown(v) for v in value)
    return one_line(str(value))

