"""References in an authoring file to things described nowhere: a name a field points to that no loaded file
gives a type or a label (``post_in: org/nowhere``, a misspelt name), or a term its vocabulary does not define
(``sector: polise``). SHACL checks only what is described, so these are checked here (``build --check``).

>>> _kind_for("https://x.org/id/org/nowhere", "https://x.org/"), _kind_for("https://x.org/id/w/body/b", "https://x.org/")
('organisation', 'body')
"""

from __future__ import annotations

import difflib

import pyoxigraph as ox

from ..store import KnowledgeGraph
from .compiler import Compilation
from .errors import AuthoringProblem
from .kind_registry import KINDS
from .terms import LEGISLATION
from .vocabulary import unknown_term


def _described(kg: KnowledgeGraph) -> set[str]:
    return {r["s"].value for r in kg.query("SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isIRI(?s)) }")}


def unknown_references(files: list[Compilation], kg: KnowledgeGraph) -> tuple[list[AuthoringProblem], set[tuple]]:
    """Each name a field refers to that nothing in the loaded data describes, or a vocabulary term that does not
    exist; and the statements reported, (subject, predicate, object), so that SHACL's word on them is not repeated."""
    described, reported, problems = _described(kg), set(), []
    for compiled in files:
        own = kg.base_iri + "id/"
        for quad, origin in compiled.origins.items():
            field_ = KINDS[origin.kind].field(origin.key)
            target = quad.object
            if field_ is None or field_.value != "ref" or not isinstance(target, ox.NamedNode):
                continue
            iri = target.value
            unknown = unknown_term(iri)
            if unknown is not None:
                near = f"did you mean {unknown[1]}? " if unknown[1] else ""
                message = f"{origin.kind} {origin.name!r}, {origin.key}: {unknown[0]} is not a term of its vocabulary"
                fix = near + "see the field's description in docs/adding-a-partnership.md"
            elif (iri.startswith(own) or iri.startswith(LEGISLATION)) and iri not in described:
                written = compiled.ns.shorten(target, field_.target)
                message = (f"{origin.kind} {origin.name!r}, {origin.key}: {origin.written!r} is described nowhere "
                           "in the loaded data (nothing gives it a type or a label)")
                fix = (f"correct the name{_closest(iri, described)}, or describe it where the source introduces it: "
                       f"an entry '- {_kind_for(iri, kg.base_iri)}: {written}' with type and label; if another "
                       "file describes it, load that file too (--data FILE)")
            else:
                continue
            reported.add((quad.subject.value, quad.predicate.value, iri))
            problems.append(AuthoringProblem(compiled.file, compiled.lines.get(quad), message, fix))
    return problems, reported


def _closest(iri: str, described: set[str]) -> str:
    space = iri.rsplit("/", 1)[0] + "/"
    names = [d[len(space):] for d in described if d.startswith(space) and "/" not in d[len(space):]]
    near = difflib.get_close_matches(iri[len(space):], names, n=3)
    return f" (in the data: {', '.join(near)})" if near else ""


def _kind_for(iri: str, base: str) -> str:
    """The kind whose names live where the IRI is (``id/org/`` -> organisation)."""
    if iri.startswith(LEGISLATION):
        return "legislation"
    parts = iri[len(base) + 3:].split("/")
    shared = {"org": "organisation", "person": "person", "area": "area", "partnership": "partnership", "doc": "guidance"}
    local = {"post": "post", "body": "body", "seat": "seat", "doc": "document", "concept": "concept",
             "responsibility": "responsibility", "aim": "aim", "issue": "issue"}
    if len(parts) == 2 and parts[0] in shared:
        return shared[parts[0]]
    return local.get(parts[1], "KIND") if len(parts) == 3 else "KIND"
