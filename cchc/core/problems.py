"""Problems an editor must fix, as values: every stage returns them, the command prints them.

One line each, compiler style, so editors and their tools (VS Code, Notepad++) can jump to it,
with the severity word in the editor's language (cchc/core/messages.py):
    content/articles/x.md:3: lỗi: date: ngày "31/02/2021" không có thật; ghi theo dạng YYYY-MM-DD
    content/articles/x.md:3: error: date: "31/02/2021" is not a real date (use YYYY-MM-DD)
"""
from __future__ import annotations

from dataclasses import dataclass, field

from cchc.core.messages import Message, _, one_line

ERROR = "error"
WARNING = "warning"
SEVERITY = {ERROR: _("error"), WARNING: _("warning")}


@dataclass(frozen=True)
class Problem:
    file: str               # path relative to the site folder, with forward slashes ("": the command line)
    line: int | None        # 1-based; None when the problem is about the whole file
    severity: str           # ERROR or WARNING
    message: Message        # what is wrong (a str only from code not yet moved to messages.py)
    hint: Message | str = ""   # how to fix it, in a few words

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}: " if self.line else f"{self.file}: " if self.file else ""
        text = f"{where}{SEVERITY.get(self.severity, self.severity)}: {self.message}"
        if self.hint:
            text = str(_("{problem} ({hint})", problem=text, hint=self.hint))
        return one_line(text)


@dataclass
class Problems:
    """An ordered collection of problems, shared by the stages of one build."""

    items: list[Problem] = field(default_factory=list)

    def error(self, file: str, line: int | None, message: Message, hint: Message | str = "") -> None:
        self.items.append(Problem(file, line, ERROR, message, hint))

    def warning(self, file: str, line: int | None, message: Message, hint: Message | str = "") -> None:
        self.items.append(Problem(file, line, WARNING, message, hint))

    def extend(self, other: "Problems | list[Problem]") -> None:
        self.items.extend(other.items if isinstance(other, Problems) else other)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == WARNING]

    def sorted(self) -> list[Problem]:
        """Unique problems, by file then line, so the output reads like a compiler's."""
        return sorted(set(self.items), key=lambda p: (p.file, p.line or 0, p.severity, str(p.message)))

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self):
        return iter(self.items)
