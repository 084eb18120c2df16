"""What a body may hold before Python-Markdown's time or stack runs away: checked before rendering,
so the editor learns the line (content.read_entry reports it)."""
from __future__ import annotations

import re

from cchc.core.messages import Message, _

# Limits past which Python-Markdown recurses too deep or slows down quadratically (measured:
# 500 nested list levels overflow the stack; 20,000 links in one paragraph take 7 s, 100,000
# several minutes). No real article comes near them; a pasted or generated page can.
MAX_NESTING = 100                   # '>' quote markers, or columns of indentation / 2, on one line
MAX_BRACKETS = 2000                 # '[' (links, images) in one paragraph
# Runs of '*' or '_' (emphasis marks) in one paragraph: Python-Markdown's emphasis keeps state from
# one match to the next, so each match rebuilds the paragraph's text (markdown/inline.py cannot take
# it over): 16,000 in one paragraph took 17 s. Blanks in a form ("Họ và tên: ______") are one run each.
MAX_EMPHASIS = 2000

_NESTING = re.compile(rf"^(?:[ \t>]|[-*+][ \t]|\d{{1,9}}[.)][ \t]){{{MAX_NESTING},}}", re.M)
# Every piece _NESTING counts is one or more of these characters: without a line starting with
# MAX_NESTING of them, nothing is nested that deep. (A literal '\n' first: a fast search.)
_DEEP_START = re.compile(rf"\n[ \t>*+\-\d.)]{{{MAX_NESTING}}}")


def body_limit(body: str) -> tuple[int, Message, Message] | None:
    """(line in the body, message, hint) when the body is past what Markdown handles in bounded
    time and stack, else None. Checked before rendering, so the editor learns where.
    Quick looks first (a tenth of the time): too many '[' or '*'/'_' in a paragraph need that
    many in the body, and a nesting this deep needs as many marker characters at a line's start."""
    if body.count("[") > MAX_BRACKETS or body.count("*") + body.count("_") > MAX_EMPHASIS:
        found = _crowded(body)
        if found:
            return found
    if _DEEP_START.search("\n" + body) is None:
        return None
    for m in _NESTING.finditer(body):
        lead = m.group()
        depth = max(lead.count(">"), len(lead.expandtabs(4)) // 2)
        if depth > MAX_NESTING:
            return (body.count("\n", 0, m.start()) + 1,
                    _("the text is nested {depth} levels deep (quotes, lists or indentation), more than {limit}",
                      depth=depth, limit=MAX_NESTING),
                    _("remove the extra '>', '-' or spaces at the start of the line"))
    return None


# A run of '*' or '_' that is not backslash-escaped (an even number of backslashes before it).
_EMPHASIS_RUN = re.compile(r"(?<!\\)(?:\\\\)*[*_]+")


def _crowded(body: str) -> tuple[int, Message, Message] | None:
    """The first paragraph with more '[' or emphasis marks than Python-Markdown reads in bounded time."""
    offset = 0
    for block in body.split("\n\n"):
        at = offset + 1 + len(block) - len(block.lstrip("\n"))     # the paragraph's first line
        brackets = block.count("[")
        if brackets > MAX_BRACKETS:
            return (at, _("this paragraph has {count} '[' (links or brackets), more than {limit}",
                                  count=brackets, limit=MAX_BRACKETS),
                    _("split it into several paragraphs with blank lines"))
        if block.count("*") + block.count("_") > MAX_EMPHASIS:
            runs = sum(1 for _m in _EMPHASIS_RUN.finditer(block))
            if runs > MAX_EMPHASIS:
                return (at, _("this paragraph has {count} emphasis marks ('*' or '_'), more than {limit}",
                                      count=runs, limit=MAX_EMPHASIS),
                        _("split it into several paragraphs with blank lines"))
        offset += block.count("\n") + 2
    return None
