"""The search step of a build: the index of the site's records, as files for the builder to write.

It writes nothing into output/: `SearchIndex.update` returns the files ({output path: bytes},
the entry last) and the builder stages and writes them through build/output.py like pages, so
they are in the output record (a shard no longer produced is removed like any page) and a write
failure is the builder's one error. The builder calls it after the pages are written, so a save
in `serve` shows its page before the index is updated.

The index is updated, not rebuilt: a SearchIndex keeps the last one (records, postings, encoded
entries and files) and reads again only the records that changed, so a save in `serve` costs
about 0.3 s instead of 7 s on 10,000 articles + 2,000 documents. The last index is also saved
under .cache/ (storage.py), so a new process (`python build.py` after an edit) starts from it.
Either way the files are byte for byte those of a full index of the same records.
"""
from __future__ import annotations

import gc
import hashlib
import json
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cchc.model.site import Site
from cchc.search import storage
from cchc.search.encoding import FORMAT
from cchc.search.index import Index
from cchc.search.records import SearchRecord, records


@dataclass
class SearchStats:
    records: int
    seconds: float
    skipped: bool               # the index in output/ was still right: no files
    incremental: bool = False   # the last index was updated (only the changed records read), not made anew


@dataclass
class SearchUpdate:
    files: dict[str, bytes]     # output path -> bytes, the entry (encoding.BUNDLE) last; {} when skipped
    digest: str                 # what the index is made of: the builder records it as the entry's input digest
    stats: SearchStats


class SearchIndex:
    """The index of the last update, kept in memory so that a save in `serve` re-indexes only
    the records it changed. Measured on 10,000 articles + 2,000 documents (2 cores): a full
    index 7-8 s of CPU, a body or title edited or a new article 0.3 s (most of it making the
    records and comparing them), an old article deleted or an old document added 1.6 s (every
    later id moves). It holds about 165 MB there, two thirds of it the records' text.

    Keep one per Builder. `cache_dir`: where the last index is saved for the next process
    (None: neither loaded nor saved, as for `--no-cache`).
    """

    def __init__(self, cache_dir: Path | None = None) -> None:
        self.cache_dir = cache_dir
        self._texts: dict[str, tuple] = {}      # source -> (body, summary, text, lead): bodies not re-scanned
        self._digests: dict[str, tuple[SearchRecord, bytes]] = {}    # url -> (record, digest of the record)
        self._index: Index | None = None

    def update(self, site: Site, jobs: list, current: str = "") -> SearchUpdate:
        """The index files of the site's records, or none when `current` (the digest recorded
        for the index in output/, "" if there is none or it is not intact) is still theirs.

        `jobs` are the pages' jobs: only the text of their bodies is used (a body's HTML differs
        between a page re-rendered and one kept from the last build; its text does not).
        """
        with _gc_paused():
            return self._update(site, jobs, current)

    def _update(self, site: Site, jobs: list, current: str) -> SearchUpdate:
        started = time.perf_counter()
        # a page's job has a body; a document's open data (van-ban/<slug>/index.json) shares its
        # source but has none, and must not blank the page's body whatever the jobs' order
        bodies = {j.source: j.context["body"] for j in jobs if j.source and "body" in j.context}
        recs = records(site, bodies, self._texts)
        digest = self._digest(recs)
        if digest == current:
            return SearchUpdate({}, digest, SearchStats(len(recs), time.perf_counter() - started, True))
        index, self._index = self._index, None     # a bug half way through must not leave a wrong index behind
        first = index is None and self.cache_dir is not None
        if first:
            index = storage.load(self.cache_dir)
        incremental = index is not None and index.change(recs)
        if not incremental:
            index = Index(recs)
        self._index = index
        files = index.files()
        if first:       # a `build` process, or the first save in `serve`: later ones stay in memory
            storage.save(self.cache_dir, index)
        return SearchUpdate(files, digest, SearchStats(len(recs), time.perf_counter() - started, False, incremental))

    def _digest(self, recs: list[SearchRecord]) -> str:
        """What the index is made of, so a later build (another process too) can skip it; per
        record, so a record unchanged since the last update is not serialised again."""
        known, self._digests = self._digests, {}
        h = hashlib.sha256(FORMAT.encode("utf-8"))
        for r in recs:
            k = known.get(r.url)
            if k is None or k[0] != r:
                k = (r, hashlib.sha256(json.dumps(vars(r), ensure_ascii=False, default=list).encode("utf-8")).digest())
            self._digests[r.url] = k
            h.update(k[1])
        return h.hexdigest()


@contextmanager
def _gc_paused():
    """Indexing makes and keeps a few million small objects; the collector's passes over them
    would otherwise take longer than the indexing (measured: 18 s against 5 s at 12,000 records)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
