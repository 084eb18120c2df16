"""What a save changes: the kind of an edit, and the pages that show what it changed.

`classify(old, new, ...)` is a pure function of an item as the last build read it and as it is
now: whether only its body changed, or also fields that pages merely display (SHOWN), or
anything that moves things (a date, a category, a tag, a slug, a citation…), which only a full
build can follow. `Dependencies` is the table the full build recorded of which shared views
each page shows (workers.PageData notes it while pickling the pages, as Lektor records each
artifact's sources): the pages a shown-field edit touches are looked up there.
`with_items` gives the model with edited items in the places of the old ones. fast_path.py
puts these together for `serve`.
"""
from __future__ import annotations

import dataclasses
from enum import Enum

from cchc.core.content import Article, Content, Page
from cchc.model.site import Site, Tag

# An article's fields that pages only display: changing one moves it in no list and changes no
# count (the author is counted on thong-ke/, so it is not one of them).
SHOWN = ("title", "summary", "image", "image_alt")
_NOT_FACTS = ("body", "digest")


class Edit(Enum):
    NONE = "none"        # the same item: nothing a reader sees changed
    BODY = "body"        # the body only: the item's own page changes
    SHOWN = "shown"      # an article's SHOWN fields (and maybe its body): also the pages showing its view
    FULL = "full"        # anything else: only a full build can follow it


def facts(item) -> tuple:
    """Everything of an item except its body: what lists, feeds and other pages may show."""
    return tuple(getattr(item, f.name) for f in dataclasses.fields(item) if f.name not in _NOT_FACTS)


def placing(item) -> tuple:
    """An item's facts but the SHOWN ones: where it appears, in which order, under which URL."""
    return tuple(getattr(item, f.name) for f in dataclasses.fields(item) if f.name not in _NOT_FACTS + SHOWN)


def classify(old, new, cites_before: list[str], cites_after: list[str]) -> Edit:
    """The kind of an edit of one article or fixed page. `cites_before`, `cites_after`: the
    documents it cites (its `documents:` list, then its body) before and after: a citation
    added or removed changes the cited document's page, which only a full build rebuilds.
    A document is always FULL: its bytes are part of where every body's links point."""
    if new is old:
        return Edit.NONE
    if new is None or type(new) is not type(old) or not isinstance(new, (Article, Page)):
        return Edit.FULL
    if cites_after != cites_before:
        return Edit.FULL
    if facts(new) == facts(old):
        return Edit.BODY
    if isinstance(new, Article) and placing(new) == placing(old):
        return Edit.SHOWN
    return Edit.FULL


class Dependencies:
    """Which pages show which shared views (articles' and documents' views, by source): the
    table PageData recorded while the full build pickled every page (page path -> view names)."""

    def __init__(self, shows: dict[str, tuple[str, ...]]):
        self.shows = shows
        self._showing: dict[str, list[str]] | None = None

    def pages_showing(self, source: str) -> list[str]:
        """The pages whose data holds this item's view, in plan order."""
        if self._showing is None:
            showing: dict[str, list[str]] = {}
            for path, names in self.shows.items():
                for name in dict.fromkeys(names):
                    showing.setdefault(name, []).append(path)
            self._showing = showing
        return self._showing.get(source, [])


def with_items(site: Site, content: Content, edited: dict[str, object]) -> tuple[Site, Content]:
    """The model and content with each edited item (source -> new item) where the old one was.
    Only for edits that move nothing (Edit.BODY, Edit.SHOWN): every list keeps its order, every
    URL its owner. New lists and objects: whoever holds the old model never sees it change."""
    new_of = {id(site.by_source[source]): item for source, item in edited.items()}
    swap = _Swap(new_of)
    new_site = dataclasses.replace(
        site, articles=swap(site.articles), pages=swap(site.pages),
        by_source={**site.by_source, **edited},
        categories=[(c, swap(items)) for c, items in site.categories],
        tags=[t if (kept := swap(t.articles)) is t.articles else Tag(t.name, t.slug, kept) for t in site.tags],
        years=[(y, swap(items)) for y, items in site.years])
    new_content = dataclasses.replace(content, articles=swap(content.articles), pages=swap(content.pages))
    return new_site, new_content


class _Swap:
    """A list with the objects whose ids are in `new_of` replaced; the same list when it holds
    none of them (looked for by identity, at C speed: a serve save must not walk 10,000 items)."""

    def __init__(self, new_of: dict[int, object]):
        self.new_of, self.ids = new_of, set(new_of)

    def __call__(self, items: list) -> list:
        if self.ids.isdisjoint(map(id, items)):
            return items
        ids = list(map(id, items))
        out = list(items)
        for key in self.ids.intersection(ids):
            out[ids.index(key)] = self.new_of[key]
        return out
