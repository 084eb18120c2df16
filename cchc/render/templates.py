"""Jinja2 over layouts/: the environment, its filters, `{% cache %}` fragments, and the Renderer.

Only this package touches Jinja. Templates get plain view data (dicts of text, numbers and
dates, render/views.py), never the model, so a page's inputs can be hashed and templates cannot
change the site by accident. Links are made relative to the page with `x|url` (model/routes.py).
A template error becomes one problem naming the layout file and line.
"""
from __future__ import annotations

import hashlib
import json
import re
import traceback
from dataclasses import dataclass
from pathlib import Path

import jinja2
import jinja2.ext
from markupsafe import Markup

from cchc.core.messages import _
from cchc.core.problems import Problems
from cchc.core.vietnamese import format_date, short_date
from cchc.model import routes

LAYOUTS_DIR = "layouts"
ASSETS_DIR = routes.ASSETS    # layouts/assets/ -> output/assets/


@dataclass
class Job:
    """One output file to produce: where, with which template, from which view data."""
    path: str                  # under output/, e.g. "tin-tuc/x/index.html"
    url: str                   # the page's URL, e.g. "tin-tuc/x/" (what links are relative to)
    template: str
    context: dict
    source: str = ""           # content file it comes from, for error messages


# A Job of this "template" is written as its context's `text`, without a layout: the open data of
# the document index (render/opendata.py), whose shape is the schema's, not a theme's, and which a
# section keeping its own older layouts/ must still get.
RAW = "(no layout)"


def json_for_html(value) -> Markup:
    """JSON safe inside <script>: '</script>' or '<!--' in a title cannot end the block."""
    text = json.dumps(value, ensure_ascii=False, default=str, indent=None)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


class _Environment(jinja2.Environment):
    """Jinja2 with `page.title` looked up as a key first on view data (plain dicts): Jinja tries
    the attribute first, and the AttributeError it catches on every dict was a tenth of each page."""

    def getattr(self, obj, attribute):
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


class FragmentCache(jinja2.ext.Extension):
    """`{% cache key, … %}…{% endcache %}`: the part between is rendered once per key and per
    folder depth of the page, then reused by every page of the build with the same ones (like
    Hugo's partialCached). For what every page repeats: base.html's masthead, menu and footer
    were a quarter of an article page's rendering. The part may show `site`, `assets` and
    links made with `|url` or url() (which depend on the depth only); anything else it shows
    must be in the key. The fragments live in the Renderer, so one build never sees another's."""

    tags = {"cache"}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        keys = []
        while parser.stream.current.type != "block_end":
            if keys:
                parser.stream.expect("comma")
            keys.append(parser.parse_expression())
        body = parser.parse_statements(("name:endcache",), drop_needle=True)
        where = jinja2.nodes.Const(f"{parser.name}:{lineno}")
        call = self.call_method("_fragment", [where, jinja2.nodes.Tuple(keys, "load"),
                                              jinja2.nodes.Name("page_url", "load")])
        return jinja2.nodes.CallBlock(call, [], [], body).set_lineno(lineno)

    def _fragment(self, where: str, keys: tuple, page_url: str, caller) -> str:
        fragments = self.environment.fragments
        key = (where, page_url.count("/"), keys)
        text = fragments.get(key)
        if text is None:
            text = fragments[key] = caller()
        return text


def menu_current(page_url: str, site: dict) -> str | None:
    """The URL of the menu entry a page belongs to: "" on the home page, a category's URL on its
    pages, "van-ban/" on the documents' pages, "thu-tuc/" on the procedures', a menu page's URL on
    that page; else None."""
    if page_url == "":
        return ""
    for c in site["categories"]:
        if page_url.startswith(c["url"]):
            return c["url"]
    if page_url.startswith(routes.DOCUMENTS):
        return routes.DOCUMENTS
    if page_url.startswith(routes.PROCEDURES):
        return routes.PROCEDURES
    for p in site["menu"]:
        if page_url == p["url"]:
            return p["url"]
    return None


class Layouts:
    """The Jinja2 environment over layouts/, with the section's filters and functions."""

    def __init__(self, site_dir: Path, for_disk: bool = False, auto_reload: bool = True):
        """auto_reload=False for a worker process, which lives for one build: Jinja then does
        not look at each layout file again for every page (two stats a page)."""
        self.root = site_dir / LAYOUTS_DIR
        self.for_disk = for_disk
        self.env = _Environment(
            loader=jinja2.FileSystemLoader(str(self.root)), auto_reload=auto_reload,
            autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
            undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
            keep_trailing_newline=True, extensions=[FragmentCache])
        self.env.fragments = {}         # FragmentCache's: the rendering Renderer's own (Renderer.render)
        self.env.filters.update(date_vi=lambda d: format_date(d) if d else "",
                                short_date=lambda d: short_date(d) if d else "",
                                iso=lambda d: d.isoformat() if d else "",
                                jsonld=json_for_html,
                                rfc822=lambda d: d.strftime("%a, %d %b %Y %H:%M:%S %z") if d else "")
        # `x|url` and `url(x)`: the link from the page to x. The layouts use the filter: Jinja
        # calls a filter directly and a function through the page's context, 1.2 µs more a link
        # (a list page has 50), 0.4 s of CPU in a build of 10,000 articles.
        self.env.filters["url"] = self._url
        self.env.globals.update(url=self._url, menu_current=menu_current)

    @jinja2.pass_context
    def _url(self, ctx, target: str) -> str:
        return routes.relative(ctx["page_url"], target, self.for_disk)

    def template_digest(self) -> str:
        """Hash of every file under layouts/: any change re-renders what may use it."""
        h = hashlib.sha256()
        for p in sorted(self.root.rglob("*")):
            if p.is_file():
                h.update(p.relative_to(self.root).as_posix().encode() + b"\0" + p.read_bytes())
        return h.hexdigest()

    def digest_of(self, name: str) -> str:
        """Hash of a template and of every template it extends, includes or imports, so that
        editing article.html re-renders articles only. A name computed at render time cannot
        be followed: then any layout change counts (the whole-folder digest). The references
        are found by _REFERENCE, not by parsing (a parse of every layout was 0.4 s of each
        build); a reference in a comment only adds a dependency, which is safe."""
        h = hashlib.sha256()
        seen, todo = set(), [name]
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            path = self.root / current
            try:
                source = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                h.update(f"{current}\0missing\0".encode())
                continue
            h.update(current.encode() + b"\0" + source.encode("utf-8") + b"\0")
            for argument in _REFERENCE.findall(source):
                m = _LITERAL_NAME.match(argument)
                if m is None:
                    return self.template_digest()
                todo.append(m.group(2))
        return h.hexdigest()


# {% extends|include|import|from <expression> ... %}; the expression must be one string literal,
# optionally followed by what those tags allow after it (import x, ignore missing, with context, as y).
_REFERENCE = re.compile(r"\{%[-+]?\s*(?:extends|include|import|from)\s+(.*?)[-+]?%\}", re.S)
_LITERAL_NAME = re.compile(r"""\s*(['"])([^'"\\]*)\1(?:\s*$|\s+(?:import|ignore|with|without|as)\b)""", re.S)


def fingerprint_assets(site_dir: Path) -> dict[str, tuple[str, Path]]:
    """layouts/assets/x.css -> ("assets/x.<hash>.css", path): a new name whenever the bytes
    change, so the portal's caches and proxies can never serve a stale stylesheet."""
    out = {}
    root = site_dir / LAYOUTS_DIR / ASSETS_DIR
    if root.is_dir():
        for p in sorted(root.rglob("*")):
            if p.is_file():
                rel = p.relative_to(root).as_posix()
                out[rel] = (routes.asset(rel, hashlib.sha256(p.read_bytes()).hexdigest()[:10]), p)
    return out


class Renderer:
    """Renders jobs; a template error becomes a problem naming the template file and line."""

    def __init__(self, layouts: Layouts, problems: Problems):
        self.layouts, self.problems = layouts, problems
        self._templates: dict[str, jinja2.Template | None] = {}
        self._common: dict | None = None
        self._fragments: dict = {}      # FragmentCache's parts, valid for one `common` (one build)

    def template(self, name: str) -> jinja2.Template | None:
        if name not in self._templates:
            try:
                self._templates[name] = self.layouts.env.get_template(name)
            except jinja2.TemplateSyntaxError as exc:
                self.problems.error(f"{LAYOUTS_DIR}/{exc.name or name}", exc.lineno,
                                    _("template: {problem}", problem=exc.message), _("fix the template syntax"))
                self._templates[name] = None
            except jinja2.TemplateNotFound as exc:
                self.problems.error(f"{LAYOUTS_DIR}/{name}", None, _("template not found: {name}", name=exc.name),
                                    _("restore it from the sample layouts"))
                self._templates[name] = None
        return self._templates[name]

    def render(self, job: Job, common: dict) -> bytes | None:
        if job.template == RAW:
            return job.context["text"].encode("utf-8")
        template = self.template(job.template)
        if template is None:
            return None
        if common is not self._common:
            self._common, self._fragments = common, {}
        self.layouts.env.fragments = self._fragments
        try:
            text = template.render(common, page_url=job.url, **job.context)
        except jinja2.TemplateSyntaxError as exc:
            self.problems.error(f"{LAYOUTS_DIR}/{exc.name or job.template}", exc.lineno,
                                _("template: {problem}", problem=exc.message))
            return None
        except RecursionError:
            self.problems.error(f"{LAYOUTS_DIR}/{job.template}", None, _("template: includes itself without end"),
                                _("remove the include loop"))
            return None
        except Exception as exc:  # an error inside a template: report where in the template
            file, line = _template_position(exc, job.template)
            self.problems.error(f"{LAYOUTS_DIR}/{file}", line,
                                _("template: {kind}: {problem} (while rendering {page})", kind=exc.__class__.__name__,
                                  problem=str(exc), page=job.path),
                                _("fix the template"))
            return None
        return text.encode("utf-8")


def _template_position(exc: BaseException, default: str) -> tuple[str, int | None]:
    """The innermost layouts/ frame of a template error (Jinja maps frames to template lines)."""
    found = (default, None)
    for frame in traceback.extract_tb(exc.__traceback__):
        path = Path(frame.filename)
        if LAYOUTS_DIR in path.parts:
            parts = path.parts
            found = ("/".join(parts[parts.index(LAYOUTS_DIR) + 1:]), frame.lineno)
    return found
