"""The index of administrative procedures (thủ tục hành chính): one URL each, unique codes, and
their legal bases resolved in the document index, both ways (a document page lists the procedures
based on it). Pure data; the pages are planned in render/pages.py."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from cchc.core.content import Procedure
from cchc.core.legal import LegalIndex, parse_citation
from cchc.core.messages import _
from cchc.core.problems import Problems
from cchc.core.procedures import code_slug
from cchc.core.vietnamese import sort_key
from cchc.model import routes


@dataclass
class ProcedureIndex:
    items: list[Procedure] = field(default_factory=list)      # by field, then name (Vietnamese order)
    by_code: dict[str, str] = field(default_factory=dict)     # "2.000648" -> source
    bases: dict[str, list[str]] = field(default_factory=dict)       # procedure source -> document sources
    based_on: dict[str, list[str]] = field(default_factory=dict)    # document source -> procedure sources

    def __bool__(self) -> bool:
        return bool(self.items)


def index_procedures(procedures: list[Procedure], legal: LegalIndex, claim: Callable, problems: Problems) -> ProcedureIndex:
    """Give each procedure its URL (claim: the model's, which reports a URL taken twice), refuse a
    code used twice (naming both files), and resolve the legal bases in the document index."""
    index = ProcedureIndex()
    for p in sorted(procedures, key=lambda p: p.source):      # the first file by name keeps the code
        if not p.code:
            continue
        if p.code in index.by_code:
            problems.error(p.source, p.line_of("code"),
                           _('code "{code}" is already used by {file}', code=p.code, file=index.by_code[p.code]),
                           _("each procedure has one file; remove or merge the other"))
            continue
        if claim(routes.procedure(code_slug(p.code)), p, "code"):
            index.by_code[p.code] = p.source
    index.items = sorted((p for p in procedures if index.by_code.get(p.code) == p.source),
                         key=lambda p: (sort_key(p.sector or "~"), sort_key(p.name), p.code))
    for p in index.items:
        found: list[str] = []
        for text in p.legal_bases:
            citation = parse_citation(text)
            if citation is None:
                problems.warning(p.source, p.line_of("legal_bases"),
                                 _('legal_bases: "{text}" is not a document number', text=text),
                                 _('write it as "Nghị định số 83/2014/NĐ-CP"'))
                continue
            r = legal.resolve_citation(citation)
            # A basis the index lacks is shown as written: a procedure's bases are the national
            # database's, and the index holds what the section writes about. A likely typo (a
            # type contradicting the number, a near miss, an ambiguous number) is still a warning.
            if r.source is None and (r.ambiguous or r.contradiction or r.suggestion):
                problems.warning(p.source, p.line_of("legal_bases"), *legal.describe(text, r))
            elif r.source not in found:
                found.append(r.source)
        index.bases[p.source] = found
        for doc in found:
            index.based_on.setdefault(doc, []).append(p.source)
    return index
