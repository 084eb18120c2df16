"""markdown/inline.py's linear inline pass gives the very HTML of Python-Markdown's stock pass
(issue 19, item 3): bodies made of the inline constructs editors paste (entities, escapes, code
spans, emphasis, links, footnotes, raw HTML, citations) in random mixes, through both passes.
How its time grows is measured in benchmarks/scaling.py, not here."""
from __future__ import annotations

import random

import pytest

from cchc.core.config import MarkdownSettings
from cchc.markdown import engine, inline

PIECES = [
    "&amp;", "&#7843;", "&#x1EA1;", "&copy;", "&", "<", ">", "&amp", "\\*", "\\`", "\\\\", "\\_", "\\[", "`mã`",
    "``a`b``", "` `", "*nhấn*", "**đậm**", "_nghiêng_", "__đậm__", "***cả hai***", "a_b_c", "*", "**", "_", "`",
    "\\", "[liên kết](https://example.gov.vn/a)", "[x][ref]", "[ref]", "<https://example.gov.vn/b>",
    "<b>in</b>", "<span class=\"x\">s</span>", "<!-- c -->", "![ảnh](https://example.gov.vn/a.png)",
    "Nghị định 61/2018/NĐ-CP", "Luật số 45/2019/QH14 ngày 22/11/2019", "[^1]", "  \n", "\n", " ", " ", " ",
    "chữ", "Việt", "1.", "ABC", "*[ABC]: chữ viết tắt", "\x02", "\x03", "\\&amp;", "&#96;",
]
TAILS = ["", "\n\n[^1]: Chú thích *một*.", "\n\n[ref]: https://example.gov.vn/r", "\n\n*[ABC]: Viết tắt"]


def bodies(seed: int, count: int) -> list[str]:
    rnd = random.Random(seed)
    out = []
    for __ in range(count):
        parts = [rnd.choice(PIECES) for __ in range(rnd.randint(3, 80))]
        body = "".join(parts)
        if rnd.random() < 0.3:
            body = body.replace("\n", "\n\n", 1)
        out.append("Mở đầu " + body + rnd.choice(TAILS) + "\n")
    return out


@pytest.fixture(scope="module")
def passes():
    assert inline.supported(), "markdown/inline.py is used only with the versions it was checked against"
    linear = engine.MarkdownRenderer(MarkdownSettings())
    original = inline.supported
    inline.supported = lambda: False
    try:
        stock = engine.MarkdownRenderer(MarkdownSettings())
        stock.variant(frozenset())
    finally:
        inline.supported = original
    assert any(isinstance(p, inline.LinearInline) for p in linear.md.treeprocessors)
    assert not any(isinstance(p, inline.LinearInline) for p in stock.md.treeprocessors)
    return linear, stock


def _stock_variants(stock: engine.MarkdownRenderer, body: str) -> str:
    original = inline.supported
    inline.supported = lambda: False     # every variant the body needs is built with the stock pass
    try:
        return stock._python_markdown(body)
    finally:
        inline.supported = original


@pytest.mark.parametrize("seed", range(6))
def test_the_linear_inline_pass_gives_the_stock_html(passes, seed):
    linear, stock = passes
    different = []
    for body in bodies(seed, 150):
        want = _stock_variants(stock, body)
        got = linear._python_markdown(body)
        if got != want:
            different.append((body, want, got))
    assert not different, different[0]


def test_long_inline_runs_give_the_stock_html(passes):
    """Runs long enough to cross the places where the pass rebuilds the text (placeholders, a
    match ending in a character a pattern looks behind for)."""
    linear, stock = passes
    for body in ["Mở đầu " + "&#7843;\\*`mã` " * 400, "Mở đầu " + "\\\\`x` " * 300, "Mở đầu " + "&amp;" * 3000,
                 "Mở đầu " + "[a](https://example.gov.vn/) *b* " * 200]:
        assert linear._python_markdown(body) == _stock_variants(stock, body)
