"""Which questions the home page shows, read from each question's own ``#+ home:`` header.

A question that belongs on the home page says so in its ``.rq`` file::

    #+ home: {section: priorities, key: priority, columns: [priorityLabel, schemeLabel, start, end], ended: end}

``section`` names the part of each partnership's overview it fills; ``key`` is
the column that makes a row one entry (several columns: the first one a row
has, e.g. the chair's person, else the chair post); ``columns`` are the
others the page shows; ``ended``, if given, is a date column after which the
entry is shown as past. Adding a question to the home page is then a change to
its ``.rq`` file alone.

>>> home_section("q.rq", {"section": "chairs", "key": ["person", "chairPost"], "columns": ["status"]})
HomeSection(section='chairs', key=('person', 'chairPost'), columns=('status',), ended=None)
>>> home_section("q.rq", {"section": "chairs"})
Traceback (most recent call last):
ValueError: q.rq: '#+ home:' needs 'key' (the column that makes a row one entry), e.g. '#+ home: {section: partners, key: partner, columns: [partnerLabel]}'
"""

from __future__ import annotations

from dataclasses import dataclass

EXAMPLE = "'#+ home: {section: partners, key: partner, columns: [partnerLabel]}'"


@dataclass(frozen=True)
class HomeSection:
    """Where a question's answer goes on the home page, and which of its columns are shown."""

    section: str
    key: tuple[str, ...]
    columns: tuple[str, ...] = ()
    ended: str | None = None

    def entries(self, rows: list[dict]) -> list[dict]:
        """One entry per distinct key (the first row of each), with the key's column(s) and the shown columns.

        >>> HomeSection("chairs", ("person", "post"), ("status",)).entries(
        ...     [{"person": "p", "post": "c", "status": "x"}, {"person": None, "post": "c", "status": "y"},
        ...      {"person": "p", "post": "d", "status": "z"}])
        [{'person': 'p', 'post': 'c', 'status': 'x'}, {'person': None, 'post': 'c', 'status': 'y'}]
        """
        seen: dict = {}
        for row in rows:
            value = next((row[k] for k in self.key if row.get(k)), None)
            if value and value not in seen:
                seen[value] = {f: row.get(f) for f in (*self.key, *self.columns)}
        return list(seen.values())


def _names(path, field: str, value, required: bool) -> tuple[str, ...]:
    names = [value] if isinstance(value, str) else value if isinstance(value, list) else None
    if names is None or (required and not names) or not all(isinstance(n, str) and n for n in names):
        raise ValueError(f"{path}: '#+ home:' {field!r} must be a column name or a list of them, e.g. {EXAMPLE}")
    return tuple(names)


def home_section(path, spec) -> HomeSection | None:
    """The ``#+ home:`` header of the query file at ``path`` (None without one); ValueError saying the fix."""
    if spec is None:
        return None
    if not isinstance(spec, dict):
        raise ValueError(f"{path}: '#+ home:' must be a mapping, e.g. {EXAMPLE}")
    unknown = sorted(set(spec) - {"section", "key", "columns", "ended"})
    if unknown:
        raise ValueError(f"{path}: '#+ home:' has unknown field {unknown[0]!r}; it takes section, key, columns "
                         f"and ended, e.g. {EXAMPLE}")
    if not isinstance(spec.get("section"), str) or not spec["section"].isidentifier():
        raise ValueError(f"{path}: '#+ home:' needs 'section' (a name such as partners), e.g. {EXAMPLE}")
    if "key" not in spec:
        raise ValueError(f"{path}: '#+ home:' needs 'key' (the column that makes a row one entry), e.g. {EXAMPLE}")
    ended = spec.get("ended")
    if ended is not None and not (isinstance(ended, str) and ended):
        raise ValueError(f"{path}: '#+ home:' 'ended' must be the name of a date column, e.g. 'ended: end'")
    return HomeSection(spec["section"], _names(path, "key", spec["key"], True),
                       _names(path, "columns", spec.get("columns") or [], False), ended)
