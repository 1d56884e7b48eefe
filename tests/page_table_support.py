"""Tables of test cases kept as data: tab-separated files in tests/fixtures, read as tuples of text."""

from __future__ import annotations

from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def read_table(name: str) -> list[tuple[str, ...]]:
    """The rows of ``tests/fixtures/<name>``: one a line, cells split at tabs; blank lines and ``#`` lines left out.

    >>> read_table("accessibility-pages.tsv")[0]
    ('home', '/', 'main h1')
    """
    lines = (FIXTURES / name).read_text(encoding="utf-8").splitlines()
    return [tuple(line.split("\t")) for line in lines if line.strip() and not line.startswith("#")]
