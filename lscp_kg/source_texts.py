"""Source documents and their passages, read once per loaded graph: the text of each document
(found from its ``lscp:textFile``, as :func:`lscp_kg.provenance.source_texts` finds it), where
the document was published and retrieved when the data records it, and the line span of each
passage.

>>> from lscp_kg.store import load_knowledge_graph
>>> sources = sources_for(load_knowledge_graph())
>>> passage = sources.passage(sources.kg.base_iri + "id/lewisham/passage/L1-3")
>>> passage.start, passage.end, passage.document == sources.documents()[0].iri
(1, 3, True)
>>> sources.lines(passage.document)[0]
'Lewisham Safeguarding Children Partnership'
"""

from __future__ import annotations

from dataclasses import dataclass

from .namespaces import LSCP, PREFIXES, curie
from .per_store import PerStore
from .provenance import source_texts

#: Where the data may record a document's original web address (the page the text was taken from), and when
#: the text was retrieved (the time the kept copy was made).
ORIGIN_PROPERTIES = ("prov:wasDerivedFrom", "dcterms:source")
RETRIEVED_PROPERTIES = ("prov:generatedAtTime",)


@dataclass(frozen=True)
class Passage:
    iri: str
    document: str
    start: int
    end: int
    quote: str


@dataclass(frozen=True)
class Document:
    iri: str
    label: str
    title: str | None
    origin: str | None
    retrieved: str | None


class Sources:
    """The graph's source documents and passages (the graph is read-only while served)."""

    def __init__(self, kg):
        self.kg, self.backend = kg, kg.backend
        self._texts: dict[str, list[str]] | None = None
        prefixes = "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in ("lscp", "prov"))
        described: dict[str, dict[str, str]] = {}
        for row in kg.query("SELECT ?doc ?p ?o WHERE { ?doc a <%sSourceDocument> ; ?p ?o }" % LSCP):
            described.setdefault(row["doc"].value, {}).setdefault(curie(row["p"].value), row["o"].value)
        self._documents = {}
        for iri, facts in sorted(described.items(), key=lambda item: item[1].get("rdfs:label", item[0])):
            def first(names):
                return next((facts[n] for n in names if n in facts), None)
            self._documents[iri] = Document(iri, first(("rdfs:label", "dcterms:title")) or iri, facts.get("dcterms:title"),
                                            first(ORIGIN_PROPERTIES), first(RETRIEVED_PROPERTIES))
        rows = kg.query(prefixes + "SELECT ?g ?doc ?start ?end ?quote WHERE { GRAPH ?g { ?g a lscp:SourcePassage ; "
                        "lscp:source ?doc ; lscp:startLine ?start ; lscp:endLine ?end ; prov:value ?quote } }")
        self._passages = {}
        for row in rows:
            try:
                start, end = int(row["start"].value), int(row["end"].value)
            except ValueError:
                continue
            self._passages[row["g"].value] = Passage(row["g"].value, row["doc"].value, start, end, row["quote"].value)

    def documents(self) -> list[Document]:
        return list(self._documents.values())

    def document(self, iri: str) -> Document | None:
        return self._documents.get(iri)

    def passage(self, iri: str | None) -> Passage | None:
        return self._passages.get(iri) if iri else None

    def passages_of(self, document: str) -> list[Passage]:
        return sorted((p for p in self._passages.values() if p.document == document), key=lambda p: (p.start, p.end))

    def lines(self, document: str) -> list[str] | None:
        """The document's text as lines (None when its text file is not found)."""
        if self._texts is None:
            self._texts, _problems = source_texts(self.kg, self.kg.graph_files)
        return self._texts.get(document)


#: The sources of a loaded graph (one reading per store).
sources_for = PerStore(Sources)
