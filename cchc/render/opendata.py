"""The legal-document index as open data: each document as JSON beside its page
(van-ban/<slug>/index.json), the whole index as van-ban/data.json, both described by the JSON
Schema published at van-ban/schema.json (kept in cchc/render/van-ban.schema.json and checked
against the records in tests/test_opendata.py), and an Atom feed of the index's changes
(van-ban/feed.xml): a document added, amended, taking effect or ending.

Every value comes from the entries and the facts the build computed (legal.index); nothing
depends on the clock but `today` (which statuses and events have happened), so a rebuild on
the same day gives the same bytes.
"""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from cchc.core.legal import INVERSE, RELATION_LABELS, RELATIONS, STATUS_LABELS
from cchc.model import routes
from cchc.model.site import Site

SCHEMA_FILE = Path(__file__).with_name("van-ban.schema.json")


def schema_text() -> str:
    return SCHEMA_FILE.read_text(encoding="utf-8")


def _day(value) -> str | None:
    if value is None:
        return None
    return (value.date() if isinstance(value, dt.datetime) else value).isoformat()


def document_record(site: Site, views, d) -> dict:
    """One document as the open data gives it (the schema's $defs/document)."""
    facts = site.legal.facts[d.source]
    view = views.document(d)
    relations = []
    for relation in RELATIONS:
        for name, targets in ((relation, facts.relations.get(relation, [])),
                              (INVERSE[relation], facts.inverse.get(INVERSE[relation], []))):
            for target in targets:
                other = views.document(site.by_source[target])
                relations.append({"relation": name, "label": RELATION_LABELS[name], "symbol": other["symbol"],
                                  "type": other["type"], "url": other["absolute_url"],
                                  "parts": facts.parts.get((name, target)) or None})
    attachments = []
    for a in d.attachments:
        url = a if a.startswith(("http://", "https://")) else views.absolute(routes.attachment(a))
        attachments.append({"name": url.rstrip("/").rsplit("/", 1)[-1], "url": url})
    return {
        "url": view["absolute_url"], "json": views.absolute(routes.document_json(facts.slug)),
        "symbol": d.symbol, "type": d.type, "title": d.title, "issuer": d.issuer, "sector": d.sector or None,
        "fields": list(d.fields), "scope": d.scope or None,
        "signer": {"name": d.signer, "title": d.signer_title or None} if d.signer else None,
        "issued": _day(d.issued), "effective": _day(d.effective), "gazetted": _day(d.gazetted),
        "expires": _day(d.expires), "expiry_reason": d.expiry_reason or None,
        "status": {"code": facts.status or None, "label": STATUS_LABELS.get(facts.status, facts.status),
                   "since": _day(facts.ended)},
        "expired_parts": list(d.expired_parts), "relations": relations, "attachments": attachments,
        "source": d.source_url or None,
    }


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def document_json(site: Site, views, d) -> str:
    return _json({"$schema": views.absolute(routes.DOCUMENTS_SCHEMA), **document_record(site, views, d)})


def index_json(site: Site, views) -> str:
    """The whole index, newest first, as van-ban/data.json."""
    return _json({"$schema": views.absolute(routes.DOCUMENTS_SCHEMA), "title": site.settings.title,
                  "url": views.absolute(routes.DOCUMENTS),
                  "documents": [document_record(site, views, d) for d in site.documents]})


# --- the Atom feed of the index's changes ----------------------------------------------------

def changes(site: Site, views, today: dt.date) -> list[dict]:
    """What happened to the index, newest first, up to today: each document added (on its issue
    date), amended (on the amending document's effective date, else its issue date), taking
    effect, and ending (on the day it ended). Each has a stable id: the page's URL and a fragment
    naming the event."""
    events = []

    def add(d, kind: str, day, title: str, summary: str) -> None:
        if day is None or day > today:
            return
        view = views.document(d)
        events.append({"id": f'{view["absolute_url"]}#{kind}-{day.isoformat()}', "day": day, "title": title,
                       "summary": summary, "url": view["absolute_url"],
                       "category": "sua-doi" if kind.startswith("sua-doi") else kind})

    for d in site.documents:
        facts = site.legal.facts[d.source]
        name = f"{d.type} {d.symbol}"
        issued, effective = _date(d.issued), _date(d.effective)
        add(d, "ban-hanh", issued, f"Văn bản mới: {name}", d.title)
        if effective and effective != issued:
            add(d, "co-hieu-luc", effective, f"{name} có hiệu lực", d.title)
        for newer in facts.inverse.get("amended_by", []):
            other = site.by_source[newer]
            parts = facts.parts.get(("amended_by", newer))
            add(d, f"sua-doi-{site.legal.facts[newer].slug}", _date(other.effective) or _date(other.issued),
                f"{name} được sửa đổi, bổ sung bởi {other.type} {other.symbol}",
                f"{other.title}" + (f" ({parts})" if parts else ""))
        if facts.ended and facts.status in ("het-hieu-luc", "ngung-hieu-luc"):
            by = [site.by_source[s] for s in facts.ended_by]
            add(d, facts.status, facts.ended, f"{name}: {STATUS_LABELS[facts.status]}",
                "; ".join(f"{o.type} {o.symbol}: {o.title}" for o in by) or (d.expiry_reason or d.title))
    events.sort(key=lambda e: (e["day"], e["id"]), reverse=True)
    return events[:max(site.settings.feed_items, 1) * 2]


def _date(value) -> dt.date | None:
    if value is None:
        return None
    return value.date() if isinstance(value, dt.datetime) else value


def atom_time(day: dt.date, tz) -> str:
    """Midnight of a day in the site's zone, as RFC 3339 (Atom's dates are date-times)."""
    return dt.datetime.combine(day, dt.time(), tz).isoformat()


def changes_feed(site: Site, views) -> str:
    """van-ban/feed.xml: `changes` as an Atom feed (RFC 4287), written here rather than by a
    layout, like the JSON files: its shape is Atom's, and a section with older layouts gets it."""
    s = site.settings
    today = site.now.date() if site.now else dt.date.today()
    entries = changes(site, views, today)
    updated = atom_time(entries[0]["day"] if entries else dt.date(2000, 1, 1), s.timezone)
    feed_url, index_url = views.absolute(routes.DOCUMENTS_FEED), views.absolute(routes.DOCUMENTS)
    author = s.organization.name if s.organization else s.title
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={quoteattr(s.language)}>',
           f"  <title>{escape(s.title)}: văn bản</title>",
           "  <subtitle>Văn bản mới, văn bản được sửa đổi, bổ sung, có hiệu lực, hết hiệu lực</subtitle>",
           f"  <id>{escape(feed_url)}</id>",
           f'  <link rel="alternate" type="text/html" href={quoteattr(index_url)}/>',
           f'  <link rel="self" type="application/atom+xml" href={quoteattr(feed_url)}/>',
           f"  <updated>{updated}</updated>",
           f"  <author><name>{escape(author)}</name></author>"]
    for e in entries:
        out += ["  <entry>", f"    <title>{escape(e['title'])}</title>",
                f'    <link rel="alternate" type="text/html" href={quoteattr(e["url"])}/>',
                f"    <id>{escape(e['id'])}</id>", f"    <updated>{atom_time(e['day'], s.timezone)}</updated>",
                f"    <category term={quoteattr(e['category'])}/>", f"    <summary>{escape(e['summary'])}</summary>",
                "  </entry>"]
    return "\n".join(out + ["</feed>", ""])
