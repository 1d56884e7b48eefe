"""``lscp-kg build --check``: every problem ``lscp-kg validate`` would find in the files built, found before it,
in the YAML's own words (``order``, not ``lscp:stepOrder``), each with its file, line and fix.

The files are compiled; then the compiled quads are loaded beside the ontology, the shipped data and any
``--data``, and checked as ``validate`` checks them (the same SHACL shapes and provenance checks: one place,
lscp_kg.validation). Two checks are added that the shapes cannot make: a reference to something described
nowhere in the loaded data (``post_in: org/nowhere``), and a warning when a person of the files has the
name of another person (two people, or one person under two names).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ..namespaces import PREFIXES
from ..store import DataFileError, KnowledgeGraph, graph_from_quads, input_files, parse_inputs
from ..validation_locate import shown
from .compiler import Compilation, Origin, compile_document
from .errors import AuthoringError, AuthoringProblem
from .kinds import RDF_TYPE, RDFS
from .people import namesakes
from .references import unknown_references
from .kind_registry import KINDS
from .yamlload import load_yaml_file

#: Where the titles of Acts come from (an Act not there needs its own type and label).
COMMON_DATA = "graph_data/common/"


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
    from ..validation import validate_graph

    by_file = {_key(Path(c.file)): c for c in result.compiled.values()}
    unknown, said = unknown_references(list(result.compiled.values()), kg)
    result.problems.extend(unknown)
    report = validate_graph(kg, file_words=False)  # said in the words of the file below
    for violation in report.violations:
        files = [by_file.get(_key(Path(re.sub(r":\d+$", "", place)))) for place in violation.files]
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


def _entry(compiled: Compilation, focus: str) -> Origin | None:
    """The entry that introduces the node (gives its type or label), else the first that describes it."""
    found = [o for q, o in compiled.origins.items() if q.subject.value == focus]
    found.sort(key=lambda o: (o.key not in ("type", "label"), o.entry_line))
    return found[0] if found else None


def _field_key(kind_name: str, path: str | None) -> str | None:
    kind = KINDS.get(kind_name)
    if kind is None or path is None:
        return None
    return next((f.key for f in kind.fields if path in (f.predicate, f.interval)), None)


def _line(compiled: Compilation, violation) -> int | None:
    for quad, line in compiled.lines.items():
        if (quad.subject.value == violation.focus and (violation.path is None or quad.predicate.value == violation.path)
                and (violation.value is None or quad.object.value == violation.value)):
            return line
    return min((n for q, n in compiled.lines.items() if q.subject.value == violation.focus and n), default=None)


def in_yaml_terms(violation, compiled: Compilation) -> AuthoringProblem:
    """A SHACL violation of a compiled file, said with the file's kinds, names and field keys."""
    origin = _entry(compiled, violation.focus)
    section = _section(compiled, violation)
    if section is not None:
        return section
    if origin is None:  # a node written only in a turtle block: its own terms are the file's words
        return AuthoringProblem(compiled.file, _line(compiled, violation), violation.message, violation.fix or "")
    kind = KINDS[origin.kind]
    key = _field_key(origin.kind, violation.path) or (shown(violation.path) if violation.path else "it")
    thing = f"{origin.kind} {origin.name!r}"
    if violation.component == "MinCountConstraintComponent":
        if origin.kind == "legislation" and key in ("type", "label"):
            return AuthoringProblem(
                compiled.file, origin.entry_line,
                f"{thing} is not among the Acts of {COMMON_DATA} (which give their titles), so it needs its own "
                "type and label",
                "give it 'type: legislation' and 'label:' its short title (e.g. Care Act 2014); "
                f"name_used alone is enough only for an Act that {COMMON_DATA} lists")
        field_ = kind.field(key)
        if key == "type":
            fix = f"add 'type:', one of: {', '.join(kind.classes)}"
        elif key == "label":
            fix = "add 'label:', the name pages show for it (once, where the source introduces it)"
        else:
            fix = f"add '{key}:'" + (f": {field_.doc}" if field_ and field_.doc else "")
        given = sum(1 for q in compiled.quads if q.subject.value == violation.focus and violation.path
                    and q.predicate.value == violation.path)
        if given:  # some are written, but fewer than the model needs ("A or B" offers two or more values)
            return AuthoringProblem(compiled.file, origin.entry_line,
                                    f"{thing} has too few '{key}' values ({given} given)",
                                    violation.fix or fix)
        return AuthoringProblem(compiled.file, origin.entry_line, f"{thing} has no '{key}'", fix)
    words = _yaml_words(kind)
    if violation.value and compiled.ns is not None and "://" in violation.value:
        field_ = kind.field(key)
        written = compiled.ns.shorten(ox.NamedNode(violation.value), field_.target if field_ else "local")
        words[shown(violation.value)] = repr(written)
    message, fix = violation.message, violation.fix or ""
    focus = shown(violation.focus)
    if focus in message:  # the message starts with the node ("'Label' <IRI> has ..."): the entry says which
        message = message[message.index(focus) + len(focus):].strip()
    message, fix = _in_words(message, words), _in_words(fix, words)
    if violation.path is None:  # a rule of the whole entry (a seat needs a member or a post): its words say what
        return AuthoringProblem(compiled.file, origin.entry_line, f"{thing}: {fix or message}",
                                f"see the fields of '{origin.kind}' in docs/adding-a-partnership.md")
    return AuthoringProblem(compiled.file, _line(compiled, violation) or origin.entry_line, f"{thing} {message}", fix)


_TERM = re.compile(r"<[^>\s]+>|(?<![\w:/])[a-z]+:[A-Za-z][\w-]*")


def _yaml_words(kind) -> dict[str, str]:
    """The file's words for RDF terms: the kind's properties as its field keys, classes as type names."""
    words = {shown(t): f"'{name}'" for other in KINDS.values() for name, t in other.classes.items()}
    words.update({shown(f.predicate): f"'{f.key}'" for f in kind.fields})
    words.update({shown(f.interval): f"'{f.key}'" for f in kind.fields if f.interval})
    return words


def _in_words(text: str, words: dict[str, str]) -> str:
    return _TERM.sub(lambda m: words.get(m.group(0), m.group(0)), text)


#: The keys of the file's own sections (source, citations) for the properties the compiler gives them.
SECTION_KEYS = {RDFS + "label": "label", PREFIXES["dcterms"] + "title": "title", PREFIXES["lscp"] + "textFile": "text",
                PREFIXES["dcterms"] + "bibliographicCitation": "citation"}
SECTIONS = {PREFIXES["lscp"] + "SourceDocument": "source", PREFIXES["lscp"] + "ExternalCitation": "citation"}


def _section(compiled: Compilation, violation) -> AuthoringProblem | None:
    """A missing key of the file's source or a citation (which are sections of the file, not facts)."""
    kinds = {q.object.value for q in compiled.quads if q.subject.value == violation.focus and q.predicate.value == RDF_TYPE}
    section = next((SECTIONS[k] for k in kinds if k in SECTIONS), None)
    key = SECTION_KEYS.get(violation.path or "")
    if section is None or key is None or violation.component != "MinCountConstraintComponent":
        return None
    name = violation.focus.rstrip("/").rsplit("/", 1)[-1]
    where = "under 'source:'" if section == "source" else f"to the citation {name!r}"
    what = {"label": "the name pages show for it", "text": "the path of its text file"}.get(key, "")
    return AuthoringProblem(compiled.file, _line(compiled, violation), f"{section} {name!r} has no '{key}'",
                            f"add '{key}:' {where}" + (f" ({what})" if what else ""))
