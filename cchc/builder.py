"""The one place that knows the order of a build: config -> content -> legal -> site -> render -> output.

`build`, `check`, `serve`, `publish` and `report` all go through `Builder`; none repeats its
steps. Everything is read and resolved before anything is written, and nothing is written
when there is an error (or, with strict, a warning).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .config import Settings, load_settings
from .content import Content, load_content
from .legal import LegalIndex, build_index
from .links import LinkResolver, collect_citations
from .markup import ENGINE_MARKDOWN, render_many
from .output import WriteStats, record_path, write_output
from .problems import Problems
from .render import Layouts, Renderer, Views, fingerprint_assets, plan_jobs, widget_json
from .search import update_index
from .site import Site, build_model

CACHE_DIR = ".cache"


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
    cache: bool = True
    now: dt.datetime | None = None    # the moment "future" is measured from (tests set it)


@dataclass
class BuildResult:
    problems: Problems
    settings: Settings | None = None
    content: Content | None = None
    site: Site | None = None
    files: dict[str, bytes] = field(default_factory=dict)
    stats: WriteStats | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems.errors

    def failed(self, strict: bool) -> bool:
        return bool(self.problems.errors or (strict and self.problems.warnings))


class Builder:
    """Builds one section folder. Keeps caches between calls, so `serve` can reuse it."""

    def __init__(self, site_dir: Path, options: BuildOptions | None = None):
        self.site_dir = Path(site_dir)
        self.options = options or BuildOptions()
        self.markdown_cache = MarkdownCache(self.site_dir / CACHE_DIR if self.options.cache else None)

    @property
    def out_dir(self) -> Path:
        return self.options.out_dir or self.site_dir / "output"

    def build(self) -> BuildResult:
        started = time.perf_counter()
        opts = self.options
        problems = Problems()
        result = BuildResult(problems)
        settings, config_problems = load_settings(self.site_dir, opts.base_url)
        problems.extend(config_problems)
        if settings is None:
            return result
        result.settings = settings
        now = opts.now or dt.datetime.now(settings.timezone)

        content = load_content(settings, problems)
        result.content = content
        legal = build_index([d for d in content.documents if opts.drafts or not d.draft], now.date(), problems)
        site = build_model(settings, content, legal, problems, now=now, drafts=opts.drafts, future=opts.future)
        result.site = site
        self._check_attachments(site, problems)

        items = [*site.articles, *site.pages, *site.documents]
        marked = self.markdown_cache.render(settings, {i.source: i.body for i in items}, opts.jobs)
        collect_citations(site, marked, problems)

        layouts = Layouts(self.site_dir, for_disk=opts.for_disk)
        assets = fingerprint_assets(self.site_dir)
        views = Views(site, {name: out for name, (out, _) in assets.items()}, now)
        jobs = plan_jobs(site, views, marked)
        outputs = {j.path for j in jobs} | {f.output for f in site.static} | {o for o, _ in assets.values()}
        resolver = LinkResolver(site, outputs, problems, opts.for_disk)
        for job in jobs:
            if job.source and "body" in job.context:
                job.context["body"] = resolver.resolve(site.by_source[job.source], job.context["body"], job.url)

        renderer = Renderer(layouts, problems)
        files: dict[str, bytes] = {}
        for job in jobs:
            data = renderer.render(job, views.common)
            if data is not None:
                files[job.path] = data
        files["tin-moi.json"] = widget_json(site, views)
        result.files = files
        copies = {f.output: f.source for f in site.static}
        copies.update({out: path for out, path in assets.values()})

        if opts.write and not result.failed(opts.strict):
            result.stats = write_output(self.out_dir, files, copies,
                                        record_path(self.site_dir / CACHE_DIR, self.out_dir))
            if settings.search:  # after the pages, so a slow or missing Pagefind never holds them back
                update_index(site, jobs, self.out_dir, self.site_dir / CACHE_DIR, problems)
        self.markdown_cache.save()
        result.seconds = time.perf_counter() - started
        return result

    def _check_attachments(self, site: Site, problems: Problems) -> None:
        static = {f.output for f in site.static}
        for d in site.documents:
            for a in d.attachments:
                if a.startswith(("http://", "https://")):
                    continue
                key = a[len("content/"):] if a.startswith("content/") else a
                key = key if key.startswith("files/") else f"files/{key}"
                if ".." in key.split("/") or key not in static:
                    problems.error(d.source, d.line_of("attachments"), f'attachments: "{a}" is not in content/files/',
                                   "copy the file into content/files/ and write its name, e.g. files/ke-hoach.pdf")


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

    def _key(self, settings: Settings, body: str) -> str:
        h = hashlib.sha256()
        h.update(f"{__version__}|{ENGINE_MARKDOWN}|{settings.markdown}\0".encode())
        h.update(body.encode("utf-8"))
        return h.hexdigest()

    def _open(self):
        if self._db is None and self.folder is not None:
            import sqlite3
            self.folder.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(self.folder / "markdown.sqlite"))
            self._db.execute("CREATE TABLE IF NOT EXISTS body (key TEXT PRIMARY KEY, html TEXT)")
        return self._db

    def render(self, settings: Settings, bodies: dict[str, str], jobs: int = 0) -> dict[str, str]:
        keys = {source: self._key(settings, body) for source, body in bodies.items()}
        missing = {k for k in keys.values() if k not in self.memory}
        db = self._open()
        if missing and db is not None:
            wanted = list(missing)
            for i in range(0, len(wanted), 500):
                chunk = wanted[i:i + 500]
                rows = db.execute(f"SELECT key, html FROM body WHERE key IN ({','.join('?' * len(chunk))})", chunk)
                for key, html in rows:
                    self.memory[key] = html
                    missing.discard(key)
        if missing:
            todo = {}
            for source, key in keys.items():
                if key in missing and key not in todo:
                    todo[key] = bodies[source]
            for key, html in zip(todo, _render_parallel(settings, list(todo.values()), jobs)):
                self.memory[key] = html
                self._new[key] = html
        return {source: self.memory[key] for source, key in keys.items()}

    def save(self) -> None:
        db = self._open()
        if db is not None and self._new:
            with db:
                db.executemany("INSERT OR REPLACE INTO body VALUES (?, ?)", self._new.items())
            self._new.clear()


def _render_parallel(settings: Settings, bodies: list[str], jobs: int) -> list[str]:
    """Markdown is ~80 % of a cold build: spread it over the CPUs when there is enough of it."""
    workers = jobs or os.cpu_count() or 1
    if workers <= 1 or len(bodies) < 200:
        return render_many(settings.markdown, bodies)
    from concurrent.futures import ProcessPoolExecutor
    size = max(50, len(bodies) // (workers * 4))
    chunks = [bodies[i:i + size] for i in range(0, len(bodies), size)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        results = pool.map(render_many, [settings.markdown] * len(chunks), chunks)
        return [html for chunk in results for html in chunk]
