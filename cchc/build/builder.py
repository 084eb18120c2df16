"""The Builder: what a build keeps between calls, and which path a build takes.

`build`, `check`, `serve`, `publish` and `report` all go through `Builder.build`; none repeats its
steps. A build takes one of two paths (BuildResult.path): the full one, a pipeline of named
phases (pipeline.py), or, for a save in `serve` that edits bodies or shown fields only, the fast
one (fast_path.py). Both end the same way: write, tell `pages_written`, then update the search
index (write_and_search).

Incremental and exact: any build's result equals a --no-cache build of the same files, byte for
byte (tests/test_incremental.py). What makes it so is kept here between builds: the caches of
content, Markdown and placed links (content_cache.py, markdown_cache.py, link_cache.py), the
output record with each page's input digest (output.py), the digests of the layouts, the search
index, and what the fast path needs of the last full build (fast_path.LastBuild).

For `serve`: keep ONE Builder and call `build(changed)` after each save, with the paths the
watcher reported (absolute, or relative to the site folder): only those files are looked at.
`build()` looks at every file by its size and modification time.
"""
from __future__ import annotations

import datetime as dt
import gc
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from cchc.build.content_cache import ContentCache
from cchc.build.digests import TemplateDigests, folder_stamp, read_bytes
from cchc.build.fast_path import LastBuild, fast_build
from cchc.build.images import ImagePhase
from cchc.build.link_cache import LinkCache
from cchc.build.markdown_cache import MarkdownCache
from cchc.build.output import OutputRecord, Record, Staged, cannot_write, discard, shown_path, stage_page
from cchc.search.encoding import is_index_file
from cchc.build.pipeline import FullBuild
from cchc.build.result import FAST, BuildOptions, BuildResult
from cchc.build.search_files import SearchFiles
from cchc.build.workers import GC_THRESHOLD, Workers
from cchc.core.config import CONFIG_FILE
from cchc.core.problems import Problems
from cchc.core.messages import _
from cchc.core.progress import Progress
from cchc.model.site import Site
from cchc.render.templates import LAYOUTS_DIR, Job, Layouts

__all__ = ["CACHE_DIR", "BuildOptions", "BuildResult", "Builder"]

CACHE_DIR = ".cache"


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
        # Resized photos live in .cache/images/ even with --no-cache (which then makes them again).
        self.images = ImagePhase(self.site_dir / CACHE_DIR, trust_index=self.options.cache)
        self.record = OutputRecord(self.site_dir / CACHE_DIR, self.out_dir)
        self.search = SearchFiles(cache_dir, self.out_dir, self.record)
        self.templates = TemplateDigests()
        self.layouts: Layouts | None = None
        self.last: LastBuild | None = None       # for the fast path: the last build that wrote output/
        self.pages_written: Callable[[BuildResult], None] | None = None

    @property
    def out_dir(self) -> Path:
        return self.options.out_dir or self.site_dir / "output"

    def build(self, changed: set[Path] | set[str] | None = None,
              pages_written: Callable[[BuildResult], None] | None = None) -> BuildResult:
        """Build the section. `changed`: the paths known to have changed since the last call
        on this Builder (None: look at every file's size and modification time).
        `pages_written` is called once the pages are in output/ and before the search index is
        updated (seconds on a large site), so `serve` can reload the editor's page at once."""
        self.pages_written = pages_written
        started = time.perf_counter()
        progress = Progress(not self.options.quiet)
        result = BuildResult(Problems())
        threshold = gc.get_threshold()
        gc.set_threshold(*GC_THRESHOLD)
        try:
            if changed is None or self.last is None or not self._fast(result, progress, changed):
                self.last = None
                FullBuild(self, result, progress, changed).run()
        finally:
            gc.set_threshold(*threshold)
            progress.finish()
            Workers.close()
        result.timings = progress.seconds
        result.seconds = time.perf_counter() - started
        return result

    def _fast(self, result: BuildResult, progress: Progress, changed) -> bool:
        """Serve's fast path, when the last full build allows it; False: take the full path."""
        last, opts = self.last, self.options
        now = opts.now or dt.datetime.now(last.settings.timezone)
        if not (self.record.unchanged() and last.allows(read_bytes(self.site_dir / CONFIG_FILE),
                                                        folder_stamp(self.site_dir / LAYOUTS_DIR), now)):
            return False
        paths = last.edited_entries(changed, self.site_dir)
        if paths is None:
            return False
        progress.start(_("Reading content"), len(paths))
        fast = fast_build(last, paths, self.content_cache, self.markdown_cache, self.link_cache, self.layouts,
                          self.templates.digests, now)
        if fast is None:
            return False
        result.path, self.last = FAST, None      # until it is written
        result.problems.extend(fast.problems)
        result.settings, result.content, result.site = last.settings, fast.last.content, fast.last.site
        result.rendered, result.pages = list(fast.files), last.pages
        if not result.failed(opts.strict):       # else output/ keeps the last good pages; the next build is full
            record = self.record.current()
            if self.write_and_search(result, progress, fast.last.site, list(fast.last.jobs.values()), pages=[],
                                     more=fast.files, copies={}, keep=set(record) - set(fast.files),
                                     inputs=fast.inputs, record=record, rendered=bool(fast.files)):
                self.last = replace(fast.last, problems=list(result.problems.items))
        # The content and link caches stay in memory (saved by the next full build): writing them
        # is most of a fast build (0.5 s at 10,000 articles), and a stale copy on disk only makes
        # a later process re-read the files edited since, which it notices by their size and time.
        self.markdown_cache.save()
        return True

    def write_and_search(self, result: BuildResult, progress: Progress, site: Site, jobs: list[Job], *,
                         pages: list[Staged], more: dict[str, bytes], copies: dict[str, Path], keep: set[str],
                         inputs: dict[str, str], record: Record, rendered: bool) -> bool:
        """How every build ends. Put in place the staged `pages`, `more` pages (staged here) and
        the `copies` (the pages not rendered but in `keep` stay, with their `record` entries);
        record each page's `inputs` digest; tell `pages_written`; then update the search index
        if a page was `rendered` or removed, or its files are not as written: after the pages,
        so a save shows its page first, and through the same record (search_files.py).
        -> False when something could not be written (the error is reported: the pages, or the
        index, are as before)."""
        search = site.settings.search
        progress.start(_("Writing"), len(pages) + len(more))
        if search:          # the index's files: written after the pages, kept meanwhile
            keep = keep | {rel for rel in record if is_index_file(rel)}
        try:
            for rel, data in more.items():
                pages.append(stage_page(self.out_dir, rel, data, record.get(rel)))
            result.stats = self.record.write(pages, copies, keep, inputs, record, save=not search)
        except OSError as exc:
            # A full disk or a read-only folder: the staging step failed before any page was
            # replaced, so output/ still holds the last good section.
            discard(pages)
            cannot_write(result.problems, self.site_dir, self.out_dir, exc.filename, exc.strerror or str(exc))
            return False
        if self.pages_written is not None:
            self.pages_written(result)
        if not search:
            return True
        written = True
        if rendered or result.stats.removed or not self.search.current():
            progress.start(_("Search index"))
            try:
                stats = self.search.write(site, jobs)
            except OSError as exc:
                cannot_write(result.problems, self.site_dir, self.out_dir, exc.filename, exc.strerror or str(exc),
                             "cannot write the search index", "free disk space or check the folder's permissions; "
                             "the pages are written, the search keeps its previous index")
                written = False
            else:
                result.stats.written += stats.written
                result.stats.removed += stats.removed
                result.stats.unchanged += stats.unchanged
        try:
            self.record.save(record)
        except OSError as exc:
            cannot_write(result.problems, self.site_dir, self.out_dir, exc.filename, exc.strerror or str(exc),
                         "cannot save the output record", "free disk space or check the folder's permissions; "
                         "the pages are written, the next build renders them again")
        return written

    def save_caches(self, problems: Problems, *caches) -> None:
        """Save what this build learnt (content, Markdown, links) while the workers work: it
        depends on the inputs only. A cache that cannot be saved costs speed, not pages."""
        try:
            for cache in caches:
                cache.save()
        except OSError as exc:
            problems.warning(shown_path(self.site_dir / CACHE_DIR, self.site_dir), None,
                             _("cannot save the cache: {reason}", reason=exc.strerror or exc),
                             _("the next build reads and renders everything again; make .cache/ a writable folder"))
