"""`lscp-kg validate`: SHACL conformance plus provenance checks.

Every problem names the file and line where the thing concerned is written, the
offending value, what is wrong and how to fix it (the shape's ``sh:message`` is
the fix; the problem itself is worded from the SHACL constraint, never pyshacl's
raw text).

>>> from lscp_kg.store import load_knowledge_graph
>>> report = validate_graph(load_knowledge_graph())
>>> report.ok
True
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import rdflib
from pyshacl import validate as shacl_validate

from .authoring.locate import compilation
from .authoring.violation_words import in_yaml_terms
from .provenance import ProvenanceProblem, check_provenance
from .store import KnowledgeGraph
from .locations import SHAPES_FILE
from .rdf_files import data_files, RDF_FORMATS
from .validation_locate import file_of, line_of, line_of_text, shown

SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")

#: What each SHACL constraint found wrong ({path}, {value}, {expected}), and a fix when the shape gives none.
PROBLEMS = {
    "MinCountConstraintComponent": ("has no {path}", "add {path} to it"),
    "MaxCountConstraintComponent": ("has more than one {path}: {values}", "keep one {path}"),
    "ClassConstraintComponent": ("has {path} {value}, which is not a {expected}{types}",
                                 "give {path} a {expected}, or declare {value} as one (a {expected})"),
    "DatatypeConstraintComponent": ("has {path} {value}, which is not of datatype {expected}",
                                    "write the value as a {expected} literal"),
    "NodeKindConstraintComponent": ("has {path} {value} of the wrong kind", "use a literal or an IRI as the shape says"),
    "MinInclusiveConstraintComponent": ("has {path} {value}, below {expected}", "use a value of at least {expected}"),
    "PatternConstraintComponent": ("has {path} {value}, which does not match {expected}", "correct the value"),
}


@dataclass(frozen=True)
class ShapeViolation:
    """One SHACL result: where (file:line), what (focus, path, value), what is wrong and the fix."""

    focus: str
    path: str | None
    message: str
    files: tuple[str, ...] = ()
    value: str | None = None
    fix: str | None = None
    #: The SHACL constraint component (MinCountConstraintComponent, ...), for messages in other words.
    component: str = ""

    def __str__(self) -> str:
        where = ", ".join(self.files) or "(no file: the node is not described in any data file)"
        fix = f" Fix: {self.fix}" if self.fix else ""
        return f"{where}: {self.message}.{fix}"


@dataclass
class ValidationReport:
    violations: list[ShapeViolation] = field(default_factory=list)
    provenance: list[ProvenanceProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.violations and not self.provenance

    def problems(self) -> list[str]:
        """Every problem as one line of text."""
        return [str(v) for v in self.violations] + [str(p) for p in self.provenance]

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


def _graphs_stating(kg: KnowledgeGraph, node: str, path: str | None = None) -> list[tuple[str, str | None]]:
    """(graph, object) of the statements about the node (with this path, if given)."""
    if not node.startswith(("http://", "https://")):
        return []
    subs = {ox.Variable("node"): ox.NamedNode(node)}
    if path:
        subs[ox.Variable("p")] = ox.NamedNode(path)
    rows = kg.query("SELECT DISTINCT ?node ?g ?p ?o WHERE { GRAPH ?g { ?node ?p ?o } }", substitutions=subs,
                    use_default_graph_as_union=False)
    return [(r["g"].value, r["o"].value) for r in rows]


def _where(kg: KnowledgeGraph, node: str, path: str | None, value: str | None) -> tuple[str, ...]:
    """file:line of each file that states the node's offending statement (or describes the node)."""
    hint = value.rsplit("/", 1)[-1].rsplit("#", 1)[-1] if value else None
    places = []
    for file in _files_stating(kg, node, path, value):
        line = line_of(Path(file), node, kg.base_iri, after=hint)
        places.append(f"{file}:{line}" if line else str(file))
    return tuple(places)


def _files_stating(kg: KnowledgeGraph, node: str, path: str | None, value: str | None) -> list:
    """The files of the graphs that state the offending statement, else of those that describe the node, else
    the data files that write the node outside any named graph."""
    owners = kg.graph_files
    stated = [g for g, o in _graphs_stating(kg, node, path) if value is None or o == value] if path else []
    graphs = stated or [g for g, _ in _graphs_stating(kg, node)]
    files = sorted({owners[g] for g in graphs if g in owners})
    if not files:  # written outside any named graph: look in the data files themselves
        files = [f for f in data_files(kg.files) if f.suffix in RDF_FORMATS and line_of(Path(f), node, kg.base_iri)]
    return files


def _labels(data: rdflib.Graph, iri: str) -> list[str]:
    return sorted(str(label) for label in data.objects(rdflib.URIRef(iri), rdflib.RDFS.label))


def _show_node(data: rdflib.Graph, term) -> str:
    if isinstance(term, rdflib.Literal):
        return repr(str(term))
    labels = _labels(data, str(term))
    return f"{labels[0]!r} {shown(str(term))}" if labels else shown(str(term))


def _iri(term) -> str | None:
    return str(term) if isinstance(term, rdflib.URIRef) else None


def _expected(shapes: rdflib.Graph, shape):
    """The shape's sh:class, sh:datatype, sh:minInclusive or sh:pattern: what the value should have been."""
    if shape is None:
        return None
    return next((shapes.value(shape, p) for p in (SH["class"], SH.datatype, SH.minInclusive, SH.pattern)
                 if shapes.value(shape, p) is not None), None)


def _values_text(data: rdflib.Graph, focus, path) -> str:
    """Every value the node has for the path, as a message lists them."""
    if not isinstance(path, rdflib.URIRef):
        return ""
    return ", ".join(repr(str(o)) if isinstance(o, rdflib.Literal) else shown(str(o))
                     for o in sorted(data.objects(focus, path)))


def _types_text(data: rdflib.Graph, value) -> str:
    types = sorted(shown(str(t)) for t in data.objects(value, rdflib.RDF.type)) if isinstance(value, rdflib.URIRef) else []
    return f" (it is a {', '.join(types)})" if types else " (it is not declared in the data)"


def _wording(data: rdflib.Graph, focus, path, value, expected) -> dict[str, str]:
    """The fields PROBLEMS' messages and fixes are formatted with."""
    return {"path": shown(str(path)) if isinstance(path, rdflib.URIRef) else "the value",
            "value": _show_node(data, value) if value is not None else "",
            "values": _values_text(data, focus, path),
            "expected": shown(str(expected)) if isinstance(expected, rdflib.URIRef) else str(expected or ""),
            "types": _types_text(data, value)}


def _labels_problem(kg: KnowledgeGraph, focus: str, path: str) -> tuple[str, tuple[str, ...]]:
    """More than one label: which labels, and where each is given."""
    places: dict[str, str] = {}
    for graph, label in _graphs_stating(kg, focus, path):
        file = kg.graph_files.get(graph)
        line = line_of_text(Path(file), label) if file else None
        places.setdefault(label, f"{file}:{line}" if file and line else str(file or "(no file)"))
    problem = f"has {len(places)} labels: " + "; ".join(f"{label!r} ({where})" for label, where in sorted(places.items()))
    return problem, tuple(sorted(set(places.values())))


def _violation(kg: KnowledgeGraph, data: rdflib.Graph, shapes: rdflib.Graph, results: rdflib.Graph, result) -> ShapeViolation:
    focus, path = results.value(result, SH.focusNode), results.value(result, SH.resultPath)
    value, shape = results.value(result, SH.value), results.value(result, SH.sourceShape)
    component = str(results.value(result, SH.sourceConstraintComponent) or "").rsplit("#", 1)[-1]
    custom = shapes.value(shape, SH.message) if shape is not None else None
    fields = _wording(data, focus, path, value, _expected(shapes, shape))
    problem, fix = PROBLEMS.get(component, ("does not conform to the shape", str(custom or "")))
    if component == "MaxCountConstraintComponent" and path == rdflib.RDFS.label:
        problem, files = _labels_problem(kg, str(focus), str(path))
    else:
        files = _where(kg, str(focus), _iri(path), _iri(value))
    message = f"{_show_node(data, focus)} " + problem.format(**fields)
    return ShapeViolation(str(focus), str(path) if path else None, message, files,
                          str(value) if value is not None else None, (str(custom) if custom else fix).format(**fields),
                          component)


def _in_file_words(kg: KnowledgeGraph, violation: ShapeViolation) -> ShapeViolation:
    """A violation written in authoring YAML files only, said in the file's words (its kinds, names and field
    keys) as ``lscp-kg build --check`` says it: one wording for one problem."""
    files = [file_of(place) for place in violation.files]
    if not files or not all(f.endswith((".yaml", ".yml")) for f in files):
        return violation
    compiled = compilation(Path(files[0]), kg.base_iri)
    if compiled is None:
        return violation
    problem = in_yaml_terms(violation, compiled)
    where = tuple(dict.fromkeys([f"{problem.file}:{problem.line}" if problem.line else problem.file,
                                 *violation.files[1:]]))
    return dataclasses.replace(violation, message=problem.message, fix=problem.fix, files=where)


def validate_graph(kg: KnowledgeGraph, file_words: bool = True) -> ValidationReport:
    """Run the SHACL shapes and the provenance checks over the loaded graph; with ``file_words``, a problem
    of authoring YAML files is said in their words (lscp_kg.authoring.violation_words)."""
    data = union_as_rdflib(kg)
    shapes = rdflib.Graph().parse(SHAPES_FILE, format="turtle")
    _conforms, results, _text = shacl_validate(data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=False)
    violations = [_violation(kg, data, shapes, results, r) for r in results.subjects(rdflib.RDF.type, SH.ValidationResult)]
    if file_words:
        violations = [_in_file_words(kg, v) for v in violations]
    violations = sorted(set(violations), key=lambda v: (v.files, v.focus, v.path or "", v.value or ""))
    return ValidationReport(violations=violations, provenance=check_provenance(kg))
