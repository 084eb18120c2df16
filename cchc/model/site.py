"""The model: published items, their URLs, categories, tags, archives, pagination, backlinks.

Built from validated content and the legal index, before anything is rendered, so every
page sees the same consistent site. Items are keyed by source path; relations are keys.
URLs are site-relative folders ("tin-tuc/x/") or files ("feed.xml"); render turns them into
links relative to the page they appear on.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from cchc.core.config import Category, Settings
from cchc.core.content import CONTENT_DIR, OUTSIDE, Article, Content, LegalDocument, Page, StaticFile, outside_content
from cchc.core.legal import LegalIndex
from cchc.core.problems import Problems
from cchc.core.vietnamese import slugify, sort_key

# Top-level folders the generator itself writes; a fixed page may not take one of them.
RESERVED = {"tin-tuc", "chuyen-muc", "the", "luu-tru", "van-ban", "tim-kiem", "so-do-trang", "thong-ke",
            "assets", "files", "images", "pagefind", "404", "index", "feed", "rss", "sitemap", "tin-moi"}


@dataclass
class Tag:
    name: str
    slug: str
    articles: list[Article] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"the/{self.slug}/"


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
    drafts: list[str] = field(default_factory=list)      # left out: draft: true
    future: list[str] = field(default_factory=list)      # left out: dated after now
    now: dt.datetime | None = None

    def tags_of(self, article: Article) -> list[Tag]:
        return [self._tag_by_slug[slugify(t)] for t in article.tags if slugify(t) in self._tag_by_slug]

    def category_of(self, article: Article) -> Category:
        return self._category_by_key[article.category]

    def __post_init__(self) -> None:
        self._tag_by_slug = {t.slug: t for t in self.tags}
        self._category_by_key = {c.key: c for c, _ in self.categories}


def paginate(items: list, per_page: int) -> list[list]:
    """Split a list into pages; an empty list still gives one (empty) page."""
    return [items[i:i + per_page] for i in range(0, len(items), per_page)] or [[]]


def page_url(base: str, number: int) -> str:
    """URL of page `number` of a list at `base`: base itself, then base + "trang-N/"."""
    return base if number == 1 else f"{base}trang-{number}/"


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
    left_drafts += [p.source for p in content.pages if p.draft and not drafts]
    pages.sort(key=lambda p: (p.menu if p.menu is not None else 10**6, sort_key(p.title)))
    documents = [d for d in content.documents if d.source in legal.facts]
    documents.sort(key=lambda d: (d.issued, d.symbol), reverse=True)

    url_of: dict[str, str] = {}
    owner: dict[str, str] = {}
    by_source: dict[str, object] = {}

    def claim(url: str, item, field_name: str) -> None:
        if url in owner:
            problems.error(item.source, item.line_of(field_name),
                           f'URL "{url}" is already used by {owner[url]}',
                           "titles that differ only by tone marks give the same slug: set 'slug:' in one of them")
            return
        owner[url] = item.source
        url_of[item.source] = url
        by_source[item.source] = item

    for a in sorted(articles, key=lambda a: a.source):   # the first file by name keeps the URL
        claim(f"tin-tuc/{a.slug}/", a, "slug" if "slug" in a.lines else "title")
    for p in pages:
        if p.slug in RESERVED:
            problems.error(p.source, p.line_of("slug" if "slug" in p.lines else "title"),
                           f'the page would take the folder "{p.slug}/", which the section uses itself',
                           "set another 'slug:'")
            continue
        claim(f"{p.slug}/", p, "slug" if "slug" in p.lines else "title")
    for d in documents:
        claim(f"van-ban/{legal.facts[d.source].slug}/", d, "symbol")
    # Items that lost their URL to an earlier one are not published twice.
    articles = [a for a in articles if a.source in url_of]
    pages = [p for p in pages if p.source in url_of]
    documents = [d for d in documents if d.source in url_of]

    by_category: dict[str, list[Article]] = {c.key: [] for c in settings.categories}
    tags: dict[str, Tag] = {}
    years: dict[int, list[Article]] = defaultdict(list)
    for a in articles:
        by_category[a.category].append(a)
        years[a.date.year].append(a)
        for name in a.tags:
            slug = slugify(name)
            if not slug:
                problems.warning(a.source, a.line_of("tags"), f'tag "{name}" has no letters or digits', "remove it")
                continue
            tags.setdefault(slug, Tag(name, slug)).articles.append(a)

    cited_by, cites = _citations(articles, pages, documents, legal, problems)
    static = []
    for f in content.static:   # here, so every way of listing content/ goes through the check
        if outside_content(f.source, settings.site_dir):
            problems.error(f"{CONTENT_DIR}/{f.output}", None, *OUTSIDE)
        else:
            static.append(f)
    return Site(
        settings=settings, articles=articles, pages=pages, documents=documents, legal=legal,
        static=static, url_of=url_of, by_source=by_source,
        categories=[(c, by_category[c.key]) for c in settings.categories],
        tags=sorted(tags.values(), key=lambda t: sort_key(t.name)),
        years=sorted(years.items(), reverse=True),
        cited_by=cited_by, cites=cites, drafts=left_drafts, future=left_future, now=now,
    )


def _citations(articles, pages, documents, legal: LegalIndex, problems: Problems):
    """Resolve the `documents:` lists of articles; body citations are added by links.py."""
    from cchc.core.legal import parse_citation
    cited_by: dict[str, list[str]] = {d.source: [] for d in documents}
    cites: dict[str, list[str]] = {}
    for a in articles:
        found = []
        for text in a.documents:
            citation = parse_citation(text)
            if citation is None:
                problems.warning(a.source, a.line_of("documents"), f'documents: "{text}" is not a document number',
                                 'write it as "Nghị định số 61/2018/NĐ-CP" or "908/QĐ-UBND ngày 29/10/2018"')
                continue
            r = legal.resolve_citation(citation)
            if r.source is None:
                report_unresolved(problems, legal, a.source, a.line_of("documents"), text, r)
            elif r.source not in found:
                found.append(r.source)
        cites[a.source] = found
    return cited_by, cites


def report_unresolved(problems: Problems, legal: LegalIndex, source: str, line: int, text: str, resolution) -> None:
    """One warning for a citation that names no document, or more than one (wording: legal.describe)."""
    described = legal.describe(text, resolution)
    if described:
        problems.warning(source, line, *described)
