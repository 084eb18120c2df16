"""Problems an editor must fix, as values: every stage returns them, the command prints them.

One line each, compiler style, so editors and their tools (VS Code, Notepad++) can jump to it:
    content/articles/x.md:3: error: date: "31/02/2021" is not a real date (use YYYY-MM-DD)
"""
from __future__ import annotations

from dataclasses import dataclass, field

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    file: str               # path relative to the site folder, with forward slashes
    line: int | None        # 1-based; None when the problem is about the whole file
    severity: str           # ERROR or WARNING
    message: str
    hint: str = ""          # how to fix it, in a few words

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        text = f"{where}: {self.severity}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


@dataclass
class Problems:
    """An ordered collection of problems, shared by the stages of one build."""

    items: list[Problem] = field(default_factory=list)

    def error(self, file: str, line: int | None, message: str, hint: str = "") -> None:
        self.items.append(Problem(file, line, ERROR, message, hint))

    def warning(self, file: str, line: int | None, message: str, hint: str = "") -> None:
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
        return sorted(set(self.items), key=lambda p: (p.file, p.line or 0, p.severity, p.message))

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self):
        return iter(self.items)
