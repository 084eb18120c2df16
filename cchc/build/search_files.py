"""The search index's files in output/, written like pages: after them, through the output record.

search/ makes the files (SearchIndex.update: {output path: bytes}, the entry last; none when the
digest the record holds as the entry's input is still the records'). Here they are staged and
put in place by write_output with the rest of the record kept, so a file the new index no longer
names is removed by the record like any page, and a write failure is the builder's one error
while the pages stay written. The index is kept between builds: a save in `serve` re-indexes
its records only.
"""
from __future__ import annotations

from pathlib import Path

from cchc.build.output import OutputRecord, Staged, WriteStats, discard, is_current, stage_page
from cchc.model.site import Site
from cchc.render.templates import Job
from cchc.search.encoding import BUNDLE, is_index_file
from cchc.search.indexer import SearchIndex


class SearchFiles:
    """The search index of the last build and its files in the output folder."""

    def __init__(self, cache_dir: Path | None, out_dir: Path, record: OutputRecord):
        self.index = SearchIndex(cache_dir)
        self.out_dir, self.record = out_dir, record

    def current(self) -> str:
        """The input digest of the index in output/ (its entry's), when all its files are as the
        output record says ("" when there is none, or someone changed or deleted a file)."""
        record = self.record.current()
        entry = record.get(BUNDLE)
        if entry is None or not all(is_current(self.out_dir, rel, e) for rel, e in record.items() if is_index_file(rel)):
            return ""
        return entry.inputs

    def write(self, site: Site, jobs: list[Job]) -> WriteStats:
        """Update the index of the site's records and put its changed files in place (the record
        is saved by the caller, once for the pages and the index). Raises OSError when they
        could not be written: nothing of the index was replaced."""
        record = self.record.current()
        entry = record.get(BUNDLE)
        update = self.index.update(site, jobs, entry.inputs if entry is not None else "")
        if not update.files:
            if self.current():
                return WriteStats()
            update = self.index.update(site, jobs)     # the same index, but one of its files was changed or deleted
        staged: list[Staged] = []
        try:
            for rel, data in update.files.items():      # the entry last: put in place after its files
                prev = record.get(rel)
                if rel != BUNDLE and prev is not None and is_current(self.out_dir, rel, prev):
                    staged.append(Staged(rel, prev.sha, prev.size, prev.mtime_ns))   # a data file's name is its hash
                else:
                    staged.append(stage_page(self.out_dir, rel, data, prev))
            ours = {rel for rel in record if is_index_file(rel)}
            stats = self.record.write(staged, {}, set(record) - ours, {BUNDLE: update.digest}, record, save=False)
        except OSError:
            discard(staged)
            raise
        return WriteStats(stats.written, len(staged) - len(stats.written), stats.removed)
