"""Markdown body -> HTML fragment: Vietnamese heading anchors, citation marks, safe raw HTML.

The result depends only on the body text and the markdown settings, never on other files,
so it can be cached by content hash and computed in parallel. Everything that depends on
the rest of the site (which document a citation means, where a link to another .md file
points, the page the fragment lands on) is left as marks that `links.py` resolves later:
citations become <a data-cite="KEY" data-cite-date="YYYY-MM-DD">…</a>.

Two engines give that same result: Python-Markdown (the default, named by the client; a body of
plain prose is written by prose.py exactly as Python-Markdown would write it, in a seventh of the
time) and cmark-gfm (CommonMark + GitHub's tables, strikethrough, autolinks and footnotes, in C:
~0.2 ms a body, marks and sanitising included, where Python-Markdown takes ~0.7 ms on a body with
other markup), chosen in site.yaml with `markdown: {engine: commonmark}`.
"""
from __future__ import annotations

import ctypes
import functools
import html as htmllib
import re
import xml.etree.ElementTree as etree
from importlib.metadata import version
from urllib.parse import quote

import cmarkgfm
import markdown
import nh3
from cmarkgfm import _cmark
from markdown.extensions import Extension
from markdown.extensions.toc import TocExtension, TocTreeprocessor
from markdown.treeprocessors import Treeprocessor

from cchc.core.config import MarkdownSettings
from cchc.core.fingerprint import source_digest
from cchc.markdown import inline, prose, sanitize
from cchc.core.legal import find_citations
from cchc.markdown.prose import citation_mark, heading_id, mark_citations
from cchc.core.vietnamese import toc_slugify

def _code_digest() -> str:
    """Hash of the code that shapes a rendered body (this module, prose, citations, slugs), so a
    cached body never outlives a change of the engine."""
    import sys
    from cchc.core import vietnamese
    from cchc.core.legal import citations, numbers
    return source_digest(sys.modules[__name__], inline, prose, sanitize, citations, numbers, vietnamese)[:16]


ENGINE_MARKDOWN = (f"markdown-{markdown.__version__}/cmarkgfm-{version('cmarkgfm')}/"
                   f"nh3-{getattr(nh3, '__version__', '?')}/{_code_digest()}")

_SKIP_TAGS = {"code", "pre", "a", "h1", "h2", "h3", "h4", "h5", "h6", "script", "style"}


class CitationMarker(Treeprocessor):
    """Wrap each citation of a legal document found in running text in a data-cite mark.

    Code, existing links and headings are left alone: a number in a heading or a code
    sample is not a reference, and a link must not be nested in a link.
    """

    def run(self, root: etree.Element) -> None:
        self._walk(root)

    def _walk(self, parent: etree.Element) -> None:
        for child in list(parent):
            if child.tag not in _SKIP_TAGS:
                self._walk(child)
        # text before the first child
        if parent.tag not in _SKIP_TAGS and parent.text and "/" in parent.text:
            marks = self._split(parent.text)
            if marks:
                parent.text = marks[0]
                for i, node in enumerate(marks[1]):
                    parent.insert(i, node)
        for child in list(parent):
            if child.tail and "/" in child.tail and parent.tag not in _SKIP_TAGS:
                marks = self._split(child.tail)
                if marks:
                    child.tail = marks[0]
                    at = list(parent).index(child) + 1
                    for i, node in enumerate(marks[1]):
                        parent.insert(at + i, node)

    def _split(self, text: str):
        found = find_citations(text)
        if not found:
            return None
        nodes = []
        head = text[:found[0].start]
        for i, c in enumerate(found):
            a = etree.Element("a", citation_mark(c))
            a.text = text[c.start:c.end]
            following = found[i + 1].start if i + 1 < len(found) else len(text)
            a.tail = text[c.end:following]
            nodes.append(a)
        return head, nodes


class CitationExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # After inline patterns (priority 20), so text nodes are final and links exist.
        md.treeprocessors.register(CitationMarker(md), "cchc-citations", 5)


# Tags and attributes Markdown produces, plus what editors reasonably paste from Word/portal
# pages. Anything else (script, style, form, object, event handlers, javascript: URLs) goes.
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del",
    "details", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong",
    "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul", "iframe",
}
ALLOWED_ATTRIBUTES = {
    "*": {"id", "title", "lang", "class"},
    "a": {"href", "data-cite", "data-cite-date", "data-cite-type"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "align", "style"}, "th": {"colspan", "rowspan", "align", "scope", "style"},
    "ol": {"start"}, "abbr": {"title"}, "col": {"span"},
    "iframe": {"src", "width", "height", "title", "allowfullscreen"},
}


# The one style a cell keeps: its column's alignment (`|:--|`, `|--:|`, `|:-:|` in Markdown).
_ALIGNMENT = re.compile(r"text-align: (?:left|center|right);?")
# nh3 writes every attribute as name="value" with quotes escaped inside, so this cannot be fooled.
_IFRAME_WITHOUT_SRC = re.compile(r'<iframe(?![^>]*\ssrc=")[^>]*>.*?</iframe>', re.S)
# What a body too deeply nested for Python-Markdown becomes; links.py reports it as an error.
TOO_DEEP = '<p data-cchc-error="too-deep"></p>'
# What a body Python-Markdown fails on becomes (e.g. a pasted <div class="footnote" markdown="1">
# holding a list raises a ValueError in its footnotes extension); links.py reports it as an error.
ENGINE_FAILED = '<p data-cchc-error="engine"></p>'
# What a body too long for Python-Markdown becomes; links.py reports it as an error. Its pace is
# linear (markdown/inline.py) but slow: ~2 s a MB of markup-heavy text on the build machine, and a
# 20 MB article took 430 s and 2 GB before the inline pass was linear. cmark reads it in a second.
TOO_LONG = '<p data-cchc-error="too-long"></p>'
MAX_MARKUP_BODY = 2 * 2**20     # characters of a body that is not plain prose (prose.py reads any)


class _Allocator(ctypes.Structure):
    _fields_ = [("calloc", ctypes.c_void_p), ("realloc", ctypes.c_void_p),
                ("free", ctypes.CFUNCTYPE(None, ctypes.c_void_p))]


def _cmark_free():
    """(free a parsed tree, free rendered HTML), or None.

    cmarkgfm's binding frees neither: ~25 KB lost per body, gigabytes over a large site in the
    long-lived worker processes. The C library in its extension module exports the functions
    that do (checked in the 2025.10.22 wheels for Linux and Windows). Should a build not export
    them, bodies leak as with cmarkgfm's own functions, bounded by what one process renders.
    """
    try:
        lib = ctypes.CDLL(_cmark.__file__)
        node_free = lib.cmark_node_free
        node_free.argtypes, node_free.restype = [ctypes.c_void_p], None
        default_allocator = lib.cmark_get_default_mem_allocator
        default_allocator.restype = ctypes.POINTER(_Allocator)
        return node_free, default_allocator().contents.free
    except (OSError, AttributeError):
        return None


_FREE = _cmark_free()
# A '<' that starts an autolink (CommonMark spec 6.5): kept when raw HTML is escaped.
_AUTOLINK = re.compile(r"<(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\x00-\x20<>]*|[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+"
                       r"@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*)>")
_PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
# Tags that open or close a place where citations are not looked for (as CitationMarker), and
# comments, whose text is not text. An unclosed comment runs to the end once: linear.
_SKIPPED = re.compile(r"<!--.*?(?:-->|\Z)|<(/?)(" + "|".join(sorted(_SKIP_TAGS)) + r")(?=[\s/>])[^<>]*>",
                      re.S | re.I)
_ANY_TAG = re.compile(r"(<!--.*?(?:-->|\Z)|</?[A-Za-z][^<>]*>|<[!?][^<>]*>)", re.S)
_FOOTNOTE_REF = re.compile(r'<sup class="footnote-ref">.*?</sup>', re.S)
_FOOTNOTE_ID = re.compile(r'id="(fn(?:ref)?-[^"]*)"')


# What cmark-gfm's autolink extension turns into a link (www., scheme://, an e-mail address),
# looked for once the targets of [text](https://…) links are taken out; a column's alignment
# (:-- or --:), which cmark writes without Python-Markdown's ';'; a no-break space, which
# prose.is_clean refuses.
_NOT_FOR_PROSE = re.compile("www\\.|://|@|:-|-:|\xa0")
_LINK_TARGET = re.compile(r"\]\(https?://[A-Za-z0-9./-]+\)")


class CommonMark:
    """cmark-gfm: CommonMark with GitHub's tables, strikethrough (~~ only: a single ~ is common
    in Vietnamese ranges), autolinks and footnotes, then what Python-Markdown's toc and
    CitationMarker add, made on cmark's HTML: heading ids and citation marks.

    Raw HTML is kept for `sanitize` (nh3 cleans it afterwards, as for Python-Markdown) and
    `allow`. For `escape` it must show as text, but cmark's safe mode drops it: instead each
    '<' that is neither an autolink nor backslash-escaped becomes a private-use character the
    body lacks, so cmark sees no tag (and code stays code), and turns back into &lt; after.
    """

    def __init__(self, raw_html: str):
        self.escape = raw_html == "escape"
        o = cmarkgfm.cmark.Options
        # Unsafe keeps raw HTML and every URL; the sanitiser judges both afterwards, as it does
        # Python-Markdown's output (so [x](javascript:…) loses its href the same way).
        self.options = (o.CMARK_OPT_FOOTNOTES | o.CMARK_OPT_STRIKETHROUGH_DOUBLE_TILDE | o.CMARK_OPT_UNSAFE
                        | o.CMARK_OPT_TABLE_PREFER_STYLE_ATTRIBUTES)   # align= is obsolete HTML
        _cmark.lib.cmark_gfm_core_extensions_ensure_registered()
        self.extensions = [_cmark.lib.cmark_find_syntax_extension(n) for n in (b"table", b"strikethrough", b"autolink")]

    def convert(self, body: str) -> str:
        options, stand_in = self.options, None
        if self.escape and "<" in body:
            stand_in = _stand_in(body)
            if stand_in:
                body = _hide_tags(body, stand_in)
            else:   # nothing can stand in: let cmark drop raw HTML rather than keep it
                options &= ~cmarkgfm.cmark.Options.CMARK_OPT_UNSAFE
        html = self._cmark(body, options)
        if stand_in:   # in text and attributes as is, in URLs percent-encoded
            html = html.replace(stand_in, "&lt;").replace(quote(stand_in), "%3C")
        return _anchors_and_marks(html).strip()   # as Python-Markdown returns it

    def _cmark(self, text: str, options: int) -> str:
        lib, ffi = _cmark.lib, _cmark.ffi
        data = text.encode("utf-8")
        parser = lib.cmark_parser_new(options)
        try:
            for extension in self.extensions:
                lib.cmark_parser_attach_syntax_extension(parser, extension)
            lib.cmark_parser_feed(parser, data, len(data))
            root = lib.cmark_parser_finish(parser)
            out = lib.cmark_render_html(root, options, lib.cmark_parser_get_syntax_extensions(parser))
            html = ffi.string(out).decode("utf-8")
            if _FREE:
                _FREE[0](int(ffi.cast("uintptr_t", root)))
                _FREE[1](int(ffi.cast("uintptr_t", out)))
            return html
        finally:
            lib.cmark_parser_free(parser)


def _stand_in(body: str) -> str | None:
    """A private-use character absent from the body (None only if it holds all 6,400)."""
    used = set(_PRIVATE_USE.findall(body)) if "\ue000" in body else ()
    return next((chr(c) for c in range(0xE000, 0xF900) if chr(c) not in used), None)


def _hide_tags(body: str, stand_in: str) -> str:
    def swap(m: re.Match) -> str:
        at = lead = m.start()
        while lead and body[lead - 1] == "\\":
            lead -= 1
        return "<" if (at - lead) % 2 or _AUTOLINK.match(body, at) else stand_in
    return re.sub("<", swap, body)


def _anchors_and_marks(html: str) -> str:
    """Heading ids and citation marks in cmark's HTML, as Python-Markdown's tree gets them.

    A small tokenizer tracks how deep the text is inside code, pre, a, headings, script and
    style. Raw HTML can leave one of them open: then nothing after it is marked (the safe side).
    """
    used = set(_FOOTNOTE_ID.findall(html)) if "footnote" in html else set()
    last: dict[str, int] = {}
    out: list[str] = []
    depth, at, heading = 0, 0, None
    for m in _SKIPPED.finditer(html):
        text = html[at:m.start()]
        out.append(_mark_text(text) if depth == 0 else text)
        tag, name = m.group(0), (m.group(2) or "").lower()
        if name and m.group(1):
            depth = max(depth - 1, 0)
            if heading and heading[1] == name:
                out[heading[0]] = f'<{name} id="{_heading_id(html[heading[2]:m.start()], used, last)}">'
                heading = None
        elif name and not tag.endswith("/>"):
            depth += 1
            if name[0] == "h" and len(tag) == 4:   # exactly <hN>: cmark's own heading
                heading = (len(out), name, m.end())
        out.append(tag)
        at = m.end()
    out.append(_mark_text(html[at:]) if depth == 0 else html[at:])
    return "".join(out)


def _heading_id(inner_html: str, used: set[str], last: dict[str, int]) -> str:
    """The id toc gives a heading: its text without footnote references (prose.heading_id)."""
    return heading_id(htmllib.unescape(" ".join(_ANY_TAG.sub("", _FOOTNOTE_REF.sub("", inner_html)).split())), used, last)


def _mark_text(fragment: str) -> str:
    """Citation marks in each text node of an HTML fragment (its tags kept as they are)."""
    if "/" not in fragment:
        return fragment
    parts = _ANY_TAG.split(fragment)   # text, tag, text, …
    for i in range(0, len(parts), 2):
        if "/" in parts[i]:
            parts[i] = mark_citations(parts[i])
    return "".join(parts)


# Python-Markdown tries every inline pattern on every text node and every block processor on
# every block, most of its time on plain prose. One that cannot act where the strings that
# start it are absent from the whole body is left out for that body: each set left out is an
# instance of its own (a few per site), giving the same HTML in about half the time.
# Text and blocks hold only the body's text and \x02…\x03 placeholders, never a string the
# body lacks. Processors not listed here (other versions, other extensions) always run.
_TRIGGERS = {
    ("inlinePatterns", "backtick"): ("`",), ("inlinePatterns", "escape"): ("\\",),
    ("inlinePatterns", "entity"): ("&",), ("inlinePatterns", "em_strong"): ("*", "_"),
    **{("inlinePatterns", name): ("<",) for name in ("autolink", "automail", "html")},
    **{("inlinePatterns", name): ("[",) for name in ("footnote", "reference", "link", "short_reference",
                                                      "image_link", "image_reference", "short_image_ref")},
    ("blockprocessors", "reference"): ("[",),
    ("blockprocessors", "table"): ("|",),
    ("blockprocessors", "deflist"): (":",),
    ("blockprocessors", "footnote"): ("[^",), ("treeprocessors", "footnote"): ("[^",),
    ("blockprocessors", "abbr"): ("*[",), ("treeprocessors", "abbr"): ("*[",),
    ("treeprocessors", "attr_list"): ("{",),
    ("treeprocessors", "unescape"): ("\\",),     # restores what the escape pattern hid
    ("blockprocessors", "quote"): (">",),
    ("preprocessors", "fenced_code_block"): ("```", "~~~"),
}


def _registry(md: markdown.Markdown, kind: str):
    return md.parser.blockprocessors if kind == "blockprocessors" else getattr(md, kind)


class _IdsOnly(TocTreeprocessor):
    """toc's heading ids without its table of contents, for a body with no [TOC] marker: toc
    builds and serialises the table for every body (~5 % of Python-Markdown's time), and only
    the marker would show it."""

    def build_toc_div(self, toc_list):
        return etree.Element("div")

    def replace_marker(self, root, elem) -> None:
        pass


class _HeadingIds(TocExtension):
    TreeProcessorClass = _IdsOnly


_TOC_TABLE = "[TOC]"      # in a variant's `without`: the body has no marker, so no table


class MarkdownRenderer:
    """One configured engine, reused for every body: Python-Markdown (reset each time) or cmark."""

    def __init__(self, settings: MarkdownSettings):
        self.settings = settings
        self.iframe_hosts = tuple(h.lower() for h in settings.iframe_hosts)
        self._variants: dict[frozenset, markdown.Markdown] = {}
        self._cleaner = None
        if settings.engine == "commonmark":
            self.md, self.commonmark = None, CommonMark(settings.raw_html)
            return
        self.md = self.variant(frozenset())
        self._triggers = {key: starts for key, starts in _TRIGGERS.items() if key[1] in _registry(self.md, key[0])}
        self._starts = {t for starts in self._triggers.values() for t in starts}   # each looked for once a body

    def variant(self, without: frozenset) -> markdown.Markdown:
        """Python-Markdown as configured, less the processors named (built once per set)."""
        md = self._variants.get(without)
        if md is None:
            toc = {"slugify": toc_slugify, "toc_depth": "2-4"}
            md = self._variants[without] = markdown.Markdown(
                extensions=["extra", "sane_lists", _HeadingIds(**toc) if _TOC_TABLE in without else TocExtension(**toc),
                            CitationExtension()],
                output_format="html",
            )
            if inline.supported():   # the stock inline pass is quadratic in the matches of a paragraph
                md.treeprocessors.register(inline.LinearInline(md), "inline", 20)
            if self.settings.raw_html == "escape":
                # Without these, raw HTML is kept as text and escaped on output.
                md.preprocessors.deregister("html_block")
                md.inlinePatterns.deregister("html")
            for kind, name in without - {_TOC_TABLE}:
                _registry(md, kind).deregister(name, strict=False)
        return md

    def render(self, body: str) -> str:
        if self.md is None:
            # Plain prose is written the same by cmark and Python-Markdown, except that cmark
            # also links bare addresses and writes an alignment its own way: such a body goes
            # to cmark, as does one that prose.py would write only for the sanitiser to change
            # (is_clean), since cmark alone is then quicker.
            if not _NOT_FOR_PROSE.search(_LINK_TARGET.sub("]", body)):
                html = prose.render(body)
                if html is not None and prose.is_clean(html):
                    return html
            html = self.commonmark.convert(body)   # iterative in C: no depth to run out of
        else:
            html = prose.render(body)              # plain prose: Python-Markdown's HTML, written directly
            if html is not None and prose.is_clean(html):
                return html                        # what the sanitiser would give back unchanged
            if html is None:
                if len(body) > MAX_MARKUP_BODY:
                    return TOO_LONG
                try:
                    html = self._python_markdown(body)
                except RecursionError:   # content.body_limit stops the known cases; this is the backstop
                    return TOO_DEEP
                except Exception:        # the engine's own bug on odd input: one error line, not a crash
                    return ENGINE_FAILED
        if self.settings.raw_html != "allow":
            # Even with raw HTML escaped, Markdown's own links can say [x](javascript:…).
            html = self.sanitize(html)
        else:       # the editor's HTML as written, less what would run script from a link
            html = sanitize.drop_script_urls(html)
        return html

    def _python_markdown(self, body: str) -> str:
        """Python-Markdown without the processors this body cannot use (see _TRIGGERS)."""
        present = {t for t in self._starts if t in body}
        without = {key for key, starts in self._triggers.items() if present.isdisjoint(starts)}
        if _TOC_TABLE not in body:
            without.add(_TOC_TABLE)
        md = self.variant(frozenset(without))
        md.reset()
        return md.convert(body)

    def sanitize(self, html: str) -> str:
        if self._cleaner is None:   # built once: nh3.clean() rebuilds it from the sets every call
            self._cleaner = nh3.Cleaner(
                tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                clean_content_tags={"script", "style", "textarea", "select", "noscript", "template"},
                attribute_filter=self._attribute_filter, url_schemes={"http", "https", "mailto", "tel"},
                link_rel=None, strip_comments=True)
        html = self._cleaner.clean(sanitize.split_ampersand_runs(html))
        if "<iframe" in html:   # an iframe whose src the filter dropped goes entirely
            html = _IFRAME_WITHOUT_SRC.sub("", html)
        return html

    def _attribute_filter(self, tag: str, attr: str, value: str):
        if attr == "style":     # a table column's alignment, as both engines write it; nothing else
            return value if _ALIGNMENT.fullmatch(value) else None
        if tag == "iframe" and attr == "src":
            return value if sanitize.iframe_host(value) in self.iframe_hosts else None
        return value


@functools.lru_cache(maxsize=4)
def renderer_for(settings: MarkdownSettings) -> MarkdownRenderer:
    """One renderer per settings and process: its Python-Markdown variants are built once."""
    return MarkdownRenderer(settings)


def render_many(settings: MarkdownSettings, bodies: list[str]) -> list[str]:
    """Render a batch of bodies with one renderer (the unit of work for a worker process)."""
    renderer = renderer_for(settings)
    return [renderer.render(b) for b in bodies]
