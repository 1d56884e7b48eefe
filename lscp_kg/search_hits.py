"""What a search answers: each entity found (:class:`Hit`), with the name to show for it.

An entity whose name another loaded entity also has is shown with the short
names of its partnerships beside it ("Operational team (Lewisham)"), so that
namesakes are told apart wherever names are listed: search results, pickers,
the explorer's chooser.
"""

from __future__ import annotations

from dataclasses import dataclass

@dataclass(frozen=True)
class Hit:
    """One entity found: its IRI, name, kind, partnerships (IRI, label, short name) and the name that matched;
    ``namesake``: another entity has the same name."""

    iri: str
    label: str
    kind: str
    kind_iri: str | None
    partnerships: tuple[tuple[str, str, str], ...]
    matched: str
    classes: frozenset[str]
    match: str  # "exact", "prefix", "words" or "close"
    namesake: bool = False

    @property
    def display(self) -> str:
        """The name to show: with its partnerships' short names beside it when the name is not unique."""
        return display_name(self.label, [short for _iri, _label, short in self.partnerships] if self.namesake else [])

    def to_json(self) -> dict:
        return {"iri": self.iri, "label": self.label, "display": self.display, "namesake": self.namesake,
                "kind": self.kind, "kindIri": self.kind_iri, "matched": self.matched, "match": self.match,
                "partnerships": [{"iri": iri, "label": label, "shortLabel": short}
                                 for iri, label, short in self.partnerships]}


def display_name(label: str, partnerships: list[str]) -> str:
    """A name with the short names of its partnerships beside it (none: the name alone).

    >>> display_name("Operational team", ["Lewisham"]), display_name("Metropolitan Police", ["Lewisham", "Testshire"])
    ('Operational team (Lewisham)', 'Metropolitan Police (Lewisham; Testshire)')
    >>> display_name("MACE", [])
    'MACE'
    """
    return f"{label} ({'; '.join(partnerships)})" if partnerships else label


@dataclass(frozen=True)
class SearchResult:
    hits: list[Hit]
    closest: bool = False  # no name holds every word: these hits hold some of them
