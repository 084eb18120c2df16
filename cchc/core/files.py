"""Reading and writing files as editors' tools leave them: encodings, BOMs, line ends, and
atomic replacement (a reader never sees half a file, a crash never leaves one)."""
from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path, PurePosixPath

from cchc.core.messages import Message, _

_WIN1258_HINTS = re.compile("[\u0300\u0301\u0303\u0309\u0323]")


def decode_text(raw: bytes) -> tuple[str | None, Message | str]:
    """Bytes an editor saved -> NFC text with \\n line ends, or (None, why it cannot be read)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, _("the file is saved as UTF-16, not UTF-8")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if b"\x00" in raw:
        if max(raw[0::2].count(0), raw[1::2].count(0)) > len(raw) // 4:   # every other byte: ASCII text in UTF-16
            return None, _("the file is saved as UTF-16, not UTF-8")
        return None, _("the file contains NUL bytes (is it a Word or binary file?)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, _("line {line} is not UTF-8; the file looks like {encoding}", line=line,
                       encoding=_guess_encoding(raw))
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    return unicodedata.normalize("NFC", text), ""


# Characters that have no place in text: C0 and C1 controls but tab and line feed (Word's table-cell
# mark U+0007, a pasted \x01, NUL from a YAML "\0") and the noncharacters (U+FFFE, U+FDD0…). XML
# forbids most of them, so one in a title made feed.xml not well-formed; HTML calls each a parse
# error. They are left out where they are read, each reported once a file (text_controls).
# Candidates: the controls and BMP noncharacters, and every character beyond the BMP, of which only
# U+nFFFE and U+nFFFF are kept by _is_control. (A class listing the 32 astral noncharacters one by
# one made the scan of clean text 15 times slower: 1.3 s instead of 0.09 s for a 17 MB body.)
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff\U00010000-\U0010ffff]")


def _is_control(c: str) -> bool:
    return c < "\U00010000" or ord(c) & 0xFFFE == 0xFFFE


def text_controls(text: str) -> tuple[str, list[tuple[str, int]]]:
    """(text without control characters, [(U+XXXX, offset of its first occurrence)], one per character)."""
    m = _CONTROLS.search(text)
    if m is None:
        return text, []
    first: dict[str, int] = {}
    for m in _CONTROLS.finditer(text, m.start()):
        if _is_control(m.group()):
            first.setdefault(m.group(), m.start())
    if not first:
        return text, []
    return text.translate(dict.fromkeys(map(ord, first))), [(f"U+{ord(c):04X}", at) for c, at in first.items()]


CONTROL_LEFT_OUT = _("delete it from the file; it comes from a copy from Word or a program")


def _guess_encoding(raw: bytes) -> Message:
    """Name the legacy encoding a Vietnamese file most likely uses, for the error message."""
    as_1258 = raw.decode("cp1258", errors="replace")
    if _WIN1258_HINTS.search(as_1258) or re.search("[ăâđêôơưĂÂĐÊÔƠƯ]", as_1258):
        return _("Windows-1258 (Vietnamese ANSI)")
    return _("Latin-1 / Windows-1252")


# Names no Windows folder can hold (Microsoft, "Naming Files, Paths, and Namespaces"): the
# characters \ / : * ? " < > |, control characters, a trailing dot or space (dropped by Windows,
# so "a. " is "a"), device names whatever the extension. Also line separators and the
# bidirectional controls, which make a name read as another ("hoa-don\u202efdp.exe").
_NOT_IN_NAMES = re.compile('[\\\\/:*?"<>|\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]')
WINDOWS_DEVICES = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10))}


def portable_name(name: str) -> bool:
    """Whether one path component can be a file or folder name on the editors' Windows and on
    the portal's server alike (and shown in a terminal as it is)."""
    return (bool(name) and name not in (".", "..") and not name.endswith((".", " "))
            and not _NOT_IN_NAMES.search(name) and name.split(".")[0].rstrip(" ").upper() not in WINDOWS_DEVICES)


def portable_path(path: str) -> bool:
    """A relative '/'-separated path that stays inside its folder, each part a portable_name: what a
    path read back from disk or a server (a manifest, the output record) must be before it is used."""
    return bool(path) and all(portable_name(part) for part in path.split("/"))


def temp_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def atomic_write(path: Path, data: bytes) -> None:
    """Write one file under a temporary name, then rename it over the old one."""
    tmp = temp_name(path)
    try:
        try:
            f = open(tmp, "wb")
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
            f = open(tmp, "wb")
        with f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


# What content/files/ and content/images/ may hold: the portal serves them from its own address,
# where an .html or .svg file runs its script as the portal (cookies, forms) and a .php file may run
# on the server. Documents, archives, pictures, sound and video are read by a program or a media
# player, never run by the browser. SVG is refused, not cleaned: an SVG sanitiser must know SVG,
# CSS and XML (scripts, event handlers, <foreignObject> HTML, external references, entities), a
# large surface to get right for pictures that PNG shows as well.
PUBLISHED_TYPES = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods", ".odp", ".rtf",
                   ".txt", ".csv", ".zip", ".rar", ".7z", ".jpg", ".jpeg", ".png", ".gif", ".webp", ".mp3", ".mp4")


def unpublishable(output: str) -> tuple[Message, Message] | None:
    """(message, hint) when a file of content/files/ or content/images/ (output: its path in output/)
    must not go to the portal: a name Windows or the server cannot hold, or a type outside PUBLISHED_TYPES."""
    bad = next((part for part in output.split("/") if not portable_name(part)), None)
    if bad is not None:
        return (_('the name "{name}" cannot be published: Windows or the portal\'s server cannot hold it', name=bad),
                _("rename it with letters, digits, spaces, '-' and '_', without a dot or a space at the end"))
    suffix = PurePosixPath(output).suffix.lower()
    if suffix in PUBLISHED_TYPES:
        return None
    return (_("files of type {type} are not published: served from the portal's own address, they could run in "
              "a reader's browser or on the server", type=suffix or _("(none)")),
            _("save the picture as PNG or JPEG") if suffix == ".svg" else
            _("attach PDF, Office or OpenDocument files, ZIP/RAR archives or JPEG/PNG/GIF/WebP pictures; "
              "print a web page to PDF"))
