"""The model: published items, their URLs, categories, tags, archives, pagination, backlinks.

Built from validated content and the legal index, before anything is rendered, so every
page sees the same consistent site. Items are keyed by source path; relations are keys.
URLs come from routes.py (site-relative: "tin-tuc/x/", "feed.xml"); render turns them into links
relative to the page they appear on. Citations found in bodies are added by
markdown/links.collect_citations, which returns them; `with_citations` gives the model that has them.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from cchc.core.config import Category, Settings
from cchc.core.content import Article, Content, LegalDocument, Page, Procedure
from cchc.core.content_files import CONTENT_DIR, OUTSIDE, StaticFile, outside_content
from cchc.core.files import unpublishable
from cchc.core.legal import LegalIndex, parse_citation
from cchc.core.messages import _
from cchc.core.plans import check_plans
from cchc.core.problems import Problems
from cchc.core.vietnamese import slugify, sort_key
from cchc.model import routes
from cchc.model.images import Picture

from cchc.model.procedures import ProcedureIndex, index_procedures
from cchc.model.translations import Translations, pair_translations


@dataclass
class Tag:
    name: str
    slug: str
    articles: list[Article] = field(default_factory=list)

    @property
    def url(self) -> str:
        return routes.tag(self.slug)


@dataclass
class Site:
    settings: Settings
    articles: list[Article]                     # published, newest first
    pages: list[Page]                           # in menu order
    documents: list[LegalDocument]              # newest issue date first
    legal: LegalIndex
    static: list[StaticFile]
    url_of: dict[str, str]                      # source path -> URL
    by_source: dict[str, object]
    categories: list[tuple[Category, list[Article]]]
    tags: list[Tag]                             # Vietnamese alphabetical order
    years: list[tuple[int, list[Article]]]      # newest year first
    cited_by: dict[str, list[str]]              # document source -> citing article/page sources, newest first
    cites: dict[str, list[str]]                 # article source -> cited document sources
    plans: list = field(default_factory=list)            # core/plans.Plan, by file name
    drafts: list[str] = field(default_factory=list)      # left out: draft: true
    future: list[str] = field(default_factory=list)      # left out: dated after now
    now: dt.datetime | None = None
    pictures: dict[str, Picture] = field(default_factory=dict)   # images/… output path -> its resized variants

    def with_pictures(self, pictures: dict[str, Picture]) -> "Site":
        """The same model with the image phase's pictures (build/images.py): a new object."""
        return dataclasses.replace(self, pictures=pictures)
    procedures: ProcedureIndex = field(default_factory=ProcedureIndex)   # thủ tục hành chính
    translations: Translations = field(default_factory=Translations)     # pages in other languages

    def entries(self) -> list:
        """Every published item with a Markdown body: its Markdown is rendered and its links placed."""
        return [*self.articles, *self.pages, *self.documents, *self.procedures.items, *self.translations.pages]

    def with_citations(self, citations: "Citations") -> "Site":
        """The same model with every citation known (front matter and bodies): a new object, so
        whoever holds the first one never sees it change."""
        return dataclasses.replace(self, cites=citations.cites, cited_by=citations.cited_by)


@dataclass(frozen=True)
class Citations:
    """Who cites what: article/page source -> cited document sources (in order of first mention),
    and document source -> citing sources (newest article first)."""
    cites: dict[str, list[str]]
    cited_by: dict[str, list[str]]


def paginate(items: list, per_page: int) -> list[list]:
    """Split a list into pages; an empty list still gives one (empty) page."""
    return [items[i:i + per_page] for i in range(0, len(items), per_page)] or [[]]


def build_model(settings: Settings, content: Content, legal: LegalIndex, problems: Problems, *,
                now: dt.datetime, drafts: bool = False, future: bool = False) -> Site:
    """Choose what is published, give everything a URL, and compute lists and backlinks."""
    left_drafts, left_future = [], []
    articles = []
    for a in content.articles:
        if a.draft and not drafts:
            left_drafts.append(a.source)
        elif a.date and a.date > now and not future:
            left_future.append(a.source)
        else:
            articles.append(a)
    articles.sort(key=lambda a: (a.date, a.source), reverse=True)
    pages = [p for p in content.pages if drafts or not p.draft]
    left_drafts += [p.source for p in (*content.pages, *content.procedures) if p.draft and not drafts]
    translated = [p for p in pages if p.lang]
    pages = [p for p in pages if not p.lang]
    pages.sort(key=lambda p: (p.menu if p.menu is not None else 10**6, sort_key(p.title)))
    documents = [d for d in content.documents if d.source in legal.facts]
    documents.sort(key=lambda d: (d.issued, d.symbol), reverse=True)

    url_of: dict[str, str] = {}
    owner: dict[str, str] = {}
    by_source: dict[str, object] = {}

    def claim(url: str, item, field_name: str) -> bool:
        if url in owner:
            problems.error(item.source, item.line_of(field_name),
                           _('URL "{url}" is already used by {file}', url=url, file=owner[url]),
                           _("titles that differ only by tone marks give the same slug: set 'slug:' in one of them"))
            return False
        owner[url] = item.source
        url_of[item.source] = url
        by_source[item.source] = item
        return True

    for a in sorted(articles, key=lambda a: a.source):   # the first file by name keeps the URL
        claim(routes.article(a.slug), a, "slug" if "slug" in a.lines else "title")
    for p in pages:
        if p.slug in routes.RESERVED:
            problems.error(p.source, p.line_of("slug" if "slug" in p.lines else "title"),
                           _('the page would take the folder "{slug}/", which the section uses itself', slug=p.slug),
                           _("set another 'slug:'"))
            continue
        claim(routes.page(p.slug), p, "slug" if "slug" in p.lines else "title")
    for d in documents:
        claim(routes.document(legal.facts[d.source].slug), d, "symbol")
    procedures = index_procedures([p for p in content.procedures if drafts or not p.draft], legal, claim, problems)
    # Items that lost their URL to an earlier one are not published twice.
    articles = [a for a in articles if a.source in url_of]
    pages = [p for p in pages if p.source in url_of]
    documents = [d for d in documents if d.source in url_of]
    translations = pair_translations(settings, pages, translated, claim, problems)

    by_category: dict[str, list[Article]] = {c.key: [] for c in settings.categories}
    tags: dict[str, Tag] = {}
    years: dict[int, list[Article]] = defaultdict(list)
    for a in articles:
        by_category[a.category].append(a)
        years[a.date.year].append(a)
        for name in a.tags:
            slug = slugify(name)
            if not slug:
                problems.warning(a.source, a.line_of("tags"), _('tag "{name}" has no letters or digits', name=name),
                                 _("remove it"))
                continue
            tags.setdefault(slug, Tag(name, slug)).articles.append(a)

    cites = {a.source: listed_documents(a, legal, problems) for a in articles}
    static = []
    for f in content.static:   # here, so every way of listing content/ goes through the checks
        refused = OUTSIDE if outside_content(f.source, settings.site_dir) else unpublishable(f.output)
        if refused:
            problems.error(f"{CONTENT_DIR}/{f.output}", None, *refused)
        else:
            static.append(f)
    return Site(
        settings=settings, articles=articles, pages=pages, documents=documents, legal=legal,
        static=static, url_of=url_of, by_source=by_source,
        categories=[(c, by_category[c.key]) for c in settings.categories],
        tags=sorted(tags.values(), key=lambda t: sort_key(t.name)),
        years=sorted(years.items(), reverse=True),
        cited_by={d.source: [] for d in documents}, cites=cites, drafts=left_drafts, future=left_future, now=now,
        plans=check_plans(content.plans, articles, legal, problems),
        procedures=procedures, translations=translations,
    )


def listed_documents(article: Article, legal: LegalIndex, problems: Problems) -> list[str]:
    """The documents an article's `documents:` list names, in order (body citations are added
    by markdown/links.py); a warning for each entry that names none, or more than one."""
    found: list[str] = []
    for text in article.documents:
        citation = parse_citation(text)
        if citation is None:
            problems.warning(article.source, article.line_of("documents"),
                             _('documents: "{text}" is not a document number', text=text),
                             _('write it as "Nghị định số 61/2018/NĐ-CP" or "908/QĐ-UBND ngày 29/10/2018"'))
            continue
        r = legal.resolve_citation(citation)
        if r.source is None:
            report_unresolved(problems, legal, article.source, article.line_of("documents"), text, r)
            continue
        wrong_date = legal.date_problem(citation.text, r.source, citation.date)
        if wrong_date:
            problems.warning(article.source, article.line_of("documents"),
                             _("{key}: {problem}", key="documents", problem=wrong_date[0]), wrong_date[1])
        if r.source not in found:
            found.append(r.source)
    return found


def report_unresolved(problems: Problems, legal: LegalIndex, source: str, line: int, text: str, resolution) -> None:
    """One warning for a citation that names no document, or more than one (wording: legal.describe)."""
    described = legal.describe(text, resolution)
    if described:
        problems.warning(source, line, *described)
