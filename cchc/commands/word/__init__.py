"""A Word file -> an article: its title, a Markdown body, its pictures, and what to check.

The route: .doc and .odt become .docx through LibreOffice (when installed); numbering.py
writes Word's list numbers as text; mammoth turns the .docx into semantic HTML (headings,
paragraphs, bold and italic, lists, tables, links, footnotes, pictures with their
descriptions; deleted tracked changes left out, inserted ones kept; no styles at all);
markdown.py writes that HTML as Markdown. mammoth and markdownify are maintained libraries
that do this and nothing else; their cost (about a second for a report, most of it mammoth
parsing the style sheet) does not matter for a command run once per article.
"""
from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from cchc.commands.word.markdown import TITLE_CLASS, Notes, clean_text, html_to_markdown
from cchc.commands.word.numbering import with_labels
from cchc.core.messages import Message, _

DOCX = ".docx"
VIA_LIBREOFFICE = (".doc", ".odt", ".rtf")
SAVE_AS_DOCX = _("open it in Word and save it as .docx: File > Save As > Word Document (*.docx)")
# Pictures browsers show as they are, by the type Word records for them.
_WEB_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/gif": "gif", "image/webp": "webp"}
# Pictures Pillow turns into PNG; Windows metafiles (EMF/WMF: charts, clip art) it cannot read.
_CONVERTIBLE = {"image/bmp", "image/x-bmp", "image/tiff"}
# Word's own guesses ("A group of people … Description automatically generated"), in English
# or in Vietnamese Word, and a file name where older Word put it: not a description.
_AUTOMATIC = re.compile(r"(?i)description automatically generated|mô tả được tạo tự động")
_FILE_NAME = re.compile(r"(?i)^\S+\.(jpe?g|png|gif|bmp|tiff?|heic|webp)$|^(img|dsc|pxl)[_-]?\d")
PICTURE_SRC = "\ue003{n}\ue004"
_PICTURE = re.compile("\ue003(\\d+)\ue004")
# mammoth: Word's Title style marks the title; the rest of its default style map stays.
STYLE_MAP = f"p[style-name='Title'] => h1.{TITLE_CLASS}:fresh\np[style-name='Subtitle'] => p:fresh"


class WordError(Exception):
    """A file that cannot be converted: the message and how to fix it."""

    def __init__(self, message: Message, hint: Message | str = ""):
        super().__init__(str(message))
        self.message, self.hint = message, hint


@dataclass
class Picture:
    name: str                # "anh-1.jpg"
    data: bytes
    alt: str


@dataclass
class Draft:
    title: str
    body: str                                      # Markdown; pictures as PICTURE_SRC markers
    pictures: list[Picture] = field(default_factory=list)
    notes: Notes = field(default_factory=Notes)

    def markdown(self, folder: str, first_line: int) -> tuple[str, list[tuple[int, Message, Message]]]:
        """The body with pictures under `folder` ("images/<slug>"), and the notes with their
        lines, counted from first_line (the body's first line in the article file)."""
        body = _PICTURE.sub(lambda m: f"{folder}/{self.pictures[int(m.group(1))].name}", self.body)
        return self.notes.locate(body, first_line)


def libreoffice() -> str | None:
    """LibreOffice's command, on PATH or where its Windows installer puts it."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    for base in (os.environ.get("PROGRAMFILES"), os.environ.get("PROGRAMFILES(X86)")):
        exe = Path(base, "LibreOffice", "program", "soffice.exe") if base else None
        if exe and exe.is_file():
            return str(exe)
    return None


def read_docx(path: Path) -> bytes:
    """The .docx bytes of a Word file: as it is, or converted by LibreOffice (.doc, .odt)."""
    suffix = path.suffix.lower()
    if suffix not in (DOCX, *VIA_LIBREOFFICE):
        raise WordError(_('"{name}" is not a Word file', name=path.name), _("give a .docx file ({how})", how=SAVE_AS_DOCX))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise WordError(_("cannot read the file: {reason}", reason=exc.strerror or exc)) from None
    if suffix == DOCX:
        if not zipfile.is_zipfile(io.BytesIO(data)):
            raise WordError(_("is not a .docx file (an older .doc renamed, or a password-protected file?)"),
                            SAVE_AS_DOCX)
        return data
    exe = libreoffice()
    if exe is None:
        raise WordError(_("{kind} files are read through LibreOffice, which is not installed", kind=suffix), SAVE_AS_DOCX)
    with tempfile.TemporaryDirectory(prefix="cchc-word-") as tmp:
        source = Path(tmp, "in" + suffix)
        source.write_bytes(data)
        profile = Path(tmp, "profile").as_uri()   # its own profile: works beside an open LibreOffice
        try:
            subprocess.run([exe, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                            "--convert-to", "docx", "--outdir", tmp, str(source)],
                           capture_output=True, timeout=300, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise WordError(_("LibreOffice could not convert the file ({reason})", reason=exc), SAVE_AS_DOCX) from None
        out = Path(tmp, "in.docx")
        if not out.is_file():
            raise WordError(_("LibreOffice could not convert the file"), SAVE_AS_DOCX)
        return out.read_bytes()


def convert(docx: bytes) -> Draft:
    """A .docx -> Draft. Raises WordError for a file mammoth cannot read."""
    import mammoth
    pictures: list[Picture] = []
    by_digest: dict[str, int] = {}
    notes = Notes()

    def picture(image) -> dict:
        with image.open() as f:
            data = f.read()
        alt = " ".join(clean_text(image.alt_text or "").split())
        kind = (image.content_type or "").lower()
        n = len(by_digest) + 1
        if kind not in _WEB_TYPES and kind not in _CONVERTIBLE:
            return {"alt": notes.mark(_("picture {n} ({kind}) was left out: browsers cannot show it", n=n,
                                        kind=kind or "?"),
                                      _("save it as a JPEG or PNG picture and add it to content/images/")), "src": ""}
        digest = hashlib.sha256(data).hexdigest()
        at = by_digest.get(digest)
        if at is None:
            if kind in _CONVERTIBLE:
                data, kind = _as_png(data), "image/png"
            at = by_digest[digest] = len(pictures)
            pictures.append(Picture(f"anh-{n}.{_WEB_TYPES[kind]}", data, alt))
        # A problem's marker stands in for the description: the line of `![](…)` is reported.
        return {"src": PICTURE_SRC.format(n=at), "alt": _alt_problem(alt, at + 1, notes) or alt}

    try:
        result = mammoth.convert_to_html(io.BytesIO(with_labels(docx)), style_map=STYLE_MAP,
                                         convert_image=mammoth.images.img_element(picture))
    except Exception as exc:   # mammoth raises what its XML and zip readers raise on a damaged file
        raise WordError(_("the file cannot be read as a Word document ({reason})", reason=type(exc).__name__),
                        SAVE_AS_DOCX) from None
    title, body = html_to_markdown(result.value, notes)
    return Draft(title, body, pictures, notes)


def _as_png(data: bytes) -> bytes:
    from PIL import Image
    out = io.BytesIO()
    with Image.open(io.BytesIO(data)) as im:
        im.save(out, "PNG")
    return out.getvalue()


def _alt_problem(alt: str, n: int, notes: Notes) -> str:
    hint = _("in Word: right-click the picture, Edit Alt Text; or write it between the [ ] of this line")
    if not alt:
        return notes.mark(_("picture {n} has no description (alt text), and the build requires one", n=n), hint)
    if _AUTOMATIC.search(alt):
        return notes.mark(_('picture {n}\'s description was made up by Word ("{text}…"), it was left out',
                            n=n, text=alt[:60]), hint)
    if _FILE_NAME.search(alt):
        return notes.mark(_('picture {n}\'s description is a file name ("{text}"), it was left out', n=n, text=alt), hint)
    return ""
