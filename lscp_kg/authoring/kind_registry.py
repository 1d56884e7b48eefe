"""The kinds of entry, from the group modules (``kinds_*.py``), in the order the schema and the guide list them.

>>> list(KINDS)[:3]
['partnership', 'organisation', 'person']
>>> entry_kind({"seat": "s1", "body": "b"})
'seat'
"""

from __future__ import annotations

from . import kinds_agents, kinds_bodies, kinds_documents, kinds_posts, kinds_work
from .kinds import Kind


def _collect() -> dict[str, Kind]:
    kinds: dict[str, Kind] = {}
    for module in (kinds_agents, kinds_posts, kinds_bodies, kinds_work, kinds_documents):
        for kind in module.KINDS:
            kind.group = module.GROUP
            kinds[kind.name] = kind
    return kinds


KINDS: dict[str, Kind] = _collect()


def entry_kind(entry: dict) -> str | None:
    """The kind an entry names: its first key (``- seat: ...`` then the seat's fields)."""
    first = next(iter(entry), None) if isinstance(entry, dict) else None
    return first if first in KINDS else None
