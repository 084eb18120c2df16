"""mammoth's semantic HTML -> the Markdown an editor would have typed.

markdownify does the inline work (emphasis, links, escaping, whitespace); this subclass writes
what our engines read: `##` headings one level below the article's title, `-` bullets with
sub-lists indented by 4 spaces (Python-Markdown needs 4), pipe tables with merged cells split,
footnotes as `[^1]`, and paragraphs that Word numbered ("1.", "a)", see numbering.py) kept as
typed: consecutive "1. …" or "- …" paragraphs become one tight list.

Every text is cleaned of what Word leaves behind: soft hyphens, zero-width and control
characters (U+0007, the cell mark of old .doc files), no-break spaces, then made NFC.
Problems found on the way are recorded with a marker in the text, so that the caller can
tell the editor the line of the finished article where each one is.
"""
from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from bs4 import BeautifulSoup, NavigableString
from markdownify import MarkdownConverter

from cchc.core.messages import Message, _

# Characters Word files carry that have no business in web text. U+00A0 becomes a plain space
# (Word puts no-break spaces anywhere, and our prose writer refuses them); tabs too.
_DROP = dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, 0xAD, 0x200B, 0x200C,
                       0x200D, 0x2060, 0xFEFF])
_DROP.update({0x09: " ", 0xA0: " ", 0x202F: " ", 0x2007: " ", 0x0D: "\n"})
MARK = re.compile("\ue000(\\d+)\ue001")
_CELL_BREAK = "\ue002"
_FOOTNOTE = re.compile(r"^#?(foot|end)note-(?:ref-)?(\d+)$")
_ORDERED = re.compile(r"^(\d{1,9})\. ")
_BULLET = re.compile(r"^([-+]) ")
TITLE_CLASS = "cchc-title"


def clean_text(text: str) -> str:
    """Word's leftovers out, NFC in: what every converted text goes through."""
    return unicodedata.normalize("NFC", text.translate(_DROP))


class Notes:
    """Problems for the editor, each tied to a marker placed in the Markdown where it applies."""

    def __init__(self):
        self.items: list[tuple[Message, Message]] = []

    def mark(self, message: Message, hint: Message) -> str:
        self.items.append((message, hint))
        return f"\ue000{len(self.items) - 1}\ue001"

    def locate(self, markdown: str, first_line: int = 1) -> tuple[str, list[tuple[int, Message, Message]]]:
        """(the Markdown without markers, [(line, message, hint)]) with lines counted from first_line."""
        found = []
        lines = markdown.split("\n")
        for n, line in enumerate(lines):
            for m in MARK.finditer(line):
                message, hint = self.items[int(m.group(1))]
                found.append((first_line + n, message, hint))
            lines[n] = MARK.sub("", line)
        return "\n".join(lines), found


class ArticleMarkdown(MarkdownConverter):
    """markdownify, writing what cchc's engines read the way the HUONG-DAN shows editors."""

    def __init__(self, notes: Notes, footnotes: dict[str, str]):
        super().__init__(heading_style="atx", bullets="-", strong_em_symbol="*", escape_misc=False,
                         autolinks=False, keep_inline_images_in=["td", "th"])
        self.notes = notes
        self.footnotes = footnotes          # mammoth's id ("footnote-1") -> our label ("1")
        self.tables = 0

    # --- text and blocks ---------------------------------------------------------------

    def escape(self, text, parent_tags):
        text = super().escape(text, parent_tags)
        return re.sub(r"<(?=[A-Za-z/!?])", "&lt;", text)   # "<tên>" is text, not a tag the sanitiser drops

    def convert_p(self, el, text, parent_tags):
        text = text.strip(" \t\r\n")
        if not text:
            return ""
        if {"td", "th"} & parent_tags:
            return text + _CELL_BREAK
        if "_inline" in parent_tags:
            return " " + text + " "
        if text[0] in "#>=|":
            text = "\\" + text              # a paragraph, not a heading, a quote or a table
        text = re.sub(r"^(\d{1,9})\) ", r"\1\\) ", text)   # "1) …": cmark would make it a list "1."
        return f"\n\n{text}\n\n"

    def convert_br(self, el, text, parent_tags):
        if {"td", "th"} & parent_tags:
            return _CELL_BREAK
        if "_inline" in parent_tags or "li" in parent_tags:
            return " "
        return "\n\n"                       # Shift+Enter: a line of its own

    def convert_hN(self, n, el, text, parent_tags):
        # The title is the page's <h1>: Word's Heading 1 becomes ##.
        text = " ".join(text.split())
        if not text or "_inline" in parent_tags:
            return text
        return f"\n\n{'#' * min(6, n + 1)} {text}\n\n"

    def convert_a(self, el, text, parent_tags):
        href = el.get("href") or ""
        if href.startswith("#") or not href:   # bookmarks, a table of contents: only their text
            return text
        el["href"] = quote(href, safe=":/?#[]@!$&'*+,;=%~")
        return super().convert_a(el, text, parent_tags)

    def convert_sup(self, el, text, parent_tags):
        link = el.find("a")
        m = _FOOTNOTE.match(link.get("href", "")) if link is not None else None
        if m and f"{m.group(1)}note-{m.group(2)}" in self.footnotes:
            return f"[^{self.footnotes[m.group(1) + 'note-' + m.group(2)]}]"
        return text

    def convert_img(self, el, text, parent_tags):
        if not el.get("src"):               # a picture left out: only its note's marker stays
            return el.get("alt", "")
        alt = re.sub(r"([\[\]\\])", r"\\\1", " ".join((el.get("alt") or "").split()))
        return f"![{alt}]({el.get('src', '')})"

    # --- lists ---------------------------------------------------------------------------

    def convert_li(self, el, text, parent_tags):
        text = (text or "").strip()
        if not text:
            return ""
        if {"td", "th"} & parent_tags:
            return "- " + text + _CELL_BREAK
        parent = el.parent
        if parent is not None and parent.name == "ol":
            start = int(parent["start"]) if str(parent.get("start", "")).isdigit() else 1
            bullet = f"{start + len(el.find_previous_siblings('li'))}. "
        else:
            bullet = "- "
        lines = text.split("\n")
        return bullet + "\n".join([lines[0]] + [("    " + line) if line else "" for line in lines[1:]]) + "\n"

    def convert_list(self, el, text, parent_tags):
        if {"td", "th"} & parent_tags:
            return text
        if "li" in parent_tags:
            return "\n" + text.rstrip()
        return "\n\n" + text + "\n"

    convert_ul = convert_list
    convert_ol = convert_list

    # --- tables --------------------------------------------------------------------------

    def convert_table(self, el, text, parent_tags):
        if {"td", "th"} & parent_tags:       # a table in a cell: its text, row by row
            return " ".join(text.split())
        self.tables += 1
        grid: dict[tuple[int, int], str] = {}
        merged = False
        rows = [tr for tr in el.find_all("tr") if tr.find_parent("table") is el]
        for r, tr in enumerate(rows):
            c = 0
            for cell in tr.find_all(["td", "th"], recursive=False):
                while (r, c) in grid:
                    c += 1
                span = _span(cell.get("colspan")), _span(cell.get("rowspan"))
                merged = merged or span != (1, 1)
                grid[(r, c)] = self._cell(cell, parent_tags)
                for dr in range(span[1]):
                    for dc in range(span[0]):
                        grid.setdefault((r + dr, c + dc), "")
                c += span[0]
        if not grid:
            return ""
        width = max(c for _r, c in grid) + 1
        height = max(r for r, _c in grid) + 1
        table = [[grid.get((r, c), "") for c in range(width)] for r in range(height)]
        table = [row for row in table if any(row)] or table[:1]
        lines = ["| " + " | ".join(row) + " |" for row in table]
        lines.insert(1, "|" + "---|" * width)
        if merged:
            lines[0] = self.notes.mark(
                _("table {n} had merged cells; they were split, the text kept in the first cell", n=self.tables),
                _("check the table against the Word file")) + lines[0]
        return "\n\n" + "\n".join(lines) + "\n\n"

    def _cell(self, cell, parent_tags) -> str:
        text = self.process_tag(cell, parent_tags | {"table", "tr", "_inline", cell.name})
        parts = [" ".join(part.split()) for part in text.split(_CELL_BREAK)]
        return "<br>".join(p for p in parts if p).replace("|", "\\|")

    def convert_td(self, el, text, parent_tags):
        return text

    convert_th = convert_td

    def convert_tr(self, el, text, parent_tags):
        return text


def _span(value) -> int:
    return max(1, min(100, int(value))) if str(value or "").isdigit() else 1


def _tight_lists(markdown: str) -> str:
    """Paragraphs typed (or numbered by Word) as "1. …", "- …" or "+ …", one after another,
    become one tight list: no blank line between items, so no <p> inside each <li>."""
    blocks = markdown.split("\n\n")
    out: list[str] = []
    for block in blocks:
        if out and "\n" not in block and "\n" not in out[-1].split("\n")[-1]:
            prev = out[-1].split("\n")[-1]
            a, b = _ORDERED.match(prev), _ORDERED.match(block)
            if a and b and int(b.group(1)) == int(a.group(1)) + 1:
                out[-1] += "\n" + block
                continue
            a, b = _BULLET.match(prev), _BULLET.match(block)
            if a and b and a.group(1) == b.group(1):
                out[-1] += "\n" + block
                continue
        out.append(block)
    return "\n\n".join(out)


def html_to_markdown(html: str, notes: Notes) -> tuple[str, str]:
    """(title, Markdown body) from mammoth's HTML: the Title paragraph, else the first text."""
    soup = BeautifulSoup(clean_text(html), "html.parser")
    title = _take_title(soup)
    footnotes = _take_footnotes(soup)
    converter = ArticleMarkdown(notes, {key: label for key, (label, _note) in footnotes.items()})
    body = converter.convert_soup(soup)
    if footnotes:
        body += "\n\n" + "\n".join(f"[^{label}]: " + _indent(converter.convert_soup(note))
                                   for label, note in footnotes.values())
    body = re.sub(r"[ \t]+\n", "\n", body)
    body = re.sub(r"\n{3,}", "\n\n", _tight_lists(body.strip("\n"))).strip("\n")
    return title, body + "\n" if body else ""


def _indent(text: str) -> str:
    return re.sub(r"\n(?=.)", "\n    ", text.strip())


def _take_title(soup) -> str:
    """Remove and return the title: the paragraph in Word's Title style, else the first
    paragraph or heading with text (up to its first line break)."""
    found = soup.find(class_=TITLE_CLASS)
    if found is None:
        found = next((el for el in soup.find_all(["p", "h1", "h2", "h3", "h4", "h5", "h6"])
                      if el.get_text(strip=True) and el.find_parent(["table", "li"]) is None), None)
    if found is None:
        return ""
    for sup in found.find_all("sup"):
        sup.decompose()
    br = found.find("br")
    if br is not None and found.get_text(strip=True) and found.name == "p":
        first = []
        for node in list(found.children):
            if node is br:
                break
            first.append(node.extract() if isinstance(node, NavigableString) else node.extract())
        br.extract()
        title = " ".join("".join(n.get_text() if hasattr(n, "get_text") else str(n) for n in first).split())
        if not found.get_text(strip=True):
            found.decompose()
        return title
    title = " ".join(found.get_text().split())
    found.decompose()
    return title


def _take_footnotes(soup) -> dict[str, tuple[str, object]]:
    """mammoth's footnotes and endnotes (an <ol> of <li id="footnote-1">), taken out of the
    body, numbered 1, 2, … in the order the text refers to them."""
    notes = {li["id"]: li for li in soup.find_all("li", id=_FOOTNOTE)}
    if not notes:
        return {}
    order = []
    for a in soup.find_all("a", href=_FOOTNOTE):
        key = a["href"][1:]
        if key in notes and key not in order and "ref" not in key:
            order.append(key)
    out = {}
    for n, key in enumerate(order, start=1):
        li = notes[key]
        for back in li.find_all("a", href=_FOOTNOTE):
            back.decompose()
        li.name = "div"                     # its paragraphs, not a list item
        out[key] = (str(n), li)
    parents = {id(li.parent): li.parent for li in notes.values() if li.parent is not None}
    for li in notes.values():
        li.extract()
        li.name = "div"
    for parent in parents.values():
        if parent.name in ("ol", "ul") and not parent.find(True):
            parent.decompose()
    return out
