"""Serve's fast path: a save that changes articles' or fixed pages' bodies, or the fields lists
only display, rebuilds the pages that show them and nothing else.

Taken when every changed path is a published article or fixed page that incremental.classify
finds edited in its body or SHOWN fields only, and site.yaml, layouts/, the output record and
the date are as at the last full build (LastBuild.allows). A body edit re-renders the item's own
page; a shown-field edit also the pages that show the article's view, looked up in the table
the full build recorded (incremental.Dependencies), and the portal's widget. Every other page's
data is unchanged, so its bytes are too: the result equals a full build's, with the same
problems and the same output record (input digests included). Anything else (a date, a
category, a new citation, a document, a picture, a new file) returns None before the model is
touched, and the full path runs. Documents always take the full path: their bytes are part of
where every body's links point (LinkCache.env).

How a page is re-rendered: its job, as the full build planned it, is pickled with its shared
views written as their names (workers.PageData) and read back with the views of the edited
model; the input digest comes from the same bytes, as in a full build. No view is changed in
place: the last build's model, views and jobs stay as they were, and the edited ones are new.

Known gap: files under output/ that someone else edited are not looked at here (the next full
build, e.g. `python build.py`, restores them).
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from cchc.build.content_cache import ContentCache
from cchc.build.incremental import Dependencies, Edit, classify, with_items
from cchc.build.link_cache import LinkCache
from cchc.build.markdown_cache import MarkdownCache
from cchc.build.workers import PageData, has_body
from cchc.core.config import Settings
from cchc.core.content import Article, Content
from cchc.core.content_files import CONTENT_DIR, is_entry
from cchc.core.problems import Problem, Problems
from cchc.markdown.links import body_citations
from cchc.model import routes
from cchc.model.site import Site, listed_documents
from cchc.model.translations import staleness
from cchc.render.pages import article_job, page_job, widget_json
from cchc.render.templates import Job, Layouts, Renderer
from cchc.render.views import Views


@dataclass
class LastBuild:
    """What the fast path needs from the last build that wrote output/ (kept by `serve`)."""
    settings_bytes: bytes | None        # site.yaml as that build read it
    layouts_stamp: tuple                # digests.folder_stamp of layouts/
    settings: Settings
    today: dt.date
    next_future: dt.datetime | None     # the first article dated later: from then on, a full build
    site: Site                          # the model, citations known
    content: Content
    views: Views                        # the full build's: its shared views are the names in `jobs`
    page_data: PageData                 # the full build's naming (which object is which view), nothing pickled
    assets: dict[str, str]              # layouts/assets/ name -> output path
    marked: dict[str, str]              # source -> Markdown HTML (before links are placed)
    jobs: dict[str, Job]                # output path -> the page's job, in plan order
    own_page: dict[str, str]            # item source -> the path of its own page
    dependencies: Dependencies          # which pages show which views
    base: str                           # what every page's digest starts with (engine, common view data)
    base_body: str                      # ... and a page with a body's (with where links point, LinkCache.env)
    common: dict
    problems: list[Problem]
    pages: int
    renderer: Renderer | None = field(default=None, repr=False)   # kept: its templates are compiled

    def allows(self, settings_bytes: bytes | None, layouts_stamp: tuple, now: dt.datetime) -> bool:
        """site.yaml and layouts/ are as this build read them, and no document's status or
        scheduled article can have changed since (the same day, before the next scheduled one)."""
        return (settings_bytes == self.settings_bytes and layouts_stamp == self.layouts_stamp
                and now.date() == self.today and (self.next_future is None or now < self.next_future))

    def edited_entries(self, changed, site_dir: Path) -> dict[str, Path] | None:
        """The changed paths as published articles' and fixed pages' sources -> their files;
        None when any is something else (a document, a picture, a new or deleted file…)."""
        root = self.settings.site_dir / CONTENT_DIR
        found: dict[str, Path] = {}
        for p in changed:
            p = Path(p)
            p = p if p.is_absolute() else site_dir / p
            try:
                rel_path = p.relative_to(root)
            except ValueError:
                return None
            if p.suffix != ".md" or not is_entry(rel_path) or rel_path.parts[0] == "documents" or not p.is_file():
                return None
            rel = p.relative_to(self.settings.site_dir).as_posix()
            if rel not in self.site.by_source or rel not in self.own_page:
                return None
            found[rel] = p
        return found or None


@dataclass
class FastBuild:
    """The pages a fast build rendered, and the state it leaves."""
    files: dict[str, bytes]             # output path -> bytes
    inputs: dict[str, str]              # output path -> input digest
    problems: list[Problem]             # all of this build's problems
    last: LastBuild                     # the state after it


@dataclass
class _Edited:
    item: object
    html: str                           # Markdown HTML
    placed: str                         # ... with its links placed on its page
    kind: Edit


def fast_build(last: LastBuild, paths: dict[str, Path], content: ContentCache, markdown: MarkdownCache,
               links: LinkCache, layouts: Layouts, templates: dict[str, str], now: dt.datetime) -> FastBuild | None:
    """Re-read `paths` (edited_entries) and render the pages their edits touch; None when an
    edit needs the full path. Caches learn the new files either way; the model only if not None."""
    site, settings = last.site, last.settings
    found = Problems()              # this build's problems of the changed files
    gone: list[Problem] = []        # the last build's problems of the same files and stages
    edited: dict[str, _Edited] = {}
    for rel, path in paths.items():
        before = content.entry(rel)
        if before is None:
            return None
        entry = content.reread(rel, path, settings)
        old, new = site.by_source[rel], entry.item
        if new is old:
            continue                # the same bytes: Edit.NONE, nothing to render
        html = markdown.one(settings, new) if new is not None else ""
        cites, cite_problems = _citations(site, new, html) if new is not None else ([], [])
        kind = classify(old, new, site.cites.get(rel, []), cites)
        known = links.known_problems(rel, site.url_of[rel])
        if kind is Edit.FULL or known is None:
            return None
        _, old_cite_problems = _citations(site, old, last.marked[rel])
        placed, link_problems = links.place(new, html, site.url_of[rel])
        found.extend([*entry.problems, *cite_problems, *link_problems])
        gone += [*before.problems, *old_cite_problems, *known]
        for translated in site.translations.translated.get(rel, {}).values():   # its warning compares texts
            gone += staleness(site.by_source[translated], old).items
            found.extend(staleness(site.by_source[translated], new))
        edited[rel] = _Edited(new, html, placed, kind)
    kept = _without(last.problems, gone)
    if kept is None:
        return None                 # the problems were not where expected: let the full path say

    new_site, new_content = with_items(site, last.content, {rel: e.item for rel, e in edited.items()})
    links.use_model(new_site)
    views = Views(new_site, last.assets, now)        # read lazily: only the views of the pages rendered
    page_data = last.page_data.reading(views.ref)
    jobs = dict(last.jobs)
    placed: dict[str, str] = {}
    for rel, e in edited.items():
        # The plan's job for the edited item, made with the full build's views: the jobs hold
        # those objects, which PageData writes as their names and reads back from `views`.
        if isinstance(e.item, Article):     # its related and earlier news move only with a full build
            was = last.jobs[routes.output_path(site.url_of[rel])].context
            job = article_job(new_site, last.views, e.item, e.html, [v["source"] for v in was["related"]],
                              [v["source"] for v in was["earlier"]])
        else:
            job = page_job(new_site, e.item, e.html)
        jobs[job.path] = job
        placed[job.path] = e.placed
    showing = {path for rel, e in edited.items() if e.kind is Edit.SHOWN
               for path in last.dependencies.pages_showing(rel)}
    renderer = last.renderer or Renderer(layouts, found)
    renderer.problems = found
    files, inputs = {}, {}
    for path in [*placed, *(p for p in last.jobs if p in showing and p not in placed)]:
        job = jobs[path]
        body = has_body(job)
        data, inputs[path] = page_data.digest(last.base_body if body else last.base, templates[job.template], job)
        current = page_data.load(data)          # the job with the edited model's views
        if body:
            current.context["body"] = placed[path] if path in placed else links.resolve(job)
        page = renderer.render(current, last.common)
        if page is None and path in placed:
            return None
        if page is not None:
            files[path] = page
    if any(e.kind is Edit.SHOWN for e in edited.values()):
        files[routes.WIDGET_JSON] = widget_json(new_site, views)
    problems = [*kept, *found.items]
    marked = {**last.marked, **{rel: e.html for rel, e in edited.items()}}
    state = replace(last, site=new_site, content=new_content, marked=marked, jobs=jobs, problems=problems,
                    renderer=renderer)
    return FastBuild(files, inputs, problems, state)


def _citations(site: Site, item, html: str) -> tuple[list[str], list[Problem]]:
    """The documents one item cites (its `documents:` list, then its body) and the warnings
    of its body's citations, as links.collect_citations finds them in a full build."""
    listed = listed_documents(item, site.legal, Problems()) if isinstance(item, Article) else []
    found = Problems()
    return body_citations(site.legal, item, html, listed, found), found.items


def _without(problems: list[Problem], gone: list[Problem]) -> list[Problem] | None:
    """`problems` less each of `gone` once; None when one of `gone` is not there."""
    kept, unmatched = [], Counter(gone)
    for p in problems:
        if unmatched[p] > 0:
            unmatched[p] -= 1
        else:
            kept.append(p)
    return None if +unmatched else kept
