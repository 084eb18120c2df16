"""Recall and precision of citation linking, on the sample section and on real texts.

    python benchmarks/citations.py [--engine DIR]

DIR is the repository whose engine is measured (default: this one), so an older engine can be
measured on the same labels: `git worktree add /tmp/old <commit>` then `--engine /tmp/old`.

Each text goes through what a build does with a body: Markdown with citation marks (Python-
Markdown's path), then each mark resolved against the legal-document index. A mention counts as
linked when its mark resolves to the labelled document; recall = linked right / labelled
mentions, precision = linked right / marks that resolved to any document.

- Real texts: tests/data/real-texts/ (excerpts of provincial and ministry texts, each with its
  address; labels.yaml lists every numbered mention by hand). The index holds every labelled
  document, as a section that had indexed all of them would.
- The sample: content/, with its own index; the labels are the numbered mentions of each body
  (SAMPLE_LABELS below, read by hand), the slip "61/2018/NQ-CP" quoted from the 2021 plan
  expected to stay unlinked.
"""
from __future__ import annotations

import argparse
import collections
import datetime as dt
import html
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
MARK = re.compile(r'<a data-cite="([^"]*)"(?: data-cite-date="([^"]*)")?(?: data-cite-type="([^"]*)")?>(.*?)</a>', re.S)

# The sample's numbered mentions, per body, in order (read by hand from content/); a number in a
# heading is a title, not a reference, and is left out (DESIGN.md §5: no link in headings).
SAMPLE_LABELS = {
    "content/articles/2026/ban-nhap-de-cuong-bao-cao-quy-i.md": ["10/KH-UBND"],
    "content/articles/2026/chi-so-par-index-papi-pci.md": ["908/QĐ-UBND"],
    "content/articles/2026/chu-truong-cua-dang-ve-cai-cach-hanh-chinh.md":
        ["17-NQ/TW", "18-NQ/TW", "24/2014/NĐ-CP", "107/2020/NĐ-CP", "52-NQ/TW", "17/NQ-CP"],
    "content/articles/2026/co-che-mot-cua-mot-cua-lien-thong.md":
        ["61/2018/NĐ-CP", "61/2018/NĐ-CP", "61/2018/NĐ-CP", "118/2025/NĐ-CP"],
    "content/articles/2026/dich-vu-cong-truc-tuyen-muc-do-3-4.md": ["17/NQ-CP"],
    "content/articles/2026/do-luong-muc-do-hai-long-cua-nguoi-dan-to-chuc.md": ["908/QĐ-UBND", "908/QĐ-UBND"],
    "content/articles/2026/ke-hoach-cai-cach-hanh-chinh-nam-2021-cua-tinh.md": ["10/KH-UBND", "2043/QĐ-UBND"],
    "content/articles/2026/ke-hoach-tuyen-truyen-cchc-nam-2021-cua-so.md":
        ["10/KH-UBND", "17-NQ/TW", "18-NQ/TW", "52-NQ/TW", "2043/QĐ-UBND", "908/QĐ-UBND", "61/2018/NĐ-CP",
         "118/2025/NĐ-CP"],
    "content/articles/2026/kiem-soat-thu-tuc-hanh-chinh.md": ["63/2010/NĐ-CP", "48/2013/NĐ-CP", "92/2017/NĐ-CP"],
    "content/articles/2026/to-chuc-co-quan-chuyen-mon-thuoc-ubnd-tinh.md": ["18-NQ/TW", "24/2014/NĐ-CP", "107/2020/NĐ-CP"],
    "content/articles/2026/vai-tro-van-phong-so-va-cac-don-vi-trong-tuyen-truyen-cchc.md": ["10/KH-UBND"],
    "content/articles/2026/xay-dung-chinh-quyen-dien-tu.md": ["17/NQ-CP", "52-NQ/TW"],
    "content/pages/gioi-thieu.md": ["10/KH-UBND"],
    "content/documents/107-2020-nd-cp.md": ["24/2014/NĐ-CP", "24/2014/NĐ-CP"],
    "content/documents/107-2021-nd-cp.md": ["61/2018/NĐ-CP", "61/2018/NĐ-CP", "118/2025/NĐ-CP"],
    "content/documents/118-2025-nd-cp.md": ["61/2018/NĐ-CP", "107/2021/NĐ-CP"],
    "content/documents/24-2014-nd-cp.md": ["107/2020/NĐ-CP"],
    "content/documents/48-2013-nd-cp.md": ["63/2010/NĐ-CP"],
    "content/documents/61-2018-nd-cp.md": ["61/2018/NĐ-CP"],
    "content/documents/63-2010-nd-cp.md": ["48/2013/NĐ-CP", "92/2017/NĐ-CP"],
    "content/documents/92-2017-nd-cp.md": ["63/2010/NĐ-CP"],
}


def linked(engine, index, body: str) -> list[str | None]:
    """The source each citation mark of a body resolves to (None: no document), in order."""
    from cchc.core.config import MarkdownSettings
    from cchc.markdown import links
    from cchc.markdown.engine import MarkdownRenderer
    renderer = engine.setdefault("renderer", MarkdownRenderer(MarkdownSettings()))
    key_of = getattr(links, "_key", lambda key: key)       # engines before issue 21 read the key as written
    out = []
    for m in MARK.finditer(renderer.render(body)):
        date = dt.date.fromisoformat(m.group(2)) if m.group(2) else None
        kind = html.unescape(m.group(3)) if m.group(3) else None
        out.append(index.resolve(key_of(m.group(1)), date, kind).source)
    return out


def score(pairs) -> tuple[int, int, int]:
    """(linked right, labelled, resolved marks) over (expected sources, found sources) pairs."""
    right = labelled = made = 0
    for expected, found in pairs:
        want, got = collections.Counter(expected), collections.Counter(s for s in found if s)
        right += sum((want & got).values())
        labelled += len(expected)
        made += sum(got.values())
    return right, labelled, made


def real_texts(engine) -> tuple[int, int, int]:
    import yaml
    from cchc.core.content import LegalDocument
    from cchc.core.legal import build_index, parse_symbol, type_of
    from cchc.core.problems import Problems
    folder = HERE / "tests" / "data" / "real-texts"
    labels = yaml.safe_load((folder / "labels.yaml").read_text(encoding="utf-8"))
    documents, sources = {}, {}
    for name, entry in labels.items():
        for number, issued in entry["mentions"]:
            issued = dt.date.fromisoformat(str(issued))
            key = (number, issued)
            if key in sources:
                continue
            source = f"content/documents/{len(sources)}.md"
            sources[key] = source
            try:
                kind = type_of(parse_symbol(number)) or "Công văn"
            except Exception:              # an engine that cannot read the number: a type still
                kind = "Nghị quyết"
            documents[source] = LegalDocument(source=source, symbol=number, type=kind, title=number, issuer="x",
                                              issued=dt.datetime.combine(issued, dt.time()))
    index = build_index(list(documents.values()), dt.date(2026, 12, 3), Problems())
    pairs = []
    for name, entry in labels.items():
        body = (folder / f"{name}.txt").read_text(encoding="utf-8")
        expected = [sources[(n, dt.date.fromisoformat(str(d)))] for n, d in entry["mentions"]]
        found = linked(engine, index, body)
        pairs.append((expected, found))
        if engine.get("verbose"):
            missing = collections.Counter(expected) - collections.Counter(s for s in found if s)
            for source in missing.elements():
                print(f"  missed in {name}: {documents[source].symbol}")
    return score(pairs)


def sample(engine) -> tuple[int, int, int]:
    from cchc.core.config import load_settings
    from cchc.core.content import load_content
    from cchc.core.legal import build_index
    from cchc.core.problems import Problems
    settings, _ = load_settings(HERE)
    content = load_content(settings, Problems())
    index = build_index(content.documents, dt.date(2026, 12, 3), Problems())
    by_symbol = {f.symbol.text: s for s, f in index.facts.items()}
    pairs = []
    for item in (*content.articles, *content.pages, *content.documents):
        expected = [by_symbol[n] for n in SAMPLE_LABELS.get(item.source, [])]
        pairs.append((expected, linked(engine, index, item.body)))
    return score(pairs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", type=Path, default=HERE, help="the repository whose engine is measured")
    parser.add_argument("-v", "--verbose", action="store_true", help="name each missed mention")
    args = parser.parse_args()
    sys.path.insert(0, str(args.engine.resolve()))
    engine = {"verbose": args.verbose}
    for name, measure in (("sample", sample), ("real texts", real_texts)):
        right, labelled, made = measure(engine)
        print(f"{name}: recall {right}/{labelled} = {right / labelled:.1%}, "
              f"precision {right}/{made} = {right / made if made else 1:.1%}")


if __name__ == "__main__":
    main()
