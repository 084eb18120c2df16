"""The page plan: every output file of the section as a Job (where, which layout, which view
data), in a stable order, with the URLs of model/routes.py. Also the data files of the legal-
document index (its filters' data, schema.org JSON-LD) and the portal's widget."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import urllib.parse

from markupsafe import Markup

from cchc.core.legal import RELATION_LABELS, STATUS_LABELS, parse_citation
from cchc.core.vietnamese import sort_key
from cchc.model import routes
from cchc.model.related import earlier_in_category, related_articles
from cchc.model.site import Site, paginate
from cchc.render import opendata
from cchc.render.plans import plan_page, plans_list
from cchc.render.reports import stats_page
from cchc.render.templates import RAW, Job
from cchc.render.views import Views, pagination_view

def plan_jobs(site: Site, views: Views, bodies: dict[str, str]) -> list[Job]:
    """Every page of the section, in a stable order. Bodies are the resolved HTML per source."""
    return PagePlan(site, views).finish(bodies, site)


class PagePlan:
    """Every page of the section, in a stable order, planned in two steps. Most pages (lists,
    the home page, feeds, the documents' table) show neither a body nor a citation, so they are
    planned from the model alone (`early`) and the workers can render them while this process
    waits for the bodies and collects their citations; the pages of articles, fixed pages and
    documents, the statistics and the sitemap follow (`finish`, given the site with its
    citations). Every URL comes from model/routes.py; a page's file is routes.output_path(url)."""

    def __init__(self, site: Site, views: Views):
        s = site.settings
        parts: list = []        # a Job, or (how many, (bodies, the jobs before them, site) -> those jobs)
        self._parts = parts

        def add(url: str, template: str, source: str = "", **context) -> None:
            parts.append(Job(routes.output_path(url), url, template, context, source))

        def listing(base: str, title: str, kind: str, items: list, description: str = "", **extra) -> None:
            chunks = paginate(items, s.per_page)
            for n, chunk in enumerate(chunks, start=1):
                add(routes.paged(base, n), "list.html", title=title, kind=kind, description=description,
                    articles=[views.article(a) for a in chunk], pagination=pagination_view(base, n, len(chunks)),
                    **extra)

        def articles(bodies: dict[str, str], jobs: list[Job], site: Site) -> list[Job]:
            related = related_articles(site)          # needs the bodies' citations: planned here
            earlier = earlier_in_category(site)
            return [article_job(site, views, a, bodies.get(a.source, ""), related.get(a.source, ()),
                                earlier.get(a.source, ())) for a in site.articles]

        def pages(bodies: dict[str, str], jobs: list[Job], site: Site) -> list[Job]:
            return [page_job(site, p, bodies.get(p.source, "")) for p in site.pages]

        def translations(bodies: dict[str, str], jobs: list[Job], site: Site) -> list[Job]:
            return [page_job(site, p, bodies.get(p.source, "")) for p in site.translations.pages]

        def sitemap(bodies: dict[str, str], jobs: list[Job], site: Site) -> list[Job]:
            return [Job(routes.SITEMAP, routes.SITEMAP, "sitemap.xml", dict(
                title=s.title, urls=[{"loc": views.absolute(j.url), "lastmod": _lastmod(site, j)} for j in jobs
                                     if j.path.endswith("index.html")]))]

        def stats(bodies: dict[str, str], jobs: list[Job], site: Site) -> list[Job]:
            """thong-ke/ and each plan's page (after the citations: a plan's items may count the
            articles citing a document)."""
            extra = {"plans": plans_list(site)} if site.plans else {}
            return [Job(routes.output_path(routes.STATS), routes.STATS, "stats.html",
                        dict(title="Thống kê", **stats_page(site), **extra))] + [
                    Job(routes.output_path(routes.plan(p.slug)), routes.plan(p.slug), "plan.html",
                        plan_page(site, p, views.article))
                    for p in site.plans]

        latest_docs = [views.document(d) for d in site.documents[:5]]
        add(routes.HOME, "home.html", articles=[views.article(a) for a in site.articles[:s.home_items]],
            documents=latest_docs, title=s.title, **_languages(site, None))
        listing(routes.NEWS, "Tin tức", "news", site.articles)
        parts.append((len(site.articles), articles))
        for c, items in site.categories:
            cat = views.category[c.key]
            listing(cat["url"], c.name, "category", items, c.description, category=cat)
        add(routes.TAGS, "tags.html", title="Thẻ",
            tags=[{"name": t.name, "url": t.url, "count": len(t.articles)} for t in site.tags])
        for t in site.tags:
            listing(t.url, t.name, "tag", t.articles)
        add(routes.ARCHIVES, "archives.html", title="Lưu trữ",
            years=[{"year": y, "url": routes.year(y), "count": len(items)} for y, items in site.years])
        for y, items in site.years:
            listing(routes.year(y), f"Năm {y}", "year", items, year=y)
        parts.append((len(site.pages), pages))
        for lang, home in site.translations.homes().items():
            add(home, "home-en.html", title=s.english.title or s.title, page_lang=lang,
                pages=[{"title": p.title, "url": site.url_of[p.source], "summary": p.summary}
                       for p in site.translations.pages if p.lang == lang],
                **_languages(site, None))
        parts.append((len(site.translations.pages), translations))
        parts.extend(document_lists(site, views))
        parts.append((len(site.documents), lambda bodies, jobs, site: document_pages(site, views, bodies)))
        if site.procedures:
            procedures = [views.procedure(p) for p in site.procedures.items]
            add(routes.PROCEDURES, "procedures.html", title="Danh mục thủ tục hành chính", procedures=procedures,
                fields=sorted({p["field"] for p in procedures if p["field"]}, key=sort_key),
                levels=sorted({p["level"] for p in procedures if p["level"]}, key=sort_key))
            parts.append((len(site.procedures.items), lambda bodies, jobs, site: procedure_pages(site, views, bodies)))
        add(routes.SEARCH, "search.html", title="Tìm kiếm")
        parts.append((1 + len(site.plans), stats))
        add(routes.SITEMAP_PAGE, "sitemap-page.html", title="Sơ đồ trang",
            pages=[views.ref(p.source) for p in site.pages],
            years=[{"year": y, "url": routes.year(y)} for y, _ in site.years])
        add(routes.NOT_FOUND, "404.html", title="Không tìm thấy trang")
        feed_items = [views.article(a) for a in site.articles[:s.feed_items]]
        updated = max((a.updated or a.date for a in site.articles[:s.feed_items]), default=None)
        add(routes.ATOM, "feed.xml", articles=feed_items, updated=updated, title=s.title)
        add(routes.RSS, "rss.xml", articles=feed_items, updated=updated, title=s.title)
        parts.append((1, sitemap))
        add(routes.WIDGET, "widget.html", title=s.title, articles=feed_items[:5])

    @property
    def total(self) -> int:
        """How many pages the plan will have."""
        return sum(1 if isinstance(part, Job) else part[0] for part in self._parts)

    @property
    def early(self) -> list[Job]:
        """The pages planned from the model alone."""
        return [part for part in self._parts if isinstance(part, Job)]

    def finish(self, bodies: dict[str, str], site: Site) -> list[Job]:
        """Every page, in order, the early ones as they were planned. `site`: the model with
        every citation known (Site.with_citations)."""
        jobs: list[Job] = []
        for part in self._parts:
            if isinstance(part, Job):
                jobs.append(part)
            else:
                jobs.extend(part[1](bodies, jobs, site))
        return jobs


def article_job(site: Site, views: Views, a, body: str, related=(), earlier=()) -> Job:
    """An article's own page (`site`: with its citations known); `related`, `earlier`: the sources
    of its related news and of its category's earlier news (model/related.py)."""
    url = site.url_of[a.source]
    return Job(routes.output_path(url), url, "article.html",
               dict(article=views.article(a), body=body, title=a.title,
                    documents=[views.ref(src) for src in site.cites.get(a.source, [])],
                    related=[views.ref(src) for src in related], earlier=[views.ref(src) for src in earlier]),
               a.source)


def page_job(site: Site, p, body: str) -> Job:
    """A fixed page's own page, or a translation's (p.lang: in site.translations.pages)."""
    url = site.url_of[p.source]
    if p.lang:
        return Job(routes.output_path(url), url, "page-en.html",
                   dict(title=p.title, summary=p.summary, body=body, page_lang=p.lang,
                        **_languages(site, site.translations.original.get(p.source, ""), p)), p.source)
    return Job(routes.output_path(url), url, "page.html",
               dict(title=p.title, summary=p.summary, body=body, **_languages(site, p.source)), p.source)


def _languages(site: Site, source: str | None, translation=None) -> dict:
    """`languages` for a page that exists in several: {language: its URL}, for the hreflang links
    and the language switch. source None: the home pages (home and en/). A page without a
    translation gets nothing: its switch leads to the other language's home page (layouts)."""
    homes = site.translations.homes()
    if not homes:
        return {}
    if source is None:
        return {"languages": {site.settings.language: routes.HOME, **homes}}
    if translation is not None:       # a translated page: paired with its original, if it has one
        pair = {translation.lang: site.url_of[translation.source]}
        return {"languages": {site.settings.language: site.url_of[source], **pair}} if source else {}
    found = site.translations.translated.get(source)
    if not found:
        return {}
    return {"languages": {site.settings.language: site.url_of[source],
                          **{lang: site.url_of[src] for lang, src in found.items()}}}


def procedure_pages(site: Site, views: Views, bodies: dict[str, str]) -> list[Job]:
    """One page per procedure: the summary, its legal bases in the order written (those in the
    index linked), and the way to the national portal, whose text is not copied (core/procedures.py)."""
    jobs = []
    for p in site.procedures.items:
        bases = []
        for text in p.legal_bases:
            citation = parse_citation(text)
            found = site.legal.resolve_citation(citation).source if citation is not None else None
            bases.append({"text": text, "document": views.ref(found) if found in site.url_of else None})
        jobs.append(Job(routes.output_path(site.url_of[p.source]), site.url_of[p.source], "procedure.html",
                        dict(title=p.name, procedure=views.procedure(p), body=bodies.get(p.source, ""), bases=bases),
                        p.source))
    return jobs


def _lastmod(site: Site, job: Job):
    item = site.by_source.get(job.source)
    if item is None:
        return None
    value = getattr(item, "updated", None) or getattr(item, "date", None) or getattr(item, "issued", None)
    return value.date().isoformat() if value else None


# --- the legal-document index and pages ----------------------------------------------------

DOCUMENTS_PER_PAGE = 100           # rows per page of van-ban/: ~60 KB of HTML, light on a phone
LEGAL_FORCE = {"con-hieu-luc": "https://schema.org/InForce",
               "het-hieu-luc-mot-phan": "https://schema.org/PartiallyInForce",
               "het-hieu-luc": "https://schema.org/NotInForce",
               "chua-co-hieu-luc": "https://schema.org/NotInForce",
               "ngung-hieu-luc": "https://schema.org/NotInForce"}
# Our relations as schema.org Legislation properties. legislationChanges is the established
# property ("amendment, replacement, correction, repeal, or other types of change");
# legislationAmends and legislationRepeals are its newer sub-properties, given too so that
# readers of either vocabulary understand them. A văn bản hợp nhất consolidates
# (legislationConsolidates); a reference is a CreativeWork's `citation`.
LEGISLATION_LINKS = {"based_on": ("isBasedOn",), "amends": ("legislationChanges", "legislationAmends"),
                     "replaces": ("legislationChanges", "legislationRepeals"),
                     "repeals": ("legislationChanges", "legislationRepeals"),
                     "suspends": ("legislationChanges",), "partly_ends": ("legislationChanges",),
                     "guides": ("legislationEnsuresImplementationOf",),
                     "consolidates": ("legislationConsolidates",), "refers_to": ("citation",)}


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
    data_url = routes.DOCUMENTS_DATA.format(digest=hashlib.sha256(data.encode("utf-8")).hexdigest()[:10])
    jobs = []
    chunks = paginate(documents, DOCUMENTS_PER_PAGE)
    for n, chunk in enumerate(chunks, start=1):
        url = routes.paged(routes.DOCUMENTS, n)
        jobs.append(Job(routes.output_path(url), url, "documents.html", dict(
            title="Văn bản", documents=chunk, total=len(documents), first=(n - 1) * DOCUMENTS_PER_PAGE + 1,
            pagination=pagination_view(routes.DOCUMENTS, n, len(chunks)), data_url=data_url,
            open_data=routes.DOCUMENTS_JSON, changes_feed=routes.DOCUMENTS_FEED, **choices)))
    jobs.append(Job(data_url, data_url, "documents-data.js", {"data": Markup(data)}))
    # open data (render/opendata.py): the index, its schema, each document, the feed of changes
    def raw(url: str, text: str, source: str = "") -> Job:
        return Job(url, url, RAW, {"text": text}, source)

    jobs.append(raw(routes.DOCUMENTS_JSON, opendata.index_json(site, views)))
    jobs.append(raw(routes.DOCUMENTS_SCHEMA, opendata.schema_text()))
    for d in site.documents:
        jobs.append(raw(routes.document_json(site.legal.facts[d.source].slug), opendata.document_json(site, views, d),
                        d.source))
    jobs.append(raw(routes.DOCUMENTS_FEED, opendata.changes_feed(site, views)))
    return jobs


def document_pages(site: Site, views: Views, bodies: dict[str, str]) -> list[Job]:
    """One page per document: its body, relations, attachments and the articles citing it."""
    jobs = []
    for d in site.documents:
        facts = site.legal.facts[d.source]
        url = site.url_of[d.source]
        view = views.document(d)
        relations = {k: [views.ref(x) for x in v] for k, v in facts.relations.items() if v}
        parts = {f"{k}|{x}": p for (k, x), p in facts.parts.items()}
        jobs.append(Job(routes.output_path(url), url, "document.html", dict(
            title=f"{d.type} {d.symbol}", document=view, body=bodies.get(d.source, ""), relations=relations,
            inverse={k: [views.ref(x) for x in v] for k, v in facts.inverse.items() if v},
            labels=RELATION_LABELS, parts=parts, json_url=routes.document_json(facts.slug),
            attachments=_attachments(site, d), cited_by=[views.ref(x) for x in site.cited_by.get(d.source, [])],
            procedures=[views.ref(x) for x in site.procedures.based_on.get(d.source, ())],
            jsonld=legislation_jsonld(view, relations, site.settings.language)), d.source))
    return jobs


def documents_data(documents: list[dict]) -> str:
    """Every document in a few bytes for the filters of van-ban/: repeated names (type, issuer,
    status, field) become indexes into lookup tables, a row is
    [slug, symbol, "YYYY-MM-DD", heading, type, issuer, status, [fields]], newest first.
    A script rather than JSON, so the filters also work on a copy opened from disk (file://)."""
    tables: dict[str, dict[str, int]] = {"types": {}, "issuers": {}, "fields": {}}

    def index(table: str, name: str) -> int:
        return tables[table].setdefault(name, len(tables[table]))

    statuses = {key: n for n, key in enumerate(STATUS_LABELS)}
    rows = [[d["url"][len(routes.DOCUMENTS):].rstrip("/"), d["symbol"], _date_of(d["issued"]).isoformat(), d["heading"],
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
           "author": {"@type": "Person", "name": d["signer"], "jobTitle": d["signer_title"] or None}
           if d["signer"] else None,
           "legislationDateOfApplicability": _date_of(d["effective"]).isoformat() if d["effective"] else None,
           "expires": _date_of(d["expires"]).isoformat() if d["expires"] else None,
           "legislationJurisdiction": d["scope"] or None,
           "abstract": d["title"], "about": [{"@type": "Thing", "name": f} for f in d["fields"]], "inLanguage": language,
           "sameAs": d["source_url"] or None}
    for relation, names in LEGISLATION_LINKS.items():
        refs = [{"@type": "Legislation", "@id": r["absolute_url"], "name": f'{r["type"]} {r["symbol"]}',
                 "legislationIdentifier": r["symbol"]} for r in relations.get(relation, [])]
        for name in names:
            out[name] = out.get(name, []) + refs
    if out.get("author"):
        out["author"] = {k: v for k, v in out["author"].items() if v}
    return {k: v for k, v in out.items() if v}


def _date_of(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _attachments(site: Site, d) -> list[dict]:
    """Attachments with what a reader needs before downloading: name, type (PDF, DOCX…) and
    size. A missing file is an error found earlier (build/pipeline.check_attachments), so it is
    skipped here."""
    static = {f.output: f for f in site.static}
    out = []
    for a in d.attachments:
        if a.startswith(("http://", "https://")):
            name = urllib.parse.unquote(urllib.parse.urlsplit(a).path.rstrip("/").rsplit("/", 1)[-1]) or a
            out.append({"name": name, "url": a, "external": True, "type": _file_type(name), "size": ""})
            continue
        key = routes.attachment(a)
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

