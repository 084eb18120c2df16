"""Plain view data for the layouts: one dict per article, document and category, shared by
every page that shows it, so each is computed once a build and hashed once (build/ pickles a
shared view once and names it in each page's data)."""
from __future__ import annotations

import datetime as dt

from cchc.core.legal import STATUS_LABELS
from cchc.core.procedures import ONLINE_LEVELS
from cchc.core.vietnamese import slugify
from cchc.model import routes
from cchc.model.images import SIZES_BODY, SIZES_THUMB
from cchc.model.site import Site

class Views:
    """Plain view data for templates, computed once per item and shared by every page."""

    def __init__(self, site: Site, assets: dict[str, str], generated: dt.datetime):
        self.site = site
        s = site.settings
        self.base_url = s.base_url
        categories = [{"key": c.key, "name": c.name, "description": c.description, "url": routes.category(c.key),
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
                "sizes": {"body": SIZES_BODY, "thumb": SIZES_THUMB},
                **self._identity(site),
                # Newest content date, not the build time: a rebuild of unchanged content
                # must give byte-identical pages, or every build rewrites (and republishes) all.
                "updated": max([a.updated or a.date for a in site.articles] + [d.issued for d in site.documents],
                               default=dt.datetime(2000, 1, 1, tzinfo=s.timezone)),
            },
            "assets": assets,
        }
        self._articles: dict[str, dict] = {}
        self._documents: dict[str, dict] = {}
        self._procedures: dict[str, dict] = {}

    def _identity(self, site: Site) -> dict:
        """What the masthead and footer show of the department (issue 24): its pictures with their
        sizes, the languages and their home pages, the pages in English, the procedures' index."""
        s = site.settings

        def picture(rel: str) -> dict | None:      # the resized variants when the build made some (not SVG)
            return {"src": rel, "picture": self.picture(rel)} if rel else None
        english = site.translations.pages
        return {"logo": picture(s.logo), "banner": picture(s.banner), "favicon": s.favicon,
                "languages": list(s.languages), "language_homes": site.translations.homes(),
                "english": {"title": s.english.title or s.title, "description": s.english.description,
                            "organization": s.english.organization,
                            "menu": [{"title": p.title, "url": site.url_of[p.source]} for p in english]},
                "procedures": routes.PROCEDURES if site.procedures else None}

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

    def shared(self) -> dict[str, dict]:
        """Every article's and document's view made so far, by source: the objects the pages'
        data share (build/ pickles each once and writes it into a page as its source)."""
        return {**self._articles, **self._documents}

    def article(self, a) -> dict:
        """One dict per article, shared by every page that shows it (made once, never changed)."""
        view = self._articles.get(a.source)
        if view is None:
            view = self._articles[a.source] = self.article_view(a)
        return view

    def article_view(self, a) -> dict:
        url = self.site.url_of[a.source]
        return {
            "source": a.source, "url": url, "absolute_url": self.absolute(url), "title": a.title,
            "date": a.date, "updated": a.updated, "summary": a.summary, "author": a.author,
            "image": a.image, "image_alt": a.image_alt, "picture": self.picture(a.image),
            "category": self.category[a.category],
            "tags": [{"name": t.name, "url": t.url} for t in self._tags_of(a)],
            "preview": preview_banner(a, self.site.now),
        }

    def picture(self, path: str) -> dict | None:
        """A picture of content/images/ as resized by the build (model/images.py), else None."""
        picture = self.site.pictures.get(path) if path else None
        return picture.view() if picture is not None else None

    def document(self, d) -> dict:
        """One dict per document, shared like an article's (its status is this build's)."""
        view = self._documents.get(d.source)
        if view is None:
            view = self._documents[d.source] = self.document_view(d)
        return view

    def document_view(self, d) -> dict:
        facts = self.site.legal.facts[d.source]
        url = self.site.url_of[d.source]
        return {
            "source": d.source, "url": url, "absolute_url": self.absolute(url), "symbol": d.symbol,
            "type": d.type, "title": d.title, "issuer": d.issuer, "issued": d.issued, "effective": d.effective,
            "expires": d.expires, "signer": d.signer, "fields": d.fields, "status": facts.status,
            "status_label": STATUS_LABELS.get(facts.status, facts.status), "source_url": d.source_url,
            "heading": document_heading(d.type, d.title),
            "preview": preview_banner(d, self.site.now),
            # what vbpl.vn shows besides (issue 21): each empty unless the entry says it
            "expiry_reason": d.expiry_reason, "expired_parts": d.expired_parts, "gazetted": d.gazetted,
            "scope": d.scope, "signer_title": d.signer_title, "sector": d.sector, "ended": facts.ended,
        }

    def procedure(self, p) -> dict:
        """One dict per procedure, shared by its page, the index and the documents it rests on."""
        view = self._procedures.get(p.source)
        if view is None:
            url = self.site.url_of[p.source]
            view = self._procedures[p.source] = {
                "source": p.source, "url": url, "absolute_url": self.absolute(url), "code": p.code,
                "title": p.name, "field": p.sector, "level": p.level, "agency": p.agency, "online": p.online,
                "online_label": ONLINE_LEVELS.get(p.online, ""), "time": p.time, "fees": p.fees,
                "portal_url": p.portal_url, "source_url": p.source_url}
        return view

    def ref(self, source: str) -> dict:
        """A short view of any item, for relation and backlink lists."""
        item = self.site.by_source[source]
        if hasattr(item, "symbol"):
            return self.document(item)
        if hasattr(item, "category"):
            return self.article(item)
        if hasattr(item, "code"):
            return self.procedure(item)
        return {"source": source, "url": self.site.url_of[source], "title": item.title}


def preview_banner(item, now: dt.datetime | None) -> str:
    """What readers will not see yet, for the banner on an item's page and its mark in lists:
    "Bản nháp", "Hẹn giờ đăng DD/MM/YYYY HH:MM", or "" for a published item. Only a preview
    (`serve`, or build --drafts/--future) has such items: build and publish leave them out."""
    if getattr(item, "draft", False):
        return "Bản nháp"
    date = getattr(item, "date", None)
    if date is not None and now is not None and date > now:
        return f"Hẹn giờ đăng {date:%d/%m/%Y %H:%M}"
    return ""


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
            "prev": routes.paged(base, number - 1) if number > 1 else None,
            "next": routes.paged(base, number + 1) if number < total else None,
            "pages": [{"number": n, "url": routes.paged(base, n)} for n in shown]}
