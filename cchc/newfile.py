"""`new article` and `new document`: a ready-to-edit file, never overwriting an existing one."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from .config import load_settings
from .content import CONTENT_DIR
from .vietnamese import DateError, nfc, parse_date, slugify


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 1


def _day(settings, date: str | None) -> dt.datetime | None:
    if not date:
        return dt.datetime.now(settings.timezone)
    try:
        return parse_date(date, settings.timezone)
    except DateError as exc:
        return None if _fail(f"error: --date: {exc} (use YYYY-MM-DD)") else None


def _write_new(site_dir: Path, path: Path, text: str) -> int:
    rel = path.relative_to(site_dir).as_posix()
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8", newline="\n") as f:   # "x": never overwrite
            f.write(text)
    except FileExistsError:
        return _fail(f"{rel}: error: the file already exists; nothing was written "
                     "(choose another title, or edit that file)")
    print(rel)
    return 0


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def new_article(site_dir: Path, title: str, category: str | None = None, date: str | None = None) -> int:
    settings, problems = load_settings(site_dir)
    if settings is None:
        for p in problems.sorted():
            print(p, file=sys.stderr)
        return 1
    title = nfc(title).strip()
    slug = slugify(title)
    if not slug:
        return _fail(f'error: the title "{title}" has no letters or digits to make a file name from')
    when = _day(settings, date)
    if when is None:
        return 1
    keys = [c.key for c in settings.categories]
    if category:
        found = settings.category(category)
        if found is None:
            return _fail(f'error: --category: unknown category "{category}" (use one of: {", ".join(keys)})')
        category_line = f"category: {found.key}"
    else:
        category_line = f"category: {keys[0] if keys else ''}   # một trong: {', '.join(keys)}"
    text = (f"---\ntitle: {_quote(title)}\ndate: {when:%Y-%m-%d %H:%M}\n{category_line}\n"
            f"tags: []\nsummary: \"\"\nauthor: \"\"\ndraft: true   # đổi thành false (hoặc xóa dòng) để đăng\n---\n\n"
            f"Viết đoạn mở đầu ở đây: đoạn này là tóm tắt khi chưa có `summary`.\n\n"
            f"## Tiêu đề mục\n\nNội dung…\n")
    path = site_dir / CONTENT_DIR / "articles" / f"{when:%Y}" / f"{slug}.md"
    return _write_new(site_dir, path, text)


def new_document(site_dir: Path, symbol: str, type_name: str | None = None, date: str | None = None) -> int:
    from .legal import SymbolError, document_slug, parse_symbol, type_of
    settings, problems = load_settings(site_dir)
    if settings is None:
        for p in problems.sorted():
            print(p, file=sys.stderr)
        return 1
    try:
        parsed = parse_symbol(nfc(symbol).strip())
    except SymbolError as exc:
        return _fail(f'error: "{symbol}": {exc}')
    type_name = nfc(type_name).strip() if type_name else type_of(parsed)
    if not type_name:
        return _fail(f'error: give the document type with --type (one of: {", ".join(settings.document_types)})')
    if type_name not in settings.document_types:
        return _fail(f'error: --type: "{type_name}" is not in document_types of site.yaml '
                     f'({", ".join(settings.document_types)})')
    when = _day(settings, date)
    if when is None:
        return 1
    slug = document_slug(parsed, when.date())
    issued = when.strftime("%Y-%m-%d") if date else ""
    text = (f"---\nsymbol: {_quote(parsed.text)}\ntype: {type_name}\ntitle: \"\"   # trích yếu\n"
            f"issuer: \"\"   # cơ quan ban hành\nissued: {issued}   # ngày ban hành, YYYY-MM-DD\n"
            f"effective:   # ngày có hiệu lực (để trống nếu chưa rõ)\nsigner: \"\"\nfields: []\n"
            f"amends: []\nreplaces: []\nguides: []\nbased_on: []\nattachments: []   # ví dụ: files/ten-tep.pdf\n---\n")
    path = site_dir / CONTENT_DIR / "documents" / f"{slug}.md"
    return _write_new(site_dir, path, text)
