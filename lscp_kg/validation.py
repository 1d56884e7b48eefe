"""`lscp-kg validate`: SHACL conformance plus provenance checks.

>>> from lscp_kg.store import load_knowledge_graph
>>> report = validate_graph(load_knowledge_graph())
>>> report.ok
True
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox
import rdflib
from pyshacl import validate as shacl_validate

from .provenance import ProvenanceProblem, check_provenance
from .store import SHAPES_FILE, KnowledgeGraph

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")


@dataclass(frozen=True)
class ShapeViolation:
    """One SHACL result, with the data files that describe the node concerned."""

    focus: str
    path: str | None
    message: str
    files: tuple[str, ...] = ()

    def __str__(self) -> str:
        where = ", ".join(self.files) or "(no file)"
        on = f" {self.path}" if self.path else ""
        return f"{where}: {self.focus}{on}: {self.message}"


@dataclass
class ValidationReport:
    violations: list[ShapeViolation] = field(default_factory=list)
    provenance: list[ProvenanceProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.violations and not self.provenance

    def as_text(self) -> str:
        if self.ok:
            return "OK: the graph conforms to the shapes and every fact has verified provenance."
        lines = []
        if self.violations:
            lines.append(f"{len(self.violations)} SHACL violation(s):")
            lines += [f"  - {v}" for v in self.violations]
        if self.provenance:
            lines.append(f"{len(self.provenance)} provenance problem(s):")
            lines += [f"  - {p}" for p in self.provenance]
        return "\n".join(lines)


def union_as_rdflib(kg: KnowledgeGraph) -> rdflib.Graph:
    """The union of all graphs as one rdflib graph (SHACL sees no named graphs)."""
    triples = kg.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    graph = rdflib.Graph()
    graph.parse(data=data, format="nt")
    return graph


def _files_describing(kg: KnowledgeGraph, node: str) -> tuple[str, ...]:
    if not node.startswith(("http://", "https://")):
        return ()
    owners = kg.graph_files
    rows = kg.query("SELECT DISTINCT ?node ?g WHERE { GRAPH ?g { ?node ?p ?o } }",
                    substitutions={ox.Variable("node"): ox.NamedNode(node)}, use_default_graph_as_union=False)
    return tuple(sorted({str(owners[r["g"].value]) for r in rows if r["g"].value in owners}))


def validate_graph(kg: KnowledgeGraph) -> ValidationReport:
    """Run the SHACL shapes and the provenance checks over the loaded graph."""
    data = union_as_rdflib(kg)
    shapes = rdflib.Graph().parse(SHAPES_FILE, format="turtle")
    _conforms, results, _text = shacl_validate(data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=False)
    violations = []
    for result in results.subjects(rdflib.RDF.type, SH.ValidationResult):
        focus = str(results.value(result, SH.focusNode))
        path = results.value(result, SH.resultPath)
        message = results.value(result, SH.resultMessage) or results.value(result, SH.sourceConstraintComponent)
        violations.append(ShapeViolation(focus, str(path) if path else None, str(message), _files_describing(kg, focus)))
    violations.sort(key=lambda v: (v.files, v.focus, v.path or ""))
    return ValidationReport(violations=violations, provenance=check_provenance(kg))
