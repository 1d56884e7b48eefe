"""Coverage: what the graph leaves out of a source document, line by line.

Each line of the source text is one of:

- ``cited``: a passage whose line span holds it has facts in its graph, and the quotes of the line's
  passages hold all its words;
- ``partly``: cited, but some words of it (two or more) are in no passage's quote: a sentence left out
  beside one that is quoted (:func:`lscp_kg.coverage_lines.left_out`);
- ``not-modelled``: only passages the steward marked ``not_modelled:`` (``lscp:notModelled``) hold it,
  with their reason (a mark quotes its words, so it cannot drift from them);
- ``blank``: white space only;
- ``structural``: not cited and says nothing of the arrangements
  (:func:`lscp_kg.coverage_lines.classify`: headings, page addresses, navigation, table headers);
- ``stating``: not cited and says something: a sentence, a list item, a table row.

The lines that state something and the lines in the graph only in part are what remain to do: when there
are none, the graph says everything the source says, or the steward has said why not.

The passages and their statements come from one query (``queries/pages/coverage.rq``), through the
store interface; the text from :mod:`lscp_kg.source_texts`.

>>> from lscp_kg.store import load_knowledge_graph
>>> kg = load_knowledge_graph()
>>> report = coverage_of(kg, find_document(kg, "lewisham-our-partnership-arrangements"))
>>> report.lines[0].status, report.lines[1].status
('cited', 'blank')
>>> sum(report.counts().values()) == len(report.lines)
True
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from .coverage_lines import classify, left_out, quoted_ranges
from .query_files import parse_query_file, QUERIES_DIR
from .per_store import PerStore
from .source_texts import Document, sources_for

#: The statuses of a line, in the order they are counted and shown.
STATUSES = ("cited", "partly", "not-modelled", "stating", "structural", "blank")
COVERAGE_QUERY = Path(QUERIES_DIR) / "pages" / "coverage.rq"


class CoverageError(LookupError):
    """The document is not a source document of the graph, or its text is not available."""


@dataclass(frozen=True)
class Statement:
    """A statement in a passage's graph: IRIs (or a literal's text for the object)."""

    subject: str
    predicate: str
    object: str
    object_is_iri: bool

    def described(self, labels) -> dict:
        """The statement with names from :mod:`lscp_kg.labels` beside its terms (a literal is its own name)."""
        def name(iri: str) -> str:
            return labels.label(iri) or labels.relation(iri)
        return {"subject": self.subject, "subject_label": name(self.subject), "predicate": self.predicate,
                "predicate_label": labels.relation(self.predicate), "object": self.object,
                "object_label": name(self.object) if self.object_is_iri else self.object}


@dataclass
class PassageFacts:
    """A passage quoting the document: its line span, the steward's reason if not modelled, its statements."""

    iri: str
    start: int
    end: int
    quote: str | None = None
    reason: str | None = None
    statements: list[Statement] = field(default_factory=list)

    def to_dict(self, labels=None) -> dict:
        found = {"passage": self.iri, "start": self.start, "end": self.end, "statement_count": len(self.statements)}
        if self.reason:
            found["not_modelled"] = self.reason
        if labels is not None:
            found["statements"] = [s.described(labels) for s in self.statements]
        return found


@dataclass(frozen=True)
class Line:
    number: int
    text: str
    status: str
    why: str  # for a line not cited: what the classifier saw ("heading", "page address"...)
    passages: tuple[str, ...] = ()  # every passage whose span holds the line
    reason: str | None = None  # not-modelled: the steward's reason
    left_out: tuple[str, ...] = ()  # partly: the words no quote holds

    def to_dict(self) -> dict:
        found = {"line": self.number, "status": self.status, "text": self.text, "passages": list(self.passages)}
        if self.status in ("structural", "stating"):
            found["why"] = self.why
        if self.reason:
            found["not_modelled"] = self.reason
        if self.left_out:
            found["left_out"] = list(self.left_out)
        return found


@dataclass
class Coverage:
    document: Document
    lines: list[Line]
    passages: dict[str, PassageFacts]

    def remaining(self) -> int:
        """Lines still to do: those that state something and are not in the graph, or are in it only in part."""
        return len(self.with_status("stating", "partly"))

    def counts(self) -> dict[str, int]:
        found = dict.fromkeys(STATUSES, 0)
        for line in self.lines:
            found[line.status] += 1
        return found

    def with_status(self, *statuses: str) -> list[Line]:
        return [line for line in self.lines if line.status in statuses]

    def to_dict(self, lines: bool = True, labels=None) -> dict:
        """The report as JSON-ready data: counts, the uncited stating and not-modelled lines; with ``lines``,
        every line and every passage (with ``labels``, each statement with its names)."""
        found = {"document": self.document.iri, "label": self.document.label, "line_count": len(self.lines),
                 "counts": self.counts(),
                 "uncited_stating": [{"line": n.number, "text": n.text} for n in self.with_status("stating")],
                 "partly": [{"line": n.number, "text": n.text, "left_out": list(n.left_out)}
                            for n in self.with_status("partly")],
                 "not_modelled": [{"line": n.number, "text": n.text, "reason": n.reason}
                                  for n in self.with_status("not-modelled")]}
        if lines:
            found["lines"] = [line.to_dict() for line in self.lines]
            found["passages"] = [p.to_dict(labels) for p in self.passages.values()]
        return found


def find_document(kg, name: str) -> str:
    """The IRI of a source document from its name (``id/source/NAME``), or its IRI (absolute or relative)."""
    known = {d.iri for d in sources_for(kg).documents()}
    for candidate in (kg.base_iri + "id/source/" + name, name, kg.base_iri + name.lstrip("/")):
        if candidate in known:
            return candidate
    names = ", ".join(sorted(iri.rsplit("/", 1)[-1] for iri in known)) or "none"
    raise CoverageError(f"{name!r} is not a source document of the graph; its source documents: {names}")


@lru_cache(maxsize=1)
def _query():
    return parse_query_file(COVERAGE_QUERY)


def _passages(kg, document: str) -> dict[str, PassageFacts]:
    query = _query()
    found: dict[str, PassageFacts] = {}
    for row in kg.query(query.sparql, substitutions=query.bind({"document": document}, kg.base_iri)):
        try:
            start, end = int(row["start"].value), int(row["end"].value)
        except ValueError:
            continue  # validation reports a line that is not a number
        quote = row["quote"].value if row["quote"] is not None else None
        passage = found.setdefault(row["passage"].value, PassageFacts(row["passage"].value, start, end, quote))
        if row["reason"] is not None:
            passage.reason = row["reason"].value
        if row["p"] is not None:
            obj = row["o"]
            passage.statements.append(Statement(row["s"].value, row["p"].value, obj.value, isinstance(obj, ox.NamedNode)))
    for passage in found.values():  # the same order from every store
        passage.statements = sorted(set(passage.statements), key=lambda s: (s.subject, s.predicate, s.object))
    return found


def coverage_of(kg, document: str) -> Coverage:
    """The coverage of one source document (raises :class:`CoverageError` if unknown or its text is missing)."""
    sources = sources_for(kg)
    text = _text_of(sources, document)
    passages = _passages(kg, document)
    holding, quoted = _spans(passages, text)
    lines = [_line(text, index, holding.get(index + 1, []), quoted.get(index + 1, [])) for index in range(len(text))]
    return Coverage(sources.document(document), lines, passages)


def _text_of(sources, document: str) -> list[str]:
    """The lines of a source document's text, or :class:`CoverageError` saying which of the two is missing."""
    described = sources.document(document)
    if described is None:
        raise CoverageError(f"{document} is not a source document of the graph")
    text = sources.lines(document)
    if text is None:
        raise CoverageError(f"the text of {described.label} is not available on this installation")
    return text


def _spans(passages: dict[str, PassageFacts], text: list[str]):
    """For each line number, the passages whose span holds it, and the parts of it that the quotes of
    passages with facts or a reason hold."""
    holding: dict[int, list[PassageFacts]] = {}
    quoted: dict[int, list[tuple[int, int]]] = {}
    for passage in passages.values():
        last = min(passage.end, len(text))
        for number in range(passage.start, last + 1):
            holding.setdefault(number, []).append(passage)
        if passage.statements or passage.reason:
            for number, held in quoted_ranges(text, passage.start, last, passage.quote).items():
                quoted.setdefault(number, []).append(held)
    return holding, quoted


_WHY = {"partly": "words left out", "cited": "cited", "not-modelled": "not modelled"}


def _line(text: list[str], index: int, held: list[PassageFacts], quoted: list[tuple[int, int]]) -> Line:
    """Line ``index`` of ``text``, classified: by the passages that hold it, else by its words and neighbours."""
    content = text[index]
    around = [text[i] if 0 <= i < len(text) else "" for i in (index - 1, index + 1, index + 2)]
    status, why = classify(content, *around)
    spans = tuple(p.iri for p in held)
    if status == "blank" or not any(p.statements or p.reason for p in held):
        return Line(index + 1, content, status, why, spans)
    missing = left_out(content, quoted)
    cited = any(p.statements for p in held)
    status = "partly" if missing else "cited" if cited else "not-modelled"
    return Line(index + 1, content, status, _WHY[status], spans, None if cited else _reasons(held), missing)


def _reasons(held: list[PassageFacts]) -> str | None:
    """The steward's reasons of the passages without statements, each once, as sentences (None if none)."""
    reasons = dict.fromkeys(p.reason.strip() for p in held if p.reason and not p.statements)
    return " ".join(r if r.endswith((".", "!", "?")) else r + "." for r in reasons) or None


def coverage_of_all(kg, names: list[str] | tuple[str, ...] = ()) -> list[Coverage]:
    """The coverage of the named documents, or of every source document whose text is available."""
    sources = sources_for(kg)
    chosen = [find_document(kg, n) for n in names] if names else \
        [d.iri for d in sources.documents() if sources.lines(d.iri) is not None]
    return [coverage_of(kg, iri) for iri in chosen]


class _Reports:
    """The latest coverage reports of one loaded graph (the graph is read-only while served): at most
    :data:`KEPT_REPORTS`, so that a visit to every source of 150 partnerships does not keep them all."""

    def __init__(self, kg):
        self.kg, self.backend = kg, kg.backend
        self._made: dict[str, Coverage] = {}
        self._lock = threading.Lock()

    def get(self, document: str) -> Coverage:
        with self._lock:
            report = self._made.pop(document, None) or coverage_of(self.kg, document)
            self._made[document] = report  # now the most recent
            while len(self._made) > KEPT_REPORTS:
                self._made.pop(next(iter(self._made)))
            return report


KEPT_REPORTS = 16


#: The coverage reports of a loaded graph (one cache per store), for the service's pages.
reports_for = PerStore(_Reports)
