"""site.yaml -> Settings: typed, frozen, validated, every problem with its line.

Nothing after this module sees a raw dict from site.yaml. Each kind of value has one small
validator; unknown keys are warnings naming the nearest known key; a wrong type or a
missing required key is an error. All problems are collected, not only the first.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from cchc.core.files import CONTROL_LEFT_OUT, decode_text, text_controls
from cchc.core.frontmatter import explain_yaml, first_alias, nesting_line
from cchc.core.messages import Message, _
from cchc.core.problems import Problems
from cchc.core.vietnamese import nfc, slugify

CONFIG_FILE = "site.yaml"
RAW_HTML_MODES = ("sanitize", "escape", "allow")
MARKDOWN_ENGINES = ("python-markdown", "commonmark")   # the client named the first; see markup.py
PROTOCOLS = ("dir", "ftp", "ftps", "sftp")
DEFAULT_PORTS = {"ftp": 21, "ftps": 21, "sftp": 22}
DEFAULT_DOCUMENT_TYPES = ("Luật", "Nghị quyết", "Nghị định", "Quyết định", "Thông tư", "Chỉ thị",
                          "Kế hoạch", "Thông báo", "Hướng dẫn", "Chương trình", "Đề án", "Báo cáo",
                          "Công văn")


@dataclass(frozen=True)
class Category:
    key: str
    name: str
    description: str = ""


@dataclass(frozen=True)
class Link:
    name: str
    url: str


@dataclass(frozen=True)
class Organization:
    name: str
    address: str = ""
    phone: str = ""
    email: str = ""
    # The heading of a report the Office files (Nghị định 30/2020/NĐ-CP, Phụ lục I, Mục II.2-4):
    parent: str = ""          # cơ quan chủ quản trực tiếp: "UBND tỉnh Quảng Ngãi"
    short_name: str = ""      # tên cơ quan ban hành under it: "Sở Công Thương"
    abbreviation: str = ""    # in the document number: "SCT" gives "Số: …/BC-SCT"
    place: str = ""           # địa danh of the date line: "Quảng Ngãi"
    fax: str = ""


@dataclass(frozen=True)
class Deadline:
    """A posting rule: an item of `kind` goes up within `working_days` working days of its `start` date."""
    kind: str                 # "documents" or "articles"
    working_days: int
    start: str                # documents: "issued" or "effective"; articles: "documents"
    line: int = 0


@dataclass(frozen=True)
class English:
    """The section's names in English, for the pages under en/ (site.yaml `english:`)."""
    title: str = ""
    description: str = ""
    organization: str = ""


@dataclass(frozen=True)
class Responsible:
    """Who answers for the section's content (người/đơn vị chịu trách nhiệm), shown in the footer."""
    unit: str = ""
    person: str = ""


@dataclass(frozen=True)
class PublishTarget:
    """One `publish:` entry. Secrets are never here: they come from the environment."""
    name: str
    protocol: str
    path: str
    host: str = ""
    port: int = 0
    user: str = ""
    key_file: str = ""        # sftp: private key (passphrase from the environment)
    known_hosts: str = ""     # sftp: known_hosts file (default: ~/.ssh/known_hosts)
    fingerprint: str = ""     # sftp: expected host key; ftps: server certificate ("SHA256:…")
    max_deletes: int = 100    # a publish deleting more stops and asks for --allow-deletes
    for_disk: bool = False    # dir: links end in index.html, so the copy opens from the folder (build --for-disk)
    line: int = 0


@dataclass(frozen=True)
class MarkdownSettings:
    raw_html: str = "sanitize"
    iframe_hosts: tuple[str, ...] = ()   # hosts allowed in <iframe src> when sanitising
    engine: str = "python-markdown"


@dataclass(frozen=True)
class ImageSettings:
    """`images:` in site.yaml: the widths photos are resized to (build/images.py), and the size
    past which `check` warns."""
    widths: tuple[int, ...] = (480, 960, 1600)
    max_kb: int = 300


@dataclass(frozen=True)
class Settings:
    site_dir: Path
    title: str
    base_url: str
    description: str = ""
    language: str = "vi"
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Ho_Chi_Minh"))
    per_page: int = 10
    feed_items: int = 20
    home_items: int = 10
    portal: Link | None = None
    organization: Organization | None = None
    responsible: Responsible = Responsible()
    categories: tuple[Category, ...] = ()
    document_types: tuple[str, ...] = DEFAULT_DOCUMENT_TYPES
    markdown: MarkdownSettings = MarkdownSettings()
    images: ImageSettings = ImageSettings()
    search: bool = True
    publish: tuple[PublishTarget, ...] = ()
    deadlines: tuple[Deadline, ...] = ()
    holidays_extra: tuple[dt.date, ...] = ()    # days off the holidays package does not know
    workdays_extra: tuple[dt.date, ...] = ()    # days worked (a Saturday made up for a swap)
    # Issue 24: languages (the first is `language`), names in English, the department's images
    # (files under content/, shown in the header; the favicon defaults to the logo) and, per legal
    # duty of `check --compliance`, the portal page that already carries it.
    languages: tuple[str, ...] = ("vi",)
    english: English = English()
    logo: str = ""
    banner: str = ""
    favicon: str = ""
    compliance: tuple[tuple[str, str, int], ...] = ()     # (duty key, portal URL, line in site.yaml)
    # Where the raw text came from, so a change of settings invalidates every cached page.
    fingerprint: str = ""

    @property
    def base_path(self) -> str:
        """The sub-path of the portal the section lives under, e.g. "/cchc/"."""
        m = re.match(r"https?://[^/]+(/.*)$", self.base_url)
        return m.group(1) if m else "/"

    def category(self, key_or_name: str) -> Category | None:
        wanted = nfc(str(key_or_name)).strip()
        for c in self.categories:
            if wanted in (c.key, c.name) or slugify(wanted) == c.key:
                return c
        return None

    def target(self, name: str) -> PublishTarget | None:
        return next((t for t in self.publish if t.name == name), None)

    def deadline(self, kind: str) -> Deadline | None:
        return next((d for d in self.deadlines if d.kind == kind), None)


# --- validation helpers --------------------------------------------------------------------

class _Node:
    """A YAML node with its line, and the problems list to report into."""

    def __init__(self, node: yaml.Node, path: str, problems: Problems, file: str):
        self.node, self.path, self.problems, self.file = node, path, problems, file

    @property
    def line(self) -> int:
        return self.node.start_mark.line + 1

    def error(self, message: Message, hint: Message | str = "") -> None:
        self.problems.error(self.file, self.line, _("{key}: {problem}", key=self.path, problem=message), hint)

    def value(self):
        if self.node is None:
            return None
        try:
            return yaml.SafeLoader("").construct_object(self.node, deep=True)
        except ValueError:   # an impossible date such as 2021-13-01: keep the text, the caller reports it
            return self.node.value


def _mapping(n: _Node, known: tuple[str, ...], required: tuple[str, ...] = ()) -> dict[str, _Node] | None:
    if not isinstance(n.node, yaml.MappingNode):
        n.error(_("expected a mapping of keys ({keys}), found {found}", keys=known, found=_kind(n.node)))
        return None
    out: dict[str, _Node] = {}
    for k, v in n.node.value:
        key = str(k.value)
        child = _Node(v, f"{n.path}.{key}" if n.path else key, n.problems, n.file)
        if key in out:
            n.problems.error(n.file, k.start_mark.line + 1, _("{key}: key appears twice", key=child.path),
                             _("keep one of them"))
        if key not in known:
            near = difflib.get_close_matches(key, known, n=1)
            n.problems.warning(n.file, k.start_mark.line + 1, _("unknown key '{key}'", key=child.path),
                               _("did you mean '{key}'?", key=near[0]) if near else _("known keys: {keys}", keys=known))
            continue
        out[key] = child
    for key in required:
        if key not in out:
            path = f"{n.path}.{key}" if n.path else key
            n.problems.error(n.file, n.line, _("{key}: required key is missing", key=path))
    return out


def _kind(node: yaml.Node) -> Message | str:
    if isinstance(node, yaml.MappingNode):
        return _("a mapping")
    if isinstance(node, yaml.SequenceNode):
        return _("a list")
    if node is None or (isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null")):
        return _("nothing")
    return f'"{node.value}"'


def _text(n: _Node | None, default: str = "") -> str:
    if n is None:
        return default
    if not isinstance(n.node, yaml.ScalarNode) or n.node.tag.endswith(":null"):
        n.error(_("expected text, found {found}", found=_kind(n.node)))
        return default
    text, found = text_controls(nfc(str(n.node.value)))
    for code, _at in found:      # a YAML "\x01" or "\e": every page and feed would carry it
        n.problems.warning(n.file, n.line, _("{key}: {problem}", key=n.path, problem=_(
            "an invisible control character ({code}) was left out", code=code)), CONTROL_LEFT_OUT)
    return text.strip()


def _int(n: _Node | None, default: int, minimum: int = 1) -> int:
    if n is None:
        return default
    value = n.value()
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        n.error(_("expected a whole number of at least {minimum}, found {found}", minimum=minimum,
                  found=_kind(n.node)))
        return default
    return value


def _bool(n: _Node | None, default: bool) -> bool:
    if n is None:
        return default
    value = n.value()
    if not isinstance(value, bool):
        n.error(_("expected true or false, found {found}", found=_kind(n.node)))
        return default
    return value


def _choice(n: _Node | None, choices: tuple[str, ...], default: str) -> str:
    value = _text(n, default)
    if value not in choices:
        n.error(_('"{value}" is not one of: {choices}', value=value, choices=choices))
        return default
    return value


def _url(n: _Node | None, default: str = "") -> str:
    value = _text(n, default)
    if value and not re.match(r"https?://[^/\s]+", value):
        n.error(_('"{value}" is not an absolute http(s) URL', value=value), _("write it as https://host/path/"))
        return default
    return value


def _list(n: _Node | None) -> list[_Node]:
    if n is None:
        return []
    if not isinstance(n.node, yaml.SequenceNode):
        n.error(_("expected a list, found {found}", found=_kind(n.node)), _("write each item on its own line after '- '"))
        return []
    return [_Node(item, f"{n.path}[{i + 1}]", n.problems, n.file) for i, item in enumerate(n.node.value)]


# --- the settings --------------------------------------------------------------------------

TOP_KEYS = ("title", "description", "base_url", "language", "timezone", "per_page", "feed_items",
            "home_items", "portal", "organization", "responsible", "categories", "document_types",
            "markdown", "images", "search", "publish", "deadlines", "holidays_extra", "workdays_extra",
            "languages", "english", "logo", "banner", "favicon", "compliance")
LANGUAGES = ("vi", "en")     # the languages the layouts have interface strings for


def load_settings(site_dir: Path, base_url: str | None = None) -> tuple[Settings | None, Problems]:
    """Read and validate site.yaml in site_dir. Returns (None, problems) when unusable."""
    problems = Problems()
    path = site_dir / CONFIG_FILE
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        problems.error(CONFIG_FILE, None, _("no {file} in {folder}", file=CONFIG_FILE, folder=site_dir),
                       _("run the command in the section's folder or pass --site FOLDER"))
        return None, problems
    text, why = decode_text(raw)
    if text is None:
        problems.error(CONFIG_FILE, None, why, _("save the file as UTF-8"))
        return None, problems
    alias = first_alias(text)
    if alias:
        problems.error(CONFIG_FILE, alias, _("YAML aliases ('*name') are not supported"),
                       _("write the value out in full, in quotes if it starts with '*'"))
        return None, problems
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        what, hint = explain_yaml(str(getattr(exc, "problem", None) or exc))
        problems.error(CONFIG_FILE, mark.line + 1 if mark else None, _("YAML: {what}", what=what),
                       hint)
        return None, problems
    except RecursionError:       # "[[[[…": PyYAML composes nested values by recursion
        problems.error(CONFIG_FILE, nesting_line(text), _("YAML: the values are nested too deeply"),
                       _("write each value on its own line after its key"))
        return None, problems
    if root is None:
        problems.error(CONFIG_FILE, None, _("the file is empty"), _("see the README for a sample site.yaml"))
        return None, problems
    top = _mapping(_Node(root, "", problems, CONFIG_FILE), TOP_KEYS, ("title", "base_url"))
    if top is None:
        return None, problems

    url = base_url or _url(top.get("base_url"))
    if url and not url.endswith("/"):
        url += "/"
    tz = ZoneInfo("Asia/Ho_Chi_Minh")
    if "timezone" in top:
        name = _text(top["timezone"], "Asia/Ho_Chi_Minh")
        try:
            tz = ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            top["timezone"].error(_('unknown time zone "{name}"', name=name), _("use Asia/Ho_Chi_Minh"))

    settings = Settings(
        site_dir=site_dir,
        title=_text(top.get("title")),
        base_url=url,
        description=_text(top.get("description")),
        language=_text(top.get("language"), "vi"),
        timezone=tz,
        per_page=_int(top.get("per_page"), 10),
        feed_items=_int(top.get("feed_items"), 20),
        home_items=_int(top.get("home_items"), 10),
        portal=_link(top.get("portal")),
        organization=_organization(top.get("organization")),
        responsible=_responsible(top.get("responsible")),
        categories=_categories(top.get("categories"), problems),
        document_types=tuple(_text(i) for i in _list(top.get("document_types"))) or DEFAULT_DOCUMENT_TYPES,
        markdown=_markdown(top.get("markdown")),
        images=_images(top.get("images")),
        search=_bool(top.get("search"), True),
        publish=_targets(top.get("publish")),
        deadlines=_deadlines(top.get("deadlines")),
        holidays_extra=_days(top.get("holidays_extra")),
        workdays_extra=_days(top.get("workdays_extra")),
        fingerprint=text,
        **_identity(top, site_dir),
    )
    both = set(settings.holidays_extra) & set(settings.workdays_extra)
    if both:
        day = f"{min(both):%d/%m/%Y}"
        top["workdays_extra"].error(_("{day} is also in holidays_extra", day=day),
                                    _("a day is either off or worked: keep it in one list"))
    return settings, problems


def _identity(top: dict[str, _Node], site_dir: Path) -> dict:
    """The issue-24 keys: languages, english, logo, banner, favicon, compliance."""
    language = _text(top.get("language"), "vi")
    languages = [_text(n) for n in _list(top.get("languages"))] or [language]
    for n, name in zip(_list(top.get("languages")), languages):
        if name not in LANGUAGES:
            n.error(_('"{name}" is a language the layouts have no interface text for', name=name),
                    _("use {languages}", languages=LANGUAGES))
    if languages[0] != language:
        top["languages"].error(_('the first language must be the site\'s language "{language}"', language=language),
                               _("write languages: [{language}, …]", language=language))
    english = English()
    if "english" in top:
        keys = _mapping(top["english"], ("title", "description", "organization"))
        if keys is not None:
            english = English(*(_text(keys.get(k)) for k in ("title", "description", "organization")))
    images = {key: _content_file(top.get(key), site_dir) for key in ("logo", "banner", "favicon")}
    compliance = []
    if "compliance" in top:
        n = top["compliance"]
        if not isinstance(n.node, yaml.MappingNode):
            n.error(_("expected lines 'duty: address', found {found}", found=_kind(n.node)),
                    _("python build.py check --compliance names the duties"))
        else:
            for k, v in n.node.value:
                child = _Node(v, f"compliance.{k.value}", n.problems, n.file)
                url = _url(child)
                if url:
                    compliance.append((str(k.value), url, child.line))
    return dict(languages=tuple(dict.fromkeys(n for n in languages if n in LANGUAGES)) or (language,),
                english=english, logo=images["logo"], banner=images["banner"],
                favicon=images["favicon"] or images["logo"], compliance=tuple(compliance))


def _content_file(n: _Node | None, site_dir: Path) -> str:
    """A picture of the section (logo, banner, favicon): a file under content/, written as
    images/logo.png; never an address elsewhere (the section requests nothing from other hosts)."""
    value = _text(n)
    if not value:
        return ""
    value = value[len("content/"):] if value.startswith("content/") else value
    if value.startswith(("/", "\\")) or re.match(r"[A-Za-z]:|https?:", value) or ".." in value.split("/"):
        n.error(_('"{value}" is not a file of the section', value=value),
                _("put the picture in content/images/ and write images/name.jpg"))
        return ""
    if not (site_dir / "content" / value).is_file():
        n.error(_('"{path}" does not exist', path=value),
                _("put the picture in content/images/ and write images/name.jpg"))
        return ""
    return value


def _link(n: _Node | None) -> Link | None:
    if n is None:
        return None
    keys = _mapping(n, ("name", "url"), ("name", "url"))
    return Link(_text(keys.get("name")), _url(keys.get("url"))) if keys is not None else None


def _organization(n: _Node | None) -> Organization | None:
    if n is None:
        return None
    names = ("name", "address", "phone", "email", "parent", "short_name", "abbreviation", "place", "fax")
    keys = _mapping(n, names, ("name",))
    if keys is None:
        return None
    return Organization(*(_text(keys.get(k)) for k in names))


def _responsible(n: _Node | None) -> Responsible:
    if n is None:
        return Responsible()
    keys = _mapping(n, ("unit", "person"))
    return Responsible(_text(keys.get("unit")), _text(keys.get("person"))) if keys else Responsible()


def _categories(n: _Node | None, problems: Problems) -> tuple[Category, ...]:
    out: list[Category] = []
    seen: dict[str, int] = {}
    for item in _list(n):
        keys = _mapping(item, ("key", "name", "description"), ("name",))
        if keys is None:
            continue
        name = _text(keys.get("name"))
        key = _text(keys.get("key")) or slugify(name)
        if key != slugify(key):
            keys["key"].error(_('"{key}" is not a valid key', key=key),
                              _("use lower-case ASCII and dashes, e.g. {example}",
                                example=slugify(key)))
            key = slugify(key)
        if key in seen:
            item.error(_('category key "{key}" is already used on line {line}', key=key, line=seen[key]),
                       _("give each category its own key"))
            continue
        seen[key] = item.line
        out.append(Category(key, name, _text(keys.get("description"))))
    return tuple(out)


def _markdown(n: _Node | None) -> MarkdownSettings:
    if n is None:
        return MarkdownSettings()
    keys = _mapping(n, ("raw_html", "iframe_hosts", "engine"))
    if keys is None:
        return MarkdownSettings()
    return MarkdownSettings(_choice(keys.get("raw_html"), RAW_HTML_MODES, "sanitize"),
                            tuple(_text(h) for h in _list(keys.get("iframe_hosts"))),
                            _choice(keys.get("engine"), MARKDOWN_ENGINES, "python-markdown"))


def _images(n: _Node | None) -> ImageSettings:
    if n is None:
        return ImageSettings()
    keys = _mapping(n, ("widths", "max_kb"))
    if keys is None:
        return ImageSettings()
    widths = tuple(sorted({_int(w, 0, 16) for w in _list(keys.get("widths"))} - {0})) or ImageSettings.widths
    return ImageSettings(widths, _int(keys.get("max_kb"), ImageSettings.max_kb))


TARGET_KEYS = ("protocol", "host", "port", "user", "path", "key_file", "known_hosts", "fingerprint",
               "max_deletes", "for_disk")


def _targets(n: _Node | None) -> tuple[PublishTarget, ...]:
    if n is None:
        return ()
    if not isinstance(n.node, yaml.MappingNode):
        n.error(_("expected named targets (portal: {{protocol: sftp, …}}), found {found}", found=_kind(n.node)))
        return ()
    out = []
    for k, v in n.node.value:
        name = str(k.value)
        item = _Node(v, f"publish.{name}", n.problems, n.file)
        keys = _mapping(item, TARGET_KEYS + ("password",), ("protocol", "path"))
        if keys is None:
            continue
        if "password" in keys:
            keys["password"].error(_("passwords do not belong in site.yaml"),
                                   _("set the environment variable {variable} instead",
                                     variable=password_variable(name)))
        protocol = _choice(keys.get("protocol"), PROTOCOLS, "dir")
        if protocol != "dir" and "host" not in keys:
            item.error(_("host: required for protocol {protocol}", protocol=protocol))
        for_disk = _bool(keys.get("for_disk"), False)
        if for_disk and protocol != "dir":
            keys["for_disk"].error(_("only a folder (protocol: dir) is opened from disk; a server needs the usual links"),
                                   _("remove the line"))
            for_disk = False
        out.append(PublishTarget(
            name=name, protocol=protocol, path=_text(keys.get("path")), host=_text(keys.get("host")),
            port=_int(keys.get("port"), DEFAULT_PORTS.get(protocol, 0), 0), user=_text(keys.get("user")),
            key_file=_text(keys.get("key_file")), known_hosts=_text(keys.get("known_hosts")),
            fingerprint=_text(keys.get("fingerprint")), max_deletes=_int(keys.get("max_deletes"), 100),
            for_disk=for_disk, line=item.line))
    return tuple(out)


def password_variable(target_name: str) -> str:
    """The environment variable holding a target's password or key passphrase."""
    return "CCHC_PASSWORD_" + re.sub(r"[^A-Z0-9]", "_", target_name.upper())


DEADLINE_STARTS = {"documents": ("issued", "effective"), "articles": ("documents",)}


def _deadlines(n: _Node | None) -> tuple[Deadline, ...]:
    """deadlines: {documents: {working_days: 2, from: issued}, articles: {working_days: 5, from: documents}}"""
    if n is None:
        return ()
    keys = _mapping(n, tuple(DEADLINE_STARTS))
    out = []
    for kind, node in (keys or {}).items():
        rule = _mapping(node, ("working_days", "from"), ("working_days", "from"))
        if rule is None or "working_days" not in rule or "from" not in rule:
            continue
        start = _choice(rule["from"], DEADLINE_STARTS[kind], DEADLINE_STARTS[kind][0])
        out.append(Deadline(kind, _int(rule["working_days"], 1, 0), start, node.line))
    return tuple(out)


def _days(n: _Node | None) -> tuple[dt.date, ...]:
    """A list of days, each a date or {date: D, source: "the notice that decided it"}."""
    out = []
    for item in _list(n):
        if isinstance(item.node, yaml.MappingNode):
            keys = _mapping(item, ("date", "source"), ("date",))
            item = (keys or {}).get("date")
            if item is None:
                continue
        value = item.value()
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            item.error(_("expected a day, found {found}", found=_kind(item.node)),
                       _("write it as YYYY-MM-DD, e.g. 2025-05-02"))
            continue
        out.append(value)
    return tuple(sorted(set(out)))
