"""The legal-document index: facts per document (slug, computed status), relations and their
inverses, and resolving a citation to the one document it names."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from cchc.core.legal.citations import Citation, citation_or_error, one_line, parts_concerned
from cchc.core.legal.numbers import (ABBR_OF_TYPE, INVERSE, RELATIONS, STATUS_LABELS, Symbol, SymbolError,
                                     document_slug, fold_key, parse_symbol, surely_state, swapped, type_fits,
                                     type_of)
from cchc.core.messages import Message, _
from cchc.core.problems import Problems
from cchc.core.vietnamese import short_date

@dataclass
class DocumentFacts:
    """What the build knows about one document: identity, computed status, resolved relations.

    status: computed tình trạng hiệu lực ("" = unknown, label "Chưa xác định"); declared_status:
    the `status:` key as written; relations: relation -> target source paths; inverse:
    amended_by/replaced_by/guided_by/basis_for -> source paths; year: the identity year (the
    number's year, else the issue year).
    """
    source: str
    symbol: Symbol
    slug: str
    status: str = ""
    declared_status: str = ""
    relations: dict[str, list[str]] = field(default_factory=dict)
    inverse: dict[str, list[str]] = field(default_factory=dict)
    year: int = 0
    issued: dt.date | None = None
    # (relation or inverse, the other document's source) -> the parts concerned, as the relation
    # value wrote them in parentheses: ("partly_ended_by", "content/documents/x.md") -> "Điều 5"
    parts: dict[tuple[str, str], str] = field(default_factory=dict)
    status_reason: Message | str = ""        # why the status is what it is, for an editor
    ended: dt.date | None = None             # the day it stopped being in force, when known
    ended_by: list[str] = field(default_factory=list)   # the documents that replaced, repealed or suspended it

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)


@dataclass
class Resolution:
    """Where a citation leads. source: the document, or None. candidates: the documents a
    yearless number could mean when it is ambiguous (≥ 2), else [source] or []. suggestion:
    when unresolved, the citation the writer probably meant ("61/2018/NĐ-CP"), for a
    "did you mean …?" hint; suggestion_source: that document's source path."""
    source: str | None
    candidates: list[str] = field(default_factory=list)
    suggestion: str | None = None
    suggestion_source: str | None = None
    contradiction: Message | None = None     # written type vs number, e.g. "NQ is Nghị quyết"

    @property
    def ambiguous(self) -> bool:
        return self.source is None and len(self.candidates) > 1


class LegalIndex:
    """Documents by source path, with lookups by number for resolving citations."""

    def __init__(self, facts: dict[str, DocumentFacts] | None = None):
        self.facts: dict[str, DocumentFacts] = facts or {}
        self._by_key: dict[str, list[str]] = {}
        self._by_loose: dict[tuple, list[str]] = {}
        self._resolved: dict[tuple, Resolution] = {}     # each citation is resolved twice a build
        for f in self.facts.values():
            self._add(f)

    def _add(self, f: DocumentFacts) -> None:
        self._resolved.clear()
        self.facts[f.source] = f
        self._by_key.setdefault(f.symbol.key, []).append(f.source)
        self._by_loose.setdefault(_loose_key(f.symbol), []).append(f.source)

    def resolve(self, symbol_key: str, date: dt.date | None = None, type_name: str | None = None) -> Resolution:
        """The document a number (key or as written) names, helped by a cited date and type.

        A yearless number is told apart by the year of the cited date. A written type that
        contradicts the number resolves to nothing: the writer got one of them wrong, and a
        wrong link is worse than none; the suggestion then names the likely document.
        """
        key = (symbol_key, date, type_name)
        found = self._resolved.get(key)
        if found is None:
            found = self._resolved[key] = self._resolve(symbol_key, date, type_name)
        return found

    def _resolve(self, symbol_key: str, date: dt.date | None, type_name: str | None) -> Resolution:
        try:
            symbol = parse_symbol(symbol_key)
        except SymbolError:
            return Resolution(None)
        candidates = self._by_key.get(symbol.key, [])
        if symbol.year is None and date is not None:
            candidates = [c for c in candidates if self.facts[c].year == date.year]
        if type_name and not type_fits(type_name, symbol):
            implied = type_of(symbol)
            why = _("{abbreviation} is {type}", abbreviation=symbol.abbreviation or symbol.issuer_code,
                    type=implied) if implied else None
            suggestion = self._suggest(symbol, date, type_name) or (candidates[0] if len(candidates) == 1 else None)
            return self._unresolved(suggestion, contradiction=why)
        if len(candidates) == 1:
            return Resolution(candidates[0], list(candidates))
        if candidates:
            return Resolution(None, sorted(candidates, key=self._order))
        found = self._unresolved(self._suggest(symbol, date, type_name))
        if found.suggestion is None and surely_state(symbol):
            # `03-NQ/CP`: the Government numbers no document the Party's way, whatever the index holds
            return Resolution(None, [], swapped(symbol), None)
        return found

    def resolve_citation(self, citation: Citation) -> Resolution:
        """resolve() with everything the citation says (number, date, written type)."""
        return self.resolve(citation.symbol.text, citation.date, citation.type_name)

    def describe(self, citation_text: str, resolution: Resolution) -> tuple[Message, Message] | None:
        """(message, hint) for an unresolved citation, the same wherever it was written."""
        if resolution.source is not None:
            return None
        if resolution.ambiguous:
            citation_text = one_line(citation_text)
            named = ", ".join(f"{c} (ngày {short_date(self.facts[c].issued)})" if self.facts[c].issued else c
                              for c in resolution.candidates)
            return (_('"{citation}" could mean {count} documents: {documents}', citation=citation_text,
                      count=len(resolution.candidates), documents=named),
                    _("add the issue date: '… ngày DD/MM/YYYY'"))
        citation_text = one_line(citation_text)
        if resolution.suggestion and resolution.suggestion_source:
            hint = _("did you mean {citation} ({file})?", citation=resolution.suggestion, file=resolution.suggestion_source)
        elif resolution.suggestion:
            hint = _("did you mean {citation}? A State document's number has its type after the slash",
                     citation=resolution.suggestion)
        else:
            hint = _("add it under content/documents/ or check the number")
        if resolution.contradiction:
            return _('"{citation}": the type contradicts the number ({why})', citation=citation_text,
                     why=resolution.contradiction), hint
        return _('"{citation}" cites no document in the index', citation=citation_text), hint

    def date_problem(self, citation_text: str, source: str, date: dt.date | None) -> tuple[Message, Message] | None:
        """(message, hint) when a citation's written date is not the cited document's issue date
        ("Nghị định số 61/2018/NĐ-CP ngày 23/5/2018" of a decree issued on 23/4/2018)."""
        f = self.facts[source]
        if date is None or f.issued is None or date == f.issued:
            return None
        return (_('"{citation}" is dated {date}, but {number} was issued on {issued} ({file})',
                  citation=one_line(citation_text), date=short_date(date), number=f.symbol.text,
                  issued=short_date(f.issued), file=source),
                _("correct the date in the text, or 'issued:' in the document"))

    def ended_problem(self, citation_text: str, source: str, cited_on: dt.date,
                      context: str) -> tuple[Message, Message] | None:
        """(message, hint) when a text dated `cited_on` cites a document that had ended by then
        as if it were current: nothing near the citation (`context`) says that it has ended."""
        f = self.facts[source]
        if f.ended is None or cited_on < f.ended or f.status not in ("het-hieu-luc", "ngung-hieu-luc"):
            return None
        folded = " ".join(context.lower().split())
        if any(word in folded for word in _SAYS_ENDED):
            return None
        hint = _("cite the document in force, or say that it has ended (… đã hết hiệu lực, được thay thế bởi …)")
        values = dict(citation=one_line(citation_text), number=f.symbol.text, date=short_date(f.ended),
                      cited_on=short_date(cited_on))
        if f.ended_by and source in self.facts[f.ended_by[0]].relations.get("replaces", []):
            return (_("\"{citation}\" is cited as current, but {number} ended on {date} (replaced by {successor}), "
                      "before this text's date {cited_on}", successor=self.facts[f.ended_by[0]].symbol.text, **values),
                    hint)
        return _("\"{citation}\" is cited as current, but {number} ended on {date}, before this text's date {cited_on}",
                 **values), hint

    def _order(self, source: str) -> tuple:
        f = self.facts[source]
        return (f.issued or dt.date.min, source)

    def _unresolved(self, suggestion_source: str | None, contradiction: str | None = None) -> Resolution:
        if suggestion_source is None:
            return Resolution(None, [], None, None, contradiction)
        f = self.facts[suggestion_source]
        shown = f.symbol.text if f.symbol.year is not None or f.issued is None else \
            f"{f.symbol.text} ngày {short_date(f.issued)}"
        return Resolution(None, [], shown, suggestion_source, contradiction)

    def _suggest(self, symbol: Symbol, date: dt.date | None, type_name: str | None) -> str | None:
        """The document with the same number, year and issuer but another type abbreviation
        (`61/2018/NQ-CP` → `61/2018/NĐ-CP`), preferring the one the written type names."""
        near = [s for s in self._by_loose.get(_loose_key(symbol), []) if self.facts[s].symbol.key != symbol.key]
        if symbol.year is None and date is not None:
            near = [s for s in near if self.facts[s].year == date.year]
        if type_name:
            fitting = [s for s in near if type_fits(type_name, self.facts[s].symbol)]
            near = fitting or near
        if not near and swapped(symbol):
            # `03-NQ/CP` for `03/NQ-CP`, `17/NQ-TW` for `17-NQ/TW`: the Party and State shapes confused
            near = self._by_key.get(parse_symbol(swapped(symbol)).key, [])
            if symbol.year is None and date is not None:
                near = [s for s in near if self.facts[s].year == date.year]
        return near[0] if len(near) == 1 else None


# Words near a citation that say the writer knows the document has ended (so it is not cited as current).
_SAYS_ENDED = ("hết hiệu lực", "thay thế", "bãi bỏ", "đình chỉ", "ngưng hiệu lực", "trước đây", "trước kia",
               "đã hết", "nay là", "hết hiệu lực thi hành")


def _loose_key(symbol: Symbol) -> tuple:
    """A number without its type abbreviation: what stays right when the abbreviation is a typo."""
    return (symbol.number.lstrip("0").lower() or "0", symbol.year, symbol.is_party, fold_key(symbol.issuer_code))


# --- building the index ------------------------------------------------------------------

def build_index(documents: list, today: dt.date, problems: Problems) -> LegalIndex:
    """Parse every document's number, check it against its type and the other documents,
    resolve relations, compute inverses and statuses. Problems are reported, never raised.

    `documents` are cchc.content.LegalDocument values without drafts. A document whose number
    cannot be read, or that repeats another's number, is left out (with an error).
    """
    if isinstance(today, dt.datetime):
        today = today.date()
    index = LegalIndex()
    docs = {}
    identities: dict[tuple[str, int], str] = {}
    for doc in sorted(documents, key=lambda d: d.source):
        facts = _facts_of(doc, problems)
        if facts is None:
            continue
        identity = (facts.symbol.key, facts.year)
        if identity in identities:
            first = identities[identity]
            problems.error(doc.source, doc.line_of("symbol"),
                           _('symbol: "{number}" ({year}) is also the number of {first}; {file} is left out of the index',
                             number=facts.symbol.text, year=facts.year, first=first, file=doc.source),
                           _("keep one file per document, or correct the number or the issue date"))
            continue
        identities[identity] = doc.source
        docs[doc.source] = doc
        index._add(facts)

    for source, doc in docs.items():
        _resolve_relations(index, doc, problems)
    for f in index.facts.values():
        for inverse in INVERSE.values():
            f.inverse[inverse] = sorted(f.inverse.get(inverse, []), key=index._order)
    _compute_statuses(index, docs, today, problems)
    return index


def _date_of(value) -> dt.date | None:
    if value is None:
        return None
    return value.date() if isinstance(value, dt.datetime) else value


def _facts_of(doc, problems: Problems) -> DocumentFacts | None:
    """One document's identity, or None (with an error) when its number cannot be used."""
    try:
        symbol = parse_symbol(doc.symbol)
    except SymbolError as exc:
        problems.error(doc.source, doc.line_of("symbol"), _("{key}: {problem}", key="symbol", problem=exc.message),
                       _("copy the number from the document's header (Số: …)"))
        return None
    issued = _date_of(doc.issued)
    if symbol.year is None and issued is None:
        problems.error(doc.source, doc.line_of("issued"),
                       _('issued: required: the number "{number}" has no year, so the issue date identifies it',
                         number=symbol.text),
                       _("add 'issued: YYYY-MM-DD'"))
        return None
    if symbol.year is not None and issued is not None and issued.year != symbol.year:
        problems.warning(doc.source, doc.line_of("issued"),
                         _('issued: {date} is in {year}, but the number "{number}" says {number_year}',
                           date=short_date(issued), year=issued.year, number=symbol.text, number_year=symbol.year),
                         _("check the issue date and the number"))
    if doc.type and not type_fits(doc.type, symbol):
        implied = type_of(symbol)
        own = ABBR_OF_TYPE.get(doc.type.casefold())
        problems.warning(doc.source, doc.line_of("type"),
                         _('type: "{type}" contradicts the number "{number}", which is a {implied}\'s ({abbreviation})',
                           type=doc.type, number=symbol.text, implied=implied, abbreviation=symbol.abbreviation)
                         if symbol.abbreviation else
                         _('type: "{type}" contradicts the number "{number}", which is a {implied}\'s',
                           type=doc.type, number=symbol.text, implied=implied),
                         _("correct the type, or the number (a {type}'s number has {abbreviation})", type=doc.type,
                           abbreviation=own) if own else _("correct the type or the number"))
    year = symbol.year if symbol.year is not None else issued.year
    return DocumentFacts(source=doc.source, symbol=symbol, slug=document_slug(symbol, issued or dt.date(year, 1, 1)),
                         declared_status=doc.status or "", year=year, issued=issued,
                         relations={r: [] for r in RELATIONS}, inverse={v: [] for v in INVERSE.values()})


def _resolve_relations(index: LegalIndex, doc, problems: Problems) -> None:
    """Each relation entry (amends, replaces, …) → a document, or a warning on its line; what the
    entry says in parentheses after the number is kept as the parts concerned."""
    facts = index.facts[doc.source]
    for relation in RELATIONS:
        line = doc.line_of(relation)
        for written in getattr(doc, relation, None) or []:
            try:
                citation = citation_or_error(written)
            except SymbolError as exc:
                problems.warning(doc.source, line, _("{key}: {problem}", key=relation, problem=exc.message),
                                 _('write e.g. "Nghị định số 63/2010/NĐ-CP" or "908/QĐ-UBND ngày 29/10/2018"'))
                continue
            r = index.resolve_citation(citation)
            if r.source is None:
                message, hint = index.describe(citation.text, r)
                problems.warning(doc.source, line, _("{key}: {problem}", key=relation, problem=message), hint)
                continue
            wrong_date = index.date_problem(citation.text, r.source, citation.date)
            if wrong_date:
                problems.warning(doc.source, line, _("{key}: {problem}", key=relation, problem=wrong_date[0]),
                                 wrong_date[1])
            if r.source == doc.source:
                problems.warning(doc.source, line, _('{key}: "{citation}" is this document itself', key=relation,
                                                     citation=written), _("remove the entry"))
                continue
            if r.source not in facts.relations[relation]:
                facts.relations[relation].append(r.source)
                index.facts[r.source].inverse[INVERSE[relation]].append(doc.source)
                parts = parts_concerned(written, citation)
                if parts:
                    facts.parts[(relation, r.source)] = parts
                    index.facts[r.source].parts[(INVERSE[relation], doc.source)] = parts


def _compute_statuses(index: LegalIndex, docs: dict, today: dt.date, problems: Problems) -> None:
    """Status from the facts (dates and relations), as vbpl.vn shows it; the declared one only
    where facts prove nothing.

    Ended (hết hiệu lực): its `expires` date has come, or a document that replaces or repeals it
    has taken effect. Suspended (ngưng hiệu lực): a document that suspends it has taken effect.
    Partly ended: in force, with `expired_parts` or a document ending part of it in effect.
    Never "in force" by default: a reader relying on a repealed decree is the harm to avoid, so
    an unknown status stays "" (Chưa xác định).
    """
    proven: dict[str, tuple | None] = {}
    ending = (("replaced_by", "het-hieu-luc"), ("repealed_by", "het-hieu-luc"), ("suspended_by", "ngung-hieu-luc"))

    def ended_by(inverse: str, number: str, file: str) -> Message:
        if inverse == "replaced_by":
            return _("it is replaced by {number} ({file}), which has taken effect", number=number, file=file)
        if inverse == "repealed_by":
            return _("it is repealed by {number} ({file}), which has taken effect", number=number, file=file)
        return _("it is suspended by {number} ({file}), which has taken effect", number=number, file=file)

    def in_effect(source: str, visiting: frozenset) -> tuple[bool, dt.date | None]:
        """Whether a document has taken effect (proven or declared), and since when if known."""
        took = prove(source, visiting)
        status = took[0] if took else docs[source].status or ""
        effective = _date_of(docs[source].effective)
        return status in ("con-hieu-luc", "het-hieu-luc-mot-phan", "het-hieu-luc", "ngung-hieu-luc"), effective

    def prove(source: str, visiting: frozenset) -> tuple | None:
        """(status, reason, ended on, ended by) the facts prove for one document, or None."""
        if source in proven:
            return proven[source]
        doc = docs[source]
        facts = index.facts[source]
        effective, expires = _date_of(doc.effective), _date_of(doc.expires)
        result = None
        if expires is not None and expires <= today:
            why = (_("it expired on {date} ({reason})", date=short_date(expires), reason=doc.expiry_reason)
                   if doc.expiry_reason else _("it expired on {date}", date=short_date(expires)))
            # an expiry the entry states, and the documents in effect that replace or repeal it:
            # the badge and `check` name the successor (61/2018/NĐ-CP expires 01/7/2025, replaced by 118/2025/NĐ-CP)
            successors = [newer for inverse in ("replaced_by", "repealed_by") for newer in facts.inverse[inverse]
                          if newer not in visiting and in_effect(newer, visiting | {source})[0]]
            result = ("het-hieu-luc", why, expires, successors)
        for inverse, status in ending:
            if result is not None:
                break
            for newer in facts.inverse[inverse]:
                if newer in visiting:
                    continue
                took, since = in_effect(newer, visiting | {source})
                if took:
                    result = (status, ended_by(inverse, index.facts[newer].symbol.text, newer), since, [newer])
                    break
        if result is None and effective is not None:
            result = (("chua-co-hieu-luc", _("it takes effect on {date}", date=short_date(effective)), None, [])
                      if effective > today else
                      ("con-hieu-luc", _("it took effect on {date}", date=short_date(effective)), None, []))
        if result is None or result[0] == "con-hieu-luc":
            partly = [newer for newer in facts.inverse["partly_ended_by"]
                      if newer not in visiting and in_effect(newer, visiting | {source})[0]]
            if partly or doc.expired_parts:
                what = ", ".join(doc.expired_parts) or ", ".join(
                    filter(None, (facts.parts.get(("partly_ended_by", p), "") for p in partly)))
                reason = (_("{parts} ended by {number} ({file})", parts=what or _("part of it"),
                            number=index.facts[partly[0]].symbol.text, file=partly[0]) if partly
                          else _("{parts} ended", parts=what))
                result = ("het-hieu-luc-mot-phan", reason, None, partly)
        proven[source] = result
        return result

    for source, doc in docs.items():
        facts = index.facts[source]
        declared = facts.declared_status
        result = prove(source, frozenset({source}))
        if result is None:
            facts.status = declared
            continue
        status, reason, facts.ended, facts.ended_by = result
        facts.status, facts.status_reason = status, reason
        if not declared or declared == status:
            continue
        if declared == "het-hieu-luc-mot-phan" and status == "con-hieu-luc":
            facts.status = declared     # partly repealed is still in force: the editor knows more
            continue
        problems.warning(doc.source, doc.line_of("status"),
                         _('status: "{declared}" ({label}) disagrees with the facts: {reason}, so it is {status}',
                           declared=declared, label=STATUS_LABELS.get(declared, declared), reason=reason,
                           status=STATUS_LABELS[status]),
                         _("remove 'status:' to let the build compute it, or correct the dates and relations"))
