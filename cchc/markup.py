"""Markdown body -> HTML fragment: Vietnamese heading anchors, citation marks, safe raw HTML.

The result depends only on the body text and the markdown settings, never on other files,
so it can be cached by content hash and computed in parallel. Everything that depends on
the rest of the site (which document a citation means, where a link to another .md file
points, the page the fragment lands on) is left as marks that `links.py` resolves later:
citations become <a data-cite="KEY" data-cite-date="YYYY-MM-DD">…</a>.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from .config import MarkdownSettings
from .vietnamese import toc_slugify

def _code_digest() -> str:
    """Hash of the code that shapes a rendered body (this module, citations, slugs), so a cached
    body never outlives a change of the engine, even between two releases with one version."""
    import hashlib
    from pathlib import Path
    here = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for name in ("markup.py", "legal.py", "vietnamese.py"):
        h.update((here / name).read_bytes())
    return h.hexdigest()[:16]


ENGINE_MARKDOWN = f"markdown-{markdown.__version__}/nh3-{getattr(nh3, '__version__', '?')}/{_code_digest()}"

_SKIP_TAGS = {"code", "pre", "a", "h1", "h2", "h3", "h4", "h5", "h6", "script", "style"}


class CitationMarker(Treeprocessor):
    """Wrap each citation of a legal document found in running text in a data-cite mark.

    Code, existing links and headings are left alone: a number in a heading or a code
    sample is not a reference, and a link must not be nested in a link.
    """

    def run(self, root: etree.Element) -> None:
        from .legal import find_citations
        self._find = find_citations
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
        found = self._find(text)
        if not found:
            return None
        nodes = []
        head = text[:found[0].start]
        for i, c in enumerate(found):
            a = etree.Element("a")
            a.set("data-cite", c.symbol.key)
            if c.date:
                a.set("data-cite-date", c.date.isoformat())
            if c.type_name:
                a.set("data-cite-type", c.type_name)
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
    "td": {"colspan", "rowspan", "align"}, "th": {"colspan", "rowspan", "align", "scope"},
    "ol": {"start"}, "abbr": {"title"}, "col": {"span"},
    "iframe": {"src", "width", "height", "title", "allowfullscreen"},
}


# nh3 writes every attribute as name="value" with quotes escaped inside, so this cannot be fooled.
_IFRAME_WITHOUT_SRC = re.compile(r'<iframe(?![^>]*\ssrc=")[^>]*>.*?</iframe>', re.S)
# What a body too deeply nested for Python-Markdown becomes; links.py reports it as an error.
TOO_DEEP = '<p data-cchc-error="too-deep"></p>'


class MarkdownRenderer:
    """One configured Python-Markdown instance, reused for every body (it is reset each time)."""

    def __init__(self, settings: MarkdownSettings):
        self.settings = settings
        self.md = markdown.Markdown(
            extensions=["extra", "sane_lists", "toc", CitationExtension()],
            extension_configs={"toc": {"slugify": toc_slugify, "toc_depth": "2-4"}},
            output_format="html",
        )
        if settings.raw_html == "escape":
            # Without these, raw HTML is kept as text and escaped on output.
            self.md.preprocessors.deregister("html_block")
            self.md.inlinePatterns.deregister("html")
        self.iframe_hosts = tuple(h.lower() for h in settings.iframe_hosts)

    def render(self, body: str) -> str:
        self.md.reset()
        try:
            html = self.md.convert(body)
        except RecursionError:   # content.body_limit stops the known cases; this is the backstop
            return TOO_DEEP
        if self.settings.raw_html != "allow":
            # Even with raw HTML escaped, Markdown's own links can say [x](javascript:…).
            html = self.sanitize(html)
        return html

    def sanitize(self, html: str) -> str:
        html = nh3.clean(
            html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
            clean_content_tags={"script", "style", "textarea", "select", "noscript", "template"},
            attribute_filter=self._attribute_filter, url_schemes={"http", "https", "mailto", "tel"},
            link_rel=None, strip_comments=True)
        if "<iframe" in html:   # an iframe whose src the filter dropped goes entirely
            html = _IFRAME_WITHOUT_SRC.sub("", html)
        return html

    def _attribute_filter(self, tag: str, attr: str, value: str):
        if tag == "iframe" and attr == "src":
            m = re.match(r"https://([^/:?#]+)", value)
            return value if m and m.group(1).lower() in self.iframe_hosts else None
        return value


def render_many(settings: MarkdownSettings, bodies: list[str]) -> list[str]:
    """Render a batch of bodies with one renderer (the unit of work for a worker process)."""
    renderer = MarkdownRenderer(settings)
    return [renderer.render(b) for b in bodies]
