"""The worker processes, and how a page travels to one.

The only module that knows the pool (one per build, shared by reading, Markdown and rendering,
closed at the end so a serve session holds no idle processes), how work is cut into chunks, how
a page is pickled (PageData: the shared views written as their names) and what a worker does
with a page (render_chunk: render it and stage it). Below PARALLEL_MIN items, or with --jobs 1,
everything runs in this process: starting workers would cost more than it saves.
"""
from __future__ import annotations

import copy
import gc
import hashlib
import io
import os
import pickle
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cchc.build.digests import digest
from cchc.build.output import RecordEntry, Staged, cannot_write, discard, stage_page
from cchc.core.problems import Problems
from cchc.core.progress import Progress
from cchc.render.templates import Job, Layouts, Renderer

PARALLEL_MIN = 300        # below this many files, bodies or pages, starting workers costs more than it saves
# A build makes millions of small objects and keeps most of them (the model, the pages' view data);
# with Python's default thresholds the cyclic collector walks them all again and again: a third
# of a no-change build at 12,000 files (3.0 s -> 2.2 s measured). Collections still run, rarely.
GC_THRESHOLD = (50_000, 20, 100)


class Workers:
    """The pool of worker processes of the running build (made at its first use)."""

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
    def pool(cls, workers: int):
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


def chunk_size(total: int, workers: int, per_worker: int, low: int, high: int) -> int:
    """Chunks small enough that every worker gets `per_worker` of them, within [low, high]."""
    return max(low, min(high, total // (workers * per_worker)))


def spread(fn: Callable, args: tuple, items: list, jobs: int, per_worker: int, low: int, high: int) -> list | None:
    """fn(*args, chunk) for each chunk of `items`, in the worker processes -> [(future, chunk
    length)]; None when they are too few to be worth it (then the caller works here)."""
    workers = Workers.count(jobs)
    if workers <= 1 or len(items) < PARALLEL_MIN:
        return None
    size = chunk_size(len(items), workers, per_worker, low, high)
    pool = Workers.pool(workers)
    return [(pool.submit(fn, *args, items[i:i + size]), len(items[i:i + size])) for i in range(0, len(items), size)]


# --- a page, pickled -------------------------------------------------------------------------

class _NamingPickler(pickle.Pickler):
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


class _NamedUnpickler(pickle.Unpickler):
    lookup: Callable[[str], dict]

    def persistent_load(self, name):
        return self.lookup(name)


def load_job(data: bytes, lookup: Callable[[str], dict]) -> Job:
    """A page pickled by PageData, its views read by name from `lookup` (without its source)."""
    unpickler = _NamedUnpickler(io.BytesIO(data))
    unpickler.lookup = lookup
    return Job(*unpickler.load())


def has_body(job: Job) -> bool:
    """A page that shows an item's body (placed by LinkCache, sent beside the page's data)."""
    return bool(job.source) and "body" in job.context


class PageData:
    """Each page's job pickled, as hashed for its input digest and sent to a worker; and, as it
    goes, the record of which shared views each page shows (`shows`: page -> view names).

    Its body (the Markdown HTML) enters as its MarkdownCache key (`body_key`), a hash of the text
    and the engine that made it: hashing 12,000 keys instead of 60 MB of HTML. The worker gets the
    body, its links placed, beside it (Todo.placed); where links point is part of every digest
    (LinkCache.env). An article's or a document's view (render/views.py), which its page, its
    lists, the home page, the feeds and the pages citing it hold, is pickled once a build and
    written into each page as its name (pickle's persistent ids); the page's digest adds the
    digests of the views it names, and the workers read the views from one file a build
    (table()). A list page of 20 articles was 16 KB to pickle, hash, send and unpickle; under 1 KB.

    `named`: the view objects written as names (those the pages' jobs hold). `current`: where
    a name is read back, for digests and load() (by default `named`; after an edit in `serve`,
    the views of the edited model, while the jobs still hold the objects of the full build).
    """

    def __init__(self, named: dict[str, dict], body_key: Callable[[str], str],
                 current: Callable[[str], dict] | None = None):
        self.named = named
        self.names = {id(v): source for source, v in named.items()}
        self.body_key = body_key
        self.current = current or named.__getitem__
        self.pickled: dict[str, bytes] = {}
        self.digests: dict[str, bytes] = {}
        self.shows: dict[str, tuple[str, ...]] = {}

    def reading(self, current: Callable[[str], dict]) -> "PageData":
        """The same naming, the views read back from `current` (and their digests made anew)."""
        other = copy.copy(self)
        other.current, other.pickled, other.digests, other.shows = current, {}, {}, {}
        return other

    def view_digest(self, source: str) -> bytes:
        """The digest of a view, from its pickled bytes (kept for table())."""
        found = self.digests.get(source)
        if found is None:
            data = self.pickled[source] = pickle.dumps(self.current(source), protocol=5)
            found = self.digests[source] = hashlib.blake2b(data, digest_size=20).digest()
        return found

    def pickle(self, job: Job) -> tuple[bytes, tuple[str, ...]]:
        """-> (the job pickled, with views as names; the names of the views it shows)."""
        context = job.context
        if has_body(job):
            context = dict(context, body=self.body_key(job.source))
        out = io.BytesIO()
        pickler = _NamingPickler(out, protocol=5)
        pickler.names, pickler.named = self.names, []
        pickler.dump((job.path, job.url, job.template, context))
        return out.getvalue(), tuple(pickler.named)

    def digest(self, base: str, template: str, job: Job) -> tuple[bytes, str]:
        """-> (the job pickled; its input digest: `base`, its template's digest, the pickled
        job and the digests of the views it shows). Notes which views the page shows."""
        data, named = self.pickle(job)
        self.shows[job.path] = named
        return data, digest(base, template, data, b"".join(self.view_digest(name) for name in named))

    def load(self, data: bytes) -> Job:
        """A page pickled by pickle(), with the current views (its body is still the key)."""
        return load_job(data, self.current)

    def table(self, folder: str) -> str:
        """Every named view pickled, in a file for the workers (removed after the build)."""
        for source in self.named:
            self.view_digest(source)
        fd, path = tempfile.mkstemp(prefix="cchc-views-", suffix=".pickle", dir=folder)
        with os.fdopen(fd, "wb") as f:
            pickle.dump(self.pickled, f, protocol=5)
        return path


@dataclass
class Todo:
    """A page to render: its job, the job pickled (as hashed for its digest), its body with the
    links placed (None if it has no body), and its entry in the output record."""
    job: Job
    data: bytes
    placed: str | None
    entry: RecordEntry | None


# --- rendering the pages -----------------------------------------------------------------------

class RenderQueue:
    """The pages of one build, rendered as they are added: in worker processes when there are
    many, each chunk sent as soon as it is full, so the workers render while this process is
    still planning and comparing the rest; in this process otherwise. Each worker stages the
    pages it renders (output.stage_page). Used as a context manager: an exception (Ctrl-C) lets
    the running chunks end, then removes what they staged."""

    def __init__(self, site_dir: Path, out_dir: Path | None, for_disk: bool, jobs: int, layouts: Layouts,
                 common: dict, total: int, page_data: PageData, progress: Progress):
        self.site_dir, self.out_dir, self.for_disk = site_dir, out_dir, for_disk
        self.layouts, self.common, self.page_data, self.progress = layouts, common, page_data, progress
        self.workers = Workers.count(jobs)
        self.parallel = self.workers > 1 and total >= PARALLEL_MIN
        self.size = chunk_size(total, self.workers, 8, 20, 200)
        self.todo: list[Todo] = []
        self.sent = 0
        self.futures: list = []
        self.staged: list[Staged] = []
        self.table: str | None = None
        self.common_data: bytes | None = None

    def __enter__(self) -> "RenderQueue":
        return self

    def __exit__(self, kind, exc, tb) -> None:
        try:
            if kind is not None:
                self._abandon()
        finally:
            if self.table is not None:
                Path(self.table).unlink(missing_ok=True)

    @property
    def rendered(self) -> list[str]:
        return [t.job.path for t in self.todo]

    def add(self, todo: Todo) -> None:
        self.todo.append(todo)
        # Workers only once there are enough pages to be worth starting them.
        while self.parallel and len(self.todo) >= PARALLEL_MIN and len(self.todo) - self.sent >= self.size:
            self._submit(self.todo[self.sent:self.sent + self.size])
            self.sent += self.size

    def send_rest(self) -> None:
        """Every page is added: send the last chunk."""
        if self.futures and self.sent < len(self.todo):
            self._submit(self.todo[self.sent:])
            self.sent = len(self.todo)

    def wait(self, problems: Problems) -> list[Staged] | None:
        """Wait for the workers (or render here) -> the pages staged; None when one could not
        be (a full disk: the error is reported, nothing staged is left)."""
        if not self.futures:
            return self._render_here(problems)
        failed = None
        for future in self.futures:
            count, pages, found, failure = future.result()
            problems.extend(found)
            self.staged += pages
            failed = failed or failure
            self.progress.advance(count)
        if failed:
            discard(self.staged)
            cannot_write(problems, self.site_dir, self.out_dir, *failed)
            return None
        return self.staged

    def _submit(self, chunk: list[Todo]) -> None:
        if self.table is None:
            self.table = self.page_data.table(tempfile.gettempdir())
            self.common_data = pickle.dumps(self.common, protocol=5)
        self.futures.append(Workers.pool(self.workers).submit(
            render_chunk, str(self.site_dir), self.for_disk, self.common_data, self.table,
            [(t.data, t.placed, t.entry) for t in chunk], None if self.out_dir is None else str(self.out_dir)))

    def _render_here(self, problems: Problems) -> list[Staged] | None:
        renderer = Renderer(self.layouts, problems)
        try:
            for t in self.todo:
                job = t.job if t.placed is None else Job(t.job.path, t.job.url, t.job.template,
                                                         dict(t.job.context, body=t.placed), t.job.source)
                page = renderer.render(job, self.common)
                if page is not None and self.out_dir is not None:
                    self.staged.append(stage_page(self.out_dir, job.path, page, t.entry))
                self.progress.advance()
        except OSError as exc:
            discard(self.staged)
            cannot_write(problems, self.site_dir, self.out_dir, exc.filename, exc.strerror or str(exc))
            return None
        return self.staged

    def _abandon(self) -> None:
        for future in self.futures:
            future.cancel()
        for future in self.futures:
            if not future.cancelled():
                try:
                    discard(future.result()[1])
                except BaseException:
                    pass
        discard(self.staged)


# --- in a worker process -----------------------------------------------------------------------

class _InWorker:
    """What a worker keeps between the chunks of a build: its renderers, the build's common
    view data (one object, so the Renderer keeps its cached fragments) and its shared views."""
    renderers: dict[tuple[str, bool], Renderer] = {}
    common: tuple[bytes, dict | None] = (b"", None)
    table: str | None = None
    pickled: dict[str, bytes] = {}
    views: dict[str, dict] = {}

    @classmethod
    def view(cls, name: str) -> dict:
        """A view named in a pickled page, unpickled once."""
        view = cls.views.get(name)
        if view is None:
            view = cls.views[name] = pickle.loads(cls.pickled[name])
        return view


def render_chunk(site_dir: str, for_disk: bool, common_data: bytes, table: str, jobs: list[tuple],
                 out_dir: str | None):
    """In a worker: render (pickled job, placed body, record entry) and stage each page under
    out_dir (None: render only, for `check`) -> (count, [Staged], problems, (file, reason) or None).
    Staging here writes the pages on every CPU, while the next ones are rendered. `table`: the
    file of the build's shared views (PageData.table)."""
    key = (site_dir, for_disk)
    renderer = _InWorker.renderers.get(key)
    if renderer is None:
        layouts = Layouts(Path(site_dir), for_disk=for_disk, auto_reload=False)
        renderer = _InWorker.renderers[key] = Renderer(layouts, Problems())
    renderer.problems = Problems()
    if _InWorker.common[0] != common_data:
        _InWorker.common = (common_data, pickle.loads(common_data))
    common = _InWorker.common[1]
    if _InWorker.table != table:
        with open(table, "rb") as f:
            _InWorker.pickled, _InWorker.views, _InWorker.table = pickle.load(f), {}, table
    staged: list[Staged] = []
    try:
        for data, placed, entry in jobs:
            job = load_job(data, _InWorker.view)
            if placed is not None:
                job.context["body"] = placed
            page = renderer.render(job, common)
            if page is not None and out_dir is not None:
                staged.append(stage_page(Path(out_dir), job.path, page, entry))
    except OSError as exc:
        discard(staged)
        return len(jobs), [], renderer.problems.items, (exc.filename, exc.strerror or str(exc))
    except BaseException:
        discard(staged)
        raise
    return len(jobs), staged, renderer.problems.items, None
