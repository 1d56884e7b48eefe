"""Provenance checks: every fact sits in the named graph of a source passage
or an external citation, and every quoted passage occurs verbatim in its
source text at the lines it claims.

A passage's quote is the source's exact characters (the authoring compiler,
lscp_kg.authoring, records them so: non-breaking spaces, bullets and indents
kept). The check accepts it when, with runs of white space folded to one space,
it is a substring of the text of its line span, so hand-written TriG (line
breaks inside a quote written as ``\\n``) is checked the same way.

>>> from lscp_kg.store import load_knowledge_graph
>>> check_provenance(load_knowledge_graph())
[]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .namespaces import LSCP, ONTOLOGY_IRI, PREFIXES
from .store import KnowledgeGraph
from .rdf_files import data_files
from .validation_locate import default_graph_statements, line_of, shown

_SPACE = re.compile(r"\s+")
#: Kinds of named graph allowed to hold facts: each graph describes itself.
PROVENANCE_CLASSES = ("SourcePassage", "ExternalCitation", "SourceDocument")


@dataclass(frozen=True)
class ProvenanceProblem:
    """One failed provenance check: the graph concerned, where it is written (file and line, if
    known), what is wrong and how to fix it."""

    graph: str
    message: str
    file: str | None = None
    line: int | None = None
    fix: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}: " if self.file and self.line else f"{self.file}: " if self.file else ""
        fix = f" Fix: {self.fix}" if self.fix else ""
        return f"{where}{shown(self.graph) if '://' in self.graph else self.graph}: {self.message}.{fix}"


def text_lines(text: str) -> list[str]:
    """The lines of a text file as its editor numbers them (a final newline ends the last line).

    >>> len(text_lines("a\\nb\\n")), len(text_lines("a\\nb"))
    (2, 2)
    """
    lines = text.split("\n")
    return lines[:-1] if lines and lines[-1] == "" else lines


def fold_space(text: str) -> str:
    """Fold runs of white space to single spaces.

    >>> fold_space("a\\n\\n  b ")
    'a b'
    """
    return _SPACE.sub(" ", text).strip()


def source_texts(kg: KnowledgeGraph, owners: dict[str, Path]) -> tuple[dict[str, list[str]], list[ProvenanceProblem]]:
    """Read the text file of every lscp:SourceDocument, as a list of lines."""
    texts: dict[str, list[str]] = {}
    problems: list[ProvenanceProblem] = []
    rows = kg.query(f"SELECT ?doc ?file WHERE {{ ?doc a <{LSCP}SourceDocument> . OPTIONAL {{ ?doc <{LSCP}textFile> ?file }} }}")
    for row in rows:
        doc = row["doc"].value
        owner = owners.get(doc)
        line = line_of(owner, doc, kg.base_iri) if owner else None
        if row["file"] is None:
            problems.append(ProvenanceProblem(doc, "source document has no lscp:textFile", str(owner) if owner else None,
                                              line, 'give it lscp:textFile "sources/NAME.txt", the text copy its passages quote'))
            continue
        candidates = [owner.parent / row["file"].value] if owner else []
        candidates += [p.parent / row["file"].value for p in kg.files]
        text_path = next((c for c in candidates if c.is_file()), None)
        if text_path is None:
            tried = ", ".join(str(c) for c in candidates[:1]) or row["file"].value
            problems.append(ProvenanceProblem(doc, f"text file {row['file'].value!r} not found (looked for {tried})",
                                              str(owner) if owner else None, line,
                                              "put the source text there, or correct lscp:textFile (a path relative to this data file)"))
            continue
        texts[doc] = text_lines(text_path.read_text(encoding="utf-8"))
    return texts, problems


def check_provenance(kg: KnowledgeGraph) -> list[ProvenanceProblem]:
    """Every check described in the module docstring; an empty list means all pass."""
    texts, text_problems = source_texts(kg, kg.graph_files)
    return (statements_outside_graphs(kg) + graphs_not_described(kg) + citations_without_reference(kg)
            + text_problems + passages_not_verbatim(kg, texts, {p.graph for p in text_problems})
            + people_merged_without_reason(kg))


def _graph_problem(kg: KnowledgeGraph, graph: str, message: str, fix: str | None = None) -> ProvenanceProblem:
    """A problem of a named graph, with the file and line that write it."""
    owner = kg.graph_files.get(graph)
    line = line_of(owner, graph, kg.base_iri) if owner else None
    return ProvenanceProblem(graph, message, str(owner) if owner else None, line, fix)


def statements_outside_graphs(kg: KnowledgeGraph) -> list[ProvenanceProblem]:
    """Check 1: no fact outside a named graph (the ontology has its own graph); the first 20 found."""
    loose = [(r["s"], r["p"], r["o"]) for r in kg.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 20",
                                                         use_default_graph_as_union=False)]
    found = default_graph_statements(data_files(kg.files), kg.base_iri, loose) if loose else {}
    problems = []
    for statement in loose:
        file, line = found.get(statement, (None, None))
        text = " ".join(shown(t.value) if isinstance(t, ox.NamedNode) else str(t) for t in statement)
        problems.append(ProvenanceProblem("default graph", f"statement outside any passage or citation graph: {text}",
                                          str(file) if file else None, line,
                                          "move it into the named graph of the source passage that states it "
                                          "(or of the lscp:ExternalCitation it comes from)"))
    return problems


def graphs_not_described(kg: KnowledgeGraph) -> list[ProvenanceProblem]:
    """Check 2: every named graph describes itself as a passage, citation or source document."""
    kinds = " ".join(f"<{LSCP}{c}>" for c in PROVENANCE_CLASSES)
    query = f"""SELECT ?g (COUNT(?kind) AS ?n) WHERE {{
        GRAPH ?g {{ ?any ?p ?o }}
        OPTIONAL {{ GRAPH ?g {{ ?g a ?kind VALUES ?kind {{ {kinds} }} }} }}
    }} GROUP BY ?g"""
    return [_graph_problem(kg, row["g"].value, "named graph does not describe itself as lscp:SourcePassage, "
                           "lscp:ExternalCitation or lscp:SourceDocument",
                           "state in the graph what it is: '<graph> a lscp:SourcePassage' with its quote and lines, or "
                           "'<graph> a lscp:ExternalCitation' with a dcterms:bibliographicCitation")
            for row in kg.query(query, use_default_graph_as_union=False)
            if row["g"].value != ONTOLOGY_IRI and int(row["n"].value) == 0]


def citations_without_reference(kg: KnowledgeGraph) -> list[ProvenanceProblem]:
    """Check 3: citations name what they cite."""
    rows = kg.query(f"""SELECT ?g WHERE {{ GRAPH ?g {{ ?g a <{LSCP}ExternalCitation> .
            FILTER NOT EXISTS {{ ?g <{PREFIXES['dcterms']}bibliographicCitation> ?c }} }} }}""")
    return [_graph_problem(kg, row["g"].value, "external citation has no dcterms:bibliographicCitation",
                           'give it dcterms:bibliographicCitation "the Act, section, or document it cites"')
            for row in rows]


_PASSAGE_PARTS = (("lscp:source", "src"), ("prov:value", "quote"), ("lscp:startLine", "start"), ("lscp:endLine", "end"))


def passages_not_verbatim(kg: KnowledgeGraph, texts: dict[str, list[str]],
                          reported: set[str]) -> list[ProvenanceProblem]:
    """Check 4: each passage's quote is verbatim within its line span of its source text (``reported``: the
    source documents whose text is already reported missing)."""
    passages = kg.query(f"""SELECT ?g ?src ?quote ?start ?end WHERE {{ GRAPH ?g {{ ?g a <{LSCP}SourcePassage> .
        OPTIONAL {{ ?g <{LSCP}source> ?src }} OPTIONAL {{ ?g <{PREFIXES['prov']}value> ?quote }}
        OPTIONAL {{ ?g <{LSCP}startLine> ?start }} OPTIONAL {{ ?g <{LSCP}endLine> ?end }} }} }}""")
    problems = []
    for row in passages:
        found = _passage_problem(row, texts, reported)
        if found:
            problems.append(_graph_problem(kg, row["g"].value, *found))
    return problems


def _passage_problem(row, texts: dict[str, list[str]], reported: set[str]) -> tuple[str, str] | None:
    """What is wrong with one passage, and its fix; None if nothing (or only its source's missing text)."""
    missing = [name for name, column in _PASSAGE_PARTS if row[column] is None]
    if missing:
        return f"passage has no {', '.join(missing)}", "give the passage its source, its quote and its line span"
    lines = texts.get(row["src"].value)
    if lines is None:
        if row["src"].value in reported:
            return None
        return (f"source {shown(row['src'].value)} is not a known lscp:SourceDocument",
                "describe the source document (a lscp:SourceDocument with lscp:textFile) or correct lscp:source")
    start, end = int(row["start"].value), int(row["end"].value)
    if not 1 <= start <= end <= len(lines):
        return (f"line span {start}-{end} is outside the source text, which has {len(lines)} lines",
                f"give lines between 1 and {len(lines)}, the first not after the last")
    quote = fold_space(row["quote"].value)
    if not quote or quote not in fold_space("\n".join(lines[start - 1 : end])):
        return (f"quote not found verbatim in lines {start}-{end} of the source: {row['quote'].value[:80]!r}",
                "copy the quote exactly from those lines of the source text, or correct the line span")
    return None


def _short(partnership: str) -> str:
    """A partnership as its file names it: id/partnership/eastmoor -> eastmoor."""
    return partnership.rstrip("/").rsplit("/", 1)[-1]


#: Why a person named by one partnership's file is the same person as another's (stated in the passage graph).
REUSE_REASON = LSCP + "reuseReason"


def people_merged_without_reason(kg: KnowledgeGraph) -> list[ProvenanceProblem]:
    """A person (id/person/NAME is shared) named in the graphs of several partnerships is one person only on
    purpose: every partnership but one states why (``reused_because:``, lscp:reuseReason), else two people
    who share a name would be merged on the name alone."""
    rows = kg.query(f"""SELECT ?person ?partnership (SAMPLE(?g) AS ?graph) (SAMPLE(?label) AS ?name)
        (SAMPLE(?reason) AS ?why) WHERE {{
            ?person a <{PREFIXES['foaf']}Person> .
            GRAPH ?g {{ {{ ?person ?p ?o }} UNION {{ ?s ?q ?person }} }}
            ?g <{LSCP}partnershipContext> ?partnership .
            OPTIONAL {{ ?person <{PREFIXES['rdfs']}label> ?label }}
            OPTIONAL {{ GRAPH ?r {{ ?person <{REUSE_REASON}> ?reason }} ?r <{LSCP}partnershipContext> ?partnership }}
        }} GROUP BY ?person ?partnership ORDER BY ?person ?partnership""")
    by_person: dict[str, list] = {}
    for row in rows:
        by_person.setdefault(row["person"].value, []).append(row)
    problems = []
    for person, named_by in by_person.items():
        silent = [row for row in named_by if row["why"] is None]
        if len(named_by) < 2 or len(silent) < 2:
            continue
        name = next((row["name"].value for row in named_by if row["name"] is not None), shown(person))
        short = person.rstrip("/").rsplit("/", 1)[-1]
        for row in silent:
            this = _short(row["partnership"].value)
            others = " and ".join(_short(r["partnership"].value) for r in named_by if r is not row)
            owner = kg.graph_files.get(row["graph"].value)
            line = line_of(owner, person, kg.base_iri) if owner else None
            problems.append(ProvenanceProblem(
                person, f"{name} is named by {this}'s file and by {others}'s, and neither says they are the same "
                        "person: they would be merged on the name alone", str(owner) if owner else None, line,
                f"if they are different people, give this one a name of its own (e.g. {short}-{this}); if they "
                f"are the same person, say why on the person where {this}'s file names them: "
                "'reused_because: \"...\"' (lscp:reuseReason), the reason or a citation"))
    return problems
