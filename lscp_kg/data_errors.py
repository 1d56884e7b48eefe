"""The error a data file raises: it names the file and the line.

Below the loader and the authoring compiler, which both raise it.

>>> str(DataFileError("graph_data/x.trig", "unexpected end of file", line=3, column=7))
'graph_data/x.trig:3:7: unexpected end of file'
"""

from __future__ import annotations

from pathlib import Path


class DataFileError(Exception):
    """A data file that cannot be read or parsed: names the file and line."""

    def __init__(self, path: Path | str, message: str, line: int | None = None, column: int | None = None):
        self.path, self.line, self.column, self.message = Path(path), line, column, message
        where = f"{self.path}:{line}" if line else str(self.path)
        if line and column:
            where += f":{column}"
        super().__init__(f"{where}: {message}")
