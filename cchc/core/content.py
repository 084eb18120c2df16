"""content/ -> Article, Page and LegalDocument values, each problem with file and line.

This is the only module that reads content/ (core/content_files.py says which files,
build/content_cache.py which to read again). It accepts what editors' tools produce (a UTF-8 BOM, CRLF or CR line ends,
decomposed Vietnamese) and refuses other encodings with a message naming the encoding the file
seems to be in, never guessing into mojibake.
"""
from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from cchc.core.config import LANGUAGES, Settings
from cchc.core.body_limits import body_limit
from cchc.core.content_files import CONTENT_DIR, OUTSIDE, StaticFile, list_entries, list_static, outside_content
from cchc.core.files import CONTROL_LEFT_OUT, decode_text, text_controls
from cchc.core.frontmatter import Loader as _Loader, explain_yaml, first_alias, read_simple, timestamp
from cchc.core.legal.numbers import RELATIONS, STATUSES
from cchc.core.messages import Decimal, Message, _
from cchc.core.plans import load_plans
from cchc.core.problems import Problems
from cchc.core.procedures import fill_procedure
from cchc.core.vietnamese import DATE_HINT, DateError, is_slug, nfc, parse_date, slugify

class _FrontMatterLoader(_Loader):
    """The safe loader, except that an impossible date (2021-13-01) stays text: the date check
    then reports it on its line, where PyYAML alone raises a bare ValueError."""


_FrontMatterLoader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: timestamp(node))

MAX_FILE_BYTES = 20 * 1024 * 1024   # far above any real article; stops a runaway paste
MAX_FRONT_MATTER = 64 * 1024        # characters: a title or summary, not a book
LONG_BODY = 1024 * 1024             # characters: beyond this a page is slow on a phone
ARTICLE_KEYS = ("title", "date", "category", "tags", "summary", "image", "image_alt", "author",
                "slug", "draft", "updated", "documents", "plan_items", "verbatim")
PAGE_KEYS = ("title", "slug", "menu", "summary", "draft", "verbatim", "translated_from")
DOCUMENT_REQUIRED = ("symbol", "type", "title", "issuer", "issued")
DOCUMENT_KEYS = ("symbol", "type", "title", "issuer", "issued", "effective", "expires", "expiry_reason",
                 "expired_parts", "gazetted", "scope", "status", "signer", "signer_title", "fields", "sector",
                 *RELATIONS, "attachments", "source", "draft", "posted")
PROCEDURE_KEYS = ("code", "name", "field", "level", "agency", "online", "time", "fees", "legal_bases",
                  "portal_url", "portal_id", "source", "draft")


@dataclass
class Entry:
    """What every content file has: where it is, where its keys are, and its Markdown body."""
    source: str                      # "content/articles/2021/x.md", forward slashes
    body: str = ""
    body_line: int = 1               # line of the file where the body starts
    lines: dict[str, int] = field(default_factory=dict)   # front-matter key -> line
    digest: str = ""                 # hash of the file's bytes
    # Document numbers the body quotes as written in its source, wrong ones included (the 2021
    # plan's own "61/2018/NQ-CP"): left as plain text, with no "cites no document" warning.
    verbatim: list[str] = field(default_factory=list)

    def line_of(self, key: str) -> int:
        return self.lines.get(key, 1)


@dataclass
class Article(Entry):
    title: str = ""
    date: dt.datetime | None = None
    category: str = ""               # a category key from site.yaml
    tags: list[str] = field(default_factory=list)
    summary: str = ""
    image: str = ""
    image_alt: str = ""
    author: str = ""
    slug: str = ""
    draft: bool = False
    updated: dt.datetime | None = None
    documents: list[str] = field(default_factory=list)   # citations as written
    plan_items: list[str] = field(default_factory=list)  # codes of plan items it counts toward ("II.1.a")


@dataclass
class Page(Entry):
    title: str = ""
    slug: str = ""
    menu: int | None = None
    summary: str = ""
    draft: bool = False
    lang: str = ""                   # "" for the site's language; "en" under content/pages/en/
    translated_from: str = ""        # a translation: the digest of the page it was made from


@dataclass
class Procedure(Entry):
    """One administrative procedure (thủ tục hành chính): a summary that links to the national
    portal, whose text is never copied here (core/procedures.py says why the address is data)."""
    code: str = ""                   # mã thủ tục in the national database: "2.000648"
    name: str = ""                   # tên thủ tục
    sector: str = ""                 # lĩnh vực (front matter `field`; `field` would hide dataclasses.field here)
    level: str = ""                  # cấp thực hiện
    agency: str = ""                 # cơ quan thực hiện
    online: str = ""                 # "toan-trinh", "mot-phan" or "" (not stated)
    time: str = ""                   # thời hạn giải quyết
    fees: str = ""                   # phí, lệ phí
    legal_bases: list[str] = field(default_factory=list)   # căn cứ pháp lý, citations as written
    portal_url: str = ""             # the procedure on the national public-service portal
    source_url: str = ""             # where the facts above were taken from
    draft: bool = False

    @property
    def title(self) -> str:
        return self.name


@dataclass
class LegalDocument(Entry):
    """One entry of the legal-document index (văn bản)."""
    symbol: str = ""                 # số ký hiệu, exactly as written (NFC): "61/2018/NĐ-CP"
    type: str = ""                   # loại văn bản: "Nghị định"
    title: str = ""                  # trích yếu
    issuer: str = ""                 # cơ quan ban hành
    issued: dt.datetime | None = None
    effective: dt.datetime | None = None
    expires: dt.datetime | None = None   # ngày hết hiệu lực
    expiry_reason: str = ""          # lý do hết hiệu lực ("Hết thời hạn có hiệu lực", …)
    expired_parts: list[str] = field(default_factory=list)   # the parts no longer in force ("Điều 5")
    gazetted: dt.datetime | None = None  # ngày đăng công báo
    scope: str = ""                  # phạm vi: "Toàn quốc", "Tỉnh Quảng Ngãi"
    status: str = ""                 # tình trạng hiệu lực as declared; the build computes its own
    signer: str = ""
    signer_title: str = ""           # chức danh of the signer: "Thủ tướng", "Chủ tịch"
    fields: list[str] = field(default_factory=list)       # lĩnh vực
    sector: str = ""                 # ngành of the issuing body ("Nội vụ", "Công Thương")
    # relations, as citations (legal.numbers.RELATIONS; vbpl.vn's vocabulary)
    amends: list[str] = field(default_factory=list)       # sửa đổi, bổ sung
    replaces: list[str] = field(default_factory=list)     # thay thế
    guides: list[str] = field(default_factory=list)       # hướng dẫn, quy định chi tiết
    based_on: list[str] = field(default_factory=list)     # căn cứ
    repeals: list[str] = field(default_factory=list)      # bãi bỏ
    suspends: list[str] = field(default_factory=list)     # đình chỉ
    partly_ends: list[str] = field(default_factory=list)  # làm hết hiệu lực một phần
    consolidates: list[str] = field(default_factory=list)  # hợp nhất (a văn bản hợp nhất)
    refers_to: list[str] = field(default_factory=list)    # dẫn chiếu
    attachments: list[str] = field(default_factory=list)  # content/files/… paths or URLs
    source_url: str = ""
    draft: bool = False
    posted: dt.datetime | None = None   # when the entry went up on the section (posting deadlines)


@dataclass
class Content:
    articles: list[Article] = field(default_factory=list)
    pages: list[Page] = field(default_factory=list)
    documents: list[LegalDocument] = field(default_factory=list)
    static: list[StaticFile] = field(default_factory=list)
    plans: list = field(default_factory=list)     # core/plans.Plan, from content/plans/*.yaml
    procedures: list[Procedure] = field(default_factory=list)

    def add(self, item: Entry) -> None:
        """File an entry under its kind."""
        {Article: self.articles, Page: self.pages, LegalDocument: self.documents,
         Procedure: self.procedures}[type(item)].append(item)

    def entries(self) -> list[Entry]:
        """Every entry with a Markdown body."""
        return [*self.articles, *self.pages, *self.documents, *self.procedures]


_FENCE = re.compile(r"^---[ \t]*$", re.M)
_KEY_LINE = re.compile(r"^([^\s#:][^:]*?)[ \t]*:(?:[ \t]|$)")


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """(front matter, body, line where the body starts), or None when there is no front matter."""
    if not text.startswith("---"):
        return None
    first = text.find("\n")
    if first < 0 or text[:first].strip() != "---":
        return None
    end = _FENCE.search(text, first + 1)
    if end is None:
        return None
    fm = text[first + 1:end.start()]
    rest_at = end.end() + 1
    body_line = text.count("\n", 0, rest_at) + 1
    return fm, text[rest_at:], body_line


def parse_front_matter(fm: str, source: str, problems: Problems) -> tuple[dict | None, dict[str, int]]:
    """YAML front matter -> (mapping, key -> line in the file). Lines count from the file's top."""
    lines: dict[str, int] = {}
    if len(fm) > MAX_FRONT_MATTER:
        problems.error(source, 2, _("front matter is {size} KB long, more than {limit} KB", size=len(fm) // 1024,
                                    limit=MAX_FRONT_MATTER // 1024),
                       _("keep long text in the body, below the second '---'"))
        return None, lines
    alias = first_alias(fm)
    if alias:
        problems.error(source, alias + 1, _("front matter uses a YAML alias ('*name')"),
                       _("write the value out in full, in quotes if it starts with '*'"))
        return None, lines
    for i, line in enumerate(fm.split("\n"), start=2):
        m = _KEY_LINE.match(line)
        if m:
            key = m.group(1).strip().strip("'\"")
            if key in lines:
                problems.error(source, i, _("{key}: key appears twice (first on line {line})", key=key,
                                            line=lines[key]), _("keep one of them"))
            else:
                lines[key] = i
        elif line.startswith("\t"):
            problems.error(source, i, _("front matter line starts with a tab"), _("indent with spaces"))
    try:   # the usual 'key: value' lines are read without PyYAML's constructor (frontmatter.py)
        data = read_simple(fm) or (yaml.load(fm, Loader=_FrontMatterLoader) if fm.strip() else {})
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark else 2
        what, hint = explain_yaml(str(getattr(exc, "problem", None) or exc))
        problems.error(source, line, _("front matter is not valid YAML: {what}", what=what), hint)
        return None, lines
    except RecursionError:
        problems.error(source, 2, _("front matter is nested too deeply"),
                       _("write each value on one line after its key"))
        return None, lines
    if not isinstance(data, dict):
        problems.error(source, 2, _("front matter must be 'key: value' lines"),
                       _("see HUONG-DAN.md for an example"))
        return None, lines
    return data, lines


# --- front-matter values -----------------------------------------------------------------

class _Fields:
    """Typed access to one file's front matter; each bad value becomes a problem on its line."""

    def __init__(self, data: dict, entry: Entry, known: tuple[str, ...], problems: Problems, settings: Settings):
        self.data, self.entry, self.problems, self.settings = data, entry, problems, settings
        self.ok = True
        for key in data:
            if key not in known:
                near = difflib.get_close_matches(str(key), known, n=1, cutoff=0.5)
                problems.warning(entry.source, entry.line_of(str(key)), _("unknown front-matter key '{key}'", key=key),
                                 _("did you mean '{key}'?", key=near[0]) if near else _("known keys: {keys}", keys=known))

    def error(self, key: str, message: Message, hint: Message | str = "") -> None:
        self.ok = False
        self.problems.error(self.entry.source, self.entry.line_of(key), _("{key}: {problem}", key=key, problem=message),
                            hint)

    def text(self, key: str, required: bool = False) -> str:
        value = self.data.get(key)
        if value is None:
            if required:
                self.ok = False
                self.problems.error(self.entry.source, 2 if key not in self.entry.lines else self.entry.line_of(key),
                                    _("{key}: required field is missing", key=key),
                                    _("add a line '{key}: …' to the front matter", key=key))
            return ""
        if isinstance(value, (dict, list)):
            self.error(key, _("expected text, found a list") if isinstance(value, list) else
                       _("expected text, found a mapping"),
                       _("write the value on the same line, in quotes if it contains a colon"))
            return ""
        if isinstance(value, (dt.date, bool)) or not isinstance(value, (str, int, float)):
            self.error(key, _("expected text, found {value}", value=repr(value)), _("put the value in quotes"))
            return ""
        text = self._visible(key, nfc(str(value))).strip()
        if required and not text:
            self.error(key, _("must not be empty"))
        return text

    def _visible(self, key: str, text: str) -> str:
        """text without control characters (a YAML "\\x01", "\\0" or "\\e"), each a warning on the key's line."""
        text, found = text_controls(text)
        for code, _at in found:
            self.problems.warning(self.entry.source, self.entry.line_of(key),
                                  _("{key}: {problem}", key=key, problem=_("an invisible control character ({code}) "
                                                                          "was left out", code=code)), CONTROL_LEFT_OUT)
        return text

    def texts(self, key: str) -> list[str]:
        value = self.data.get(key)
        if value is None:
            return []
        if isinstance(value, str):
            value = self._visible(key, value)
            return [nfc(v).strip() for v in value.split(",") if v.strip()]
        if not isinstance(value, list):
            self.error(key, _("expected a list, found {value}", value=repr(value)),
                       _("write one item per line, each after '- '"))
            return []
        out = []
        for item in value:
            if isinstance(item, (dict, list)) or item is None or isinstance(item, bool):
                self.error(key, _("list item {item} is not text", item=repr(item)), _("write each item as plain text"))
                continue
            text = self._visible(key, nfc(str(item))).strip()
            if text:
                out.append(text)
        return out

    def date(self, key: str, required: bool = False) -> dt.datetime | None:
        value = self.data.get(key)
        if value is None or value == "":
            if required:
                self.text(key, required=True)
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            self.error(key, _("{value} is a number, not a date", value=value), DATE_HINT)
            return None
        try:
            return parse_date(value, self.settings.timezone)
        except DateError as exc:
            self.error(key, exc.message, DATE_HINT)
            return None

    def flag(self, key: str) -> bool:
        value = self.data.get(key, False)
        if not isinstance(value, bool):
            self.error(key, _("expected true or false, found {value}", value=repr(value)))
            return False
        return value

    def slug(self, key: str = "slug") -> str:
        value = self.text(key)
        if value and not is_slug(value):
            self.error(key, _('"{value}" is not a valid slug', value=value),
                       _("use lower-case letters, digits and dashes, e.g. {example}", example=slugify(value) or "tin-moi"))
            return ""
        return value


def _first_paragraph(body: str, limit: int = 300) -> str:
    """A plain-text summary from the body's first paragraph (headings, lists and code skipped)."""
    for block in re.split(r"\n\s*\n", body):
        block = block.strip()
        if not block or block[0] in "#>|-*`<!" or re.match(r"\d+\.\s|[-=]{3,}", block):
            continue
        text = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", block)
        text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
        text = re.sub(r"[*_`]+", "", text)
        text = " ".join(text.split())
        if len(text) > limit:
            text = text[:limit].rsplit(" ", 1)[0] + " …"
        return text
    return ""


# --- loading -----------------------------------------------------------------------------

def load_content(settings: Settings, problems: Problems) -> Content:
    """Read every file under content/, without the build's cache (`publish --due` looks at dates
    only). Broken files are reported and skipped, never fatal."""
    root = settings.site_dir / CONTENT_DIR
    content = Content()
    if not root.is_dir():
        problems.error(CONTENT_DIR, None, _("the content folder is missing"), _("create content/articles/"))
        return content
    for rel, path in list_entries(root, settings.site_dir).items():
        item = read_entry(path, rel, rel.split("/", 2)[1], settings, problems)    # rel: content/<kind>/…
        if item is not None:
            content.add(item)
    content.static = list_static(root)
    content.plans = load_plans(settings, problems)
    return content


def read_entry(path: Path, rel: str, kind: str, settings: Settings, problems: Problems):
    """One content file -> Article, Page or LegalDocument, or None (the problems say why)."""
    import hashlib
    if outside_content(path, settings.site_dir):
        problems.error(rel, None, *OUTSIDE)
        return None
    try:
        with open(path, "rb") as f:
            if os.fstat(f.fileno()).st_size > MAX_FILE_BYTES:
                problems.error(rel, None, _("the file is larger than {limit} MB", limit=MAX_FILE_BYTES // 2**20),
                               _("split it, or put large material in content/files/"))
                return None
            raw = f.read()
    except OSError as exc:
        problems.error(rel, None, _("cannot read the file: {reason}", reason=exc.strerror))
        return None
    text, why = decode_text(raw)
    if text is None:
        problems.error(rel, None, why, _("save the file as UTF-8 (in Notepad: Save As, Encoding: UTF-8)"))
        return None
    parts = split_front_matter(text)
    if parts is None and text.split("\n", 1)[0].strip() == "---":
        problems.error(rel, 1, _("the front matter is never closed"),
                       _("add a line '---' after the last 'key: value' line"))
        return None
    if parts is None:
        problems.error(rel, 1, _("the file does not start with front matter between '---' lines"),
                       _("put '---', the 'key: value' lines, then '---' at the top"))
        return None
    fm, body, body_line = parts
    data, lines = parse_front_matter(fm, rel, problems)
    if data is None:
        return None
    clean, controls = text_controls(body)
    for code, at in controls:
        problems.warning(rel, body_line + body.count("\n", 0, at),
                         _("an invisible control character ({code}) was left out", code=code), CONTROL_LEFT_OUT)
    body = clean
    limit = body_limit(body)
    if limit:
        problems.error(rel, body_line + limit[0] - 1, *limit[1:])
        return None
    if len(body) > LONG_BODY:
        size = Decimal(len(body) / 2**20, 1)
        problems.warning(rel, body_line, _("the text is {size} MB long; a page this long is slow on phones", size=size),
                         _("split it, or attach the full text as a file in content/files/"))
    cls, known = {"articles": (Article, ARTICLE_KEYS), "pages": (Page, PAGE_KEYS),
                  "documents": (LegalDocument, DOCUMENT_KEYS), "procedures": (Procedure, PROCEDURE_KEYS)}[kind]
    entry = cls(source=rel, body=body, body_line=body_line, lines=lines,
                digest=hashlib.sha256(raw).hexdigest())
    if isinstance(entry, LegalDocument) and data.get("draft") is True:
        missing = [k for k in DOCUMENT_REQUIRED if data.get(k) in (None, "")]
        if missing:   # what `new document` wrote, still being filled in: not an error, not published
            problems.warning(rel, lines.get(missing[0], 2),
                             _("draft document: {keys} still to fill in; it stays out of the section until then",
                               keys=missing),
                             _("fill them in, then change 'draft: true' to 'draft: false'"))
            return None
    f = _Fields(data, entry, known, problems, settings)
    if not isinstance(entry, LegalDocument):
        entry.verbatim = _numbers(f, "verbatim")
    if isinstance(entry, Article):
        _fill_article(entry, f, settings)
    elif isinstance(entry, Page):
        entry.title = f.text("title", required=True)
        entry.slug = f.slug() or slugify(entry.title)
        entry.summary = f.text("summary") or _first_paragraph(body)
        entry.draft = f.flag("draft")
        menu = data.get("menu")
        if menu is not None and (isinstance(menu, bool) or not isinstance(menu, int)):
            f.error("menu", _("expected a whole number (the position in the menu), found {value}", value=repr(menu)))
        else:
            entry.menu = menu
        if not entry.slug and entry.title:
            f.error("title", _("gives an empty slug"), _("add 'slug: ten-trang'"))
        entry.lang = page_language(rel, settings)
        entry.translated_from = f.text("translated_from")
    elif isinstance(entry, Procedure):
        fill_procedure(entry, f)
    else:
        _fill_document(entry, f)
    return entry if f.ok else None


def page_language(rel: str, settings: Settings) -> str:
    """"en" for content/pages/en/… (a language the layouts know, other than the site's); else ""."""
    parts = rel.split("/")
    if len(parts) > 3 and parts[2] in LANGUAGES and parts[2] != settings.language:
        return parts[2]
    return ""


def _fill_article(a: Article, f: _Fields, settings: Settings) -> None:
    a.title = f.text("title", required=True)
    a.date = f.date("date", required=True)
    key = f.text("category", required=True)
    if key:
        category = settings.category(key)
        if category is None:
            known = [c.key for c in settings.categories] or _("(none in site.yaml)")
            f.error("category", _('unknown category "{key}"', key=key), _("use one of: {keys}", keys=known))
        else:
            a.category = category.key
    a.tags = f.texts("tags")
    a.summary = f.text("summary") or _first_paragraph(a.body)
    a.image = f.text("image")
    a.image_alt = f.text("image_alt")
    if a.image and not re.match(r"https?://", a.image):
        if a.image.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", a.image) or ".." in a.image.split("/"):
            f.error("image", _('"{path}" points outside the content folder', path=a.image),
                    _("put the picture in content/images/ and write images/name.jpg"))
        elif not (settings.site_dir / CONTENT_DIR / a.image).is_file():
            f.error("image", _('"{path}" does not exist', path=a.image), _("put the picture in content/images/"))
    if a.image and not a.image_alt:
        f.error("image", _("has no image_alt"), _("describe the picture in 'image_alt:' for readers who cannot see it"))
    a.author = f.text("author")
    a.slug = f.slug() or slugify(a.title)
    if not a.slug and a.title:
        f.error("title", _("gives an empty slug"), _("add 'slug: ten-bai-viet'"))
    a.draft = f.flag("draft")
    a.updated = f.date("updated")
    a.documents = f.texts("documents")
    a.plan_items = f.texts("plan_items")


def _numbers(f: _Fields, key: str) -> list[str]:
    """A list of document numbers (số ký hiệu), each one checked."""
    from cchc.core.legal import SymbolError, parse_symbol
    out = []
    for text in f.texts(key):
        try:
            out.append(parse_symbol(text).key)
        except SymbolError as exc:
            f.error(key, exc.message, _("write one number per line, exactly as the text quotes it"))
    return out


def _fill_document(d: LegalDocument, f: _Fields) -> None:
    d.symbol = f.text("symbol", required=True)
    d.type = f.text("type", required=True)
    if d.type and d.type not in f.settings.document_types:
        near = difflib.get_close_matches(d.type, f.settings.document_types, n=1, cutoff=0.5)
        f.error("type", _('"{type}" is not a document type of site.yaml', type=d.type),
                _("did you mean '{key}'?", key=near[0]) if near else _("add it to document_types in site.yaml"))
    d.title = f.text("title", required=True)
    d.issuer = f.text("issuer", required=True)
    d.issued = f.date("issued", required=True)
    d.effective = f.date("effective")
    d.expires = f.date("expires")
    d.expiry_reason = f.text("expiry_reason")
    d.expired_parts = f.texts("expired_parts")
    d.gazetted = f.date("gazetted")
    d.scope = f.text("scope")
    d.signer_title = f.text("signer_title")
    d.sector = f.text("sector")
    d.status = f.text("status")
    if d.status and d.status not in STATUSES:
        f.error("status", _('"{status}" is not a status', status=d.status), _("use one of: {keys}", keys=STATUSES))
    d.signer = f.text("signer")
    d.fields = f.texts("fields")
    for relation in RELATIONS:
        setattr(d, relation, f.texts(relation))
    d.attachments = f.texts("attachments")
    d.source_url = f.text("source")
    if d.source_url and not re.match(r"https?://[^/\s]", d.source_url):
        f.error("source", _('"{url}" is not a web address', url=d.source_url), _("write it as https://…"))
        d.source_url = ""
    d.draft = f.flag("draft")
    d.posted = f.date("posted")
    if d.posted and d.issued and d.posted.date() < d.issued.date():
        posted, issued = f"{d.posted:%d/%m/%Y}", f"{d.issued:%d/%m/%Y}"
        f.problems.warning(d.source, d.line_of("posted"),
                           _("posted: {posted} is before the issue date {issued}", posted=posted, issued=issued),
                           _("write the day the entry went up on the section"))
