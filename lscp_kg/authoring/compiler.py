"""Compile an authoring YAML file into quads: each passage becomes a named graph that describes
itself (the source's exact characters, its line span, its source document) and holds the facts
written under it.

>>> from lscp_kg.locations import SHIPPED_DATA_DIR
>>> quads = compile_file(SHIPPED_DATA_DIR / "lewisham" / "partnership.yaml")
>>> len(quads) > 1500
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ..namespaces import DEFAULT_BASE_IRI, PREFIXES
from .errors import AuthoringError, AuthoringProblem
from .kind_registry import KINDS, entry_kind
from .kinds import DCT, LSCP, RDF_TYPE, RDFS, compile_entry
from .quotes import SourceText, first_difference
from .schema import schema_problems
from .terms import Namespaces, TermError
from .vocabulary import unknown_term
from .yamlload import load_yaml_file

PROV_VALUE = PREFIXES["prov"] + "value"
#: The partnership whose dataset a source document, passage or citation graph belongs to: what its facts
#: say, they say for that partnership (see lscp:partnershipContext in ontology/lscp.ttl).
CONTEXT = LSCP + "partnershipContext"
XSD_INTEGER = ox.NamedNode(PREFIXES["xsd"] + "integer")
#: The keys of the file's ``source:`` and of a citation, and the properties they compile to.
SOURCE_KEYS = (("label", RDFS + "label"), ("title", DCT + "title"), ("text", LSCP + "textFile"),
               ("format", DCT + "format"), ("comment", RDFS + "comment"))
CITATION_KEYS = (("label", RDFS + "label"), ("source", DCT + "source"), ("citation", DCT + "bibliographicCitation"))


@dataclass
class Compilation:
    """What compiling one file gives: its quads in a stable order, and every problem found."""

    file: str
    quads: list[ox.Quad] = field(default_factory=list)
    problems: list[AuthoringProblem] = field(default_factory=list)
    #: The YAML line that writes each quad (for validation messages: lscp_kg.authoring.locate).
    lines: dict = field(default_factory=dict)
    #: The entry and field that write each quad of a fact (not of a turtle block): lscp_kg.authoring.violation_words.
    origins: dict = field(default_factory=dict)
    ns: Namespaces | None = None  # how the file's names resolve (its partnership, the base)
    at: int | None = None  # the line being compiled
    _seen: set = field(default_factory=set)

    def add(self, subject, predicate: str, obj, graph: ox.NamedNode) -> None:
        quad = ox.Quad(subject, ox.NamedNode(predicate), obj, graph)
        if quad not in self._seen:
            self._seen.add(quad)
            self.quads.append(quad)
            self.lines[quad] = self.at

    def problem(self, line, message: str, fix: str = "") -> None:
        self.problems.append(AuthoringProblem(self.file, line, message, fix))


def _integer(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=XSD_INTEGER)


@dataclass(frozen=True)
class Origin:
    """The YAML entry and field that write a statement: for messages in the file's own words."""

    kind: str
    name: str
    key: str
    entry_line: int
    written: str = ""  # the value as the file writes it


def _facts(out: Compilation, container, graph: ox.NamedNode, ns: Namespaces) -> None:
    facts = container.get("facts") or []
    for entry in facts:
        kind_name = entry_kind(entry)
        if kind_name is None:
            continue  # the schema check has reported it
        try:
            KINDS[kind_name].subject(entry[kind_name], ns)
        except TermError as error:
            out.problem(entry.line_of(kind_name), f"{kind_name}: {error}",
                        "rename it here and wherever it is referred to")
            continue
        for triple, key, index, message in compile_entry(entry, KINDS[kind_name], ns):
            value = entry[key]
            line = value.line_of(index) if index is not None and hasattr(value, "line_of") else entry.line_of(key)
            if message:
                out.problem(line, message, "see the field's description in docs/adding-a-partnership.md")
            else:
                out.at = line
                out.add(triple.subject, triple.predicate.value, triple.object, graph)
                quad = ox.Quad(triple.subject, triple.predicate, triple.object, graph)
                written = value[index] if index is not None else value
                out.origins.setdefault(quad, Origin(kind_name, str(entry[kind_name]), key, entry.line, str(written)))
    turtle = container.get("turtle")
    if turtle:
        _turtle(out, turtle, container.line_of("turtle"), graph, ns)


def turtle_header(base_iri: str) -> str:
    """The prefixes a ``turtle:`` block may use without declaring them."""
    return "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in PREFIXES.items()) + f"@base <{base_iri}> .\n"


def _turtle(out: Compilation, text: str, line: int, graph: ox.NamedNode, ns: Namespaces) -> None:
    header = turtle_header(ns.base)
    try:
        triples = list(ox.parse((header + text).encode("utf-8"), format=ox.RdfFormat.TURTLE, base_iri=ns.base))
    except SyntaxError as error:
        at = line + max(1, (error.lineno or 0) - header.count("\n"))
        out.problem(at, f"the turtle block is not valid Turtle: {error.msg}",
                    "write one statement per line, 'subject predicate object .', with <id/...> or prefix:name terms")
        return
    _unknown_terms(out, text, line, triples)
    out.at = line + 1
    for triple in triples:
        out.add(triple.subject, triple.predicate.value, triple.object, graph)


def _unknown_terms(out: Compilation, text: str, line: int, triples) -> None:
    """A term of a known vocabulary that the vocabulary does not define (a misspelt property, say)."""
    reported = set()
    rows = text.split("\n")
    for triple in triples:
        for term in (triple.subject, triple.predicate, triple.object):
            unknown = unknown_term(term.value) if isinstance(term, ox.NamedNode) else None
            if unknown is None or unknown[0] in reported:
                continue
            reported.add(unknown[0])
            written, near = unknown
            at = next((line + 1 + n for n, row in enumerate(rows) if written in row or f"<{term.value}>" in row), line)
            hint = f"did you mean {near}? " if near else ""
            out.problem(at, f"the turtle block uses {written}, which its vocabulary does not define",
                        hint + "use a term of the ontology (see /ontology) or of the vocabulary its prefix names; "
                        "a statement a kind can say is better written as a fact")


def _source(out: Compilation, doc, path: Path, ns: Namespaces, facts_ok: bool):
    source = doc["source"]
    try:
        node = ns.resolve(source["id"], "source")
    except TermError as error:
        out.problem(source.line_of("id"), f"source id: {error}", "use letters, digits and hyphens")
        node = ns.resolve("unnamed-source", "source")
    graph = node
    out.at = doc.line_of("source")
    out.add(node, RDF_TYPE, ox.NamedNode(LSCP + "SourceDocument"), graph)
    out.add(node, CONTEXT, ns.resolve(doc["partnership"], "partnership"), graph)
    for key, predicate in SOURCE_KEYS:
        if key in source:
            out.add(node, predicate, ox.Literal(str(source[key])), graph)
    if "url" in source:
        out.add(node, PREFIXES["foaf"] + "page", ox.NamedNode(source["url"]), graph)
    if facts_ok:
        _facts(out, source, graph, ns)
    text_path = path.parent / source["text"]
    try:
        return node, SourceText(text_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        out.problem(source.line_of("text"), f"cannot read the source text {text_path}: {error}",
                    "give the path of the text file relative to this YAML file (lscp-kg new NAME --source FILE writes it)")
        return node, None


def _match(out: Compilation, passage, line: int, text: SourceText, text_name: str):
    quote = passage["quote"]
    matches = text.find_all(quote)
    wanted = passage.get("line")
    if wanted is not None:
        matches = [m for m in matches if m.start_line <= wanted <= m.end_line]
    if len(matches) == 1:
        return matches[0]
    short = quote if len(quote) <= 70 else quote[:67] + "..."
    if not matches and wanted is not None and text.find_all(quote):
        places = ", ".join(f"line {m.start_line}" for m in text.find_all(quote))
        out.problem(line, f"the quote {short!r} is not on line {wanted} of {text_name}; it is at {places}",
                    "correct line: or remove it")
    elif not matches:
        start, end, near, ratio = text.nearest(quote)
        span = f"line {start}" if start == end else f"lines {start}-{end}"
        out.problem(line, f"the quote {short!r} is not in {text_name}; the nearest passage is {span} "
                          f"({ratio:.0%} alike): {near[:160]!r}; {first_difference(quote, near)}",
                    f"copy the words exactly from {span} of {text_name}; if the page was republished, "
                    "update the quote (and the facts it supports) to the new wording")
    else:
        places = "; ".join(f"lines {m.start_line}-{m.end_line}" if m.end_line > m.start_line
                           else f"line {m.start_line}" for m in matches)
        out.problem(line, f"the quote {short!r} occurs {len(matches)} times in {text_name}: {places}",
                    f"add 'line: {matches[0].start_line}' (or another of those lines) to the passage, or quote more words")
    return None


def _can_match(doc) -> bool:
    """Whether the quotes can be checked despite schema problems: a source with a text, passages with quotes."""
    source, passages = doc.get("source"), doc.get("passages")
    return (isinstance(doc.get("partnership"), str) and isinstance(source, dict) and isinstance(source.get("id"), str)
            and isinstance(source.get("text"), str) and isinstance(passages, list)
            and all(isinstance(p, dict) and isinstance(p.get("quote"), str) for p in passages))


def compile_document(doc, path: Path, base_iri: str = DEFAULT_BASE_IRI) -> Compilation:
    """Compile a loaded document; problems are collected, not raised."""
    out = Compilation(str(path))
    if not isinstance(doc, dict):
        out.problem(1, "the file is not a mapping of partnership, source and passages",
                    "start from the file lscp-kg new writes, or the example in docs/adding-a-partnership.md")
        return out
    out.problems.extend(schema_problems(doc, str(path)))
    # With schema problems, facts are not compiled, but every quote is still checked (all problems at once).
    if out.problems and not _can_match(doc):
        return out
    facts_ok = not out.problems
    out.ns = Namespaces(base_iri, doc["partnership"])
    source_node, text = _source(out, doc, path, out.ns, facts_ok)
    _passages(out, doc, source_node, text, facts_ok)
    if not facts_ok:
        out.problems.sort(key=lambda p: p.line or 0)
        return out
    for citation in doc.get("citations") or []:
        _citation(out, doc, citation)
    return out


def _passages(out: Compilation, doc, source_node: ox.NamedNode, text: SourceText | None, facts_ok: bool) -> None:
    """Each passage whose quote is found once, as a graph of its own (with its facts if ``facts_ok``)."""
    text_name = doc["source"]["text"]
    passages = doc.get("passages") or []
    graphs: dict[str, int] = {}
    for index, passage in enumerate(passages):
        match = _match(out, passage, passage.line_of("quote"), text, text_name) if text else None
        graph = _passage_graph(out, passage, passages.line_of(index), match.span, graphs) if match else None
        if graph is not None:
            _passage(out, doc, passage, graph, match, source_node, facts_ok)


def _passage_graph(out: Compilation, passage, line: int, span: str, graphs: dict[str, int]) -> ox.NamedNode | None:
    """The passage's graph, named by its id or its line span; None (and a problem) if that name is taken or bad."""
    name = str(passage.get("id") or span)
    if name in graphs:
        out.problem(line, f"two passages are named {name} (the other is at line {graphs[name]})",
                    f"give this one an id, e.g. 'id: {name}b'")
        return None
    graphs[name] = line
    try:
        return out.ns.resolve(name, "passage")
    except TermError as error:
        out.problem(passage.line_of("id"), f"passage id: {error}", "use letters, digits and hyphens: L15b")
        return None


def _passage(out: Compilation, doc, passage, graph: ox.NamedNode, match, source_node: ox.NamedNode,
             facts_ok: bool) -> None:
    """The passage graph's description of itself, then its facts."""
    out.at = passage.line_of("quote")
    out.add(graph, RDF_TYPE, ox.NamedNode(LSCP + "SourcePassage"), graph)
    out.add(graph, LSCP + "source", source_node, graph)
    out.add(graph, CONTEXT, out.ns.resolve(doc["partnership"], "partnership"), graph)
    out.add(graph, LSCP + "startLine", _integer(match.start_line), graph)
    out.add(graph, LSCP + "endLine", _integer(match.end_line), graph)
    out.add(graph, PROV_VALUE, ox.Literal(match.exact), graph)
    if facts_ok and "url" in passage:  # the page stating it (a source compiled from pages); the schema checked it
        out.add(graph, PREFIXES["foaf"] + "page", ox.NamedNode(passage["url"]), graph)
    if "not_modelled" in passage:  # the steward's reason for leaving these lines out (lscp-kg coverage)
        out.add(graph, LSCP + "notModelled", ox.Literal(str(passage["not_modelled"])), graph)
    if facts_ok:
        _facts(out, passage, graph, out.ns)


def _citation(out: Compilation, doc, citation) -> None:
    """A citation's graph: what it cites (a name, the rest literals), then its facts."""
    ns = out.ns
    graph = ns.resolve(citation["id"], "citation")
    out.at = citation.line
    out.add(graph, RDF_TYPE, ox.NamedNode(LSCP + "ExternalCitation"), graph)
    out.add(graph, CONTEXT, ns.resolve(doc["partnership"], "partnership"), graph)
    for key, predicate in CITATION_KEYS:
        if key in citation:  # the schema requires 'citation'
            value = ns.resolve(citation[key], "local") if key == "source" else ox.Literal(citation[key])
            out.add(graph, predicate, value, graph)
    _facts(out, citation, graph, ns)


def compile_file(path: Path | str, base_iri: str = DEFAULT_BASE_IRI) -> list[ox.Quad]:
    """The quads of one authoring file; raises AuthoringError listing every problem (file, line, fix)."""
    path = Path(path)
    result = compile_document(load_yaml_file(path), path, base_iri)
    if result.problems:
        raise AuthoringError(result.problems)
    return result.quads
