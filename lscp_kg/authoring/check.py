"""``lscp-kg build --check``: every problem ``lscp-kg validate`` would find in the files built, found before it,
in the YAML's own words (``order``, not ``lscp:stepOrder``), each with its file, line and fix.

The files are compiled; then the compiled quads are loaded beside the ontology, the shipped data and any
``--data``, and checked as ``validate`` checks them (the same SHACL shapes and provenance checks: one place,
lscp_kg.validation). Two checks are added that the shapes cannot make: a reference to something described
nowhere in the loaded data (``post_in: org/nowhere``), and a warning when a person of the files has the
name of another person (two people, or one person under two names).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ..store import KnowledgeGraph, graph_from_quads, parse_inputs
from ..data_errors import DataFileError
from ..rdf_files import input_files
from ..validation import validate_graph
from ..validation_locate import file_of
from .compiler import Compilation, compile_document
from .errors import AuthoringError, AuthoringProblem
from .people import namesakes
from .references import unknown_references
from .violation_words import in_yaml_terms
from .yamlload import load_yaml_file


@dataclass
class CheckResult:
    """The problems (errors) and warnings of the files checked, and what they compiled to."""

    problems: list[AuthoringProblem] = field(default_factory=list)
    warnings: list[AuthoringProblem] = field(default_factory=list)
    compiled: dict[str, Compilation] = field(default_factory=dict)
    elsewhere: int = 0  # problems validate finds in other loaded data only

    @property
    def quads(self) -> list[ox.Quad]:
        return [q for c in self.compiled.values() for q in c.quads]


def _key(path: Path) -> str:
    return str(Path(path).resolve())


def compile_files(files: list[Path], base_iri: str) -> CheckResult:
    """Compile each file; the problems of each (schema, quotes, names, turtle terms)."""
    result = CheckResult()
    for path in files:
        try:
            compiled = compile_document(load_yaml_file(path), path, base_iri)
        except AuthoringError as error:
            result.problems.extend(error.problems)
            continue
        result.problems.extend(compiled.problems)
        result.compiled[_key(path)] = compiled
    return result


def check_files(files: list[Path], base_iri: str, data: tuple[Path, ...] = ()) -> CheckResult:
    """Compile the files, then check them in the loaded data as ``validate`` does."""
    result = compile_files(files, base_iri)
    if result.problems:
        return result  # the graph checks need every file compiled
    try:
        kg = _graph_with(result, base_iri, data)
    except DataFileError as error:
        result.problems.append(AuthoringProblem(str(error.path), getattr(error, "line", None),
                                                f"the other data cannot be loaded: {error}",
                                                "fix that file first (lscp-kg validate names the problem)"))
        return result
    _graph_problems(result, kg)
    result.problems = list(dict.fromkeys(result.problems))  # one message for what two constraints found
    result.problems.sort(key=lambda p: (p.file, p.line or 0))
    result.warnings.sort(key=lambda p: (p.file, p.line or 0))
    return result


def _graph_with(result: CheckResult, base_iri: str, data: tuple[Path, ...]) -> KnowledgeGraph:
    """The ontology, the shipped data and --data, with the checked files as just compiled."""
    ontology, others = input_files(data)
    others = [p for p in others if _key(p) not in result.compiled]
    quads, graph_files = parse_inputs(ontology, others, base_iri)
    for compiled in result.compiled.values():
        quads.extend(compiled.quads)
        for quad in compiled.quads:
            graph_files.setdefault(quad.graph_name.value, Path(compiled.file))
    files = tuple(ontology) + tuple(others) + tuple(Path(c.file) for c in result.compiled.values())
    return graph_from_quads(quads, base_iri, files, graph_files)


def _graph_problems(result: CheckResult, kg: KnowledgeGraph) -> None:
    by_file = {_key(Path(c.file)): c for c in result.compiled.values()}
    unknown, said = unknown_references(list(result.compiled.values()), kg)
    result.problems.extend(unknown)
    report = validate_graph(kg, file_words=False)  # said in the words of the file below
    for violation in report.violations:
        files = [by_file.get(_key(Path(file_of(place)))) for place in violation.files]
        mine = [c for c in files if c is not None]
        if not mine:
            result.elsewhere += 1
        elif (violation.focus, violation.path, violation.value) not in said:
            result.problems.append(in_yaml_terms(violation, mine[0]))
    for problem in report.provenance:
        compiled = by_file.get(_key(Path(problem.file))) if problem.file else None
        if compiled is None:
            result.elsewhere += 1
        else:
            result.problems.append(AuthoringProblem(compiled.file, problem.line, problem.message, problem.fix or ""))
    result.warnings.extend(namesakes(list(result.compiled.values()), kg))
