"""`serve`'s watcher and live-reload state, in-process: a fake builder, a clock that moves only
when the watcher waits, and file events fed in as watchdog delivers them.

As MkDocs tests its LiveReloadServer (mkdocs/tests/livereload_tests.py: a server without a real
socket, `builder=` a function the test controls), nothing here sleeps or starts a thread: each
test writes a script of events at given moments, runs the watcher's loop until the script ends,
and checks which builds happened, when, with which changed paths, and what LiveState told the
pages. tests/test_serve.py keeps the real process, the real file system and a real browser.
"""
from __future__ import annotations

import heapq
import itertools
import json
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest
from watchdog.events import (DirCreatedEvent, DirModifiedEvent, DirMovedEvent, FileCreatedEvent, FileDeletedEvent,
                             FileModifiedEvent, FileMovedEvent)

from cchc.build.result import BuildResult
from cchc.build.output import WriteStats
from cchc.commands.serve import DEBOUNCE, MAX_WAIT, LiveState, Watcher, _Handler
from cchc.core.problems import Problems

ARTICLE = "content/articles/2021/bai-dau-tien.md"


class Clock:
    """Time that moves only when the watcher waits (or a fake build takes time); the script's
    actions run, in order, when time reaches them."""

    def __init__(self):
        self.now = 0.0
        self.script: list[tuple[float, int, object]] = []
        self.order = itertools.count()

    def __call__(self) -> float:
        return self.now

    def at(self, when: float, action) -> None:
        heapq.heappush(self.script, (when, next(self.order), action))

    def advance(self, seconds: float) -> None:
        """Time passes (a build running): what is due meanwhile happens."""
        end = self.now + seconds
        while self.script and self.script[0][0] <= end:
            when, _, action = heapq.heappop(self.script)
            self.now = max(self.now, when)
            action()
        self.now = end

    def wait(self, cond: threading.Condition, timeout: float | None) -> bool:
        """Condition.wait: returns at the next action (it may notify) or when the timeout ends."""
        if self.script and (timeout is None or self.script[0][0] <= self.now + timeout):
            when, _, action = heapq.heappop(self.script)
            self.now = max(self.now, when)
            action()
            return True
        if timeout is None:
            raise AssertionError("the watcher waits for an event that never comes (end the script with stop)")
        self.now += timeout
        return False


class Observer:
    """Stands for watchdog's observer: records what the watcher asks it to watch."""

    def __init__(self):
        self.scheduled: list[list[str]] = [[]]

    def schedule(self, handler, path: str, recursive: bool = False, event_filter=None) -> None:
        self.scheduled[-1].append(f"{Path(path).name}{'/**' if recursive else ''}")

    def unschedule_all(self) -> None:
        self.scheduled.append([])

    def start(self) -> None:
        pass


class Builder:
    """Records every build (when, what changed); each build's outcome comes from `outcomes`."""

    def __init__(self, clock: Clock, seconds: float = 0.05):
        self.clock, self.seconds = clock, seconds
        self.builds: list[tuple[float, list[str] | None]] = []
        self.outcomes: list = []        # per build after the first: a Problems, an exception, or None (ok)

    def build(self, changed, pages_written=None) -> BuildResult:
        self.builds.append((round(self.clock.now, 3), None if changed is None else sorted(changed)))
        outcome = self.outcomes.pop(0) if changed is not None and self.outcomes else None
        self.clock.advance(self.seconds)
        if isinstance(outcome, Exception):
            raise outcome
        problems = outcome or Problems()
        result = BuildResult(problems=problems, settings=SimpleNamespace(base_path="/cchc/"),
                             stats=WriteStats(written=["tin-tuc/bai-dau-tien/index.html"]), seconds=self.seconds)
        if pages_written is not None and result.ok:
            pages_written(result)        # the pages are told before the search index is written
        return result


class Serve:
    """The watcher's loop as `serve` runs it, over a script of events."""

    def __init__(self, tmp_path: Path, build_seconds: float = 0.05):
        self.root = (tmp_path / "site").resolve()
        for folder in ("content/articles/2021", "layouts", "output", ".cache"):
            (self.root / folder).mkdir(parents=True, exist_ok=True)
        self.clock = Clock()
        self.live = LiveState(self.root / "output")
        self.observer = Observer()
        self.watcher = Watcher(self.root, self.root / "output", self.live, poll=False, clock=self.clock,
                               wait=self.clock.wait, observer=self.observer)
        self.handler = _Handler(self.watcher)
        self.builder = Builder(self.clock, build_seconds)
        self.published: list[dict] = []
        publish = self.live.publish

        def recording(result):
            publish(result)
            self.published.append(json.loads(self.live.message()[6:]))
        self.live.publish = recording

    def path(self, rel: str) -> str:
        return str(self.root / rel)

    def event(self, when: float, event) -> None:
        self.clock.at(when, lambda: self.handler.dispatch(event))

    def saved(self, when: float, rel: str) -> None:
        self.event(when, FileModifiedEvent(self.path(rel)))

    def run(self, until: float | None = None) -> list[tuple[float, list[str] | None]]:
        """Run the loop until the script is done (serve stops after its last action)."""
        end = until if until is not None else (max(w for w, _, _ in self.clock.script) if self.clock.script else 0) + 10
        self.clock.at(end, self.live.close)
        self.watcher.start()
        self.watcher.rebuild_forever(self.builder, threading.Event())
        return self.builder.builds


@pytest.fixture
def serve(tmp_path, capsys) -> Serve:
    return Serve(tmp_path)


# --- debounce: which builds happen, when, with which paths -----------------------------------------

def test_the_first_build_is_full_and_nothing_else_happens_without_events(serve):
    assert serve.run() == [(0.0, None)]
    assert serve.observer.scheduled == [["site", "content/**", "layouts/**"]]


def test_a_burst_of_saves_is_one_build_after_the_quiet_with_every_path(serve):
    for i in range(12):                      # "save all", an autosaving editor: 10 ms apart
        serve.saved(1.0 + i * 0.01, ARTICLE)
        serve.saved(1.005 + i * 0.01, "content/articles/2021/bai-phu.md")
    builds = serve.run()
    assert builds == [(0.0, None), (round(1.115 + DEBOUNCE, 3), ["content/articles/2021/bai-dau-tien.md",
                                                                   "content/articles/2021/bai-phu.md"])]


def test_saves_apart_by_more_than_the_quiet_are_separate_builds(serve):
    serve.saved(1.0, ARTICLE)
    serve.saved(1.0 + DEBOUNCE + 0.5, "site.yaml")
    assert [changed for _, changed in serve.run()] == [None, [ARTICLE], ["site.yaml"]]


def test_a_burst_that_never_pauses_still_builds_every_max_wait(serve):
    saved = {f"content/articles/2021/bai-{i:02d}.md": 1.0 + i * 0.1 for i in range(60)}
    for rel, when in saved.items():          # a folder copied in: one file every 0.1 s for 6 s
        serve.saved(when, rel)
    builds = serve.run()[1:]
    assert len(builds) == 3                  # at 3.0 and 5.1 (MAX_WAIT), 7.1 (quiet after the last)
    for when, changed in builds[:-1]:        # MAX_WAIT after the first save each one holds
        assert when == round(min(saved[p] for p in changed) + MAX_WAIT, 3), (when, changed)
    assert builds[-1][0] == round(max(saved.values()) + DEBOUNCE, 3), "the last after the quiet"
    assert sorted(p for _, changed in builds for p in changed) == sorted(saved), "every save built once"


def test_a_save_during_a_build_is_built_next(tmp_path, capsys):
    serve = Serve(tmp_path, build_seconds=1.0)
    serve.saved(1.0, ARTICLE)                         # builds at 1.2, until 2.2
    serve.saved(1.5, "layouts/article.html")          # saved while that build runs
    assert serve.run() == [(0.0, None), (1.2, [ARTICLE]), (2.2, ["layouts/article.html"])]


def test_editor_temp_files_and_files_beside_the_section_cause_no_build(serve):
    folder = "content/articles/2021/"
    for i, name in enumerate([".#bai-dau-tien.md", "~$bai-dau-tien.md", ".bai-dau-tien.md.swp", "bai-dau-tien.md~",
                              "4913", "~WRL0001.tmp", ".~lock.bieu-mau.docx#", "Thumbs.db"]):
        serve.event(1.0 + i, FileCreatedEvent(serve.path(folder + name)))
        serve.event(1.1 + i, FileDeletedEvent(serve.path(folder + name)))
    serve.saved(20, "README.md")                       # beside site.yaml
    serve.saved(21, "output/tin-tuc/index.html")       # the build's own writes
    serve.saved(22, ".cache/content.pickle")
    serve.event(23, DirModifiedEvent(serve.path("content/articles/2021")))   # repeats its entries' events
    assert serve.run() == [(0.0, None)]


def test_a_save_by_rename_builds_the_file_not_the_temporary(serve):
    tmp = "content/articles/2021/bai-dau-tien.md.tmp"           # VS Code, Notepad++, Word
    serve.event(1.0, FileCreatedEvent(serve.path(tmp)))
    serve.event(1.01, FileModifiedEvent(serve.path(tmp)))
    serve.event(1.02, FileMovedEvent(serve.path(tmp), serve.path(ARTICLE)))
    assert serve.run() == [(0.0, None), (1.22, [ARTICLE])]


def test_vims_backup_dance_is_one_build_of_the_article(serve):
    backup = "content/articles/2021/bai-dau-tien.md~"
    serve.event(1.0, FileCreatedEvent(serve.path("content/articles/2021/4913")))
    serve.event(1.0, FileDeletedEvent(serve.path("content/articles/2021/4913")))
    serve.event(1.01, FileMovedEvent(serve.path(ARTICLE), serve.path(backup)))
    serve.event(1.02, FileCreatedEvent(serve.path(ARTICLE)))
    serve.event(1.03, FileModifiedEvent(serve.path(ARTICLE)))
    serve.event(1.04, FileDeletedEvent(serve.path(backup)))
    assert serve.run() == [(0.0, None), (1.23, [ARTICLE])]


def test_a_folder_created_or_renamed_inside_content_is_built(serve):
    serve.event(1.0, DirCreatedEvent(serve.path("content/articles/2022")))
    serve.event(3.0, DirMovedEvent(serve.path("content/articles/2021"), serve.path("content/articles/nam-2021")))
    assert serve.run() == [(0.0, None), (1.2, ["content/articles/2022"]),
                           (3.2, ["content/articles/2021", "content/articles/nam-2021"])]
    assert len(serve.observer.scheduled) == 1, "the recursive watches follow folders inside content/"


def test_content_or_layouts_replaced_as_a_whole_is_watched_again(serve):
    serve.event(1.0, DirMovedEvent(serve.path("layouts"), serve.path("layouts-cu")))
    serve.event(1.01, DirCreatedEvent(serve.path("layouts")))
    builds = serve.run()
    assert builds == [(0.0, None), (1.21, ["layouts"])]
    assert serve.observer.scheduled[-1] == ["site", "content/**", "layouts/**"], "the watches are made again"
    assert len(serve.observer.scheduled) == 2


# --- what the pages are told ---------------------------------------------------------------------

def test_live_state_publishes_each_build_and_keeps_the_generation_of_the_last_good_one(serve):
    broken = Problems()
    broken.error("site.yaml", 11, "per_page: expected a whole number, found [hai", "write e.g. per_page: 10")
    serve.builder.outcomes = [None, broken, None]
    serve.saved(1.0, ARTICLE)
    serve.saved(2.0, "site.yaml")
    serve.saved(3.0, "site.yaml")
    serve.run()
    boot = serve.live.boot
    assert serve.live.mount == "/cchc/"
    assert serve.published == [
        {"generation": f"{boot}-1", "failed": False, "problems": []},
        {"generation": f"{boot}-2", "failed": False, "problems": []},
        {"generation": f"{boot}-2", "failed": True, "problems": [
            "site.yaml:11: error: per_page: expected a whole number, found [hai (write e.g. per_page: 10)"]},
        {"generation": f"{boot}-3", "failed": False, "problems": []},
    ]
    assert serve.live.version == 4 and serve.live.idle.is_set()


def test_warnings_found_after_the_pages_are_told_again(serve):
    """The pages hear as soon as they are written; a warning the search index adds later is
    published too, so the overlay and the terminal agree."""
    def late_warning(changed, pages_written=None):
        problems = Problems()
        result = BuildResult(problems=problems, settings=SimpleNamespace(base_path="/cchc/"),
                             stats=WriteStats(written=["x"]))
        pages_written(result)
        problems.warning("site.yaml", None, "search: cannot write the index")
        return result
    serve.builder.build = late_warning
    serve.run()
    assert [(m["failed"], m["problems"]) for m in serve.published] == [(False, []), (False, [])]
    assert serve.live.version == 2


def test_an_engine_crash_is_shown_and_serving_goes_on(serve, capsys):
    serve.builder.outcomes = [RuntimeError("lỗi thử"), None]
    serve.saved(1.0, ARTICLE)
    serve.saved(2.0, ARTICLE)
    builds = serve.run()
    assert [changed for _, changed in builds] == [None, [ARTICLE], [ARTICLE]], "the next save builds again"
    err = capsys.readouterr().err
    assert ("error: internal error while building: RuntimeError('lỗi thử') (please report this to the developers)"
            in err.splitlines())
    assert not serve.live.failed and serve.live.good_builds == 2


def test_the_terminal_says_what_changed_and_what_was_rebuilt(serve, capsys):
    for i in range(5):
        serve.saved(1.0, f"content/articles/2021/bai-{i}.md")
    serve.run()
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith("Built in 0.05 s: 1 written, 0 removed.")
    assert out[1].endswith(" changed: content/articles/2021/bai-0.md, content/articles/2021/bai-1.md, "
                           "content/articles/2021/bai-2.md and 2 more")
    assert out[2].endswith("Rebuilt in 0.05 s: 1 written, 0 removed; reloading open pages.")


def test_a_file_name_never_steers_the_terminal(serve, capsys):
    """A saved file whose name holds an escape sequence is named escaped, as problem lines are."""
    serve.saved(1.0, "content/articles/2021/bai\x1b]0;pwned\x07.md")
    serve.run()
    out = capsys.readouterr().out
    assert "changed: content/articles/2021/bai\\x1b]0;pwned\\x07.md" in out
    assert "\x1b" not in out and "\x07" not in out
