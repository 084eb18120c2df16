"""`new article` (from a title, or from a Word file) and `new document`: a ready-to-edit file,
never overwriting an existing one."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from cchc.core.config import load_settings
from cchc.core.content_files import CONTENT_DIR
from cchc.core.messages import Message, _
from cchc.core.problems import ERROR, WARNING, Problem, Problems
from cchc.core.vietnamese import DateError, nfc, parse_date, slugify
from cchc.model.routes import IMAGES


def _fail(message: Message, hint: Message | str = "", file: str = "") -> int:
    print(Problem(file, None, ERROR, message, hint), file=sys.stderr)
    return 1


def _day(settings, date: str | None) -> dt.datetime | None:
    if not date:
        return dt.datetime.now(settings.timezone)
    try:
        return parse_date(date, settings.timezone)
    except DateError as exc:
        return None if _fail(_("{key}: {problem}", key="--date", problem=exc.message), _("use YYYY-MM-DD")) else None


def _write_new(site_dir: Path, path: Path, text: str) -> int:
    rel = path.relative_to(site_dir).as_posix()
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8", newline="\n") as f:   # "x": never overwrite
            f.write(text)
    except FileExistsError:
        return _fail(_("the file already exists; nothing was written"), _("choose another title, or edit that file"),
                     file=rel)
    print(rel)
    return 0


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def new_article(site_dir: Path, title: str | None, category: str | None = None, date: str | None = None,
                source: Path | None = None) -> int:
    """Write content/articles/<year>/<slug>.md; with `source`, from a Word file (word/), its
    pictures into content/images/<slug>/. Nothing is written when any of those files exists."""
    settings, problems = load_settings(site_dir)
    if settings is None:
        for p in problems.sorted():
            print(p, file=sys.stderr)
        return 1
    when = _day(settings, date)
    if when is None:
        return 1
    keys = [c.key for c in settings.categories]
    if category:
        found = settings.category(category)
        if found is None:
            return _fail(_('--category: unknown category "{key}"', key=category), _("use one of: {keys}", keys=keys))
        category_line = f"category: {found.key}"
    else:
        category_line = f"category: {keys[0] if keys else ''}   # một trong: {', '.join(keys)}"
    draft = None
    if source is not None:
        from cchc.commands.word import WordError, convert, read_docx
        try:
            draft = convert(read_docx(source))
        except WordError as exc:
            print(Problem(str(source), None, ERROR, exc.message, exc.hint), file=sys.stderr)
            return 1
        title = draft.title
        if not title:
            print(Problem(str(source), None, ERROR, _("the document has no text to take a title from"),
                          _("write its title on the first line")), file=sys.stderr)
            return 1
    title = nfc(title or "").strip()
    slug = slugify(title)
    if not slug:
        return _fail(_('the title "{title}" has no letters or digits to make a file name from', title=title))
    head = (f"---\ntitle: {_quote(title)}\ndate: {when:%Y-%m-%d %H:%M}\n{category_line}\n"
            f"tags: []\nsummary: \"\"\nauthor: \"\"\ndraft: true   # đổi thành false (hoặc xóa dòng) để đăng\n---\n\n")
    path = site_dir / CONTENT_DIR / "articles" / f"{when:%Y}" / f"{slug}.md"
    if draft is None:
        return _write_new(site_dir, path, head + "Viết đoạn mở đầu ở đây: đoạn này là tóm tắt khi chưa có `summary`.\n\n"
                          "## Tiêu đề mục\n\nNội dung…\n")
    return _write_from_word(site_dir, path, head, draft, slug)


def _write_from_word(site_dir: Path, path: Path, head: str, draft, slug: str) -> int:
    from cchc.commands.console import print_problems
    body, notes = draft.markdown(f"{IMAGES}/{slug}", head.count("\n") + 1)
    folder = site_dir / CONTENT_DIR / IMAGES / slug
    for target in [path] + [folder / p.name for p in draft.pictures]:
        if target.exists():
            print(Problem(target.relative_to(site_dir).as_posix(), None, ERROR,
                          _("the file already exists; nothing was written"),
                          _("edit that file, or move it away and convert again")), file=sys.stderr)
            return 1
    for picture in draft.pictures:
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / picture.name, "xb") as f:
            f.write(picture.data)
    code = _write_new(site_dir, path, head + body)
    rel = path.relative_to(site_dir).as_posix()
    problems = Problems()
    for line, message, hint in notes:
        problems.warning(rel, line, message, hint)
    print_problems(problems)
    return code


def new_document(site_dir: Path, symbol: str, type_name: str | None = None, date: str | None = None) -> int:
    """Write content/documents/<slug>.md for a document number, named as its page will be.

    SYMBOL may be written as a citation ("Nghị định số 61/2018/NĐ-CP ngày 23/04/2018"): the
    type and the issue date are then taken from it. A number without a year needs the issue
    date, since the date is what identifies it (and names the file). A number already in the
    index is refused, naming the file that holds it, so one document never gets two files.
    """
    from cchc.core.legal import SymbolError, citation_or_error, document_slug, type_fits, type_of
    settings, problems = load_settings(site_dir)
    if settings is None:
        for p in problems.sorted():
            print(p, file=sys.stderr)
        return 1
    try:
        citation = citation_or_error(nfc(symbol).strip())
    except SymbolError as exc:
        return _fail(exc.message)
    parsed = citation.symbol
    known = {t.casefold(): t for t in settings.document_types}
    written = nfc(type_name).strip() if type_name else citation.type_name or type_of(parsed)
    if not written:
        return _fail(_("give the document type with --type (one of: {types})", types=settings.document_types))
    type_name = known.get(written.casefold())
    if type_name is None:
        return _fail(_('--type: "{type}" is not in document_types of site.yaml ({types})', type=written,
                       types=settings.document_types))
    if date:
        when = _day(settings, date)
        if when is None:
            return 1
        issued = when.date()
    else:
        issued = citation.date
    if parsed.year is None and issued is None:
        return _fail(_('"{number}" has no year, so its issue date identifies it: add --date YYYY-MM-DD '
                       '(the date under the number, "ngày … tháng … năm …")', number=parsed.text))
    if not type_fits(type_name, parsed):
        print(Problem("", None, WARNING, _('type "{type}" contradicts the number "{number}", which is a {implied}\'s; '
                                           "the file is written, check the type and the number", type=type_name,
                                           number=parsed.text, implied=type_of(parsed))), file=sys.stderr)
    slug = document_slug(parsed, issued or dt.date(parsed.year, 1, 1))
    folder = site_dir / CONTENT_DIR / "documents"
    holder = _holder_of(folder, parsed, issued)
    if holder is not None:
        return _fail(_("{number} is already in the index; nothing was written", number=parsed.text),
                     _("edit that file"), file=holder.relative_to(site_dir).as_posix())
    text = (f"---\nsymbol: {_quote(parsed.text)}\ntype: {type_name}\n"
            f"title: \"\"   # trích yếu: bắt buộc\nissuer: \"\"   # cơ quan ban hành: bắt buộc\n"
            f"issued: {issued.isoformat() if issued else ''}   # ngày ban hành, YYYY-MM-DD: bắt buộc\n"
            f"effective:   # ngày có hiệu lực (để trống nếu chưa rõ)\n"
            f"posted: {dt.datetime.now(settings.timezone):%Y-%m-%d}   # ngày đăng lên chuyên mục (thời hạn đăng)\n"
            f"signer: \"\"   # người ký\n"
            f"fields: []   # lĩnh vực, ví dụ: [Cải cách hành chính]\n"
            f"amends: []   # văn bản được sửa đổi, ví dụ: [\"Nghị định số 63/2010/NĐ-CP\"]\n"
            f"replaces: []\nguides: []\nbased_on: []\n"
            f"attachments: []   # tệp trong content/files/, ví dụ: [files/{slug}.pdf]\n"
            f"draft: true   # điền đủ title, issuer, issued rồi đổi thành false để đăng\n---\n")
    return _write_new(site_dir, folder / f"{slug}.md", text)


def _holder_of(folder: Path, symbol, issued: dt.date | None) -> Path | None:
    """The file that already holds this document number (same number; for a number without a
    year, also the same issue year), found by its `symbol:` line without loading the content."""
    import re
    from cchc.core.legal import SymbolError, parse_symbol
    line = re.compile(r"^symbol:\s*[\"']?([^\"'#\r\n]+)", re.MULTILINE)
    issued_line = re.compile(r"^issued:\s*[\"']?(\d{4})-|^issued:\s*[\"']?\d{1,2}/\d{1,2}/(\d{4})", re.MULTILINE)
    for path in sorted(folder.rglob("*.md")) if folder.is_dir() else []:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            continue
        m = line.search(text)
        if m is None:
            continue
        try:
            other = parse_symbol(nfc(m.group(1)).strip())
        except SymbolError:
            continue
        if other.key != symbol.key:
            continue
        if symbol.year is None and issued is not None:
            y = issued_line.search(text)
            if y and int(y.group(1) or y.group(2)) != issued.year:
                continue
        return path
    return None
