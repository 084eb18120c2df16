"""The model -> every output file's bytes, through the Jinja2 layouts in layouts/.

Only this module touches Jinja. Templates get plain view data (dicts of text, numbers and
dates), never the model, so a page's inputs can be hashed and templates cannot change the
site by accident. Links are made relative to the page with url(); absolute URLs from
base_url appear only where the formats require them (feeds, sitemap, canonical, Open Graph,
JSON-LD).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import traceback
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import jinja2
import jinja2.ext
from markupsafe import Markup

from cchc.markdown.links import relative
from cchc.core.problems import Problems
from cchc.commands.report import stats_page
from cchc.model.site import Site, page_url, paginate
from cchc.core.vietnamese import format_date, short_date, slugify, sort_key

LAYOUTS_DIR = "layouts"
ASSETS_DIR = "assets"


@dataclass
class Job:
    """One output file to produce: where, with which template, from which view data."""
    path: str                  # under output/, e.g. "tin-tuc/x/index.html"
    url: str                   # the page's URL, e.g. "tin-tuc/x/" (what links are relative to)
    template: str
    context: dict
    source: str = ""           # content file it comes from, for error messages


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
    pages, "van-ban/" on the documents' pages, a menu page's URL on that page; else None."""
    if page_url == "":
        return ""
    for c in site["categories"]:
        if page_url.startswith(c["url"]):
            return c["url"]
    if page_url.startswith("van-ban/"):
        return "van-ban/"
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
        return relative(ctx["page_url"], target, self.for_disk)

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
                digest = hashlib.sha256(p.read_bytes()).hexdigest()[:10]
                stem, dot, ext = rel.rpartition(".")
                out[rel] = (f"{ASSETS_DIR}/{stem}.{digest}.{ext}" if dot else f"{ASSETS_DIR}/{rel}.{digest}", p)
    return out


# --- view data -----------------------------------------------------------------------------

class Views:
    """Plain view data for templates, computed once per item and shared by every page."""

    def __init__(self, site: Site, assets: dict[str, str], generated: dt.datetime):
        self.site = site
        s = site.settings
        self.base_url = s.base_url
        categories = [{"key": c.key, "name": c.name, "description": c.description, "url": f"chuyen-muc/{c.key}/",
                       "count": len(items)} for c, items in site.categories]
        self.category = {c["key"]: c for c in categories}
        self.common = {
            "site": {
                "title": s.title, "description": s.description, "base_url": s.base_url, "base_path": s.base_path,
                "language": s.language,
                "portal": {"name": s.portal.name, "url": s.portal.url} if s.portal else None,
                "organization": vars(s.organization) if s.organization else None,
                "responsible": vars(s.responsible),
                "categories": categories,
                "menu": [{"title": p.title, "url": site.url_of[p.source]} for p in site.pages if p.menu is not None],
                "search": s.search,
                # Newest content date, not the build time: a rebuild of unchanged content
                # must give byte-identical pages, or every build rewrites (and republishes) all.
                "updated": max([a.updated or a.date for a in site.articles] + [d.issued for d in site.documents],
                               default=dt.datetime(2000, 1, 1, tzinfo=s.timezone)),
            },
            "assets": assets,
        }
        self._articles: dict[str, dict] = {}
        self._documents: dict[str, dict] = {}

    def _tags_of(self, article) -> list:
        """site.tags_of with each tag name slugified once per build, not once per article."""
        by_slug = self.__dict__.get("_tag_by_slug")
        if by_slug is None:
            by_slug = self._tag_by_slug = {t.slug: t for t in self.site.tags}
        slugs = self.__dict__.setdefault("_tag_slugs", {})
        found = []
        for name in article.tags:
            slug = slugs.get(name)
            if slug is None:
                slug = slugs[name] = slugify(name)
            if slug in by_slug:
                found.append(by_slug[slug])
        return found

    def absolute(self, url: str) -> str:
        return self.base_url + url

    def article(self, a) -> dict:
        """One dict per article, shared by every page that shows it: `serve` updates it in
        place after a title edit (Builder._fast), and those pages see the new title."""
        view = self._articles.get(a.source)
        if view is None:
            view = self._articles[a.source] = self.article_view(a)
        return view

    def article_view(self, a) -> dict:
        url = self.site.url_of[a.source]
        return {
            "source": a.source, "url": url, "absolute_url": self.absolute(url), "title": a.title,
            "date": a.date, "updated": a.updated, "summary": a.summary, "author": a.author,
            "image": a.image, "image_alt": a.image_alt,
            "category": self.category[a.category],
            "tags": [{"name": t.name, "url": t.url} for t in self._tags_of(a)],
        }

    def document(self, d) -> dict:
        """One dict per document, shared like an article's (its status is this build's)."""
        view = self._documents.get(d.source)
        if view is None:
            view = self._documents[d.source] = self.document_view(d)
        return view

    def document_view(self, d) -> dict:
        from cchc.core.legal import STATUS_LABELS
        facts = self.site.legal.facts[d.source]
        url = self.site.url_of[d.source]
        return {
            "source": d.source, "url": url, "absolute_url": self.absolute(url), "symbol": d.symbol,
            "type": d.type, "title": d.title, "issuer": d.issuer, "issued": d.issued, "effective": d.effective,
            "expires": d.expires, "signer": d.signer, "fields": d.fields, "status": facts.status,
            "status_label": STATUS_LABELS.get(facts.status, facts.status), "source_url": d.source_url,
            "heading": document_heading(d.type, d.title),
        }

    def ref(self, source: str) -> dict:
        """A short view of any item, for relation and backlink lists."""
        item = self.site.by_source[source]
        if hasattr(item, "symbol"):
            return self.document(item)
        if hasattr(item, "category"):
            return self.article(item)
        return {"source": source, "url": self.site.url_of[source], "title": item.title}


def document_heading(type_name: str, title: str) -> str:
    """"Nghị định về thực hiện …" for a list row; a trích yếu that already starts with its
    type ("Kế hoạch tuyên truyền …") is not prefixed again."""
    if not title or title.lower().startswith(type_name.lower()):
        return title or type_name
    return f"{type_name} {title[:1].lower()}{title[1:]}"


PAGER_WINDOW = 2     # pages linked on each side of the current one


def pagination_view(base: str, number: int, total: int) -> dict:
    """Links to the first, the last and the pages near the current one: listing every page on
    every page made a long list cost its length squared (500 pages of news: 250,000 links)."""
    shown = sorted({1, total, *range(max(1, number - PAGER_WINDOW), min(total, number + PAGER_WINDOW) + 1)})
    return {"number": number, "total": total, "base": base,
            "prev": page_url(base, number - 1) if number > 1 else None,
            "next": page_url(base, number + 1) if number < total else None,
            "pages": [{"number": n, "url": page_url(base, n)} for n in shown]}


def plan_jobs(site: Site, views: Views, bodies: dict[str, str]) -> list[Job]:
    """Every page of the section, in a stable order. Bodies are the resolved HTML per source."""
    return Plan(site, views).finish(bodies)


class Plan:
    """Every page of the section, in a stable order, planned in two steps. Most pages (lists,
    the home page, feeds, the documents' table) show neither a body nor a citation, so they are
    planned from the model alone (`early`) and the workers can render them while this process
    waits for the bodies and collects their citations; the pages of articles, fixed pages and
    documents, the statistics and the sitemap follow (`finish`)."""

    def __init__(self, site: Site, views: Views):
        s = site.settings
        parts: list = []        # a Job, or (how many, (bodies, the jobs before them) -> those jobs)
        self._parts = parts

        def add(path: str, url: str, template: str, source: str = "", **context) -> None:
            parts.append(Job(path, url, template, context, source))

        def listing(base: str, title: str, kind: str, items: list, description: str = "", **extra) -> None:
            chunks = paginate(items, s.per_page)
            for n, chunk in enumerate(chunks, start=1):
                url = page_url(base, n)
                add(url + "index.html", url, "list.html", title=title, kind=kind, description=description,
                    articles=[views.article(a) for a in chunk], pagination=pagination_view(base, n, len(chunks)),
                    **extra)

        def articles(bodies: dict[str, str], jobs: list[Job]) -> list[Job]:
            return [Job(site.url_of[a.source] + "index.html", site.url_of[a.source], "article.html",
                        dict(article=views.article(a), body=bodies.get(a.source, ""), title=a.title,
                             documents=[views.ref(src) for src in site.cites.get(a.source, [])]), a.source)
                    for a in site.articles]

        def pages(bodies: dict[str, str], jobs: list[Job]) -> list[Job]:
            return [Job(site.url_of[p.source] + "index.html", site.url_of[p.source], "page.html",
                        dict(title=p.title, summary=p.summary, body=bodies.get(p.source, "")), p.source)
                    for p in site.pages]

        def sitemap(bodies: dict[str, str], jobs: list[Job]) -> list[Job]:
            return [Job("sitemap.xml", "sitemap.xml", "sitemap.xml", dict(
                title=s.title, urls=[{"loc": views.absolute(j.url), "lastmod": _lastmod(site, j)} for j in jobs
                                     if j.path.endswith("index.html") or j.path == "index.html"]))]

        latest_docs = [views.document(d) for d in site.documents[:5]]
        add("index.html", "", "home.html", articles=[views.article(a) for a in site.articles[:s.home_items]],
            documents=latest_docs, title=s.title)
        listing("tin-tuc/", "Tin tức", "news", site.articles)
        parts.append((len(site.articles), articles))
        for c, items in site.categories:
            cat = views.category[c.key]
            listing(cat["url"], c.name, "category", items, c.description, category=cat)
        add("the/index.html", "the/", "tags.html", title="Thẻ",
            tags=[{"name": t.name, "url": t.url, "count": len(t.articles)} for t in site.tags])
        for t in site.tags:
            listing(t.url, t.name, "tag", t.articles)
        add("luu-tru/index.html", "luu-tru/", "archives.html", title="Lưu trữ",
            years=[{"year": y, "url": f"luu-tru/{y}/", "count": len(items)} for y, items in site.years])
        for y, items in site.years:
            listing(f"luu-tru/{y}/", f"Năm {y}", "year", items, year=y)
        parts.append((len(site.pages), pages))
        parts.extend(document_lists(site, views))
        parts.append((len(site.documents), lambda bodies, jobs: document_pages(site, views, bodies)))
        add("tim-kiem/index.html", "tim-kiem/", "search.html", title="Tìm kiếm")
        parts.append((1, lambda bodies, jobs: [Job("thong-ke/index.html", "thong-ke/", "stats.html",
                                                   dict(title="Thống kê", **stats_page(site)))]))
        add("so-do-trang/index.html", "so-do-trang/", "sitemap-page.html", title="Sơ đồ trang",
            pages=[views.ref(p.source) for p in site.pages],
            years=[{"year": y, "url": f"luu-tru/{y}/"} for y, _ in site.years])
        add("404.html", "404.html", "404.html", title="Không tìm thấy trang")
        feed_items = [views.article(a) for a in site.articles[:s.feed_items]]
        updated = max((a.updated or a.date for a in site.articles[:s.feed_items]), default=None)
        add("feed.xml", "feed.xml", "feed.xml", articles=feed_items, updated=updated, title=s.title)
        add("rss.xml", "rss.xml", "rss.xml", articles=feed_items, updated=updated, title=s.title)
        parts.append((1, sitemap))
        add("tin-moi.html", "tin-moi.html", "widget.html", title=s.title, articles=feed_items[:5])

    @property
    def total(self) -> int:
        """How many pages the plan will have."""
        return sum(1 if isinstance(part, Job) else part[0] for part in self._parts)

    @property
    def early(self) -> list[Job]:
        """The pages planned from the model alone."""
        return [part for part in self._parts if isinstance(part, Job)]

    def finish(self, bodies: dict[str, str]) -> list[Job]:
        """Every page, in order, the early ones as they were planned."""
        jobs: list[Job] = []
        for part in self._parts:
            if isinstance(part, Job):
                jobs.append(part)
            else:
                jobs.extend(part[1](bodies, jobs))
        return jobs


def _lastmod(site: Site, job: Job):
    item = site.by_source.get(job.source)
    if item is None:
        return None
    value = getattr(item, "updated", None) or getattr(item, "date", None) or getattr(item, "issued", None)
    return value.date().isoformat() if value else None


# --- the legal-document index and pages ----------------------------------------------------

DOCUMENTS_PER_PAGE = 100           # rows per page of van-ban/: ~60 KB of HTML, light on a phone
DOCUMENTS_DATA = "van-ban/danh-muc.{digest}.js"
LEGAL_FORCE = {"con-hieu-luc": "https://schema.org/InForce",
               "het-hieu-luc-mot-phan": "https://schema.org/PartiallyInForce",
               "het-hieu-luc": "https://schema.org/NotInForce",
               "chua-co-hieu-luc": "https://schema.org/NotInForce"}
# Our relations as schema.org Legislation properties. legislationChanges is the established
# property; legislationAmends and legislationRepeals are its newer sub-properties, given too so
# that readers of either vocabulary understand them.
LEGISLATION_LINKS = {"based_on": ("isBasedOn",), "amends": ("legislationChanges", "legislationAmends"),
                     "replaces": ("legislationChanges", "legislationRepeals"),
                     "guides": ("legislationEnsuresImplementationOf",)}


def document_lists(site: Site, views: Views) -> list[Job]:
    """van-ban/ (a table paginated by DOCUMENTS_PER_PAGE, so every document is reachable
    without JavaScript and no page grows with the index) and the compact data file the filters
    load on first use."""
    documents = [views.document(d) for d in site.documents]
    data = documents_data(documents)
    choices = {"types": sorted({d["type"] for d in documents}, key=sort_key),
               "issuers": sorted({d["issuer"] for d in documents}, key=sort_key),
               "years": sorted({d["issued"].year for d in documents}, reverse=True),
               "fields": sorted({f for d in documents for f in d["fields"]}, key=sort_key)}
    # The data file's name carries its hash: a portal cache can never pair new pages with old data.
    data_url = DOCUMENTS_DATA.format(digest=hashlib.sha256(data.encode("utf-8")).hexdigest()[:10])
    jobs = []
    chunks = paginate(documents, DOCUMENTS_PER_PAGE)
    for n, chunk in enumerate(chunks, start=1):
        url = page_url("van-ban/", n)
        jobs.append(Job(url + "index.html", url, "documents.html", dict(
            title="Văn bản", documents=chunk, total=len(documents), first=(n - 1) * DOCUMENTS_PER_PAGE + 1,
            pagination=pagination_view("van-ban/", n, len(chunks)), data_url=data_url, **choices)))
    jobs.append(Job(data_url, data_url, "documents-data.js", {"data": Markup(data)}))
    return jobs


def document_pages(site: Site, views: Views, bodies: dict[str, str]) -> list[Job]:
    """One page per document: its body, relations, attachments and the articles citing it."""
    jobs = []
    for d in site.documents:
        facts = site.legal.facts[d.source]
        url = site.url_of[d.source]
        view = views.document(d)
        relations = {k: [views.ref(x) for x in v] for k, v in facts.relations.items() if v}
        jobs.append(Job(url + "index.html", url, "document.html", dict(
            title=f"{d.type} {d.symbol}", document=view, body=bodies.get(d.source, ""), relations=relations,
            inverse={k: [views.ref(x) for x in v] for k, v in facts.inverse.items() if v},
            attachments=_attachments(site, d), cited_by=[views.ref(x) for x in site.cited_by.get(d.source, [])],
            jsonld=legislation_jsonld(view, relations, site.settings.language)), d.source))
    return jobs


def documents_data(documents: list[dict]) -> str:
    """Every document in a few bytes for the filters of van-ban/: repeated names (type, issuer,
    status, field) become indexes into lookup tables, a row is
    [slug, symbol, "YYYY-MM-DD", heading, type, issuer, status, [fields]], newest first.
    A script rather than JSON, so the filters also work on a copy opened from disk (file://)."""
    from cchc.core.legal import STATUS_LABELS
    tables: dict[str, dict[str, int]] = {"types": {}, "issuers": {}, "fields": {}}

    def index(table: str, name: str) -> int:
        return tables[table].setdefault(name, len(tables[table]))

    statuses = {key: n for n, key in enumerate(STATUS_LABELS)}
    rows = [[d["url"][len("van-ban/"):].rstrip("/"), d["symbol"], _date_of(d["issued"]).isoformat(), d["heading"],
             index("types", d["type"]), index("issuers", d["issuer"]), statuses.get(d["status"], statuses[""]),
             [index("fields", f) for f in d["fields"]]] for d in documents]
    data = {**{k: list(v) for k, v in tables.items()},
            "statuses": [[key or "unknown", label] for key, label in STATUS_LABELS.items()], "documents": rows}
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return ("window.cchcVanBan=" + text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029") + ";\n")


def legislation_jsonld(d: dict, relations: dict[str, list[dict]], language: str) -> dict:
    """schema.org Legislation for one document; keys without a value are left out, since an
    empty or null value says something false to a search engine."""
    out = {"@context": "https://schema.org", "@type": "Legislation", "@id": d["absolute_url"],
           "url": d["absolute_url"], "name": f'{d["type"]} {d["symbol"]}', "legislationIdentifier": d["symbol"],
           "legislationType": d["type"], "legislationDate": _date_of(d["issued"]).isoformat(),
           "legislationLegalForce": LEGAL_FORCE.get(d["status"]),
           "legislationPassedBy": {"@type": "Organization", "name": d["issuer"]} if d["issuer"] else None,
           "author": {"@type": "Person", "name": d["signer"]} if d["signer"] else None,
           "abstract": d["title"], "about": [{"@type": "Thing", "name": f} for f in d["fields"]], "inLanguage": language,
           "sameAs": d["source_url"] or None}
    for relation, names in LEGISLATION_LINKS.items():
        refs = [{"@type": "Legislation", "@id": r["absolute_url"], "name": f'{r["type"]} {r["symbol"]}',
                 "legislationIdentifier": r["symbol"]} for r in relations.get(relation, [])]
        for name in names:
            out[name] = out.get(name, []) + refs
    return {k: v for k, v in out.items() if v}


def _date_of(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _attachments(site: Site, d) -> list[dict]:
    """Attachments with what a reader needs before downloading: name, type (PDF, DOCX…) and
    size. A missing file is an error found earlier (Builder._check_attachments), so it is skipped here."""
    static = {f.output: f for f in site.static}
    out = []
    for a in d.attachments:
        if a.startswith(("http://", "https://")):
            name = urllib.parse.unquote(urllib.parse.urlsplit(a).path.rstrip("/").rsplit("/", 1)[-1]) or a
            out.append({"name": name, "url": a, "external": True, "type": _file_type(name), "size": ""})
            continue
        key = a[len("content/"):] if a.startswith("content/") else a
        key = key if key.startswith("files/") else f"files/{key}"
        f = static.get(key)
        if f is not None:
            name = key.rsplit("/", 1)[-1]
            out.append({"name": name, "url": key, "external": False, "type": _file_type(name),
                        "size": file_size(f.source.stat().st_size)})
    return out


def _file_type(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    return ext.upper() if dot and stem and ext.isalnum() and len(ext) <= 5 else ""


def file_size(n: int) -> str:
    """Size as Vietnamese readers write it: decimal comma, "1,2 MB", "350 KB", "900 byte"."""
    if n < 1024:
        return f"{n} byte"
    if n < 1024 * 1024:
        return f"{round(n / 1024)} KB"
    return f"{n / 1024 / 1024:.1f} MB".replace(".", ",")


def widget_json(site: Site, views: Views) -> bytes:
    """The latest news as JSON for the portal's CMS (absolute URLs: it is read from elsewhere)."""
    items = [{"title": a["title"], "url": a["absolute_url"], "date": a["date"].isoformat(),
              "summary": a["summary"], "category": a["category"]["name"]}
             for a in (views.article(x) for x in site.articles[:site.settings.feed_items])]
    return (json.dumps({"title": site.settings.title, "url": site.settings.base_url, "items": items},
                       ensure_ascii=False, indent=1) + "\n").encode("utf-8")


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
                self.problems.error(f"{LAYOUTS_DIR}/{exc.name or name}", exc.lineno, f"template: {exc.message}",
                                    "fix the template syntax")
                self._templates[name] = None
            except jinja2.TemplateNotFound as exc:
                self.problems.error(f"{LAYOUTS_DIR}/{name}", None, f"template not found: {exc.name}",
                                    "restore it from the sample layouts")
                self._templates[name] = None
        return self._templates[name]

    def render(self, job: Job, common: dict) -> bytes | None:
        template = self.template(job.template)
        if template is None:
            return None
        if common is not self._common:
            self._common, self._fragments = common, {}
        self.layouts.env.fragments = self._fragments
        try:
            text = template.render(common, page_url=job.url, **job.context)
        except jinja2.TemplateSyntaxError as exc:
            self.problems.error(f"{LAYOUTS_DIR}/{exc.name or job.template}", exc.lineno, f"template: {exc.message}")
            return None
        except RecursionError:
            self.problems.error(f"{LAYOUTS_DIR}/{job.template}", None, "template: includes itself without end",
                                "remove the include loop")
            return None
        except Exception as exc:  # an error inside a template: report where in the template
            file, line = _template_position(exc, job.template)
            self.problems.error(f"{LAYOUTS_DIR}/{file}", line,
                                f"template: {exc.__class__.__name__}: {exc} (while rendering {job.path})",
                                "fix the template")
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
