#!/usr/bin/env python3
"""How the engine's time grows on pathological input: each family at sizes n, 2n, 4n, 8n.

    python3 benchmarks/scaling.py                    # every family
    python3 benchmarks/scaling.py --only amp,cite    # families whose name contains one of these
    python3 benchmarks/scaling.py --list

The tests assert what such input gives (the right result, the right message); how long it takes
is measured here, never asserted in pytest (a shared machine makes any wall-clock threshold
either flaky or too loose to catch anything). The families are the inputs the tests use (the
expanded cases of tests/data/bad/cases.yaml, the long texts of test_legal.py, the deep bodies
of test_markdown_engines.py) and those of issue 19 (items 2 and 3).

For each family the size is doubled from a small start until one run takes MIN_TIME, so that
timer noise does not decide (or until the input reaches MAX_INPUT: a fast linear scan stays
under MIN_TIME at any size that fits in memory); then n, 2n, 4n and 8n are timed (the best of
three to five runs each, in this process, the garbage collector run before each). The ratio of one size to the one before is
≈2 for linear time and ≈4 for quadratic; `growth` is their geometric mean, and anything above
2.6 is flagged. Ratios are taken per doubling of the input's size, which for most families is
n (a deep list's grows as n², its indentation being 2 spaces a level). A family stops doubling
once a run exceeds --budget seconds (its remaining sizes are then shown as "-"); one whose time
falls as its input grows has met a limit that refuses the larger input, and is noted so. The script never fails: it prints a table, for the engineer who
makes a case linear to show before and after.
"""
from __future__ import annotations

import argparse
import datetime as dt
import gc
import math
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import yaml

REPO = Path(__file__).resolve().parent.parent
CASES = REPO / "tests" / "data" / "bad"
FLAG = 2.6
MIN_TIME = 0.1          # seconds: the smallest size timed should take at least this long
MAX_INPUT = 4 << 20     # ... unless its input is this large (characters, items): 8n is 32 MB then
LARGEST = 64 << 20      # no input larger than this is built (a deep list's grows as n²)

import sys  # noqa: E402

sys.path.insert(0, str(REPO))
from cchc.core.config import MarkdownSettings, load_settings  # noqa: E402
from cchc.core.content import LegalDocument, read_entry  # noqa: E402
from cchc.core.legal import build_index, find_citations, parse_citation  # noqa: E402
from cchc.core.problems import Problems  # noqa: E402
from cchc.markdown.engine import MarkdownRenderer  # noqa: E402


@dataclass
class Family:
    """One kind of input: make(n) builds the input of size n (not timed), run(input) is timed."""
    name: str
    source: str                      # where the tests or the issue use it
    make: Callable[[int], object]
    run: Callable[[object], object]
    start: int = 64                  # first n tried


# --- the operations ----------------------------------------------------------------------------

PYTHON_MARKDOWN = MarkdownRenderer(MarkdownSettings())
# One block of an article with markup (bold, emphasis, a link, an '&', code, an entity, a list).
MARKUP_BLOCK = ("**Lưu ý:** *Cải cách* hành chính [liên kết](https://example.gov.vn/) & `mã` số &#7843; 1.\n\n"
                "- Một *mục*;\n- Hai [mục](https://example.gov.vn/b).\n\n")
COMMONMARK = MarkdownRenderer(MarkdownSettings(engine="commonmark"))


class Section:
    """A minimal section in a temporary folder: what the build reads one content file with."""

    def __init__(self, root: Path):
        self.root = root
        (root / "content" / "articles" / "2021").mkdir(parents=True)
        (root / "site.yaml").write_text(
            'title: "Thử"\nbase_url: "https://example.gov.vn/cchc/"\n'
            "categories:\n  - {key: tin-hoat-dong, name: \"Tin hoạt động\"}\n"
            "document_types: [Luật, Nghị định, Quyết định]\n", encoding="utf-8")
        self.settings, problems = load_settings(root)
        assert self.settings is not None, [str(p) for p in problems.sorted()]

    def place(self, rel: str, data: bytes) -> tuple[Path, str]:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path, rel

    def read_and_render(self, placed: tuple[Path, str]) -> None:
        """What the build does with one article: read, check its limits, render its body."""
        path, rel = placed
        kind = rel.split("/")[1]
        item = read_entry(path, rel, kind, self.settings, Problems())
        if item is not None and item.body:
            PYTHON_MARKDOWN.render(item.body)


def chain(n: int) -> list[LegalDocument]:
    """n documents, each based on the one before (test_legal.py's long chain)."""
    issued = dt.datetime(2020, 3, 1, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    lines = {"symbol": 2, "type": 3, "title": 4, "issuer": 5, "issued": 6, "based_on": 7}
    return [LegalDocument(source=f"content/documents/d{i}.md", lines=lines, symbol=f"{i}/QĐ-UBND", type="Quyết định",
                          title="Trích yếu", issuer="UBND tỉnh", issued=issued, effective=issued,
                          based_on=[f"{i - 1}/QĐ-UBND ngày 01/03/2020"] if i > 1 else [])
            for i in range(1, n + 1)]


def expanded(case: dict, n: int) -> bytes:
    """A case of tests/data/bad/cases.yaml with n repetitions instead of its `times` (as test_hostile.py)."""
    data = (CASES / case["file"]).read_bytes()
    spec = case["expand"]
    every = spec.get("paragraph", 0)
    text = "".join(spec.get("indent", "") * i + spec["text"] + ("\n\n" if every and (i + 1) % every == 0 else "")
                   for i in range(n))
    return data.replace(b"@@X@@", text.encode("utf-8"))


def families(section: Section) -> list[Family]:
    out = [
        Family("find_citations: plain prose", "test_legal.py", lambda n: "Cải cách hành chính là nhiệm vụ trọng "
               "tâm của Sở Công Thương. " * n, find_citations),
        Family("find_citations: fractions and dates", "test_legal.py", lambda n: "Trong năm 2021, Sở đã tiếp nhận 1/2 "
               "số hồ sơ trực tuyến ngày 18/01/2021. " * n, find_citations),
        Family("find_citations: citation then n spaces", "issue 19 item 2",
               lambda n: "Căn cứ Nghị định 61/2018/NĐ-CP" + " " * n + "về một cửa.", find_citations),
        Family("find_citations: '1/A,' repeated", "issue 19 item 2", lambda n: "1/A," * n, find_citations),
        Family("parse_citation: relation 'Nghị định' + n spaces + number", "issue 19 item 2",
               lambda n: "Nghị định" + " " * n + "a 61/2018/NĐ-CP", parse_citation),
        Family("find_citations: n citations, each followed by 200 spaces", "test_citation_shapes.py",
               lambda n: ("Nghị định 61/2018/NĐ-CP" + " " * 200) * n, find_citations),
        Family("find_citations: n numbers inside one long address", "test_citation_shapes.py",
               lambda n: "https://a.vn/" + "1/KH-UBND," * n, find_citations),
        Family("find_citations: real citations (issue 21 shapes)", "test_citation_shapes.py", lambda n: (
               "Căn cứ Nghị quyết số 30c/NQ-CP ngày 08 tháng\n11 năm 2011; Công văn số 2231/SNV-CCHC&PC ngày 28 "
               "tháng 9 năm 2018; Luật 59/2020/QH14 và 60/2020/QH14–Nghị định 01/2021/NĐ-CP. ") * n, find_citations),
        Family("build_index: chain of n documents", "test_legal.py", chain,
               lambda docs: build_index(docs, dt.date(2026, 12, 1), Problems()), start=16),
        Family("Python-Markdown: '&amp;' x n in one paragraph", "issue 19 item 3",
               lambda n: "Mở đầu " + "&amp;" * n, PYTHON_MARKDOWN.render),
        Family("Python-Markdown: numeric entities", "issue 19 item 3",
               lambda n: "Mở đầu " + "&#7843;" * n, PYTHON_MARKDOWN.render),
        Family("Python-Markdown: backslash escapes", "issue 19 item 3",
               lambda n: "Mở đầu " + "\\*" * n, PYTHON_MARKDOWN.render),
        Family("Python-Markdown: code spans", "issue 19 item 3",
               lambda n: "Mở đầu " + "`mã` " * n, PYTHON_MARKDOWN.render),
    ]
    for name, unit in (("quotes", ">"), ("bullets", "- "), ("numbers", "1. ")):
        out.append(Family(f"commonmark: {name} nested n deep", "test_markdown_engines.py",
                          lambda n, unit=unit: unit * n + " sâu\n", COMMONMARK.render))
    out.append(Family("commonmark: emphasis n deep", "test_markdown_engines.py",
                      lambda n: "*" * n + "sâu" + "*" * n, COMMONMARK.render))
    out.append(Family("commonmark: brackets n deep", "test_markdown_engines.py",
                      lambda n: "[" * n + "sâu" + "]" * n, COMMONMARK.render))
    out += [
        Family("Python-Markdown: emphasis '*nhấn* ' x n in one paragraph", "issue 19 item 3 (bounded a paragraph)",
               lambda n: "Mở đầu " + "*nhấn* " * n, PYTHON_MARKDOWN.render),
        Family("Python-Markdown: '*nhấn* ' x 500 a paragraph, n paragraphs", "issue 19 item 3",
               lambda n: ("Mở đầu " + "*nhấn* " * 500 + "\n\n") * n, PYTHON_MARKDOWN.render, start=1),
        Family("Python-Markdown: markup-heavy article of n blocks", "issue 19 item 3 (20 MB: 430 s before)",
               lambda n: MARKUP_BLOCK * n, PYTHON_MARKDOWN.render),
        Family("nh3: 'a&b ' x n in one text node", "issue 19 item 3 (found measuring it)",
               lambda n: "<p>" + "a&amp;b " * n + "</p>", PYTHON_MARKDOWN.sanitize),
        Family("commonmark: '&amp;' x n in one paragraph", "issue 19 item 3 (nh3 after cmark)",
               lambda n: "Mở đầu " + "&amp;" * n, COMMONMARK.render),
    ]
    for case in yaml.safe_load((CASES / "cases.yaml").read_text(encoding="utf-8")):
        rel = case.get("to", "content/articles/2021/bad.md")
        if "expand" in case and not case.get("link") and rel.split("/")[:2] in (
                ["content", "articles"], ["content", "documents"], ["content", "pages"]):
            out.append(Family(f"read + render: {case['file']}", "cases.yaml (test_hostile.py)",
                              lambda n, case=case, rel=rel: section.place(rel, expanded(case, n)),
                              section.read_and_render, start=16))
    return out


# --- timing --------------------------------------------------------------------------------------

def size(data) -> int:
    if isinstance(data, tuple):          # a placed file: (path, rel)
        return data[0].stat().st_size
    return len(data)


def best_of(family: Family, n: int, budget: float) -> tuple[float, int]:
    """The shortest of three to five runs (one when a run takes seconds), and the input's size."""
    data = family.make(n)
    times: list[float] = []
    while len(times) < 5 and (len(times) < 3 or sum(times) < 1.0) and (not times or times[-1] < min(2.0, budget)):
        gc.collect()
        started = time.perf_counter()
        family.run(data)
        times.append(time.perf_counter() - started)
    return min(times), size(data)


def measure(family: Family, budget: float) -> tuple[int, list[tuple[float, int]]]:
    """The n found, and (seconds, input size) at n, 2n, 4n and 8n, as far as the budget allows."""
    n = family.start
    t, length = best_of(family, n, budget)
    while t < MIN_TIME and length * 2 <= MAX_INPUT:
        n *= 2
        t, length = best_of(family, n, budget)
    points = [(t, length)]
    for k in (2, 4, 8):
        growth = points[-1][1] / points[-2][1] if len(points) > 1 else 2
        if points[-1][0] > budget or points[-1][1] * growth > LARGEST:
            break
        points.append(best_of(family, n * k, budget))
    return n, points


def per_doubling(a: tuple[float, int], b: tuple[float, int]) -> float:
    """How much longer a run takes when its input doubles, from two sizes (a deep list's input
    grows faster than n: its indentation is 2 spaces a level)."""
    (ta, sa), (tb, sb) = a, b
    return (tb / ta) ** (math.log(2) / math.log(sb / sa)) if ta > 0 and sb > sa else float("nan")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", help="comma-separated parts of family names to run")
    ap.add_argument("--budget", type=float, default=10.0,
                    help="seconds: a family whose run took longer stops doubling (default 10)")
    ap.add_argument("--list", action="store_true", help="list the families and exit")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="cchc-scaling-") as tmp:
        todo = families(Section(Path(tmp) / "site"))
        if args.list:
            for f in todo:
                print(f"{f.name}  ({f.source})")
            return
        if args.only:
            wanted = [w.strip().lower() for w in args.only.split(",") if w.strip()]
            todo = [f for f in todo if any(w in f.name.lower() for w in wanted)]
        rows = []
        for family in todo:
            n, points = measure(family, args.budget)
            ratios = [per_doubling(a, b) for a, b in zip(points, points[1:])]
            growth = per_doubling(points[0], points[-1]) if len(points) > 1 else float("nan")
            if points[0][0] < 0.01:
                flag = f"under 10 ms at {points[0][1]:,}: too fast to tell"
            elif any(r < 0.7 for r in ratios):
                flag = "falls: a limit refuses larger input?"
            else:
                flag = "SUPERLINEAR" if growth > FLAG else ""
            rows.append((family, n, points, ratios, growth, flag))
            print(f"  {family.name}: n={n}: {', '.join(f'{t:.3f}' for t, _ in points)} s; growth {growth:.2f} {flag}",
                  flush=True)
    print(f"\n| family | from | n (input at n) | time at n, 2n, 4n, 8n (s) | ratio per doubling of the input | growth "
          f"| note (> {FLAG}: SUPERLINEAR) |\n|---|---|---|---|---|---|---|")
    for family, n, points, ratios, growth, flag in rows:
        times = [f"{t:.3f}" for t, _ in points] + ["-"] * (4 - len(points))
        print(f"| {family.name} | {family.source} | {n:,} ({points[0][1]:,}) | {', '.join(times)} "
              f"| {', '.join(f'{r:.2f}' for r in ratios)} | {growth:.2f} | {flag} |")
    flagged = [r[0].name for r in rows if r[5] == "SUPERLINEAR"]
    print(f"\n{len(flagged)} of {len(rows)} families grow faster than linear (growth > {FLAG}): "
          + ("; ".join(flagged) if flagged else "none"))


if __name__ == "__main__":
    main()
