"""Authoring errors: every problem names the YAML file, its line, what is wrong and the fix.

>>> str(AuthoringProblem("p.yaml", 3, "quote not found", "copy the words from the source"))
'p.yaml:3: quote not found (fix: copy the words from the source)'
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..data_errors import DataFileError


@dataclass(frozen=True)
class AuthoringProblem:
    """One problem in an authoring file."""

    file: str
    line: int | None
    message: str
    fix: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        fix = f" (fix: {self.fix})" if self.fix else ""
        return f"{where}: {self.message}{fix}"


class AuthoringError(DataFileError):
    """An authoring file that cannot be compiled: every problem found, each with file, line and fix."""

    def __init__(self, problems: list[AuthoringProblem]):
        self.problems = list(problems)
        first = self.problems[0]
        super().__init__(Path(first.file), "", first.line)
        self.message = "\n".join(str(p) for p in self.problems)
        self.args = (self.message,)

    def __str__(self) -> str:
        return self.message
