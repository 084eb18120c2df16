"""What is searchable: one SearchRecord per article, document and fixed page, from the model.

A record holds the text that is indexed (title, lead, body text), what a result shows (URL,
title, meta line) and what the filters see (kind, category, document type, year). Records are
compared whole: an unchanged record is neither re-tokenised nor re-encoded (index.py), and
their digest tells whether the index in output/ is still right (indexer.py).
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from enum import IntEnum

from cchc.core.vietnamese import short_date
from cchc.model.site import Site
from cchc.search.tokens import compact_number, own_number_key


class Kind(IntEnum):
    """What a record is. The value is the byte search.js reads (facets, result chunks), so the
    order is part of the index format; `label` is what the `loai` filter and a result show."""
    ARTICLE = 0
    DOCUMENT = 1
    PAGE = 2

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {Kind.ARTICLE: "Tin tức", Kind.DOCUMENT: "Văn bản", Kind.PAGE: "Trang giới thiệu"}
KIND_LABELS = [k.label for k in Kind]       # by value: the `loai` filter's labels in the entry

_TAGS = re.compile(r"<[^>]+>")
_BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|td|th|blockquote|pre|dd|dt|figcaption)>|<br\s*/?>", re.I)


@dataclass
class SearchRecord:
    """One searchable item: what is indexed, what the result shows, what filters see."""
    url: str
    title: str
    lead: str
    text: str
    kind: Kind
    meta: str                 # the result's second line: date and category, or issuer, date, status
    order: tuple              # publication order (oldest first): ids stay stable as content grows
    category: str = ""
    doc_type: str = ""
    year: str = ""
    number: str = ""          # a document's own number, compact
    number_key: str = ""      # ... and as its number and year (`#61-2018`)


def records(site: Site, bodies: dict[str, str], texts: dict[str, tuple] | None = None) -> list[SearchRecord]:
    """Every article, document and fixed page, in publication order (their ids in the index).

    `bodies`: source -> the body's HTML. `texts` keeps each body's text between calls
    (source -> (body, summary, text, lead)): taking the text out of 10,000 bodies is most of
    the cost of the records.
    """
    texts = {} if texts is None else texts

    def text_of(source: str, summary: str | None) -> tuple[str, str]:
        body = bodies.get(source, "")
        known = texts.get(source)
        if known is not None and (known[0] is body or known[0] == body) and known[1] == summary:
            return known[2], known[3]
        text = body_text(body)
        # An article's summary taken from its first paragraph is in the text already.
        lead = summary if summary and " ".join(summary.split()) not in " ".join(text.split()) else ""
        texts[source] = (body, summary, text, lead)
        return text, lead

    out: list[SearchRecord] = []
    categories = {c.key: c.name for c in site.settings.categories}
    for p in site.pages:
        text, _ = text_of(p.source, None)
        url = site.url_of[p.source]
        out.append(SearchRecord(url, p.title, p.summary, text, Kind.PAGE, "", (0, "", url)))
    for a in site.articles:
        text, lead = text_of(a.source, a.summary)
        name = categories.get(a.category, "")
        url = site.url_of[a.source]
        out.append(SearchRecord(url, a.title, lead, text, Kind.ARTICLE,
                                " · ".join(x for x in (short_date(a.date), name) if x),
                                (1, a.date.isoformat(), url), category=name, year=str(a.date.year)))
    for d in site.documents:
        facts = site.legal.facts.get(d.source)
        status = facts.status_label if facts is not None else ""
        lead = f"{d.symbol} {d.title}. {d.issuer}" + (f". Người ký: {d.signer}" if d.signer else "")
        text, _ = text_of(d.source, None)
        url = site.url_of[d.source]
        out.append(SearchRecord(url, f"{d.type} {d.symbol}", lead, text, Kind.DOCUMENT,
                                " · ".join(x for x in (d.issuer, f"ban hành {short_date(d.issued)}", status) if x),
                                (1, d.issued.isoformat(), url), doc_type=d.type,
                                year=str(d.issued.year), number=compact_number(d.symbol),
                                number_key=own_number_key(d.symbol, d.issued.year)))
    out.sort(key=lambda r: r.order)
    if len(texts) > len(bodies):
        for source in texts.keys() - bodies.keys():     # deleted files
            del texts[source]
    return out


def body_text(body: str) -> str:
    """Plain text of a body's HTML, one line per block (paragraph, heading, list item, table cell)."""
    return html.unescape(_TAGS.sub(" ", _BLOCK_END.sub("\n", body)))
