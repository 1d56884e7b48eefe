"""One scrutiny result: a rule's rows that agree, as a finding or a met requirement.

:mod:`lscp_kg.scrutiny` runs the rules and groups their rows; this module turns
one group into a :class:`Result`: the rule's message for the group's outcome
with its fields filled in (``{x}`` the labels or texts of column x, sorted by
what they show; ``{x|count}`` how many), the entities of the rule's
``entities`` columns, and the evidence graphs of its ``passage`` columns.

>>> import pyoxigraph as ox
>>> rows = [{"who": ox.NamedNode("http://x/b")}, {"who": ox.NamedNode("http://x/a")}, {"who": ox.Literal("c")}]
>>> shown = Shown(rows, {"http://x/a": "Alpha", "http://x/b": "Beta"})
>>> [shown.show(t) for t in shown.values("who")]
['Alpha', 'Beta', 'c']
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

import pyoxigraph as ox

from .scrutiny_rules import Rule

_FIELD = re.compile(r"\{(\w+)(\|count)?\}")


@dataclass
class Result:
    """A finding (``passed`` false) or a met requirement, with what it concerns and the evidence."""

    id: str
    rule: str
    title: str
    kind: str
    severity: str
    outcome: str
    passed: bool
    message: str
    requirement: dict
    entities: list[dict] = field(default_factory=list)
    evidence: list[dict] = field(default_factory=list)
    #: {"iri", "label"} of the partnership the result is about; None for the shared data.
    partnership: dict | None = None


def term_text(term) -> str:
    """The value of a term, or "" for none."""
    return "" if term is None else term.value


def result_of(rule: Rule, key: str, rows: list[dict], asof: str, labels: dict, graphs: dict, requirements: dict,
              base: str) -> Result:
    """The result of a rule's rows that make one group (``key``): its severity, message, entities and evidence,
    named with ``labels`` (IRI -> label) and described with ``graphs`` (evidence graph -> description)."""
    outcome = term_text(rows[0].get("outcome")) or "fail"
    requirement = requirements.get(rule.requirement_iri(base), {"iri": rule.requirement_iri(base)})
    severity = requirement.get("severity", "should") if rule.severity == "requirement" else rule.severity
    shown = Shown(rows, labels)
    digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:8]
    brief = {k: requirement.get(k) for k in ("iri", "id", "label", "citation", "cited_part", "uncertainty")}
    return Result(id=f"{rule.id.lower()}-{digest}", rule=rule.id, title=rule.title, kind=rule.kind, severity=severity,
                  outcome=outcome, passed=outcome == "pass", message=_message(rule, outcome, shown, asof),
                  requirement=brief, entities=_entities(rule, shown), evidence=_evidence(rows, graphs))


@dataclass(frozen=True)
class Shown:
    """The terms of a result's rows as a message shows them: an IRI by its label, a literal by its text."""

    rows: list[dict]
    labels: dict

    def show(self, term) -> str:
        return self.labels.get(term.value, term.value) if isinstance(term, ox.NamedNode) else term.value

    def values(self, column: str) -> list:
        """The distinct terms of a column, sorted by what is shown, so that a result never depends on the
        order the store gave its rows in."""
        seen = {row[column].value: row[column] for row in self.rows if column in row}
        return sorted(seen.values(), key=lambda t: (self.show(t), t.value))


def _message(rule: Rule, outcome: str, shown: Shown, asof: str) -> str:
    """The rule's message for the outcome, its ``{column}`` and ``{column|count}`` fields filled in."""
    def fill(match: re.Match) -> str:
        name, count = match.group(1), match.group(2)
        if name == "asof":
            return asof
        found = shown.values(name)
        return str(len(found)) if count else (", ".join(shown.show(t) for t in found) or "(none)")

    template = rule.messages.get(outcome) or rule.messages.get("fail") or next(iter(rule.messages.values()))
    return _FIELD.sub(fill, template).strip()


def _entities(rule: Rule, shown: Shown) -> list[dict]:
    """The IRIs of the rule's entity columns, each once, named by their labels."""
    entities = [{"iri": t.value, "label": shown.labels.get(t.value, t.value)} for c in rule.entities
                for t in shown.values(c) if isinstance(t, ox.NamedNode)]
    return list({e["iri"]: e for e in entities}.values())


def _evidence(rows: list[dict], graphs: dict) -> list[dict]:
    """One entry per passage, and one per citation text (two graphs may cite the same source alike:
    the first graph by IRI is kept, whatever order the rows came in); passages first, by line."""
    cited: dict[str, dict] = {}
    for graph in sorted({t.value for row in rows for c, t in row.items() if c.startswith("passage") and t.value in graphs}):
        found = graphs[graph]
        cited.setdefault(found["graph"] if found["kind"] == "passage" else found["citation"], found)
    return sorted(cited.values(), key=lambda e: (e["kind"] != "passage", e.get("start_line") or 0, e["graph"]))
