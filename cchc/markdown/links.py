"""Turn the marks a Markdown body carries into real links, relative to the page it lands on.

`markup` leaves citations as data-cite marks and links exactly as written, because it must
not depend on the rest of the site (so its result can be cached). Here, with the model
known, a citation becomes a link to its document page, a link to another .md file becomes
a link to that item's URL, files/ and images/ links are checked, and what cannot be
resolved is reported with the file and line where the editor wrote it.
"""
from __future__ import annotations

import bisect
import html as htmllib
import posixpath
import re

from cchc.core.messages import Decimal, Message, _
from cchc.markdown.engine import ENGINE_FAILED, MAX_MARKUP_BODY, TOO_DEEP, TOO_LONG
from cchc.core.problems import Problems
from cchc.core.legal import STATUS_LABELS, LegalIndex
from cchc.model.images import picture_html
from cchc.core.procedures import CODE_IN_TEXT
from cchc.model.routes import output_path, relative
from cchc.model.site import Citations, Site, report_unresolved

# How a citation's badge names what ended its document (vbpl.vn's words).
_ENDED_BY = {"replaces": "thay thế bởi", "repeals": "bãi bỏ bởi", "suspends": "đình chỉ bởi"}
CITE = re.compile(r'<a data-cite="([^"]*)"(?: data-cite-date="([^"]*)")?(?: data-cite-type="([^"]*)")?>(.*?)</a>', re.S)
URL_ATTR = re.compile(r'(<(?:a|img)\b[^>]*?\s(?:href|src)=")([^"]*)(")')
IMG = re.compile(r"<img\b([^>]*)>")
_ATTR = re.compile(r'\s([a-zA-Z-]+)(?:="([^"]*)")?')
EAGER_BEFORE = 1500   # characters of HTML: a first picture this near the top shows without scrolling
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:|^//|^#")
BY_FILE = _("link to another item by its file, e.g. [bài](../2026/ten-bai.md)")
_TAGS_SPLIT = re.compile(r"(<[^>]*>)")     # split: text and tags, alternately
# Where a procedure code stays text, as a document citation does: in links, code and headings.
_NO_LINK = re.compile(r"<(/?)(a|code|pre|h[1-6])\b", re.I)


class BodyLines:
    """Lines of texts found in one item's source file, for messages (Markdown loses positions).

    Each text is looked for after its previous occurrence, so a repeated link is reported on
    each of its lines (the last one if found fewer times), and lines come from bisecting the
    newline offsets: 100,000 broken links in one file cost linear time, not quadratic.
    """

    def __init__(self, item):
        self.item = item
        self.after: dict[str, int] = {}
        self.newlines: list[int] | None = None

    def line(self, text: str) -> int:
        body, last = self.item.body, self.after.get(text, -1)
        at = body.find(text, last + 1)
        if at < 0:
            at = last
        self.after[text] = at
        if at < 0:
            return self.item.body_line
        if self.newlines is None:
            self.newlines = [m.start() for m in re.finditer("\n", body)]
        return self.item.body_line + bisect.bisect_left(self.newlines, at)


# What engine.py returns for a body it cannot render -> (message, hint) for the editor.
UNREADABLE = {
    TOO_DEEP: (_("the text is nested too deeply to be read as Markdown"),
               _("remove the extra '>', '-', '*' or '[' that pile up in it")),
    ENGINE_FAILED: (_("Python-Markdown fails on this text (an error of its own)"),
                    _('look for pasted HTML such as <div class="footnote" markdown="1"> and remove it')),
    TOO_LONG: (),
}


def unreadable(item, body: str) -> tuple[Message | str, Message | str]:
    """The problem of a body the engine returned one of UNREADABLE for."""
    if body == TOO_LONG:
        return (_("the text with Markdown markup is {size} MB long, more than the {limit} MB Python-Markdown "
                  "reads in a few seconds", size=Decimal(len(item.body) / 2**20, 1), limit=MAX_MARKUP_BODY // 2**20),
                _("split it into several articles, or attach the full text as a file in content/files/"))
    return UNREADABLE[body]


def body_citations(legal: LegalIndex, item, body: str, listed: list[str], problems: Problems) -> list[str]:
    """The documents one item cites: `listed` (its `documents:` list), then those its body cites,
    in order of first mention; a warning for each body citation that names no document."""
    found = list(listed)
    if body in UNREADABLE:
        problems.error(item.source, item.body_line, *unreadable(item, body))
    if "data-cite" not in body:
        return found
    lines = BodyLines(item)
    dated = getattr(item, "date", None)
    ended: list[tuple[str, str, str]] = []     # (document, citation, its sentence) of ended documents
    for m in CITE.finditer(body):
        key, date = _key(m.group(1)), _date(m.group(2))
        r = legal.resolve(key, date, _type(m.group(3)))
        if r.source is None and key in item.verbatim:
            continue                      # quoted as written on purpose (front matter `verbatim:`)
        text = htmllib.unescape(m.group(4))
        if r.source is None:
            report_unresolved(problems, legal, item.source, lines.line(text), text, r)
            continue
        wrong_date = legal.date_problem(text, r.source, date)
        if wrong_date:
            problems.warning(item.source, lines.line(text), *wrong_date)
        if dated is not None:
            ended.append((r.source, text, _around(body, m)))
        if r.source not in found and r.source != item.source:
            found.append(r.source)
    # An ended document cited as current: once a document, and not where the text also cites
    # what replaced it or says, beside one of its citations, that it has ended.
    told = {source for source, _cited, context in ended if legal.ended_problem("", source, dated.date(), context) is None} \
        if ended else set()
    for source, text, context in ended:
        if source in told or set(legal.facts[source].ended_by) & set(found):
            continue
        told.add(source)
        problems.warning(item.source, lines.line(text), *legal.ended_problem(text, source, dated.date(), context))
    return found


CONTEXT = 160      # characters of the text around a citation that may say its document has ended
_TAG = re.compile(r"<[^<>]*>")


def _around(body: str, m: re.Match) -> str:
    """The text of the sentence around a citation mark, within CONTEXT characters each side."""
    before = body[max(0, m.start() - CONTEXT):m.start()]
    after = body[m.end():m.end() + CONTEXT]
    before = re.split(r"[.!?;]\s|</p>|</li>", before)[-1]
    after = re.split(r"[.!?;]\s|</p>|</li>", after)[0]
    return htmllib.unescape(_TAG.sub("", before + " " + after))


def collect_citations(site: Site, bodies: dict[str, str], problems: Problems) -> Citations:
    """Every citation of the site, each resolved once: the model's `documents:` lists plus the
    bodies' citations, and the backlinks. Returned, never written into `site`."""
    cites = {source: list(found) for source, found in site.cites.items()}
    for source, body in bodies.items():
        item = site.by_source.get(source)
        if item is None:
            continue
        if "data-cite" in body or source in cites:
            cites[source] = body_citations(site.legal, item, body, cites.get(source, []), problems)
        elif body in UNREADABLE:
            problems.error(source, item.body_line, *unreadable(item, body))
    cited_by = {doc: list(citing) for doc, citing in site.cited_by.items()}
    for a in site.articles:   # newest first, so each backlink list is too
        for doc in cites.get(a.source, []):
            citing = cited_by.setdefault(doc, [])
            if a.source not in citing:
                citing.append(a.source)
    return Citations(cites, cited_by)


def _key(text: str) -> str:
    """A mark's number as the index knows it: `2231/SNV-CCHC&amp;PC` is 2231/SNV-CCHC&PC."""
    return htmllib.unescape(text) if "&" in text else text


def _type(text: str | None) -> str | None:
    return htmllib.unescape(text) if text else None


def _date(text: str | None):
    """The mark's date. The engine writes YYYY-MM-DD; a mark typed by hand in raw HTML may say
    anything, and is then read as a citation without a date (never a traceback)."""
    import datetime as dt
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


class LinkResolver:
    """Rewrites one rendered body for the page it is placed on."""

    def __init__(self, site: Site, outputs: set[str], problems: Problems, for_disk: bool):
        self.site, self.outputs, self.problems, self.for_disk = site, outputs, problems, for_disk
        self.static = {f.output for f in site.static}

    def resolve(self, item, body: str, page_url: str) -> str:
        self._lines = BodyLines(item)
        if "<img" in body:
            body = self._pictures(item, body, page_url)
        # The editor's links first: the citations' links made next point at documents' pages.
        if 'href="' in body or 'src="' in body:
            body = URL_ATTR.sub(lambda m: m.group(1) + self._url(item, m.group(2), page_url) + m.group(3), body)
        if "data-cite" in body:
            body = CITE.sub(lambda m: self._citation(m, page_url), body)
        if self.site.procedures and CODE_IN_TEXT.search(body):
            body = self._procedure_codes(body, page_url, item.source)
        return body

    def _pictures(self, item, body: str, page_url: str) -> str:
        """Every picture has alt text (an error on its line otherwise); a picture of content/images/
        becomes the resized variants (srcset, sizes, width, height), lazy unless it is the first
        one near the top of a page without a cover picture."""
        pictures = self.site.pictures
        first = [True]

        def one(m: re.Match) -> str:
            attrs = dict(_ATTR.findall(m.group(1)))
            src = htmllib.unescape(attrs.get("src", ""))
            alt = attrs.get("alt", "")
            if not htmllib.unescape(alt).strip():
                self.problems.error(item.source, self._lines.line(src) if src else item.body_line,
                                    _('the picture "{src}" has no alt text', src=src),
                                    _("describe it between the brackets: ![what the picture shows](…)"))
            picture = pictures.get(self._static(item, src)) if src and not _SCHEME.match(src) else None
            if picture is None:
                return m.group(0)
            eager = first[0] and not getattr(item, "image", "") and m.start() < EAGER_BEFORE
            first[0] = False
            extra = "".join(f' {k}="{v}"' for k, v in attrs.items() if k in ("class", "id", "title"))
            return picture_html(picture, alt, page_url, lazy=not eager, for_disk=self.for_disk, extra=extra)
        return IMG.sub(one, body)

    def _static(self, item, src: str) -> str | None:
        """The output path of a file of content/files/ or content/images/ a link names, if any."""
        path = src.partition("#")[0].split("?", 1)[0]
        here = posixpath.dirname(item.source)
        for candidate in (posixpath.normpath(path), posixpath.normpath(posixpath.join(here, path))):
            candidate = candidate[len("content/"):] if candidate.startswith("content/") else candidate
            if candidate in self.static:
                return candidate
        return None

    def _procedure_codes(self, body: str, page_url: str, own: str) -> str:
        """A procedure code in running text ("thủ tục 2.000648") becomes a link to the procedure's
        page, when the index has it; not inside a link, code or a heading, nor on its own page."""
        by_code = self.site.procedures.by_code
        parts = _TAGS_SPLIT.split(body)
        closed = 0            # how deep inside <a>, <code>, <pre> or a heading the text is
        for i, part in enumerate(parts):
            if i % 2:
                m = _NO_LINK.match(part)
                if m:
                    closed = max(0, closed + (-1 if m.group(1) else 1))
            elif not closed and part:
                parts[i] = CODE_IN_TEXT.sub(lambda m: self._code(m, by_code, page_url, own), part)
        return "".join(parts)

    def _code(self, m: re.Match, by_code: dict[str, str], page_url: str, own: str) -> str:
        source = by_code.get(m.group(1))
        if source is None or source == own:
            return m.group(0)
        target = relative(page_url, self.site.url_of[source], self.for_disk)
        return f'<a class="procedure" href="{target}">{m.group(0)}</a>'

    def _citation(self, m: re.Match, page_url: str) -> str:
        r = self.site.legal.resolve(_key(m.group(1)), _date(m.group(2)), _type(m.group(3)))
        target = self.site.url_of.get(r.source) if r.source else None
        if target is None:
            return m.group(4)
        link = f'<a class="cite" href="{relative(page_url, target, self.for_disk)}">{m.group(4)}</a>'
        return link + self._badge(r.source, page_url)

    def _badge(self, source: str, page_url: str) -> str:
        """What a reader must know where an ended document is cited: "Hết hiệu lực — thay thế
        bởi <the successor, linked>" (or bãi bỏ, đình chỉ), in the text right after the link."""
        facts = self.site.legal.facts[source]
        if facts.status not in ("het-hieu-luc", "ngung-hieu-luc"):
            return ""
        text = htmllib.escape(STATUS_LABELS[facts.status])
        for newer in facts.ended_by:
            verb = next((label for relation, label in _ENDED_BY.items() if source in
                         self.site.legal.facts[newer].relations.get(relation, [])), None)
            url = self.site.url_of.get(newer)
            if verb and url:
                item = self.site.by_source[newer]
                text += (f' — {verb} <a href="{relative(page_url, url, self.for_disk)}">'
                         f"{htmllib.escape(item.type)} {htmllib.escape(item.symbol)}</a>")
        return f' <span class="cite-status">({text})</span>'

    def _url(self, item, href: str, page_url: str) -> str:
        raw = htmllib.unescape(href)
        if not raw or _SCHEME.match(raw) or raw.startswith("/"):
            return href
        path, __, fragment = raw.partition("#")
        path = path.split("?", 1)[0]
        here = posixpath.dirname(item.source)
        if path.endswith(".md"):
            for candidate in (posixpath.normpath(posixpath.join(here, path)),
                              posixpath.normpath(posixpath.join("content", path))):
                if candidate in self.site.url_of:
                    target = self.site.url_of[candidate] + (f"#{fragment}" if fragment else "")
                    return htmllib.escape(relative(page_url, target, self.for_disk))
            self._broken(item, href, _("no article, page or document has that file name"), BY_FILE)
            return href
        # files/… and images/… as written relative to content/ (or to the .md file)
        candidate = self._static(item, path)
        if candidate is not None:
            return htmllib.escape(relative(page_url, candidate + (f"#{fragment}" if fragment else "")))
        if path.split("/")[0] in ("files", "images"):
            self._broken(item, href, _("the file is not under content/files/ or content/images/"),
                         _("copy it into content/{folder}/, or correct the name: case and extension must match",
                           folder=path.split("/")[0]))
            return href
        # a link written relative to the output page, e.g. ../../chuyen-muc/x/
        target = posixpath.normpath(posixpath.join(page_url, path)) if path else page_url
        if target.startswith(".."):
            self._broken(item, href, _("it points above the section's root"), BY_FILE)
            return href
        out = target if target.endswith((".html", ".xml", ".json")) or "." in posixpath.basename(target) \
            else output_path("" if target in ("", ".") else target.rstrip("/") + "/")
        if out not in self.outputs:
            self._broken(item, href, _("no page of the section is there"), BY_FILE)
        return href

    def _broken(self, item, href: str, why: Message, hint: Message) -> None:
        raw = htmllib.unescape(href)
        self.problems.warning(item.source, self._lines.line(raw), _('broken link "{link}": {why}', link=raw, why=why),
                              hint)
