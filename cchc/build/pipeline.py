"""The full build: a pipeline of named phases, read top to bottom in FullBuild.run.

settings -> content (the workers start on the bodies' Markdown) -> model -> images -> plan
-> render (the pages planned from the model alone first, then, the bodies and their citations
known, the rest) -> write, then search. Each phase is one method with one progress label (the
phases of BuildResult.timings). Everything is read and resolved before anything is written:
pages are staged as they are rendered and put in place only by a build without errors (or,
with strict, warnings); any other ending removes what was staged and the folders made for it,
so output/ is left as it was (output.py).

Each page has an input digest: its template and everything it includes, its view data, the
digests of the shared views it shows, the engine, and for a page with a body where its links
point. A page whose digest is the one in the output record, its file still as written, is
neither rendered nor written: a template change re-renders exactly the pages using it; a cited
document's new title exactly the pages showing it.
"""
from __future__ import annotations

import datetime as dt
import pickle
from typing import TYPE_CHECKING

from cchc.build.digests import digest, engine_fingerprint, folder_stamp, read_bytes
from cchc.build.fast_path import LastBuild
from cchc.build.incremental import Dependencies
from cchc.build.output import discard, is_current
from cchc.build.result import BuildResult
from cchc.build.workers import PageData, RenderQueue, Todo, has_body
from cchc.core.config import CONFIG_FILE, load_settings
from cchc.core.legal import build_index
from cchc.core.plans import load_plans
from cchc.core.problems import Problems
from cchc.core.messages import _
from cchc.core.progress import Progress
from cchc.markdown.links import collect_citations
from cchc.model import routes
from cchc.model.site import Site, build_model
from cchc.render.pages import PagePlan, widget_json
from cchc.render.templates import LAYOUTS_DIR, Layouts, fingerprint_assets
from cchc.render.views import Views

if TYPE_CHECKING:
    from cchc.build.builder import Builder


class FullBuild:
    """One full build, phase by phase: run() reads top to bottom. Each phase is one method with
    one progress label, and sets what the next ones use: settings, content, the Markdown under
    way (bodies) -> site -> site with pictures, resized -> views, pages (the plan), page_data,
    queue -> marked (the bodies' HTML) -> site with citations -> jobs (every page) -> staged."""

    def __init__(self, builder: Builder, result: BuildResult, progress: Progress, changed):
        self.builder, self.result, self.progress, self.changed = builder, result, progress, changed
        self.options, self.problems = builder.options, result.problems

    def run(self) -> None:
        if not self.read_settings():
            return
        self.read_content()
        self.model()
        self.images()
        self.plan()
        with self.queue:
            self.render_early()
            self.wait_bodies()
            self.citations()
            self.finish_plan()
            self.render_rest()
        if self.staged is not None and self.write():
            self.remember()

    def read_settings(self) -> bool:
        """site.yaml -> Settings. Its bytes and the layouts' stamp are read first: an edit made
        during this build then differs from what is kept for the fast path (a full build next)."""
        self.progress.start(_("Reading site.yaml"))
        site_dir = self.builder.site_dir
        self.settings_bytes = read_bytes(site_dir / CONFIG_FILE)
        self.layouts_stamp = folder_stamp(site_dir / LAYOUTS_DIR)
        settings, found = load_settings(site_dir, self.options.base_url)
        self.problems.extend(found)
        if settings is None:
            return False
        self.settings = self.result.settings = settings
        self.now = self.options.now or dt.datetime.now(settings.timezone)
        return True

    def read_content(self) -> None:
        """content/ -> Content, plans included (the cache is saved at once: it frees the parts
        kept to save); the workers start rendering the bodies, which depend on their text only,
        while this process builds the model. Drafts left out of the build are not rendered."""
        b, opts = self.builder, self.options
        content = self.content = self.result.content = b.content_cache.load(
            self.settings, self.problems, self.changed, self.progress, opts.jobs)     # "Reading content"
        content.plans = load_plans(self.settings, self.problems)     # a few small YAML files: read on every build
        b.save_caches(self.problems, b.content_cache)
        bodies = [i for i in content.entries() if opts.drafts or not i.draft]
        self.bodies = b.markdown_cache.submit(self.settings, {i.source: i for i in bodies}, opts.jobs)

    def model(self) -> None:
        """The legal index, then the model: what is published, URLs, lists; attachments checked."""
        self.progress.start(_("Resolving documents and links"))
        opts = self.options
        documents = [d for d in self.content.documents if opts.drafts or not d.draft]
        legal = build_index(documents, self.now.date(), self.problems)
        self.site = self.result.site = build_model(self.settings, self.content, legal, self.problems, now=self.now,
                                                   drafts=opts.drafts, future=opts.future)
        check_attachments(self.site, self.problems)

    def images(self) -> None:
        """The photos of content/images/ resized (images.py): the model gets their pictures, and
        their variants are published instead of the originals."""
        self.progress.start(_("Images"))
        pictures, self.resized = self.builder.images.run(self.site.static, self.settings.images, self.problems,
                                                         self.options.jobs)
        self.site = self.result.site = self.site.with_pictures(pictures)

    def plan(self) -> None:
        """The views and the plan of pages; what every page's input digest starts with; the queue
        that renders them (staging them unless the build has already failed)."""
        self.progress.start(_("Planning pages"))
        b, opts = self.builder, self.options
        if b.layouts is None:
            b.layouts = Layouts(b.site_dir, for_disk=opts.for_disk)
        assets = fingerprint_assets(b.site_dir)
        self.assets = {name: out for name, (out, _source) in assets.items()}
        self.copies = {f.output: f.source for f in self.site.static}
        self.copies.update(self.resized)          # a photo's original is never published, only its variants
        self.copies.update({out: path for out, path in assets.values()})
        self.views = Views(self.site, self.assets, self.now)
        self.pages = PagePlan(self.site, self.views)       # the pages that show no body nor citation, for now
        self.record = b.record.current()
        # A page with a body adds where its links point (LinkCache.env); the body enters as its
        # Markdown cache key (PageData).
        self.base = digest(engine_fingerprint(), str(opts.for_disk), pickle.dumps(self.views.common, protocol=5))
        self.page_data = PageData(self.views.shared(), b.markdown_cache.key_of)
        self.inputs: dict[str, str] = {}
        self.keep: set[str] = set()
        self.stage = opts.write and not self.result.failed(opts.strict)
        self.queue = RenderQueue(b.site_dir, b.out_dir if self.stage else None, opts.for_disk, opts.jobs, b.layouts,
                                 self.views.common, self.pages.total, self.page_data, self.progress)

    def render_early(self) -> None:
        """The pages planned from the model alone, sent while the workers still render the bodies."""
        self.progress.start(_("Rendering"), self.pages.total)
        self.early = self.pages.early
        b = self.builder
        self.offer(self.early, self.base, b.templates.of(b.layouts, {j.template for j in self.early}))

    def wait_bodies(self) -> None:
        """Every published body's Markdown HTML, from the caches or the workers."""
        self.rendering_done = self.progress.done
        self.progress.start(_("Markdown"))
        site = self.site
        self.marked = self.bodies([i.source for i in site.entries()], self.progress)

    def citations(self) -> None:
        """The bodies' citations: the model with every citation known."""
        self.progress.start(_("Resolving documents and links"))
        self.site = self.result.site = self.site.with_citations(collect_citations(self.site, self.marked,
                                                                                  self.problems))

    def finish_plan(self) -> None:
        """The pages that show bodies or citations, and where the bodies' links point."""
        self.progress.start(_("Planning pages"))
        b, site = self.builder, self.site
        self.jobs = self.pages.finish(self.marked, site)
        outputs = {j.path for j in self.jobs} | {f.output for f in site.static} | set(self.copies)
        b.link_cache.prepare(site, outputs, self.settings, self.options.for_disk)
        self.base_body = digest(self.base, b.link_cache.env)

    def render_rest(self) -> None:
        """The rest of the plan without a body, then the pages with one, each as soon as its
        links are placed (LinkCache.check) while the workers render the pages before it. The
        Markdown and link caches are saved while the workers finish."""
        self.progress.start(_("Rendering"), len(self.jobs), done=self.rendering_done)
        b, early = self.builder, {id(j) for j in self.early}
        rest = [job for job in self.jobs if id(job) not in early]
        templates = b.templates.of(b.layouts, {j.template for j in self.jobs})
        self.offer([job for job in rest if not has_body(job)], self.base, templates)
        self.offer(b.link_cache.check((job for job in rest if has_body(job)), self.problems), self.base_body, templates)
        self.queue.send_rest()
        b.save_caches(self.problems, b.markdown_cache, b.link_cache)
        self.staged = self.queue.wait(self.problems)
        self.result.rendered = self.queue.rendered + [routes.WIDGET_JSON]
        self.result.pages = len(self.jobs) + 1

    def offer(self, jobs, base: str, templates: dict[str, str]) -> None:
        """Queue each page, unless its inputs are the last build's and its file is as written."""
        b, out, record, cache = self.builder, str(self.builder.out_dir), self.record, self.options.cache
        for job in jobs:
            data, inputs = self.page_data.digest(base, templates[job.template], job)
            self.inputs[job.path] = inputs
            entry = record.get(job.path)
            if cache and entry is not None and entry.inputs == inputs and is_current(out, job.path, entry):
                self.keep.add(job.path)
                self.progress.advance()
            else:
                self.queue.add(Todo(job, data, b.link_cache.resolve(job) if has_body(job) else None, entry))

    def write(self) -> bool:
        """The staged pages, the portal's widget and the copied files into output/; then search."""
        if not self.stage or self.result.failed(self.options.strict):
            discard(self.staged)
            return False
        widget = {routes.WIDGET_JSON: widget_json(self.site, self.views)}
        return self.builder.write_and_search(self.result, self.progress, self.site, self.jobs, pages=self.staged,
                                             more=widget, copies=self.copies, keep=self.keep, inputs=self.inputs,
                                             record=self.record, rendered=bool(self.queue.todo))

    def remember(self) -> None:
        """What serve's fast path needs from this build, if it wrote output/ without a problem."""
        opts, site, result = self.options, self.site, self.result
        if not opts.cache or result.failed(opts.strict):
            return
        # Left out (build) or shown with a "Hẹn giờ đăng" banner (serve's preview): either way, the
        # pages change when the first one's time comes, and the fast path stops there.
        future = [a.date for a in self.content.articles if a.date and a.date > self.now]
        self.builder.last = LastBuild(
            settings_bytes=self.settings_bytes, layouts_stamp=self.layouts_stamp, settings=self.settings,
            today=self.now.date(), next_future=min(future, default=None), site=site, content=self.content,
            views=self.views, page_data=self.page_data.reading(self.page_data.current), assets=self.assets,
            marked=self.marked, jobs={j.path: j for j in self.jobs},
            own_page={j.source: j.path for j in self.jobs if j.source}, dependencies=Dependencies(self.page_data.shows),
            base=self.base, base_body=self.base_body,
            common=self.views.common, problems=list(self.problems.items), pages=result.pages)


def check_attachments(site: Site, problems: Problems) -> None:
    """Every attachment a document names is a file under content/files/ (or a web address)."""
    static = {f.output for f in site.static}
    for d in site.documents:
        for a in d.attachments:
            if a.startswith(("http://", "https://")):
                continue
            key = routes.attachment(a)
            if ".." in key.split("/") or key not in static:
                problems.error(d.source, d.line_of("attachments"), _('attachments: "{name}" is not in content/files/', name=a),
                               _("copy the file into content/files/ and write its name, e.g. files/ke-hoach.pdf"))
