"""Reading and writing files as editors' tools leave them: encodings, BOMs, line ends, and
atomic replacement (a reader never sees half a file, a crash never leaves one)."""
from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

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


def _guess_encoding(raw: bytes) -> Message:
    """Name the legacy encoding a Vietnamese file most likely uses, for the error message."""
    as_1258 = raw.decode("cp1258", errors="replace")
    if _WIN1258_HINTS.search(as_1258) or re.search("[ăâđêôơưĂÂĐÊÔƠƯ]", as_1258):
        return _("Windows-1258 (Vietnamese ANSI)")
    return _("Latin-1 / Windows-1252")



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
