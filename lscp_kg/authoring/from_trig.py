"""Convert a partnership's TriG files into the authoring YAML (re-runnable).

Every quad of a passage graph becomes a fact of a kind where a kind's field can
say it exactly, and a line of the passage's ``turtle:`` block otherwise; the
result is compiled back and compared with the input before it is written, so a
conversion never loses or adds a statement (quotes and line spans excepted: the
compiled file records the source's exact characters and the span they occupy).

    python -m lscp_kg.authoring.from_trig graph_data/lewisham --partnership lewisham \\
        --out graph_data/lewisham/partnership.yaml
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox

from ..namespaces import DEFAULT_BASE_IRI, PREFIXES, curie
from ..store import parse_file
from ..locations import SHIPPED_DATA_DIR
from ..rdf_files import data_files, ontology_files
from .compiler import CITATION_KEYS, PROV_VALUE, SOURCE_KEYS, compile_document
from .kind_registry import KINDS
from .kinds import LSCP, RDF_TYPE
from .quotes import SourceText
from .schema import SCHEMA_FILE
from .terms import Namespaces
from .yamlload import load_yaml_text
from .yamlwrite import dump_yaml

PASSAGE, CITATION, SOURCE = LSCP + "SourcePassage", LSCP + "ExternalCitation", LSCP + "SourceDocument"
SELF = {RDF_TYPE, LSCP + "source", LSCP + "startLine", LSCP + "endLine", PROV_VALUE}
CONTEXT, NOT_MODELLED, PAGE = LSCP + "partnershipContext", LSCP + "notModelled", PREFIXES["foaf"] + "page"


def _term(node, base: str) -> str:
    """The node as a turtle block writes it: a literal, a prefixed name, or an IRI relative to the base."""
    if isinstance(node, ox.Literal):
        return str(node)
    iri = node.value
    if curie(iri) != iri:
        return curie(iri)
    return f"<{iri[len(base):]}>" if iri.startswith(base) else f"<{iri}>"


class Converter:
    def __init__(self, quads: list[ox.Quad], types: dict[str, set[str]], partnership: str, base: str):
        self.quads, self.types, self.base = quads, types, base
        self.ns = Namespaces(base, partnership)
        self.partnership = partnership
        self.class_kind = {iri: kind for kind in KINDS.values() for iri in kind.classes.values()}

    def kind_of(self, subject) -> object | None:
        kinds = {self.class_kind[t] for t in self.types.get(subject.value, ()) if t in self.class_kind}
        if len(kinds) != 1:
            return None
        kind = kinds.pop()
        name = self.ns.shorten(subject, kind.namespace)
        return kind if "://" not in name and kind.subject(name, self.ns) == subject else None

    def facts(self, quads: list[ox.Quad]) -> tuple[list[dict], str]:
        entries: dict[str, dict] = {}
        residual: list[str] = []
        for quad in quads:
            kind = self.kind_of(quad.subject) if isinstance(quad.subject, ox.NamedNode) else None
            written = self._field(kind, quad) if kind else None
            if written is None:
                residual.append(f"{_term(quad.subject, self.base)} {_term(quad.predicate, self.base)} "
                                f"{_term(quad.object, self.base)} .")
                continue
            entry = entries.setdefault(quad.subject.value,
                                       {kind.name: self.ns.shorten(quad.subject, kind.namespace)})
            entry.setdefault(written[0], []).append(written[1])
        result = []
        for entry in entries.values():
            kind = KINDS[next(iter(entry))]
            ordered = {kind.name: entry[kind.name]}
            for field in kind.fields:
                if field.key in entry:
                    values = entry[field.key]
                    ordered[field.key] = values[0] if len(values) == 1 else values
            result.append(ordered)
        return result, "\n".join(residual) + ("\n" if residual else "")

    def _field(self, kind, quad):
        for field in kind.fields:
            if quad.predicate.value not in (field.predicate, field.interval):
                continue
            written = field.written(quad.object, self.ns)
            if written is None:
                continue
            try:
                back = field.objects(written, self.ns)
            except ValueError:
                continue
            if back == [(quad.predicate.value, quad.object)]:
                return field.key, written
        return None

    def block(self, quads: list[ox.Quad], into: dict) -> dict:
        facts, turtle = self.facts(quads)
        if facts:
            into["facts"] = facts
        if turtle:
            into["turtle"] = turtle
        return into

    def own_and_rest(self, graph: str, quads: list[ox.Quad]) -> tuple[list[ox.Quad], list[ox.Quad]]:
        """The graph's statements about itself (less the context the compiler states), and the others."""
        context = self.ns.resolve(self.partnership, "partnership")
        # The compiler states every graph's context from the file's partnership: not written in the YAML.
        own = [q for q in quads if q.subject.value == graph
               and not (q.predicate.value == CONTEXT and q.object == context)]
        return own, [q for q in quads if q.subject.value != graph]

    def section(self, graph: str, namespace: str, own: list[ox.Quad], rest: list[ox.Quad],
                keys: tuple[tuple[str, str], ...], required: tuple[str, ...] = ()) -> dict:
        """The source or a citation: its id, the keys of ``keys`` it has, and a block of everything else."""
        values = {q.predicate.value: q.object for q in own}
        entry = {"id": self.ns.shorten(ox.NamedNode(graph), namespace)}
        for key, predicate in keys:
            if predicate in values or key in required:
                entry[key] = values[predicate].value
        said = {RDF_TYPE} | {predicate for _, predicate in keys}
        return self.block([q for q in own if q.predicate.value not in said] + rest, entry)

    def passage(self, graph: str, own: list[ox.Quad], rest: list[ox.Quad], text: SourceText) -> dict:
        """A passage: its quote (with ``line`` where the quote occurs more than once), id, url and reason."""
        values = {q.predicate.value: q.object for q in own}
        quote = re.sub(r"\s+", " ", values[PROV_VALUE].value).strip()
        passage: dict = {"quote": quote}
        match = _one_match(graph, text, quote, int(values[LSCP + "startLine"].value), passage)
        name = self.ns.shorten(ox.NamedNode(graph), "passage")
        if name != match.span:
            passage["id"] = name
        if NOT_MODELLED in values:
            passage["not_modelled"] = values[NOT_MODELLED].value
        pages = [q.object for q in own if q.predicate.value == PAGE]
        if len(pages) == 1 and isinstance(pages[0], ox.NamedNode):  # the passage's page address: url:
            passage["url"] = pages[0].value
        said = SELF | {NOT_MODELLED} | ({PAGE} if "url" in passage else set())
        return self.block([q for q in own if q.predicate.value not in said] + rest, passage)


def _one_match(graph: str, text: SourceText, quote: str, start: int, passage: dict):
    """The one place the quote occurs; where it occurs more than once, the passage says its ``line``."""
    matches = text.find_all(quote)
    if len(matches) > 1:
        passage["line"] = start
        matches = [m for m in matches if m.start_line <= start <= m.end_line]
    if len(matches) != 1:
        raise ValueError(f"{graph}: the quote is found {len(matches)} times in the source")
    return matches[0]


def _types(quads: list[ox.Quad]) -> dict[str, set[str]]:
    types: dict[str, set[str]] = defaultdict(set)
    for quad in quads:
        if quad.predicate.value == RDF_TYPE:
            types[quad.subject.value].add(quad.object.value)
    return types


def _by_graph(quads: list[ox.Quad]) -> dict[str, list[ox.Quad]]:
    by_graph: dict[str, list[ox.Quad]] = defaultdict(list)
    for quad in quads:
        by_graph[quad.graph_name.value].append(quad)
    return by_graph


def _document(converter: Converter, quads: list[ox.Quad], yaml_path: Path) -> dict:
    """The partnership's document: its source, then its passages and citations, graph by graph."""
    doc: dict = {"partnership": converter.partnership}
    passages, citations, text = [], [], None
    for graph, graph_quads in _by_graph(quads).items():
        kinds = converter.types.get(graph, set())
        own, rest = converter.own_and_rest(graph, graph_quads)
        if SOURCE in kinds:
            doc["source"] = converter.section(graph, "source", own, rest, SOURCE_KEYS)
            text = SourceText((yaml_path.parent / doc["source"]["text"]).read_text(encoding="utf-8"))
        elif PASSAGE in kinds:
            passages.append(converter.passage(graph, own, rest, text))
        elif CITATION in kinds:
            citations.append(converter.section(graph, "citation", own, rest, CITATION_KEYS, required=("citation",)))
        else:
            raise ValueError(f"{graph}: a named graph that is not a passage, citation or source document")
    doc["passages"] = passages
    if citations:
        doc["citations"] = citations
    return doc


def _yaml_text(doc: dict, partnership: str, yaml_path: Path) -> str:
    """The document as YAML, under the lines that name its schema and say how to build it."""
    schema = Path(os.path.relpath(SCHEMA_FILE, yaml_path.parent)).as_posix()
    return (f"# yaml-language-server: $schema={schema}\n"
            f"# The {partnership} partnership's arrangements: each fact under the source words that state it.\n"
            "# Compile and check: lscp-kg build " + yaml_path.name + "  (see docs/adding-a-partnership.md)\n"
            + dump_yaml(doc))


def convert(trig_paths: list[Path], partnership: str, yaml_path: Path, base: str = DEFAULT_BASE_IRI) -> str:
    """The YAML text for the partnership's TriG files (checked by compiling it back)."""
    quads = [q for p in trig_paths for q in parse_file(p, base)]
    context = [q for p in ontology_files() + data_files([SHIPPED_DATA_DIR / "common"]) for q in parse_file(p, base)]
    converter = Converter(quads, _types(quads + context), partnership, base)
    text = _yaml_text(_document(converter, quads, yaml_path), partnership, yaml_path)
    _check(text, yaml_path, quads, base)
    return text


def _check(text: str, yaml_path: Path, quads: list[ox.Quad], base: str) -> None:
    result = compile_document(load_yaml_text(text, str(yaml_path)), yaml_path, base)
    if result.problems:
        raise ValueError("the converted file does not compile:\n" + "\n".join(map(str, result.problems)))
    ignore = {PROV_VALUE, LSCP + "startLine", LSCP + "endLine"}
    before = {q for q in quads if q.predicate.value not in ignore}
    after = {q for q in result.quads if q.predicate.value not in ignore}
    # TriG written before lscp:partnershipContext gains it from the compiler: stated, not changed.
    after -= {q for q in after - before if q.predicate.value == CONTEXT and q.subject == q.graph_name}
    if before != after:
        lost, added = sorted(map(str, before - after))[:10], sorted(map(str, after - before))[:10]
        raise ValueError(f"conversion changes the graph: lost {lost}, added {added}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="the partnership's folder of .trig files")
    parser.add_argument("--partnership", required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    trig = sorted(args.folder.glob("*.trig"))
    args.out.write_text(convert(trig, args.partnership, args.out), encoding="utf-8")
    print(f"wrote {args.out} from {len(trig)} TriG files", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
