"""Coverage: what the graph leaves out of a source document, line by line.

Each line of the source text is one of:

- ``cited``: a passage whose line span holds it has facts in its graph;
- ``not-modelled``: only passages the steward marked ``not_modelled:`` (``lscp:notModelled``) hold it,
  with their reason (a mark quotes its lines, so it cannot drift from them);
- ``blank``: white space only;
- ``structural``: not cited and says nothing of the arrangements (see :func:`classify`);
- ``stating``: not cited and says something: a sentence, a list item, a table row. These are counted:
  when none is left, the graph says everything the source says.

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

import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

from .named_queries import QUERIES_DIR, load_named_queries
from .per_store import PerStore
from .source_texts import Document, sources_for

#: The statuses of a line, in the order they are counted and shown.
STATUSES = ("cited", "not-modelled", "stating", "structural", "blank")
COVERAGE_QUERY = Path(QUERIES_DIR) / "pages" / "coverage.rq"
_BULLETS = "•·▪●◦‣∙*-–—>|"
_SENTENCE_MARKS = set(".!?;:")
#: Navigation and page furniture, compared in lower case without surrounding punctuation.
NAVIGATION = frozenset({
    "back to top", "top", "return to top", "skip to main content", "skip to content", "menu", "main menu", "home",
    "print", "print this page", "share", "share this page", "contents", "on this page", "next", "previous", "back",
    "read more", "show more", "show less", "close", "search", "related links", "related pages", "useful links",
    "you are here", "breadcrumb", "cookie settings", "accept cookies",
})
_ADDRESS = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
_BREADCRUMB = re.compile(r"^home\s*[>»›/|]", re.IGNORECASE)


class CoverageError(LookupError):
    """The document is not a source document of the graph, or its text is not available."""


def _words(text: str) -> list[str]:
    return text.split()


def classify(text: str, previous: str = "", following: str = "", after_following: str = "") -> tuple[str, str]:
    """The status of a line no passage cites, and why: ``(status, why)``.

    ``previous`` and ``following`` are the lines around it ("" at the start or end of the text),
    ``after_following`` the line after that. A line is ``structural`` only when one of these simple rules
    says so; anything else is ``stating``, so that no statement is ever hidden:

    1. no letter or digit (a lone bullet, a rule);
    2. a web address alone (a page's address under its statements);
    3. navigation (one of :data:`NAVIGATION`, or a breadcrumb starting "Home >");
    4. a heading: a line standing alone between blank lines, of at most 8 words, starting with a capital
       letter, with no digit and no sentence mark (. ! ? ; :), and not a list item;
    5. a table header: the first of three or more lines in a block, of at most 4 words, each capitalised,
       with only letters (a row such as "Probation Area Manager" below it is stating).

    >>> classify("  ")
    ('blank', 'blank')
    >>> classify("  • ")
    ('structural', 'no words')
    >>> classify("https://www.example.org/arrangements/")
    ('structural', 'page address')
    >>> classify("Back to top")
    ('structural', 'navigation')
    >>> classify("Role of the Scrutineer")
    ('structural', 'heading')
    >>> classify("Organisation Representative", "", "Wexcombe Borough Council Chief Executive", "Police Chief Constable")
    ('structural', 'table header')
    >>> classify("Probation Area Manager", "Organisation Representative", "Housing Director of Housing")
    ('stating', 'states something')
    >>> classify("Our three statutory safeguarding partners are:")
    ('stating', 'states something')
    >>> classify("  • Neglect")
    ('stating', 'states something')
    >>> classify("Children's Act 1989")
    ('stating', 'states something')
    """
    stripped = text.strip()
    if not stripped:
        return "blank", "blank"
    if not any(c.isalnum() for c in stripped):
        return "structural", "no words"
    if _ADDRESS.match(stripped):
        return "structural", "page address"
    bare = " ".join(_words(stripped.strip(".:>»›|"))).lower()
    if bare in NAVIGATION or _BREADCRUMB.match(stripped):
        return "structural", "navigation"
    words = _words(stripped)
    plain = (stripped[0].isupper() and stripped[0] not in _BULLETS and not any(c.isdigit() for c in stripped)
             and not _SENTENCE_MARKS & set(stripped))
    if plain and len(words) <= 8 and not previous.strip() and not following.strip():
        return "structural", "heading"
    if (plain and len(words) <= 4 and not previous.strip() and following.strip() and after_following.strip()
            and all(w[0].isupper() and w.replace("'", "").replace("’", "").isalpha() for w in words)):
        return "structural", "table header"
    return "stating", "states something"


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

    def to_dict(self) -> dict:
        found = {"line": self.number, "status": self.status, "text": self.text, "passages": list(self.passages)}
        if self.status in ("structural", "stating"):
            found["why"] = self.why
        if self.reason:
            found["not_modelled"] = self.reason
        return found


@dataclass
class Coverage:
    document: Document
    lines: list[Line]
    passages: dict[str, PassageFacts]

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


def _passages(kg, document: str) -> dict[str, PassageFacts]:
    query = load_named_queries(COVERAGE_QUERY.parent)[COVERAGE_QUERY.stem]
    found: dict[str, PassageFacts] = {}
    for row in kg.query(query.sparql, substitutions=query.bind({"document": document}, kg.base_iri)):
        try:
            start, end = int(row["start"].value), int(row["end"].value)
        except ValueError:
            continue  # validation reports a line that is not a number
        passage = found.setdefault(row["passage"].value, PassageFacts(row["passage"].value, start, end))
        if row["reason"] is not None:
            passage.reason = row["reason"].value
        if row["p"] is not None:
            obj = row["o"]
            passage.statements.append(Statement(row["s"].value, row["p"].value, obj.value,
                                                type(obj).__name__ == "NamedNode"))
    return found


def coverage_of(kg, document: str) -> Coverage:
    """The coverage of one source document (raises :class:`CoverageError` if unknown or its text is missing)."""
    sources = sources_for(kg)
    described = sources.document(document)
    if described is None:
        raise CoverageError(f"{document} is not a source document of the graph")
    text = sources.lines(document)
    if text is None:
        raise CoverageError(f"the text of {described.label} is not available on this installation")
    passages = _passages(kg, document)
    holding: dict[int, list[PassageFacts]] = {}
    for passage in passages.values():
        for number in range(passage.start, min(passage.end, len(text)) + 1):
            holding.setdefault(number, []).append(passage)
    lines = []
    for index, content in enumerate(text):
        number = index + 1
        around = [text[i] if 0 <= i < len(text) else "" for i in (index - 1, index + 1, index + 2)]
        status, why = classify(content, *around)
        held = holding.get(number, [])
        reason = None
        if status != "blank" and any(p.statements for p in held):
            status, why = "cited", "cited"
        elif status != "blank" and any(p.reason for p in held):
            reason = "; ".join(dict.fromkeys(p.reason for p in held if p.reason))
            status, why = "not-modelled", "not modelled"
        lines.append(Line(number, content, status, why, tuple(p.iri for p in held), reason))
    return Coverage(sources.document(document), lines, passages)


def coverage_of_all(kg, names: list[str] | tuple[str, ...] = ()) -> list[Coverage]:
    """The coverage of the named documents, or of every source document whose text is available."""
    sources = sources_for(kg)
    chosen = [find_document(kg, n) for n in names] if names else \
        [d.iri for d in sources.documents() if sources.lines(d.iri) is not None]
    return [coverage_of(kg, iri) for iri in chosen]


class _Reports:
    """Coverage reports of one loaded graph, each made once (the graph is read-only while served)."""

    def __init__(self, kg):
        self.kg, self.backend = kg, kg.backend
        self._made: dict[str, Coverage] = {}
        self._lock = threading.Lock()

    def get(self, document: str) -> Coverage:
        with self._lock:
            if document not in self._made:
                self._made[document] = coverage_of(self.kg, document)
            return self._made[document]


#: The coverage reports of a loaded graph (one cache per store), for the service's pages.
reports_for = PerStore(_Reports)
