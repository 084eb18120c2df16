"""Python-Markdown's inline pass (its `InlineProcessor`) in time linear in the text.

The stock pass is quadratic in the number of inline matches in one text: after each match it
rebuilds the whole text around a placeholder, appends each piece of text to an element with
`+=` (a copy of all of it), finds each element's place among its siblings with
`list(parent).index(child)` and takes its work list from the front with `pop(0)`. One pasted
paragraph of 20,000 `&#7843;` took a minute (issue 19, item 3; benchmarks/scaling.py measures it).

`LinearInline` gives the very tree the stock pass gives, in one sweep per pattern:
- A pattern whose matches depend only on the text from the match on (the stateless processors
  in CONTEXT) is applied in one pass over the text, the pieces joined once. The stock pass
  searches on in the rebuilt text, where the character before the next match is the end of a
  placeholder (ETX); a pattern that looks behind its match (`(?<!\\)`) is given that text
  exactly: CONTEXT names the characters such a pattern looks behind for, and when a match ends
  in one of them the text is rebuilt as the stock pass does (rare: an escaped backslash just
  before a backtick). Other processors (emphasis keeps state across calls, extensions') run as
  in the stock pass.
- Text is gathered in lists and each element's text or tail set once.
- The work list is a deque, and a child's position among its siblings is counted, not searched for.

It overrides the stock class's private methods, so it is used only with the versions of
Python-Markdown it was checked against (SUPPORTED); tests/test_markdown_engines.py compares the
two passes' HTML on generated bodies.
"""
from __future__ import annotations

import xml.etree.ElementTree as etree
from collections import deque

import markdown
from markdown import inlinepatterns as ip, util
from markdown.extensions.footnotes import FootnoteInlineProcessor
from markdown.treeprocessors import InlineProcessor

# The versions whose InlineProcessor this module's methods were written against (3.11 continues
# each search after the placeholder, as the fast pass does; earlier versions start again at 0).
SUPPORTED = ((3, 11), (3, 12))

# Stateless processors: handleMatch reads the match and the text after it, never before it.
# Value: the characters the pattern's regex looks behind its match for ("" for none).
CONTEXT: dict[type, str] = {
    ip.BacktickInlineProcessor: "\\",            # (?<!\\)
    ip.EscapeInlineProcessor: "",
    FootnoteInlineProcessor: "",
    ip.ReferenceInlineProcessor: "!",            # (?<!\!)\[
    ip.LinkInlineProcessor: "!",
    ip.ShortReferenceInlineProcessor: "!",
    ip.ImageInlineProcessor: "",
    ip.ImageReferenceInlineProcessor: "",
    ip.ShortImageReferenceInlineProcessor: "",
    ip.AutolinkInlineProcessor: "",
    ip.AutomailInlineProcessor: "",
    ip.SubstituteTagInlineProcessor: "",
    ip.HtmlInlineProcessor: "",                  # raw HTML and entities
}


def supported() -> bool:
    return tuple(markdown.__version_info__[:2]) in SUPPORTED


class LinearInline(InlineProcessor):
    """InlineProcessor with the same result in linear time (see the module's docstring)."""

    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        if isinstance(data, util.AtomicString):
            return data
        count = len(self.inlinePatterns)
        while patternIndex < count:
            pattern = self.inlinePatterns[patternIndex]
            context = CONTEXT.get(type(pattern))
            if context is None:
                data = self._stock(pattern, data, patternIndex)
            else:
                data = self._sweep(pattern, data, patternIndex, context)
            patternIndex += 1
        return data

    def _stock(self, pattern, data: str, patternIndex: int) -> str:
        start = 0
        while True:
            data, matched, start = self._InlineProcessor__applyPattern(pattern, data, patternIndex, start)
            if not matched:
                return data

    def _sweep(self, pattern, data: str, patternIndex: int, context: str) -> str:
        """Every match of one stateless pattern, as repeated stock __applyPattern calls would."""
        for exclude in pattern.ANCESTOR_EXCLUDES:
            if exclude.lower() in self.ancestors:
                return data
        regex = pattern.getCompiledRegExp()
        pieces: list[str] = []
        text, done, at = data, 0, 0
        while True:
            for m in regex.finditer(text, at):
                node, start, end = pattern.handleMatch(m, text)
                if start is not None and end is not None:
                    break
            else:
                break
            if node is None:
                at = end
                continue
            if not isinstance(node, str) and not isinstance(node.text, util.AtomicString):
                for child in [node] + list(node):
                    if child.text:
                        self.ancestors.append(child.tag.lower())
                        child.text = self._InlineProcessor__handleInline(child.text, patternIndex + 1)
                        self.ancestors.pop()
                    if child.tail:
                        child.tail = self._InlineProcessor__handleInline(child.tail, patternIndex)
            pieces += (text[done:start], self._InlineProcessor__stashNode(node, pattern.type()))
            done = at = end
            if context and end and text[end - 1] in context:
                # The stock pass would see the placeholder's end here: give the pattern that text.
                prefix = "".join(pieces)
                text, pieces, done, at = prefix + text[end:], [], 0, len(prefix)
        if not pieces:
            return text
        pieces.append(text[done:])
        return "".join(pieces)

    def _InlineProcessor__processPlaceholders(self, data, parent, isText: bool = True):
        result: list = []
        pending: list[str] = []       # text for the current target, set once (not += each piece)

        def flush() -> None:
            if not pending:
                return
            if result:
                owner, attr = result[-1][0], "tail"
            else:
                owner, attr = parent, ("text" if isText else "tail")
            current = getattr(owner, attr)
            if not current and len(pending) == 1:
                value = pending[0]             # as assigned by the stock pass (an AtomicString stays one)
            else:
                value = (current or "") + "".join(pending)
            setattr(owner, attr, value)
            pending.clear()

        prefix = util.INLINE_PLACEHOLDER_PREFIX
        start = 0
        while data:
            index = data.find(prefix, start)
            if index != -1:
                id, end = self._InlineProcessor__findPlaceholder(data, index)
                if id in self.stashed_nodes:
                    node = self.stashed_nodes.get(id)
                    if index > 0 and data[start:index]:
                        pending.append(data[start:index])
                    if not isinstance(node, str):
                        for child in [node] + list(node):
                            if child.tail and child.tail.strip():
                                self._InlineProcessor__processElementText(node, child, False)
                            if child.text and child.text.strip():
                                self._InlineProcessor__processElementText(child, child)
                    else:
                        if node:
                            pending.append(node)
                        start = end
                        continue
                    start = end
                    flush()
                    result.append((node, self.ancestors[:]))
                else:
                    stop = index + len(prefix)
                    if data[start:stop]:
                        pending.append(data[start:stop])
                    start = stop
            else:
                text = data[start:]
                if isinstance(data, util.AtomicString):
                    text = util.AtomicString(text)
                if text:
                    pending.append(text)
                data = ""
        flush()
        return result

    def run(self, tree, ancestors=None):
        self.stashed_nodes = {}
        tree_parents = [] if ancestors is None else ancestors[:]
        self.parent_map = {c: p for p in tree.iter() for c in p}
        stack = deque([(tree, tree_parents)])
        self._InlineProcessor__build_ancestors(tree, tree_parents)
        while stack:
            currElement, parents = stack.popleft()
            self.ancestors = parents
            if currElement is not tree:
                self.ancestors.append(currElement.tag.lower())
            insertQueue = []
            at = 0
            while at < len(currElement):    # as `for child in currElement`, which sees inserted children
                child = currElement[at]
                if child.text and not isinstance(child.text, util.AtomicString):
                    self.ancestors.append(child.tag.lower())
                    text, child.text = child.text, None
                    lst = self._InlineProcessor__processPlaceholders(self._InlineProcessor__handleInline(text), child)
                    for item in lst:
                        self.parent_map[item[0]] = child
                    stack.extend(lst)
                    insertQueue.append((child, lst))
                    self.ancestors.pop()
                if child.tail:
                    tail = self._InlineProcessor__handleInline(child.tail)
                    dumby = etree.Element("d")
                    child.tail = None
                    tailResult = self._InlineProcessor__processPlaceholders(tail, dumby, False)
                    if dumby.tail:
                        child.tail = dumby.tail
                    tailResult.reverse()
                    for newChild in tailResult:
                        self.parent_map[newChild[0]] = currElement
                        currElement.insert(at + 1, newChild[0])
                if len(child):
                    self.parent_map[child] = currElement
                    stack.append((child, self.ancestors[:]))
                at += 1
            for element, lst in insertQueue:
                for i, obj in enumerate(lst):
                    element.insert(i, obj[0])
        return tree

