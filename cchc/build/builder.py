"""The one place that knows the order of a build: config -> content -> legal -> site -> render -> output.

`build`, `check`, `serve`, `publish` and `report` all go through `Builder`; none repeats its
steps. Everything is read before anything is rendered; pages are staged as they are rendered
(output.py: beside their targets, or in folders this build made) and put in place only by a
build without errors (or, with strict, warnings): any other ending removes what was staged and
the folders made for it, so output/ is left as it was.

Incremental by design, and exact: the result of any build equals a --no-cache build of the
same files, byte for byte (tests/test_incremental.py checks it on random edit sequences).
  - Content files are re-read only when their size or modification time changed, and
    re-parsed only when their bytes did (ContentCache; in memory, and in .cache/ between runs).
  - Markdown is rendered once per body text (MarkdownCache, keyed by the text and the engine).
  - Each output page has an input digest: its template and everything that template includes,
    its plain view data, the shared view data and the engine. A page whose digest is the one
    in the output record, and whose file is still as we wrote it, is neither rendered nor
    written. A template change thus re-renders exactly the pages using that template; a
    cited document's new title re-renders exactly the pages showing it.
  - The engine fingerprint includes the source of this package, so an upgrade (or a fix)
    invalidates every cache.
Big batches of Markdown and of pages go to worker processes (--jobs, default one per CPU).

For `serve`: keep ONE Builder and call `build(changed)` after each save. `changed` is the set
of paths (absolute, or relative to the site folder) reported by the watcher; only those
files are looked at. `build()` / `build(None)` checks every file by stat instead. The model
and caches stay in memory between calls. `BuildResult.stats.written` lists the output paths
(relative to output/) that this build wrote, `stats.removed` those it deleted.
"""
from __future__ import annotations

import datetime as dt
import gc
import hashlib
import io
import os
import pickle
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Callable, Iterator

from cchc import __version__
from cchc.core.fingerprint import package_digest
from cchc.core.config import CONFIG_FILE, Settings, load_settings
from cchc.core.content import CONTENT_DIR, Article, Content, LegalDocument, Page, StaticFile, read_entry
from cchc.core.legal import build_index
from cchc.core.plans import load_plans
from cchc.markdown.links import LinkResolver, body_citations, collect_citations
from cchc.markdown.engine import ENGINE_MARKDOWN, render_many
from cchc.build.images import ImagePhase, pictures_digest
from cchc.build.output import (Record, Staged, WriteStats, discard, is_current, load_record, record_path, save_record,
                               stage_page, write_output)
from cchc.core.problems import Problem, Problems
from cchc.core.progress import Progress
from cchc.model import routes
from cchc.render.pages import Plan, widget_json
from cchc.render.templates import LAYOUTS_DIR, Job, Layouts, Renderer, fingerprint_assets
from cchc.render.views import Views
from cchc.search.encoding import BUNDLE as SEARCH_BUNDLE, is_index_file
from cchc.search.indexer import SearchIndex
from cchc.model.site import Site, build_model, listed_documents

CACHE_DIR = ".cache"
PARALLEL_MIN = 300        # below this many bodies or pages, starting workers costs more than it saves
# A build makes millions of small objects and keeps most of them (the model, the pages' view data);
# with Python's default thresholds the cyclic collector walks them all again and again: a third
# of a no-change build at 12,000 files (3.0 s -> 2.2 s measured). Collections still run, rarely.
GC_THRESHOLD = (50_000, 20, 100)


@dataclass
class BuildOptions:
    out_dir: Path | None = None       # default: <site>/output
    drafts: bool = False
    future: bool = False
    strict: bool = False
    base_url: str | None = None
    jobs: int = 0                     # 0: one per CPU
    quiet: bool = False
    for_disk: bool = False
    write: bool = True                # False for `check`
    cache: bool = True                # False: ignore .cache/ and render every page (a cold build)
    now: dt.datetime | None = None    # the moment "future" is measured from (tests set it)


@dataclass
class BuildResult:
    problems: Problems
    settings: Settings | None = None
    content: Content | None = None
    site: Site | None = None
    rendered: list[str] = field(default_factory=list)      # output paths rendered by this build
    stats: WriteStats | None = None
    seconds: float = 0.0
    pages: int = 0                    # output files the section consists of (rendered or not)
    timings: dict[str, float] = field(default_factory=dict)   # seconds per phase

    @property
    def ok(self) -> bool:
        return not self.problems.errors

    def failed(self, strict: bool) -> bool:
        return bool(self.problems.errors or (strict and self.problems.warnings))


_ENGINE: str | None = None


def engine_fingerprint() -> str:
    """Identity of everything that turns content into bytes: this package's source and the
    versions of Python-Markdown, nh3, Jinja2 and PyYAML. Part of every cache key."""
    global _ENGINE
    if _ENGINE is None:
        import jinja2
        import yaml
        _ENGINE = _digest(f"{__version__}|{ENGINE_MARKDOWN}|jinja2-{jinja2.__version__}|pyyaml-{yaml.__version__}",
                          package_digest())
    return _ENGINE


def _digest(*parts: bytes | str) -> str:
    h = hashlib.blake2b(digest_size=20)
    for p in parts:
        h.update(p.encode("utf-8") if isinstance(p, str) else p)
        h.update(b"\0")
    return h.hexdigest()


class Builder:
    """Builds one section folder. Keeps its caches between calls, so `serve` can reuse it."""

    def __init__(self, site_dir: Path, options: BuildOptions | None = None):
        # Absolute, so that `--site .` and `--site C:\\…\\cchc` share one cache (the settings,
        # which hold this folder, are part of the content cache's key).
        self.site_dir = Path(site_dir).resolve()
        self.options = options or BuildOptions()
        cache_dir = self.site_dir / CACHE_DIR if self.options.cache else None
        self.content_cache = ContentCache(cache_dir)
        self.markdown_cache = MarkdownCache(cache_dir)
        self.link_cache = LinkCache(cache_dir)
        self.search = SearchIndex(cache_dir)     # kept between builds: a save re-indexes its records only
        # Resized photos live in .cache/images/ even with --no-cache (which then makes them again).
        self.images = ImagePhase(self.site_dir / CACHE_DIR, trust_index=self.options.cache)
        self._templates: dict[str, str] = {}
        self._templates_stamp: tuple | None = None
        self._record: Record | None = None
        self._record_stamp: tuple | None = None
        self._layouts: Layouts | None = None
        self._last: _LastBuild | None = None    # for the fast path: the last build that wrote output/

    @property
    def out_dir(self) -> Path:
        return self.options.out_dir or self.site_dir / "output"

    def build(self, changed: set[Path] | set[str] | None = None,
              pages_written: Callable[[BuildResult], None] | None = None) -> BuildResult:
        """Build the section. `changed`: the paths known to have changed since the last call
        on this Builder (None: look at every file's size and modification time).
        `pages_written` is called once the pages are in output/ and before the search index is
        updated (seconds on a large site), so `serve` can reload the editor's page at once."""
        self._pages_written = pages_written
        started = time.perf_counter()
        opts = self.options
        progress = Progress(not opts.quiet)
        problems = Problems()
        result = BuildResult(problems)
        threshold = gc.get_threshold()
        gc.set_threshold(*GC_THRESHOLD)
        try:
            self._build(result, progress, changed)
        finally:
            gc.set_threshold(*threshold)
            progress.finish()
            _Workers.close()
        result.timings = progress.seconds
        result.seconds = time.perf_counter() - started
        return result

    def _build(self, result: BuildResult, progress: Progress, changed) -> None:
        opts, problems = self.options, result.problems
        if changed is not None and self._last is not None and self._fast(result, progress, changed):
            return
        self._last = None
        progress.start("Reading site.yaml")
        # Read before the settings and the layouts are used: an edit made during this build then
        # differs from what is kept for the fast path, and the next build takes the full path.
        settings_bytes = _read_bytes(self.site_dir / CONFIG_FILE)
        layouts_stamp = self._layouts_stamp()
        settings, config_problems = load_settings(self.site_dir, opts.base_url)
        problems.extend(config_problems)
        if settings is None:
            return
        result.settings = settings
        now = opts.now or dt.datetime.now(settings.timezone)

        content = self.content_cache.load(settings, problems, changed, progress, opts.jobs)
        content.plans = load_plans(settings, problems)     # a few small YAML files: read on every build
        self._save_caches(problems, self.content_cache)     # at once: it frees the parts kept to save
        result.content = content
        # The workers render the bodies while this process builds the model: a body's HTML
        # depends on its text only. Drafts left out of the build are not rendered.
        bodies = [i for i in (*content.articles, *content.pages, *content.documents) if opts.drafts or not i.draft]
        rendering = self.markdown_cache.submit(settings, {i.source: i for i in bodies}, opts.jobs)
        progress.start("Resolving documents and links")
        legal = build_index([d for d in content.documents if opts.drafts or not d.draft], now.date(), problems)
        site = build_model(settings, content, legal, problems, now=now, drafts=opts.drafts, future=opts.future)
        result.site = site
        self._check_attachments(site, problems)
        progress.start("Images")
        pictures, resized = self.images.run(site.static, settings.images, problems, opts.jobs)
        site = result.site = site.with_pictures(pictures)

        if self._layouts is None:
            self._layouts = Layouts(self.site_dir, for_disk=opts.for_disk)
        layouts = self._layouts
        assets = fingerprint_assets(self.site_dir)
        views = Views(site, {name: out for name, (out, _) in assets.items()}, now)
        progress.start("Planning pages")
        plan = Plan(site, views)           # the pages that show no body nor citation, for now
        record = self._load_record()
        # What every page's digest starts with; a page with a body adds where its links point
        # (`links.env`), and the body enters as its Markdown output.
        base = _digest(engine_fingerprint(), str(opts.for_disk), pickle.dumps(views.common, protocol=5))
        inputs: dict[str, str] = {}
        keep: set[str] = set()
        out = str(self.out_dir)
        page_data = _PageData(views, self.markdown_cache)
        jobs: list[Job] = []
        marked: dict[str, str] = {}
        links: LinkCache = self.link_cache
        with_links = ""

        def pending():
            """The pages whose inputs differ from the last build's (or whose file was changed),
            in three waves that keep the workers busy: the pages planned from the model alone,
            sent while the workers still render the bodies; then, the bodies and citations known,
            the rest of the plan without a body; then the pages with a body, each as soon as
            this process has placed its links (LinkCache.check), while the workers render the
            pages before it."""
            nonlocal marked, with_links, site
            first = plan.early
            digests = self._template_digests(layouts, {j.template for j in first})
            for job in first:
                yield from changed(job, base, digests)
            rendered = progress.done
            marked = rendering([i.source for i in (*site.articles, *site.pages, *site.documents)], progress)
            progress.start("Resolving documents and links")
            site = result.site = site.with_citations(collect_citations(site, marked, problems))
            progress.start("Planning pages")
            jobs.extend(plan.finish(marked, site))
            outputs = {j.path for j in jobs} | {f.output for f in site.static} | set(resized) | {o for o, _ in assets.values()}
            links.prepare(site, outputs, problems, settings, opts.for_disk)
            with_links = _digest(base, links.env)
            digests = self._template_digests(layouts, {j.template for j in jobs})
            planned = {id(j) for j in first}
            rest = [job for job in jobs if id(job) not in planned]
            progress.start("Rendering", len(jobs), done=rendered)
            for job in rest:
                if not _has_body(job):
                    yield from changed(job, base, digests)
            for job in links.check(job for job in rest if _has_body(job)):
                yield from changed(job, with_links, digests)

        def changed(job: Job, base: str, digests: dict[str, str]):
            data, digest = page_data.digest(base, digests[job.template], job)
            inputs[job.path] = digest
            entry = record.get(job.path)
            if opts.cache and entry is not None and entry[3] == digest and is_current(out, job.path, entry):
                keep.add(job.path)
                progress.advance()
                return
            yield _Todo(job, data, links.resolve(job) if _has_body(job) else None, entry)

        # Pages are staged as they are rendered (output.py), unless the build has already failed
        # (a problem found later discards them: output/ is left as it was).
        stage = opts.write and not result.failed(opts.strict)
        progress.start("Rendering", plan.total)
        todo, pages = self._render(layouts, views.common, pending(), plan.total, problems, progress, stage, page_data)
        result.rendered = [t.job.path for t in todo] + [routes.WIDGET_JSON]
        result.pages = len(jobs) + 1
        copies = {f.output: f.source for f in site.static}
        copies.update(resized)               # a photo's original is never published, only its variants
        copies.update({out: path for out, path in assets.values()})
        if pages is None:                   # a page could not be staged: the error is reported
            return
        if not stage or result.failed(opts.strict):
            discard(pages)
        else:
            progress.start("Writing", len(pages))
            if settings.search:     # search: written after the pages (_search), kept meanwhile
                keep.update(rel for rel in record if is_index_file(rel))
            try:
                pages.append(stage_page(self.out_dir, routes.WIDGET_JSON, widget_json(site, views),
                                        record.get(routes.WIDGET_JSON)))
                result.stats, self._record = write_output(
                    self.out_dir, pages, copies, self._record_file(), keep=keep, inputs=inputs, record=record,
                    save=not settings.search)
            except OSError as exc:
                # A full disk or a read-only folder: the staging step failed before any page was
                # replaced, so output/ still holds the last good section.
                discard(pages)
                self._cannot_write(problems, exc.filename, exc.strerror or str(exc))
                return
            self._record_stamp = _stamp(self._record_file())
            self._tell_pages_written(result)
            # The search records come from the same inputs as the pages: when no page was
            # rendered or removed and the index in output/ is intact, it cannot have changed.
            if settings.search:
                if todo or result.stats.removed or not self._search_current():
                    self._search(result, site, jobs, progress)
                self._save_record(record, problems)
        if opts.cache and stage and result.stats is not None and not result.failed(opts.strict):
            scheduled = set(site.future)
            future = [a.date for a in content.articles if a.source in scheduled and a.date]
            self._last = _LastBuild(
                settings_bytes=settings_bytes, layouts_stamp=layouts_stamp, settings=settings, today=now.date(),
                next_future=min(future, default=None), site=site, content=content, marked=marked, jobs=jobs,
                job_of={j.source: n for n, j in enumerate(jobs) if j.source and j.template in _OWN_PAGE},
                base=base, base_body=with_links, common=views.common, views=views, problems=list(problems.items),
                pages=result.pages)

    # --- the fast path: a save that changes one article's or page's own page only --------------

    def _fast(self, result: BuildResult, progress: Progress, changed) -> bool:
        """Rebuild only the pages that show the changed articles and fixed pages, when the
        changes move nothing (STYLE §4: listings depend on what they show, not on bodies).

        Taken when every changed path is a published article or page whose body cites the same
        documents, whose front matter is as before except, for an article, the fields lists only
        display (SHOWN: title, summary, image), and site.yaml, layouts/, the output record
        and the date are as at the last full build. A body edit then re-renders the item's own
        page only; a title edit also the pages holding the article's view (its lists, the home
        page, the feeds, the documents it cites), found once per model by the identity of that
        view (_shown_in) and updated in place. Every other page's view data is unchanged, so
        its bytes are too: the result equals a full build's, with the same problems and the
        same output record (input digests included). Anything else (a date, a category, a new
        citation, a document, a picture, a new file) returns False before anything is changed,
        and the full path runs. Documents always take the full path: their bytes are part of
        where every body's links point (LinkCache.env).
        Known gap: files under output/ that someone else edited are not looked at here (the next
        full build, e.g. `python build.py`, restores them).
        """
        last, opts = self._last, self.options
        if _read_bytes(self.site_dir / CONFIG_FILE) != last.settings_bytes \
                or self._layouts_stamp() != last.layouts_stamp \
                or _stamp(self._record_file()) != self._record_stamp:
            return False
        settings, site = last.settings, last.site
        now = opts.now or dt.datetime.now(settings.timezone)
        if now.date() != last.today or (last.next_future is not None and last.next_future <= now):
            return False          # a document's status or a scheduled article may change today
        root = settings.site_dir / CONTENT_DIR
        paths: dict[str, Path] = {}
        for p in changed:
            p = Path(p)
            p = p if p.is_absolute() else self.site_dir / p
            try:
                rel_path = p.relative_to(root)
            except ValueError:
                return False
            if p.suffix != ".md" or not _is_entry(rel_path) or rel_path.parts[0] == "documents" or not p.is_file():
                return False
            rel = p.relative_to(settings.site_dir).as_posix()
            if rel not in site.by_source or rel not in last.job_of or rel not in self.content_cache.files:
                return False
            paths[rel] = p
        if not paths:
            return False

        progress.start("Reading content", len(paths))
        found = Problems()              # this build's problems of the changed files
        gone: list[Problem] = []        # the last build's problems of the same files and stages
        updates = []
        renderer = last.renderer or Renderer(self._layouts, found)
        page_data = _PageData(last.views, self.markdown_cache)
        renderer.problems = found
        for rel, path in paths.items():
            old, before = site.by_source[rel], self.content_cache.files[rel][4]
            self.content_cache._refresh(rel, path, settings, trust_stat=False)
            _, _, _, new, read = self.content_cache.files[rel]
            if new is None or type(new) is not type(old):
                return False
            shown = _facts(new) != _facts(old)
            if shown and (not isinstance(new, Article) or _placing(new) != _placing(old)):
                return False
            html = self.markdown_cache.one(settings, new)
            cites, cite_problems = _body_citations(site, new, html)
            old_cites, old_cite_problems = _body_citations(site, old, last.marked[rel])
            if cites != site.cites.get(rel, []) or old_cites != site.cites.get(rel, []):
                return False
            job = last.jobs[last.job_of[rel]]
            known = self.link_cache.known.get((rel, job.url))
            if known is None:
                return False
            self.link_cache._problems = self.link_cache._resolver.problems = links_found = Problems()
            placed = self.link_cache._resolve((rel, job.url), new, html)
            view = last.views.article_view(new) if shown else None
            context = dict(job.context, body=html, **({"title": new.title, "article": view} if shown else {}))
            if shown:          # named, and hashed, as the view it replaces will be once updated
                page_data.views[rel], page_data.names[id(view)] = view, rel
            _, digest = page_data.digest(last.base_body, self._templates[job.template],
                                         Job(job.path, job.url, job.template, context, rel))
            page = renderer.render(Job(job.path, job.url, job.template, dict(context, body=placed), rel), last.common)
            if page is None:
                return False
            found.extend(read)
            found.extend(cite_problems)
            found.extend(links_found)
            gone += [*before, *old_cite_problems, *known[2]]
            updates.append((rel, old, new, html, Job(job.path, job.url, job.template, context, rel), digest, page,
                            view))
        kept, unmatched = [], Counter(gone)
        for p in last.problems:
            if unmatched[p] > 0:
                unmatched[p] -= 1
            else:
                kept.append(p)
        if +unmatched:
            return False               # the problems were not where expected: let the full path say
        last.renderer = renderer

        # Nothing changed yet but caches: from here on the model becomes this build's.
        files, inputs, showing = {}, {}, set()
        for rel, old, new, html, job, digest, page, view in updates:
            _swap(site, last.content, old, new)
            last.marked[rel] = html
            if view is not None:
                shared = last.views.article(old)      # the dict every list of this article holds
                shared.clear()
                shared.update(view)
                job.context["article"] = shared
                showing.update(self._shown_in(last).get(id(shared), ()))
            last.jobs[last.job_of[rel]] = job
            files[job.path], inputs[job.path] = page, digest
        showing -= {last.job_of[rel] for rel in paths}
        for n in sorted(showing):
            job = last.jobs[n]
            shown_job = job
            if _has_body(job):
                shown_job = Job(job.path, job.url, job.template, dict(job.context, body=self.link_cache.resolve(job)),
                                job.source)
            page = renderer.render(shown_job, last.common)
            if page is not None:
                files[job.path] = page
                _, inputs[job.path] = page_data.digest(last.base_body if _has_body(job) else last.base,
                                                       self._templates[job.template], job)
        if showing:
            files[routes.WIDGET_JSON] = widget_json(site, last.views)
        problems = result.problems
        problems.extend(kept)
        problems.extend(found)
        result.settings, result.content, result.site = settings, last.content, site
        result.rendered, result.pages = list(files), last.pages
        last.problems = list(problems.items)
        if result.failed(opts.strict):
            self._last = None          # output/ keeps the last good pages; the next build is a full one
            return True
        progress.start("Writing", len(files))
        record = self._load_record()
        pages: list[Staged] = []
        try:
            for rel, data in files.items():
                pages.append(stage_page(self.out_dir, rel, data, record.get(rel)))
            result.stats, self._record = write_output(self.out_dir, pages, {}, self._record_file(),
                                                      keep=set(record) - set(files), inputs=inputs, record=record,
                                                      save=not settings.search)
        except OSError as exc:
            discard(pages)
            self._cannot_write(problems, exc.filename, exc.strerror or str(exc))
            self._record = self._last = None
            return True
        self._record_stamp = _stamp(self._record_file())
        self._tell_pages_written(result)
        if settings.search:
            if result.stats.written and not self._search(result, site, last.jobs, progress):
                self._last = None      # not written: the next build is a full one, and tries again
            self._save_record(record, problems)
        # The content and link caches stay in memory (saved by the next full build): writing them
        # is most of a fast build (0.5 s at 10,000 articles), and a stale copy on disk only makes
        # a later process re-read the files edited since, which it notices by their size and time.
        self.markdown_cache.save()
        return True

    @staticmethod
    def _shown_in(last: "_LastBuild") -> dict[int, set[int]]:
        """id of each article's view -> the jobs whose view data holds it (computed once per model)."""
        if last.shown_in is None:
            views = {id(v) for v in last.views._articles.values()}
            found: dict[int, set[int]] = {}

            def walk(value, n: int) -> None:
                if isinstance(value, dict):
                    if id(value) in views:
                        found.setdefault(id(value), set()).add(n)
                        return
                    for v in value.values():
                        walk(v, n)
                elif isinstance(value, list):
                    for v in value:
                        walk(v, n)
            for n, job in enumerate(last.jobs):
                walk(job.context, n)
            last.shown_in = found
        return last.shown_in

    def _layouts_stamp(self) -> tuple:
        root = self.site_dir / LAYOUTS_DIR
        return tuple(sorted((p.as_posix(), *(_stamp(p) or ())) for p in root.rglob("*"))) if root.is_dir() else ()

    # --- steps -------------------------------------------------------------------------------

    def _search_current(self) -> str:
        """The input digest of the search index in output/ (its entry's), when all its files are
        as the output record says ("" when there is none, or someone changed or deleted a file)."""
        record, out = self._record or {}, self.out_dir
        entry = record.get(SEARCH_BUNDLE)
        if entry is None or not all(is_current(out, rel, v) for rel, v in record.items() if is_index_file(rel)):
            return ""
        return entry[3]

    def _search(self, result: BuildResult, site: Site, jobs: list[Job], progress: Progress) -> bool:
        """Update the search index after the pages (a save in `serve` shows its page first) and
        write its files as pages are written: staged, then put in place by write_output with the
        rest of the output record kept, so a file the new index no longer names is removed by the
        record. -> False when they could not be written (one error, naming the folder; output/
        keeps the previous index)."""
        progress.start("Search index")
        record = self._record
        ours = {rel for rel in record if is_index_file(rel)}
        out = self.out_dir
        entry = record.get(SEARCH_BUNDLE)
        update = self.search.update(site, jobs, entry[3] if entry is not None else "")
        if not update.files:
            if self._search_current():
                return True
            update = self.search.update(site, jobs)     # the same index, but one of its files was changed or deleted
        staged: list[Staged] = []
        try:
            for rel, data in update.files.items():      # the entry last: put in place after its files
                prev = record.get(rel)
                if rel != SEARCH_BUNDLE and prev is not None and is_current(out, rel, prev):
                    staged.append(Staged(rel, *prev[:3]))    # a data file's name is a hash of its bytes
                else:
                    staged.append(stage_page(out, rel, data, prev))
            stats, self._record = write_output(out, staged, {}, self._record_file(), keep=set(record) - ours,
                                               inputs={SEARCH_BUNDLE: update.digest}, record=record, save=False)
        except OSError as exc:
            discard(staged)
            self._cannot_write(result.problems, exc.filename, exc.strerror or str(exc), "cannot write the search index",
                               "free disk space or check the folder's permissions; the pages are written, "
                               "the search keeps its previous index")
            return False
        result.stats.written += stats.written
        result.stats.removed += stats.removed
        result.stats.unchanged += len(staged) - len(stats.written)
        return True

    def _save_record(self, before: Record, problems: Problems) -> None:
        """Save the output record once both writes are done (pages, then the search index): one
        save instead of two (10 ms at 2,400 items). Until then the file on disk is the last build's,
        which a later build only finds less current than output/ (it renders those pages again
        and finds their bytes unchanged)."""
        path = self._record_file()
        try:
            if self._record != before or not path.is_file():
                save_record(path, self._record)
        except OSError as exc:
            self._cannot_write(problems, exc.filename, exc.strerror or str(exc), "cannot save the output record",
                               "free disk space or check the folder's permissions; the pages are written, "
                               "the next build renders them again")
        self._record_stamp = _stamp(path)

    def _tell_pages_written(self, result: BuildResult) -> None:
        if self._pages_written is not None:
            self._pages_written(result)

    def _record_file(self) -> Path:
        return record_path(self.site_dir / CACHE_DIR, self.out_dir)

    def _load_record(self) -> Record:
        """The output record, re-read only when another process (a `build` beside `serve`) wrote it."""
        path = self._record_file()
        stamp = _stamp(path)
        if self._record is None or stamp != self._record_stamp:
            self._record, self._record_stamp = load_record(path), stamp
        return self._record

    def _template_digests(self, layouts: Layouts, names: set[str]) -> dict[str, str]:
        """Layouts.digest_of for each template, recomputed only when a file under layouts/ changed."""
        stamp = tuple(sorted((p.as_posix(), *(_stamp(p) or ())) for p in layouts.root.rglob("*")))
        if self._templates_stamp != stamp:
            self._templates_stamp, self._templates = stamp, {}
        for name in names - set(self._templates):
            self._templates[name] = layouts.digest_of(name)
        return self._templates

    def _cannot_write(self, problems: Problems, filename, reason: str, message: str = "cannot write the output",
                      hint: str = "free disk space or check the folder's permissions; nothing was changed") -> None:
        where = Path(filename).parent if filename else self.out_dir
        problems.error(_shown(where, self.site_dir), None, f"{message}: {reason}", hint)

    def _save_caches(self, problems: Problems, *caches) -> None:
        """Save what this build learnt (content, Markdown, links) while the workers work: it
        depends on the inputs only. A cache that cannot be saved costs speed, not pages."""
        try:
            for cache in caches:
                cache.save()
        except OSError as exc:
            problems.warning(_shown(self.site_dir / CACHE_DIR, self.site_dir), None,
                             f"cannot save the cache: {exc.strerror or exc}",
                             "the next build reads and renders everything again; make .cache/ a writable folder")

    def _render(self, layouts: Layouts, common: dict, pending: Iterator["_Todo"], total: int, problems: Problems,
                progress: Progress, stage: bool, page_data: "_PageData") -> tuple[list["_Todo"], list[Staged] | None]:
        """Render the pages as `pending` yields them: in worker processes when there are many,
        each chunk sent as soon as it is known, so the workers start while the rest is being
        compared with the last build. Each worker stages its pages (output.stage_page) as it
        renders them. The caches are saved meanwhile. -> (the pages rendered, the pages staged
        or None when one could not be (a full disk: the error is reported, no temporary file is
        left))."""
        out_dir = str(self.out_dir) if stage else None
        workers = _Workers.count(self.options.jobs)
        size = max(20, min(200, total // (workers * 8)))
        todo: list[_Todo] = []
        futures: list = []
        staged: list[Staged] = []
        table: list[str] = []
        try:
            if workers > 1 and total >= PARALLEL_MIN:
                common_data = pickle.dumps(common, protocol=5)

                def submit(chunk: list[_Todo]) -> None:
                    if not table:
                        table.append(page_data.table(tempfile.gettempdir()))
                    futures.append(_Workers.get(workers).submit(
                        _render_chunk, str(self.site_dir), self.options.for_disk, common_data, table[0],
                        [(t.data, t.placed, t.entry) for t in chunk], out_dir))

                sent = 0
                for t in pending:
                    todo.append(t)
                    # Workers only once there are enough pages to be worth starting them.
                    while len(todo) >= PARALLEL_MIN and len(todo) - sent >= size:
                        submit(todo[sent:sent + size])
                        sent += size
                if futures and sent < len(todo):
                    submit(todo[sent:])
            else:
                todo = list(pending)
            self._save_caches(problems, self.markdown_cache, self.link_cache)
            failed = None
            for future in futures:
                count, pages, found, failure = future.result()
                problems.extend(found)
                staged += pages
                failed = failed or failure
                progress.advance(count)
            if failed:
                discard(staged)
                self._cannot_write(problems, *failed)
                return todo, None
            if not futures:
                staged = self._render_here(layouts, common, todo, problems, progress, out_dir)
            return todo, staged
        except BaseException:      # Ctrl-C: let the running chunks end, then remove what they staged
            for future in futures:
                future.cancel()
            for future in futures:
                if not future.cancelled():
                    try:
                        discard(future.result()[1])
                    except BaseException:
                        pass
            discard(staged)
            raise
        finally:
            for path in table:
                Path(path).unlink(missing_ok=True)

    def _render_here(self, layouts: Layouts, common: dict, todo: list["_Todo"], problems: Problems,
                     progress: Progress, out_dir: str | None) -> list[Staged] | None:
        """Render and stage the pages in this process (few pages, or --jobs 1)."""
        renderer = Renderer(layouts, problems)
        staged: list[Staged] = []
        try:
            for t in todo:
                job = t.job if t.placed is None else Job(t.job.path, t.job.url, t.job.template,
                                                         dict(t.job.context, body=t.placed), t.job.source)
                data = renderer.render(job, common)
                if data is not None and out_dir is not None:
                    staged.append(stage_page(self.out_dir, job.path, data, t.entry))
                progress.advance()
        except OSError as exc:
            discard(staged)
            self._cannot_write(problems, exc.filename, exc.strerror or str(exc))
            return None
        except BaseException:
            discard(staged)
            raise
        return staged

    def _check_attachments(self, site: Site, problems: Problems) -> None:
        static = {f.output for f in site.static}
        for d in site.documents:
            for a in d.attachments:
                if a.startswith(("http://", "https://")):
                    continue
                key = routes.attachment(a)
                if ".." in key.split("/") or key not in static:
                    problems.error(d.source, d.line_of("attachments"), f'attachments: "{a}" is not in content/files/',
                                   "copy the file into content/files/ and write its name, e.g. files/ke-hoach.pdf")


@dataclass
class _LastBuild:
    """What the fast path needs from the last full build that wrote output/ (kept by `serve`)."""
    settings_bytes: bytes | None
    layouts_stamp: tuple
    settings: Settings
    today: dt.date
    next_future: dt.datetime | None     # the first scheduled article: from then on, a full build
    site: Site
    content: Content
    marked: dict[str, str]              # source -> Markdown HTML (before links are placed)
    jobs: list[Job]
    job_of: dict[str, int]              # article or page source -> index of its own page in jobs
    base: str                           # what every page's digest starts with (engine, common view data)
    base_body: str                      # ... and a page with a body's (with where links point, LinkCache.env)
    common: dict
    views: Views
    problems: list[Problem]
    pages: int
    renderer: Renderer | None = None
    shown_in: dict[int, set[int]] | None = None     # Builder._shown_in


_OWN_PAGE = ("article.html", "page.html")
_NOT_FACTS = ("body", "digest")
# An article's fields that pages only display: changing one moves it in no list and changes no
# count (the author is counted on thong-ke/, so it is not one of them).
SHOWN = ("title", "summary", "image", "image_alt")


def _has_body(job: Job) -> bool:
    """A page that shows an item's body (placed by LinkCache, sent beside the page's data)."""
    return bool(job.source) and "body" in job.context


def _facts(item) -> tuple:
    """Everything of an item except its body: what lists, feeds and other pages may show."""
    return tuple(getattr(item, f.name) for f in fields(item) if f.name not in _NOT_FACTS)


def _placing(item) -> tuple:
    """An item's facts but the SHOWN ones: where it appears, in which order, under which URL."""
    return tuple(getattr(item, f.name) for f in fields(item) if f.name not in _NOT_FACTS + SHOWN)


def _body_citations(site: Site, item, html: str) -> tuple[list[str], list[Problem]]:
    """The documents one item cites (its `documents:` list, then its body) and the warnings
    of its body's citations, as links.collect_citations finds them in a full build."""
    listed = listed_documents(item, site.legal, Problems()) if isinstance(item, Article) else []
    found = Problems()
    return body_citations(site.legal, item, html, listed, found), found.items


def _swap(site: Site, content: Content, old, new) -> None:
    """Put the re-read item where the old one was, in every list of the model."""
    site.by_source[old.source] = new
    lists = [content.articles, content.pages, site.articles, site.pages, *(items for _, items in site.categories),
             *(t.articles for t in site.tags), *(items for _, items in site.years)]
    for items in lists:
        for n, x in enumerate(items):
            if x is old:
                items[n] = new


def _read_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _stamp(path: Path) -> tuple | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


# --- content -------------------------------------------------------------------------------

_KINDS = {"articles": Article, "pages": Page, "documents": LegalDocument}


class ContentCache:
    """Parsed content files by path: re-read only when size or modification time changed,
    re-parsed only when the bytes did. Each file's problems are kept with it, so a cached
    build reports exactly what a cold one does.

    Mirrors content.load_content (same files, same order) but calls content.read_entry only
    for new or changed files. A parsed entry also depends on site.yaml (categories, document
    types, time zone) and on which pictures exist (image: is checked), so both are part of
    the cache's fingerprint.

    On disk: content.pickle holds every entry (50 MB at 12,000 files), content-delta.pickle
    the entries changed since, so saving after one edit writes one entry, not the whole file.
    An entry that a crash left older than its file is re-read: its size and time differ.
    content.pickle is a header, then parts ({rel: entry} or [(rel, entry)]) one after another:
    the parts the workers pickled when they read the files are written as they came, which
    spares this process pickling 50 MB again (0.2 s, while the workers waited for it).
    """

    DELTA_MAX = 500          # entries changed since the whole file was written: then rewrite it

    def __init__(self, folder: Path | None):
        self.path = folder / "content.pickle" if folder is not None else None
        self.delta_path = folder / "content-delta.pickle" if folder is not None else None
        self.fingerprint = ""
        # rel -> (mtime_ns, size, digest, item or None, problems)
        self.files: dict[str, tuple[int, int, str, object, list[Problem]]] = {}
        self.listing: dict[str, Path] = {}        # rel -> absolute path, of every .md under content/
        self._saved: dict[str, tuple] = {}        # the entries as in content.pickle
        self._pickled: list[tuple[bytes, list]] = []   # (bytes, [(rel, entry)]) as workers sent them
        self._loaded = False
        self._dirty = False

    def load(self, settings: Settings, problems: Problems, changed, progress: Progress, jobs: int = 0) -> Content:
        root = settings.site_dir / CONTENT_DIR
        content = Content()
        if not root.is_dir():
            problems.error(CONTENT_DIR, None, "the content folder is missing", "create content/articles/")
            return content
        content.static = _static_files(root)
        fingerprint = _digest(engine_fingerprint(), repr(settings), repr([f.output for f in content.static]))
        if not self._loaded and self.path is not None:
            self._loaded = True
            try:
                with open(self.path, "rb") as f:
                    if pickle.load(f).get("fingerprint") == fingerprint:
                        files = {}
                        while f.peek(1):
                            files.update(pickle.load(f))
                        self.fingerprint, self.files, self._saved = fingerprint, files, dict(files)
                        self.files.update(self._load_delta(fingerprint))
            except Exception:   # a missing, truncated or old cache is simply not used
                pass
        targeted = changed is not None and fingerprint == self.fingerprint and bool(self.listing)
        if fingerprint != self.fingerprint:
            self.fingerprint, self.files, self._saved, self._dirty = fingerprint, {}, {}, True
            self._pickled = []
        targeted = targeted and self._update_listing(root, changed)
        if not targeted:
            self.listing = _markdown_files(root, settings.site_dir)
            check = self.listing
        else:
            check = {rel: self.listing[rel] for rel in self._changed_rels if rel in self.listing}
        progress.start("Reading content", len(self.listing))
        for rel in [r for r in self.files if r not in self.listing]:
            del self.files[rel]
            self._dirty = True
        unread = {}
        for rel, path in check.items():
            if self._refresh(rel, path, settings, trust_stat=not targeted, parse=False):
                unread[rel] = path
            else:
                progress.advance()
        self._parse(unread, settings, jobs, progress)
        for rel in sorted(self.listing, key=lambda r: self.listing[r]):
            _, _, _, item, found = self.files[rel]
            problems.extend(found)
            if isinstance(item, Article):
                content.articles.append(item)
            elif isinstance(item, Page):
                content.pages.append(item)
            elif item is not None:
                content.documents.append(item)
        return content

    def _refresh(self, rel: str, path: Path, settings: Settings, trust_stat: bool = True, parse: bool = True) -> bool:
        """Re-read one file if needed. A file the watcher names is compared by its bytes: a quick
        second save can keep the size and, on coarse file systems, the modification time.
        With parse=False, True means the file must be parsed (left to _parse)."""
        known = self.files.get(rel)
        try:
            st = path.stat() if known is not None else None    # a file never read: nothing to compare
        except OSError:
            st = None
        if st is not None:
            if trust_stat and (st.st_mtime_ns, st.st_size) == known[:2]:
                return False
            try:
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
            except OSError:
                digest = ""
            if digest == known[2]:
                self.files[rel] = (st.st_mtime_ns, st.st_size, *known[2:])
                self._dirty = True
                return False
        if not parse:
            return True
        self._parse({rel: path}, settings, 1, None)
        return False

    def _parse(self, paths: dict[str, Path], settings: Settings, jobs: int, progress: Progress | None) -> None:
        """Parse files (content.read_entry), in worker processes when there are many: YAML and
        the field checks are a fifth of a cold build."""
        workers = _Workers.count(jobs)
        todo = [(rel, str(path)) for rel, path in paths.items()]
        if workers > 1 and len(todo) >= PARALLEL_MIN:
            size = max(50, min(400, len(todo) // (workers * 4)))
            pool = _Workers.get(workers)
            futures = [pool.submit(_read_chunk, settings, todo[i:i + size]) for i in range(0, len(todo), size)]
            for future in futures:
                data = future.result()
                entries = pickle.loads(data)
                self._pickled.append((data, entries))
                for rel, entry in entries:
                    self.files[rel] = entry
                    if progress:
                        progress.advance()
        else:
            for rel, path in todo:
                self.files[rel] = _read_one(settings, rel, path)
                if progress:
                    progress.advance()
        self._dirty = self._dirty or bool(todo)

    def _update_listing(self, root: Path, changed) -> bool:
        """Apply the watcher's changed paths to the listing; False when a full scan is needed
        (a folder was created, moved or deleted)."""
        self._changed_rels = []
        site_dir = root.parent
        for p in changed:
            p = Path(p)
            p = p if p.is_absolute() else site_dir / p
            try:
                rel_path = p.relative_to(root)
            except ValueError:
                continue        # site.yaml or layouts/: handled by the fingerprints
            if p.is_dir() or (not p.exists() and p.suffix != ".md"):
                return False
            if p.suffix != ".md" or not _is_entry(rel_path):
                continue
            rel = p.relative_to(site_dir).as_posix()
            if p.exists():
                self.listing[rel] = p
                self._changed_rels.append(rel)
            else:
                self.listing.pop(rel, None)
        return True

    def _load_delta(self, fingerprint: str) -> dict:
        try:
            with open(self.delta_path, "rb") as f:
                delta = pickle.load(f)
            return delta["files"] if delta.get("fingerprint") == fingerprint else {}
        except Exception:   # none, or unreadable: the stat check re-reads what it missed
            return {}

    def save(self) -> None:
        if self.path is None or not self._dirty:
            return
        from cchc.core.files import atomic_write
        self.path.parent.mkdir(parents=True, exist_ok=True)
        changed = {rel: e for rel, e in self.files.items() if self._saved.get(rel) is not e}
        if self._saved and len(changed) <= self.DELTA_MAX:
            atomic_write(self.delta_path, pickle.dumps({"fingerprint": self.fingerprint, "files": changed},
                                                       protocol=pickle.HIGHEST_PROTOCOL))
        else:
            parts, kept = [pickle.dumps({"fingerprint": self.fingerprint})], set()
            for data, entries in self._pickled:
                if all(self.files.get(rel) is entry for rel, entry in entries):
                    parts.append(data)
                    kept.update(rel for rel, _ in entries)
            parts.append(pickle.dumps({rel: e for rel, e in self.files.items() if rel not in kept},
                                      protocol=pickle.HIGHEST_PROTOCOL))
            atomic_write(self.path, b"".join(parts))
            self._saved = dict(self.files)
            self.delta_path.unlink(missing_ok=True)
        self._pickled = []
        self._dirty = False


def _read_one(settings: Settings, rel: str, path: str) -> tuple:
    """One content file -> its ContentCache entry: (mtime_ns, size, digest, item or None, problems)."""
    p = Path(path)
    try:
        st = p.stat()
    except OSError:
        st = None
    found = Problems()
    item = read_entry(p, rel, rel.split("/", 2)[1], settings, found)     # rel: content/<kind>/…
    return (st.st_mtime_ns if st else 0, st.st_size if st else -1, item.digest if item is not None else "",
            item, found.items)


def _read_chunk(settings: Settings, todo: list[tuple[str, str]]) -> bytes:
    """In a worker: parse a batch of content files -> [(rel, entry)], pickled here so that the
    parent can write these very bytes into content.pickle (ContentCache.save)."""
    return pickle.dumps([(rel, _read_one(settings, rel, path)) for rel, path in todo],
                        protocol=pickle.HIGHEST_PROTOCOL)


def _is_entry(rel_path: Path) -> bool:
    return len(rel_path.parts) > 1 and rel_path.parts[0] in _KINDS and not rel_path.name.startswith((".", "~"))


def _markdown_files(root: Path, site_dir: Path) -> dict[str, Path]:
    """Every article, page and document file, in the order content.load_content reads them.
    os.scandir, not Path.rglob: listing 12,000 files is then a tenth of a second, not a second.
    Like rglob, folders that are symbolic links are not entered."""
    found: list[tuple[tuple[str, ...], str]] = []
    prefix = root.relative_to(site_dir).as_posix()

    def walk(folder: str, rel: tuple[str, ...]) -> None:
        with os.scandir(folder) as entries:
            for e in entries:
                if e.is_dir(follow_symlinks=False):
                    walk(e.path, rel + (e.name,))
                elif e.name.endswith(".md") and not e.name.startswith((".", "~")) and not e.is_dir():
                    found.append((rel + (e.name,), e.path))
    for kind in _KINDS:
        base = root / kind
        if base.is_dir():
            walk(str(base), (kind,))
    found.sort()
    return {"/".join((prefix, *parts)): Path(path) for parts, path in found}


def _static_files(root: Path) -> list[StaticFile]:
    out = []
    for folder in ("files", "images"):
        base = root / folder
        if base.is_dir():
            for path in sorted(base.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    out.append(StaticFile(path, f"{folder}/{path.relative_to(base).as_posix()}"))
    return out


# --- links ---------------------------------------------------------------------------------

class LinkCache:
    """Where each body's links and citations point (links.LinkResolver) and what they warn.

    A body's placement on its page depends on its source file (the body and its first line),
    the page's URL and the site's link targets (`env`: every URL, output, static file and
    document). The warnings are kept (in memory, and in .cache/ between runs) so that every
    build reports them; the placed HTML is computed only for the pages rendered this time.
    """

    def __init__(self, folder: Path | None):
        self.path = folder / "links.pickle" if folder is not None else None
        self.known: dict[tuple[str, str], tuple[str, str, list[Problem]]] = {}  # (source, url) -> (file digest, env, problems)
        self.html: dict[tuple[str, str], tuple[str, str, str]] = {}           # (source, url) -> (file digest, env, html)
        self.env = ""
        self._loaded = self._dirty = False
        self._resolver: LinkResolver | None = None
        self._site: Site | None = None

    def prepare(self, site: Site, outputs: set[str], problems: Problems, settings: Settings,
                for_disk: bool) -> "LinkCache":
        """Learn the site's link targets (`env`); check() then places the bodies."""
        if not self._loaded and self.path is not None:
            self._loaded = True
            try:
                with open(self.path, "rb") as f:
                    self.known = pickle.load(f)
            except Exception:   # missing or unreadable: everything is resolved again
                self.known = {}
        self.env = _digest(engine_fingerprint(), repr(sorted(site.url_of.items())), repr(sorted(outputs)),
                           str(for_disk), repr(settings), repr([(d.source, d.digest) for d in site.documents]),
                           repr(sorted(f.output for f in site.static)), pictures_digest(site.pictures))
        self._site = site
        self._resolver = LinkResolver(site, outputs, problems, for_disk)
        self._problems = problems
        return self

    def check(self, jobs: Iterator[Job]) -> Iterator[Job]:
        """Report the warnings of every body on its page (known ones again, others found now),
        passing each job on once its body is checked: the pages go to the workers while the
        next bodies are checked. Then forget the bodies no page shows any more."""
        site, problems = self._site, self._problems
        live = set()
        for job in jobs:
            key = (job.source, job.url)
            live.add(key)
            item = site.by_source[job.source]
            known = self.known.get(key)
            if known is not None and known[0] == item.digest and known[1] == self.env:
                problems.extend(known[2])
            else:
                self._resolve(key, item, job.context["body"])
            yield job
        for key in [k for k in self.known if k not in live]:
            del self.known[key]
            self._dirty = True
        self.html = {k: v for k, v in self.html.items() if k in live}

    def _resolve(self, key: tuple[str, str], item, body: str) -> str:
        problems = self._problems
        before = len(problems.items)
        html = self._resolver.resolve(item, body, key[1])
        found = problems.items[before:]
        self.known[key] = (item.digest, self.env, list(found))
        self.html[key] = (item.digest, self.env, html)
        self._dirty = True
        return html

    def resolve(self, job: Job) -> str:
        """The body placed on its page (its warnings were reported by check())."""
        key = (job.source, job.url)
        item = self._site.by_source[job.source]
        known = self.html.get(key)
        if known is not None and known[0] == item.digest and known[1] == self.env:
            return known[2]
        problems = self._problems
        before = len(problems.items)
        html = self._resolver.resolve(item, job.context["body"], job.url)
        del problems.items[before:]        # already reported once, from the record
        self.html[key] = (item.digest, self.env, html)
        return html

    def save(self) -> None:
        if self.path is None or not self._dirty:
            return
        from cchc.core.files import atomic_write
        self.path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(self.path, pickle.dumps(self.known, protocol=pickle.HIGHEST_PROTOCOL))
        self._dirty = False


# --- Markdown ------------------------------------------------------------------------------

class MarkdownCache:
    """Rendered bodies keyed by a hash of the text and the Markdown engine's identity.

    In memory for `serve`, and on disk (a SQLite file under .cache/) so a second `build`
    skips Markdown entirely for unchanged bodies. The marks left in the HTML do not depend on
    other files, which is what makes this cache safe.
    """

    def __init__(self, folder: Path | None):
        self.folder = folder
        self.memory: dict[str, str] = {}
        self._db = None
        self._new: dict[str, str] = {}
        self._keys: dict[str, tuple[str, str]] = {}    # source -> (body, key): no re-hashing in serve

    def _key(self, settings: Settings, item) -> str:
        """The body's key: from its file's hash when known (the body is a function of the file's
        bytes and the engine), which saves hashing 60 MB of text at 12,000 files."""
        known = self._keys.get(item.source)
        if known is not None and known[0] is item.body:
            return known[1]
        key = _digest(engine_fingerprint(), repr(settings.markdown), "file:" + item.digest if item.digest else item.body)
        self._keys[item.source] = (item.body, key)
        return key

    def key_of(self, source: str) -> str:
        """The key of the body last rendered for this source (render() or one() made it)."""
        return self._keys[source][1]

    def _open(self):
        if self._db is None and self.folder is not None:
            import sqlite3
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                self._db = sqlite3.connect(str(self.folder / "markdown.sqlite"))
                self._db.execute("CREATE TABLE IF NOT EXISTS body (key TEXT PRIMARY KEY, html TEXT)")
            except (OSError, sqlite3.Error):   # .cache/ unusable: render without it (the save warns)
                self._db, self.folder = None, None
        return self._db

    def one(self, settings: Settings, item) -> str:
        """One body (the fast path): without render()'s pruning, which keeps only the bodies asked for."""
        key = self._key(settings, item)
        html = self.memory.get(key)
        if html is None:
            html = self.memory[key] = self._new[key] = render_many(settings.markdown, [item.body])[0]
        return html

    def submit(self, settings: Settings, items: dict[str, object], jobs: int = 0) -> Callable:
        """Start rendering the bodies that are in no cache (in the worker processes when there
        are many) -> a function that waits for them and returns source -> Markdown HTML for the
        sources it is given (some of `items`)."""
        keys = {source: self._key(settings, item) for source, item in items.items()}
        missing = {k for k in keys.values() if k not in self.memory}
        db = self._open() if missing else None
        if missing and db is not None:
            wanted = list(missing)
            for i in range(0, len(wanted), 500):
                chunk = wanted[i:i + 500]
                rows = db.execute(f"SELECT key, html FROM body WHERE key IN ({','.join('?' * len(chunk))})", chunk)
                for key, html in rows:
                    self.memory[key] = html
                    missing.discard(key)
        todo = {}
        for source, key in keys.items():
            if key in missing and key not in todo:
                todo[key] = items[source].body
        collect = _render_parallel(settings, list(todo.values()), jobs)

        def result(sources: list[str], progress: Progress | None = None) -> dict[str, str]:
            if todo:
                if progress:
                    progress.start("Markdown", len(todo))
                for key, html in zip(todo, collect(progress)):
                    self.memory[key] = html
                    self._new[key] = html
            live = set(keys.values())
            if len(self.memory) > 2 * len(live) + 100:     # forget bodies edited away (long serve sessions)
                self.memory = {k: v for k, v in self.memory.items() if k in live}
            return {source: self.memory[keys[source]] for source in sources}
        return result

    def save(self) -> None:
        db = self._open() if self._new else None
        if db is not None and self._new:
            with db:
                db.executemany("INSERT OR REPLACE INTO body VALUES (?, ?)", self._new.items())
            self._new.clear()


def _render_parallel(settings: Settings, bodies: list[str], jobs: int) -> Callable:
    """Start rendering bodies, spread over the worker processes when there are enough of them
    -> a function that waits for them: (progress) -> their HTML, in order. Few bodies are
    rendered when it is called, in this process."""
    workers = _Workers.count(jobs)
    if workers <= 1 or len(bodies) < PARALLEL_MIN:
        return lambda progress: render_many(settings.markdown, bodies) if bodies else []
    size = max(20, min(200, len(bodies) // (workers * 8)))
    pool = _Workers.get(workers)
    futures = [pool.submit(render_many, settings.markdown, bodies[i:i + size]) for i in range(0, len(bodies), size)]

    def collect(progress: Progress | None) -> list[str]:
        out: list[str] = []
        for future in futures:
            out += future.result()
            if progress:
                progress.advance(size)
        return out
    return collect


# --- worker processes ------------------------------------------------------------------------

class _Workers:
    """One pool of worker processes per build, shared by reading, Markdown and rendering, closed
    at the end of the build so a serve session holds no idle processes."""

    _pool = None

    @staticmethod
    def count(jobs: int) -> int:
        return jobs if jobs and jobs > 0 else (os.cpu_count() or 1)

    @staticmethod
    def start_method() -> str:
        """'fork' on Linux when this process runs no other thread (a command-line build): the
        workers start at once with every module loaded, where spawned ones load them again
        (0.2 s at the start of a build, on each CPU). 'spawn' elsewhere: Windows has no fork,
        macOS's system libraries are not safe to fork, and serve builds beside its threads."""
        return "fork" if sys.platform.startswith("linux") and threading.active_count() == 1 else "spawn"

    @classmethod
    def get(cls, workers: int):
        if cls._pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor
            method = cls.start_method()
            cls._pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context(method),
                                            initializer=gc.set_threshold, initargs=GC_THRESHOLD)
            if method == "fork":
                # A fork pool starts every worker at its first task. This process's objects are
                # frozen meanwhile, so the workers' garbage collector never visits (and copies)
                # the memory pages they share with it.
                gc.freeze()
                try:
                    cls._pool.submit(int)
                finally:
                    gc.unfreeze()
        return cls._pool

    @classmethod
    def close(cls) -> None:
        if cls._pool is not None:
            cls._pool.shutdown()
            cls._pool = None


class _ViewPickler(pickle.Pickler):
    """Writes a shared view (a dict in `names`) as its name, and notes it in `named`."""
    names: dict[int, str]
    named: list[str]

    def persistent_id(self, obj):
        if type(obj) is dict:
            name = self.names.get(id(obj))
            if name is not None:
                self.named.append(name)
                return name
        return None


class _PageData:
    """Each page's job pickled, as hashed for its input digest and sent to a worker.

    Its body (the Markdown HTML) enters as its MarkdownCache key, a hash of the text and the
    engine that made it: hashing 12,000 keys instead of 60 MB of HTML. The worker gets the body,
    its links placed, beside it (_Todo.placed); where links point is part of every digest
    (LinkCache.env). An article's or a document's view, which its page, its lists, the home
    page, the feeds and the pages citing it hold (Views.article, Views.document), is pickled
    once a build and written into each page as its name (pickle's persistent ids); the page's
    digest adds the digests of the views it names, and the workers read the views from one
    file a build (table()). A list page of 20 articles was 16 KB to pickle, hash, send and
    unpickle; it is now under 1 KB.
    """

    def __init__(self, views: Views, markdown: "MarkdownCache"):
        self.markdown = markdown
        self.views = {**views._articles, **views._documents}
        self.names = {id(v): source for source, v in self.views.items()}
        self.pickled: dict[str, bytes] = {}
        self.digests: dict[str, bytes] = {}

    def view(self, source: str) -> bytes:
        """The digest of a view, from its pickled bytes (kept for table())."""
        digest = self.digests.get(source)
        if digest is None:
            data = self.pickled[source] = pickle.dumps(self.views[source], protocol=5)
            digest = self.digests[source] = hashlib.blake2b(data, digest_size=20).digest()
        return digest

    def __call__(self, job: Job) -> tuple[bytes, bytes]:
        """-> (the job pickled, with views as names; the digests of the views it names)."""
        context = job.context
        if _has_body(job):
            context = dict(context, body=self.markdown.key_of(job.source))
        out = io.BytesIO()
        pickler = _ViewPickler(out, protocol=5)
        pickler.names, pickler.named = self.names, []
        pickler.dump((job.path, job.url, job.template, context))
        return out.getvalue(), b"".join(self.view(name) for name in pickler.named)

    def digest(self, base: str, template: str, job: Job) -> tuple[bytes, str]:
        data, views = self(job)
        return data, _digest(base, template, data, views)

    def table(self, folder: str) -> str:
        """Every view pickled, in a file for the workers (removed after the build)."""
        for source in self.views:
            self.view(source)
        fd, path = tempfile.mkstemp(prefix="cchc-views-", suffix=".pickle", dir=folder)
        with os.fdopen(fd, "wb") as f:
            pickle.dump(self.pickled, f, protocol=5)
        return path


@dataclass
class _Todo:
    """A page to render: its job, the job pickled (as hashed for its digest), its body with the
    links placed (None if it has no body), and its entry in the output record."""
    job: Job
    data: bytes
    placed: str | None
    entry: list | None


_worker_renderers: dict[tuple[str, bool], Renderer] = {}
_worker_common: list = [b"", None]
_worker_views: dict = {"table": None, "pickled": {}, "views": {}}


def _worker_view(name: str) -> dict:
    """In a worker: a view named in a pickled page (_PageData), unpickled once."""
    views = _worker_views["views"]
    view = views.get(name)
    if view is None:
        view = views[name] = pickle.loads(_worker_views["pickled"][name])
    return view


class _Unpickler(pickle.Unpickler):
    def persistent_load(self, name):
        return _worker_view(name)


def _render_chunk(site_dir: str, for_disk: bool, common_data: bytes, table: str, jobs: list[tuple],
                  out_dir: str | None):
    """In a worker: render (pickled job, placed body, record entry) and stage each page under
    out_dir (None: render only, for `check`) -> (count, [Staged], problems, (file, reason) or None).
    Staging here writes the pages on every CPU, while the next ones are rendered. `table`: the
    file of the build's shared views (_PageData.table)."""
    key = (site_dir, for_disk)
    renderer = _worker_renderers.get(key)
    if renderer is None:
        renderer = _worker_renderers[key] = Renderer(Layouts(Path(site_dir), for_disk=for_disk, auto_reload=False), Problems())
    renderer.problems = Problems()
    # One `common` object for all the chunks of a build: the Renderer keeps its cached
    # fragments (render.FragmentCache) while it sees the same one.
    if _worker_common[0] != common_data:
        _worker_common[:] = [common_data, pickle.loads(common_data)]
    common = _worker_common[1]
    if _worker_views["table"] != table:
        with open(table, "rb") as f:
            _worker_views.update(table=table, pickled=pickle.load(f), views={})
    staged: list[Staged] = []
    try:
        for data, placed, entry in jobs:
            path, url, template, context = _Unpickler(io.BytesIO(data)).load()
            if placed is not None:
                context["body"] = placed
            page = renderer.render(Job(path, url, template, context), common)
            if page is not None and out_dir is not None:
                staged.append(stage_page(Path(out_dir), path, page, entry))
    except OSError as exc:
        discard(staged)
        return len(jobs), [], renderer.problems.items, (exc.filename, exc.strerror or str(exc))
    except BaseException:
        discard(staged)
        raise
    return len(jobs), staged, renderer.problems.items, None


def _shown(path: Path, site_dir: Path) -> str:
    """A path as an editor reads it: relative to the site folder when inside it."""
    try:
        return Path(path).resolve().relative_to(site_dir.resolve()).as_posix()
    except ValueError:
        return str(path)
