"""Plain prose straight to the HTML Python-Markdown makes of it, about ten times faster.

Most articles are paragraphs, `## headings`, `- ` lists, `[links](https://…)` and pipe tables
of plain words. For such a body Python-Markdown spends most of its 0.7 ms building and walking
a tree that this module writes directly. Anything outside that small grammar (a character some
Markdown rule starts on, an indented line, a loose list, a title on a link…) returns None and
the body goes to the engine, so a body is either written here exactly as the engine writes it
or not at all. tests/test_markdown_engines.py checks that against Python-Markdown on bodies
made of editors' markup and of near misses of this grammar.
"""
from __future__ import annotations

import html as htmllib
import re

from cchc.core.legal import find_citations
from cchc.core.vietnamese import toc_slugify

# Text with none of the characters a Markdown rule (of Python-Markdown and its "extra"
# extensions) starts on: code, escapes, entities, emphasis, raw HTML, links, attribute lists,
# tables, headings, fences. Control characters include \r and \t (normalised by the engine);
# a line feed is allowed, since a paragraph or a link text may hold several lines.
_TEXT = r"[^\x00-\x09\x0b-\x1f\x7f`\\&*_<>\[\]{}|#~]"
_PLAIN = re.compile(_TEXT + r"*\Z")
_LINK = re.compile(r"\[(" + _TEXT + r"+)\]\((https?://[A-Za-z0-9./-]+)\)")
_HEADING = re.compile(r"(#{1,6}) (" + _TEXT + r"+)\Z")
_SEPARATOR = re.compile(r" *(:?)-+(:?) *\Z")
_ALIGN = {(":", ":"): ' style="text-align: center;"', (":", ""): ' style="text-align: left;"',
          ("", ":"): ' style="text-align: right;"', ("", ""): ""}


def render(body: str) -> str | None:
    """The body's HTML as Python-Markdown (with "extra", sane_lists, toc ids and citation marks)
    returns it, or None when the body holds anything but plain prose."""
    out: list[str] = []
    ids: set[str] = set()
    last: dict[str, int] = {}
    after_list = False
    for block in body.strip("\n").split("\n\n"):
        first = block[:1]
        if first == "#":
            m = _HEADING.match(block)
            if m is None or "\n" in block or m[2] != m[2].strip():
                return None
            n = len(m[1])
            out.append(f'<h{n} id="{heading_id(" ".join(m[2].split()), ids, last)}">{m[2]}</h{n}>')
        elif first == "|":
            table = _table(block)
            if table is None:
                return None
            out.append(table)
        elif block.startswith("- "):
            if after_list:            # a list after a blank line continues the last one (loose)
                return None
            items = []
            for line in block.split("\n"):
                text = _inline(line[2:]) if line[:2] == "- " and line[2:3].isalpha() else None
                if text is None:
                    return None
                items.append(f"<li>{text}</li>")
            out.append("<ul>\n" + "\n".join(items) + "\n</ul>")
        else:
            for line in block.split("\n"):
                if not line[:1].isalpha():   # indented, a list, a quote, a rule, a blank line…
                    return None
            text = _inline(block)
            if text is None:
                return None
            out.append(f"<p>{text}</p>")
        after_list = first == "-"
    return "\n".join(out)


def is_clean(html: str) -> bool:
    """True when the sanitiser (markup.sanitize) would give back these very bytes, so it need
    not run: prose.py writes only allowed tags and attributes (paragraphs, headings with ids,
    lists, http(s) links, tables, citation marks) around text without '&', '<' or '>'. What
    nh3 would rewrite: a no-break space (as &nbsp;) and an escaped apostrophe in an attribute
    (written bare). 0.05 ms a body saved; tests/test_markdown_engines.py compares the two on
    every body it makes."""
    return "\xa0" not in html and "&#x27;" not in html


def _inline(text: str) -> str | None:
    """Plain text and links, citations marked, or None. Lines must not end in spaces (a line
    break) and the text must not look like an image (![…])."""
    if " \n" in text or text.endswith(" ") or "![" in text:
        return None
    parts = _LINK.split(text) if "[" in text else [text]     # text, link text, URL, text, …
    out = []
    for i in range(0, len(parts), 3):
        if not _PLAIN.match(parts[i]):
            return None
        out.append(mark_citations(parts[i]))
        if i + 2 < len(parts):
            out.append(f'<a href="{parts[i + 2]}">{parts[i + 1]}</a>')
    return "".join(out)


def mark_citations(escaped: str) -> str:
    """Citation marks in a text node (HTML-escaped, as in an engine's output): one pass, as
    CitationMarker. Its second look at the text after each mark finds nothing new: the text
    after a citation never starts with a digit (legal._TEXT_SYMBOL, _DATE_AFTER)."""
    text = htmllib.unescape(escaped) if "&" in escaped else escaped
    found = find_citations(text)
    if not found:
        return escaped
    out, at = [], 0
    for c in found:
        out += [htmllib.escape(text[at:c.start], quote=False), _mark_tag(c),
                htmllib.escape(text[c.start:c.end], quote=False), "</a>"]
        at = c.end
    out.append(htmllib.escape(text[at:], quote=False))
    return "".join(out)


def citation_mark(c) -> dict[str, str]:
    """The attributes of a citation mark, in the order links.CITE reads them (every engine)."""
    mark = {"data-cite": c.symbol.key}
    if c.date:
        mark["data-cite-date"] = c.date.isoformat()
    if c.type_name:
        mark["data-cite-type"] = c.type_name
    return mark


def _mark_tag(c) -> str:
    """The opening <a> of a citation mark."""
    return "<a" + "".join(f' {k}="{htmllib.escape(v)}"' for k, v in citation_mark(c).items()) + ">"


def heading_id(text: str, used: set[str], last: dict[str, int]) -> str:
    """The id toc gives a heading of this text: slugified, then made unique as toc's unique()
    does (x, x_1, x_2; a slug has no '_' of its own), remembering each slug's last suffix so a
    thousand equal headings cost linear time."""
    slug = toc_slugify(text)
    if slug in used:
        n = last.get(slug, 0) + 1
        while f"{slug}_{n}" in used:
            n += 1
        last[slug] = n
        slug = f"{slug}_{n}"
    used.add(slug)
    return slug


def _table(block: str) -> str | None:
    """A pipe table whose every row is |cell|cell| with the same number of cells, or None."""
    rows = []
    for line in block.split("\n"):
        if len(line) < 2 or line[0] != "|" or line[-1] != "|":
            return None
        rows.append(line[1:-1].split("|"))
    if len(rows) < 3 or len(rows[0]) < 2 or any(len(r) != len(rows[0]) for r in rows):
        return None
    align = []
    for cell in rows[1]:
        m = _SEPARATOR.match(cell)
        if m is None:
            return None
        align.append(_ALIGN[m[1], m[2]])
    html = ["<table>\n<thead>\n<tr>"]
    for n, row in enumerate([rows[0]] + rows[2:]):
        if n == 1:
            html.append("</thead>\n<tbody>\n<tr>")
        elif n > 1:
            html.append("<tr>")
        tag = "th" if n == 0 else "td"
        for cell, style in zip(row, align):
            text = _inline(cell.strip(" "))
            if text is None:
                return None
            html.append(f"<{tag}{style}>{text}</{tag}>")
        html.append("</tr>")
    html.append("</tbody>\n</table>")
    return "\n".join(html)
