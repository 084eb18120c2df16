"""The link cache: where each body's links and citations point on its page, and what they warn.

A body's placement on its page (markdown/links.LinkResolver) depends on its source file (the body
and its first line), the page's URL and the site's link targets (`env`: every URL, output,
static file and document). The warnings are kept (in memory, and in .cache/ between runs) so
that every build reports them, while the placed HTML is computed only for the pages rendered.
"""
from __future__ import annotations

import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from cchc.build.digests import digest, engine_fingerprint
from cchc.build.images import pictures_digest
from cchc.core import sealed
from cchc.core.config import Settings
from cchc.core.problems import Problem, Problems
from cchc.markdown.links import LinkResolver
from cchc.model.site import Site
from cchc.render.templates import Job

Key = tuple[str, str]          # (source, page URL)


class Checked(NamedTuple):
    """What placing a body on its page found, for the file and the link targets it was placed with."""
    digest: str                # of the source file
    env: str                   # LinkCache.env
    problems: list[Problem]


class Placed(NamedTuple):
    """A body placed on its page (kept for this process only)."""
    digest: str
    env: str
    html: str


class LinkCache:
    """The warnings of every body on its page (saved) and the placed HTML (in memory)."""

    def __init__(self, folder: Path | None):
        self.path = folder / "links.pickle" if folder is not None else None
        self.known: dict[Key, Checked] = {}
        self.html: dict[Key, Placed] = {}
        self.env = ""
        self._loaded = self._dirty = False
        self._resolver: LinkResolver | None = None
        self._site: Site | None = None

    def prepare(self, site: Site, outputs: set[str], settings: Settings, for_disk: bool) -> None:
        """Learn the site's link targets (`env`); check() then places the bodies."""
        if not self._loaded and self.path is not None:
            self._loaded = True
            try:
                data = sealed.read(self.path)     # None: missing, or not this user's (never unpickled)
                self.known = pickle.loads(data) if data is not None else {}
            except Exception:   # missing or unreadable: everything is resolved again
                self.known = {}
        self.env = digest(engine_fingerprint(), repr(sorted(site.url_of.items())), repr(sorted(outputs)),
                          str(for_disk), repr(settings), repr([(d.source, d.digest) for d in site.documents]),
                          repr(sorted(f.output for f in site.static)), pictures_digest(site.pictures),
                          # a citation shows its document's status (links.LinkResolver): today decides it too
                          repr([(s, f.status, f.ended, f.ended_by) for s, f in sorted(site.legal.facts.items())]))
        self._site = site
        self._resolver = LinkResolver(site, outputs, Problems(), for_disk)

    def use_model(self, site: Site) -> None:
        """Go on with a model whose link targets are those prepare() learnt (serve's fast path:
        the same URLs and documents, some items edited)."""
        self._site = self._resolver.site = site

    def check(self, jobs: Iterator[Job], problems: Problems) -> Iterator[Job]:
        """Report the warnings of every body on its page (known ones again, others found now),
        passing each job on once its body is checked: the pages go to the workers while the
        next bodies are checked. Then forget the bodies no page shows any more."""
        live = set()
        for job in jobs:
            key = (job.source, job.url)
            live.add(key)
            item = self._site.by_source[job.source]
            known = self.known.get(key)
            if known is not None and known.digest == item.digest and known.env == self.env:
                problems.extend(known.problems)
            else:
                problems.extend(self.place(item, job.context["body"], job.url)[1])
            yield job
        for key in [k for k in self.known if k not in live]:
            del self.known[key]
            self._dirty = True
        self.html = {k: v for k, v in self.html.items() if k in live}

    def place(self, item, body: str, url: str) -> tuple[str, list[Problem]]:
        """Place one body (Markdown HTML) on the page at `url`, now, and remember it -> (the
        HTML, its warnings). For check(), and for serve's fast path (an item just re-read)."""
        html, found = self._resolve(item, body, url)
        self.known[(item.source, url)] = Checked(item.digest, self.env, found)
        self.html[(item.source, url)] = Placed(item.digest, self.env, html)
        self._dirty = True
        return html, found

    def known_problems(self, source: str, url: str) -> list[Problem] | None:
        """The warnings recorded for a body on its page (None: never placed there)."""
        known = self.known.get((source, url))
        return None if known is None else known.problems

    def resolve(self, job: Job) -> str:
        """The body placed on its page (its warnings were reported by check())."""
        key = (job.source, job.url)
        item = self._site.by_source[job.source]
        known = self.html.get(key)
        if known is not None and known.digest == item.digest and known.env == self.env:
            return known.html
        html, _ = self._resolve(item, job.context["body"], job.url)
        self.html[key] = Placed(item.digest, self.env, html)
        return html

    def save(self) -> None:
        if self.path is None or not self._dirty:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        sealed.write(self.path, pickle.dumps(self.known, protocol=pickle.HIGHEST_PROTOCOL))
        self._dirty = False

    def _resolve(self, item, body: str, url: str) -> tuple[str, list[Problem]]:
        """LinkResolver.resolve, with the problems it found taken out of its list."""
        problems = self._resolver.problems
        before = len(problems.items)
        html = self._resolver.resolve(item, body, url)
        found = problems.items[before:]
        del problems.items[before:]
        return html, found
