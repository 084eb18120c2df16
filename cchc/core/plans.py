"""content/plans/<slug>.yaml -> Plan values, every problem with its file and line.

A plan is the department's yearly CCHC propaganda plan as data: its items (the plan's own
numbering, "II.1.a"), the unit responsible, an optional target (so many articles a month,
quarter, year or the whole period) and an optional rule choosing the articles that count toward
an item (categories, tags, cited documents); an article may also name items itself
(`plan_items:` in its front matter). model/plans.py counts; this module only reads and checks
each file on its own, then `check_plans` what needs the other plans, the articles or the legal
index (overlapping periods, citations in `match.documents`, the codes articles name).
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from cchc.core.config import Settings
from cchc.core.files import decode_text
from cchc.core.legal import parse_citation
from cchc.core.messages import _
from cchc.core.frontmatter import explain_yaml, first_alias, nesting_line
from cchc.core.problems import Problems
from cchc.core.vietnamese import is_slug, nfc, short_date, slugify

PLANS_DIR = "content/plans"
PERS = ("month", "quarter", "year", "period")
PLAN_KEYS = ("title", "document", "period", "note", "items")
ITEM_KEYS = ("code", "title", "unit", "target", "match", "note")
MATCH_KEYS = ("categories", "tags", "documents")


@dataclass(frozen=True)
class Target:
    articles: int
    per: str                      # one of PERS


@dataclass(frozen=True)
class Match:
    categories: tuple[str, ...] = ()     # category keys
    tags: tuple[str, ...] = ()           # tag slugs
    documents: tuple[str, ...] = ()      # citations as written
    line: int = 0

    def __bool__(self) -> bool:
        return bool(self.categories or self.tags or self.documents)


@dataclass(frozen=True)
class PlanItem:
    code: str                     # "II.1.a", as the plan numbers it
    title: str
    unit: str = ""                # đơn vị chủ trì
    target: Target | None = None  # None: the plan sets no figure
    match: Match = Match()
    note: str = ""
    line: int = 0


@dataclass(frozen=True)
class Plan:
    source: str                   # "content/plans/tuyen-truyen-cchc-2021.yaml"
    slug: str
    title: str
    start: dt.date
    end: dt.date                  # inclusive
    items: tuple[PlanItem, ...]
    document: str = ""            # citation of the plan's own entry in the document index
    note: str = ""
    lines: dict = field(default_factory=dict, compare=False, hash=False)   # key -> line

    def line_of(self, key: str) -> int:
        return self.lines.get(key, 1)

    def item(self, code: str) -> PlanItem | None:
        return next((i for i in self.items if i.code == code), None)


class _Reader:
    """One plan file's YAML nodes, read into values; each bad value is a problem on its line."""

    def __init__(self, source: str, problems: Problems):
        self.source, self.problems, self.ok = source, problems, True

    def error(self, node: yaml.Node, key: str, problem, hint="") -> None:
        """`key: problem (hint)` on the node's line; key as the editor wrote it ("items[2].code")."""
        self.ok = False
        self.problems.error(self.source, node.start_mark.line + 1, _("{key}: {problem}", key=key, problem=problem), hint)

    def mapping(self, node: yaml.Node, where: str, known: tuple[str, ...]) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        if not isinstance(node, yaml.MappingNode):
            self.error(node, where.rstrip(".") or "plan", _("expected a mapping of keys ({keys}), found {found}",
                                                            keys=known, found=_kind(node)))
            return {}
        out = {}
        for k, v in node.value:
            key = str(k.value)
            if key in out:
                self.ok = False
                self.problems.error(self.source, k.start_mark.line + 1, _("{key}: key appears twice", key=where + key),
                                    _("keep one of them"))
            elif key not in known:
                near = difflib.get_close_matches(key, known, n=1, cutoff=0.5)
                self.problems.warning(self.source, k.start_mark.line + 1, _("unknown key '{key}'", key=where + key),
                                      _("did you mean '{key}'?", key=near[0]) if near else _("known keys: {keys}", keys=known))
            else:
                out[key] = (k, v)
        return out

    def text(self, node: yaml.Node, where: str) -> str:
        if not isinstance(node, yaml.ScalarNode) or node.tag.endswith(":null"):
            self.error(node, where, _("expected text, found {found}", found=_kind(node)), _("put the value in quotes"))
            return ""
        return nfc(str(node.value)).strip()

    def texts(self, node: yaml.Node, where: str) -> tuple[str, ...]:
        if isinstance(node, yaml.ScalarNode) and not node.tag.endswith(":null"):
            return tuple(t for t in (nfc(v).strip() for v in str(node.value).split(",")) if t)
        if not isinstance(node, yaml.SequenceNode):
            self.error(node, where, _("expected a list, found {found}", found=_kind(node)),
                       _("write [a, b] or one '- ' line each"))
            return ()
        return tuple(t for t in (self.text(n, where) for n in node.value) if t)

    def day(self, node: yaml.Node, where: str) -> dt.date | None:
        try:
            value = yaml.SafeLoader("").construct_object(node, deep=True)
        except ValueError:       # 2021-02-30: the resolver saw a date the constructor refuses
            value = node.value
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if isinstance(value, str):
            m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", value.strip())
            try:
                if m:
                    return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            except ValueError:
                pass
        self.error(node, where, _("{found} is not a day", found=_kind(node)), _("write it as YYYY-MM-DD, e.g. 2021-01-01"))
        return None


def _kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return _("a mapping")
    if isinstance(node, yaml.SequenceNode):
        return _("a list")
    if node is None or node.tag.endswith(":null"):
        return _("nothing")
    return f'"{node.value}"'


def load_plans(settings: Settings, problems: Problems) -> list[Plan]:
    """Every content/plans/*.yaml (and .yml), by file name. A broken file is reported and left out."""
    folder = settings.site_dir / PLANS_DIR
    if not folder.is_dir():
        return []
    plans = []
    for path in sorted(folder.iterdir()):
        if path.suffix in (".yaml", ".yml") and path.is_file() and not path.name.startswith((".", "~")):
            plan = read_plan(path, f"{PLANS_DIR}/{path.name}", settings, problems)
            if plan is not None:
                plans.append(plan)
    return plans


def read_plan(path: Path, source: str, settings: Settings, problems: Problems) -> Plan | None:
    try:
        text, why = decode_text(path.read_bytes())
    except OSError as exc:
        problems.error(source, None, _("cannot read the file: {reason}", reason=exc.strerror))
        return None
    if text is None:
        problems.error(source, None, why, _("save the file as UTF-8 (in Notepad: Save As, Encoding: UTF-8)"))
        return None
    slug = path.stem
    if not is_slug(slug):
        problems.error(source, None, _('the file name "{name}" does not make a page address', name=path.name),
                       _("rename it {name}", name=f"{slugify(slug) or 'ke-hoach'}{path.suffix}"))
        return None
    alias = first_alias(text)
    if alias:
        problems.error(source, alias, _("YAML aliases ('*name') are not supported"),
                       _("write the value out in full, in quotes if it starts with '*'"))
        return None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        what, hint = explain_yaml(str(getattr(exc, "problem", None) or exc))
        problems.error(source, mark.line + 1 if mark else None, _("not valid YAML: {what}", what=what), hint)
        return None
    except RecursionError:       # "[[[[…" (issue 19, item 10)
        problems.error(source, nesting_line(text), _("YAML: the values are nested too deeply"),
                       _("write each value on its own line after its key"))
        return None
    r = _Reader(source, problems)
    if root is None:
        problems.error(source, None, _("the file is empty"), _("see README.md, Plans, for an example"))
        return None
    top = r.mapping(root, "", PLAN_KEYS)
    lines = {k: kn.start_mark.line + 1 for k, (kn, __) in top.items()}
    for key in ("title", "period", "items"):
        if key not in top and isinstance(root, yaml.MappingNode):
            r.ok = False
            problems.error(source, root.start_mark.line + 1, _("{key}: required key is missing", key=key),
                           _("add a line '{key}: …'", key=key))
    title = r.text(top["title"][1], "title") if "title" in top else ""
    start = end = None
    if "period" in top:
        period = r.mapping(top["period"][1], "period.", ("from", "to"))
        for key in ("from", "to"):
            if key not in period and isinstance(top["period"][1], yaml.MappingNode):
                r.ok = False
                problems.error(source, top["period"][1].start_mark.line + 1,
                               _("{key}: required key is missing", key=f"period.{key}"),
                               _("e.g. {example}", example="period: {from: 2021-01-01, to: 2021-12-31}"))
        start = r.day(period["from"][1], "period.from") if "from" in period else None
        end = r.day(period["to"][1], "period.to") if "to" in period else None
        if start and end and start > end:
            r.error(top["period"][1], "period", _("from {start} is after to {end}", start=short_date(start),
                                                  end=short_date(end)), _("swap the two days"))
    items = _items(r, top["items"][1], settings) if "items" in top else ()
    document = r.text(top["document"][1], "document") if "document" in top else ""
    note = r.text(top["note"][1], "note") if "note" in top else ""
    if not r.ok or start is None or end is None:
        return None
    return Plan(source, slug, title, start, end, items, document, note, lines)


def _items(r: _Reader, node: yaml.Node, settings: Settings) -> tuple[PlanItem, ...]:
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        r.error(node, "items", _("expected a list of items, found {found}", found=_kind(node)),
                _("one '- code: …' block per item"))
        return ()
    out: list[PlanItem] = []
    seen: dict[str, int] = {}
    for n, item in enumerate(node.value, start=1):
        where = f"items[{n}]."
        keys = r.mapping(item, where, ITEM_KEYS)
        if not keys:
            continue
        line = item.start_mark.line + 1
        for key in ("code", "title"):
            if key not in keys:
                r.ok = False
                r.problems.error(r.source, item.start_mark.line + 1, _("{key}: required key is missing", key=where + key))
        code = r.text(keys["code"][1], f"{where}code") if "code" in keys else ""
        if code in seen:
            r.error(keys["code"][1], f"{where}code", _('"{code}" is already the code of the item on line {line}',
                                                       code=code, line=seen[code]),
                    _("give each item the number the plan gives it"))
        elif code:
            seen[code] = line
        target = _target(r, keys["target"][1], where) if "target" in keys else None
        match = _match(r, keys["match"][1], where, settings) if "match" in keys else Match()
        out.append(PlanItem(code, r.text(keys["title"][1], f"{where}title") if "title" in keys else "",
                            r.text(keys["unit"][1], f"{where}unit") if "unit" in keys else "", target, match,
                            r.text(keys["note"][1], f"{where}note") if "note" in keys else "", line))
    return tuple(out)


def _target(r: _Reader, node: yaml.Node, where: str) -> Target | None:
    if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null"):
        return None                 # `target:` left empty: the plan gives no figure
    keys = r.mapping(node, f"{where}target.", ("articles", "per"))
    if not keys:
        return None
    if "articles" not in keys or "per" not in keys:
        r.error(node, f"{where}target", _("needs both articles and per"),
                _("e.g. {example}", example="target: {articles: 2, per: quarter}"))
        return None
    count_node = keys["articles"][1]
    value = yaml.SafeLoader("").construct_object(count_node) if isinstance(count_node, yaml.ScalarNode) else None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        r.error(count_node, f"{where}target.articles", _("expected a number of articles, found {found}",
                                                          found=_kind(count_node)),
                _("write a whole number such as 2, or leave target out when the plan gives no figure"))
        return None
    per = r.text(keys["per"][1], f"{where}target.per")
    if per not in PERS:
        r.error(keys["per"][1], f"{where}target.per", _('"{value}" is not one of: {choices}', value=per, choices=PERS))
        return None
    return Target(value, per)


def _match(r: _Reader, node: yaml.Node, where: str, settings: Settings) -> Match:
    keys = r.mapping(node, f"{where}match.", MATCH_KEYS)
    categories = []
    for name in r.texts(keys["categories"][1], f"{where}match.categories") if "categories" in keys else ():
        found = settings.category(name)
        if found is None:
            r.error(keys["categories"][1], f"{where}match.categories", _('unknown category "{key}"', key=name),
                    _("use one of: {keys}", keys=[c.key for c in settings.categories]))
        else:
            categories.append(found.key)
    tags = tuple(slugify(t) for t in (r.texts(keys["tags"][1], f"{where}match.tags") if "tags" in keys else ()))
    documents = r.texts(keys["documents"][1], f"{where}match.documents") if "documents" in keys else ()
    return Match(tuple(categories), tuple(t for t in tags if t), documents, node.start_mark.line + 1)


# --- checks needing more than one file (model/site.build_model calls them) ------------------

def check_plans(plans: list[Plan], articles: list, legal, problems: Problems) -> list[Plan]:
    """Overlapping periods (errors), citations in `match.documents` that name no document and
    item codes in articles' `plan_items` that no plan has (warnings). Returns the plans."""
    for n, b in enumerate(plans):
        for a in plans[:n]:
            if a.start <= b.end and b.start <= a.end:
                problems.error(b.source, b.line_of("period"),
                               _("period overlaps the period of {file} ({start}-{end})", file=a.source,
                                 start=short_date(a.start), end=short_date(a.end)),
                               _("plans must not overlap, or an article's plan_items would not say which plan it "
                                 "counts toward"))
    for plan in plans:
        for item in plan.items:
            for text in item.match.documents:
                citation = parse_citation(text)
                if citation is None or legal.resolve_citation(citation).source is None:
                    problems.warning(plan.source, item.match.line,
                                     _('match.documents: "{text}" names no document of the index', text=text),
                                     _('write it as in articles, e.g. "Nghị định số 61/2018/NĐ-CP"'))
    codes = sorted({i.code for p in plans for i in p.items})
    for a in articles:
        for code in a.plan_items:
            if code not in codes:
                hint = _("known codes: {codes}", codes=codes[:12] + (["…"] if len(codes) > 12 else [])) if codes \
                    else _("there is no plan in content/plans/ yet")
                problems.warning(a.source, a.line_of("plan_items"),
                                 _('plan_items: "{code}" is not an item of any plan', code=code), hint)
    return plans
