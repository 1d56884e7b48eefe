"""Scrutiny checks: the arrangements against statute and against themselves.

A rule is a SPARQL SELECT query in ``queries/scrutiny/*.rq`` whose ``#+``
header (the named-query header, see :mod:`lscp_kg.named_queries`) also says::

    #+ id: CEASED-ORG                 # unique rule id
    #+ kind: consistency              # or "requirement" (a statutory/guidance check)
    #+ severity: should               # must | should | note | requirement (= the checked requirement's severity)
    #+ requirement: id/requirement/pub    # the lscp:Requirement it checks (relative to the base)
    #+ entities: [organisation, mention]  # columns naming the entities concerned, focus first
    #+ group_by: [organisation]       # rows agreeing on these columns make one result
    #+ messages: {fail: "{organisation} ... {mention|count} ... {asof}"}
    #+ params: {asof: {type: date}}   # every rule takes the as-of date

Rules are read by :mod:`lscp_kg.scrutiny_rules`; what several rules share is
written once as a fragment they include (``{{exists ?agency ?partnership}}``,
:mod:`lscp_kg.scrutiny_fragments`).

Results are per partnership (:mod:`lscp_kg.scrutiny_partnerships`): every rule
takes a partnership's facts only from graphs in its ``lscp:partnershipContext``
(queries/scrutiny/README.md) and projects it as ``?partnership``, so adding a
partnership never changes another's results or statuses. The values in a
result are sorted by what they show, never by the order the store returned
its rows in.

A row's ``?outcome`` column says what it is: ``pass`` (a requirement met, with
its evidence) or anything else, a finding, whose message is ``messages[outcome]``
(or ``messages["fail"]``); rows without ``?outcome`` are findings. Columns
whose name starts with ``passage`` hold named graphs (source passages or
external citations) given as evidence. In a message, ``{x}`` is the label of
the IRI (or the text of the literal) in column x, the distinct values of the
result's rows joined; ``{x|count}`` is how many there are.

As-of dates: ``asof`` is bound as an xsd:date with
:meth:`lscp_kg.named_queries.NamedQuery.bind` (the fragments ``started``,
``ended`` and ``passed`` compare it). A thing exists on D when it has
no start or started by D, and has no end or had not ended by D. Dates are
compared by their text at the precision given: a start ``2024`` (xsd:gYear) or
``2024-03`` counts from its first day; an end ``2023`` or ``2025-03`` lasts to
its last day (a period "2022-2023" ends with 2023-12-31); a full-date end
(schema:endDate, lscp:ceasedNoLaterThan) is the day the thing ended, so on that
day it no longer exists.

JSON (``ScrutinyReport.to_dict()``)::

    {"asof": "2026-11-26",
     "partnership": {"iri", "label"} | null,      # the one asked for (--partnership), else null
     "summary": {"must": 1, "should": 6, "note": 9, "passes": 20},
     "findings": [RESULT, ...], "passes": [RESULT, ...],
     "requirements": [{"iri", "id", "label", "text", "binding", "severity",
                       "cited_part", "citation", "sources": [iri], "uncertainty",
                       "status": "pass|fail|not checked|no result",   # the worst of the partnerships'
                       "by_partnership": {partnership iri: status}, "rules": [rule id]}],
     "partnerships": [{"iri", "label", "summary", "requirements": [{"iri", "id", "status"}]}],
     "rules": [{"id", "title", "kind", "severity", "requirement", "description"}]}
    RESULT = {"id", "rule", "title", "kind", "severity", "outcome", "passed", "message",
              "partnership": {"iri", "label"} | null,   # null: about the shared data
              "requirement": {"iri", "id", "label", "citation", "cited_part", "uncertainty"},
              "entities": [{"iri", "label"}],
              "evidence": [{"graph", "kind": "passage|citation", "quote", "start_line", "end_line",
                            "source", "citation"}]}

>>> from lscp_kg.store import load_knowledge_graph
>>> report = run_scrutiny(load_knowledge_graph(), "2026-11-26")
>>> "CEASED-ORG" in {f.rule for f in report.findings}
True
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
from dataclasses import asdict, dataclass, field
from typing import Any, Iterable

import pyoxigraph as ox

from .query_parameters import Parameter, ParameterError
from .scrutiny_evidence import describe_graphs, labels_of, requirements_in
from .scrutiny_partnerships import contexts_of, partnerships_in, resolve_partnership, row_partnerships, set_statuses
from .scrutiny_rules import KINDS, RULES_DIR, SEVERITIES, Rule, RuleFileError, load_rules, parse_rule_file
from .store import KnowledgeGraph

__all__ = ["KINDS", "RULES_DIR", "SEVERITIES", "Result", "Rule", "RuleFileError", "ScrutinyReport", "load_rules",
           "parse_asof", "parse_rule_file", "run_scrutiny"]

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


@dataclass
class ScrutinyReport:
    asof: str
    results: list[Result]
    requirements: list[dict]
    rules: list[dict]
    #: Each partnership judged: {"iri", "label", "summary", "requirements": [{"iri", "id", "status"}]}.
    partnerships: list[dict] = field(default_factory=list)
    #: The one partnership asked for ({"iri", "label"}), or None for all.
    partnership: dict | None = None

    def of(self, partnership: str | None) -> list[Result]:
        """The results about one partnership (None: about the shared data only)."""
        return [r for r in self.results if (r.partnership or {}).get("iri") == partnership]

    @property
    def findings(self) -> list[Result]:
        order = {s: i for i, s in enumerate(SEVERITIES)}
        return sorted((r for r in self.results if not r.passed), key=lambda r: (order.get(r.severity, 9), r.rule, r.message))

    @property
    def passes(self) -> list[Result]:
        return [r for r in self.results if r.passed]

    def summary(self, results: list[Result] | None = None) -> dict:
        results = self.results if results is None else results
        counts = {s: sum(1 for f in results if not f.passed and f.severity == s) for s in SEVERITIES}
        return {**counts, "passes": sum(1 for r in results if r.passed)}

    def to_dict(self) -> dict:
        return {"asof": self.asof, "partnership": self.partnership, "summary": self.summary(),
                "findings": [asdict(r) for r in self.findings], "passes": [asdict(r) for r in self.passes],
                "requirements": self.requirements, "partnerships": self.partnerships, "rules": self.rules}


def parse_asof(value: Any = None) -> str:
    """The as-of date as YYYY-MM-DD (default today); a clear error for anything else.

    >>> parse_asof("2024-05-01")
    '2024-05-01'
    """
    if value in (None, ""):
        return _dt.date.today().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    try:
        return _dt.date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        raise ParameterError("asof", "expected a date as YYYY-MM-DD") from None


def run_scrutiny(kg: KnowledgeGraph, asof: Any = None, rules: Iterable[Rule] | None = None,
                 partnership: str | None = None) -> ScrutinyReport:
    """Run every rule as of a date and collect the results, requirements and evidence, per
    partnership (see :mod:`lscp_kg.scrutiny_partnerships`); ``partnership`` (an IRI, absolute
    or relative to the base) keeps only that partnership's results."""
    asof = parse_asof(asof)
    wanted = resolve_partnership(kg, partnership) if partnership else None
    rules = load_rules() if rules is None else list(rules)
    requirements = requirements_in(kg)
    fetched = [(rule, _rows(kg, rule, asof)) for rule in rules]
    groups = _groups(fetched, contexts_of(kg, _evidence_graphs(rows for _, rows in fetched)), wanted)
    known = partnerships_in(kg)
    results = _results(kg, groups, asof, requirements, known)
    report = ScrutinyReport(asof=asof, results=results, requirements=list(requirements.values()),
                            rules=[{"id": r.id, "title": r.title, "kind": r.kind, "severity": r.severity,
                                    "requirement": _absolute(r.requirement, kg.base_iri), "description": r.query.description}
                                   for r in rules],
                            partnership={"iri": wanted, "label": known[wanted]} if wanted else None)
    checking = {iri: [r.id for r in rules if r.kind == "requirement" and _absolute(r.requirement, kg.base_iri) == iri]
                for iri in requirements}
    for iri, req in requirements.items():
        req["rules"] = [r.id for r in rules if _absolute(r.requirement, kg.base_iri) == iri]
    set_statuses(report, requirements, checking, {p: known[p] for p in ([wanted] if wanted else known)})
    return report


def _rows(kg: KnowledgeGraph, rule: Rule, asof: str) -> list[dict]:
    """A rule's rows as of the date (the date bound as a term, never written into the query)."""
    answer = kg.query(rule.query.sparql, substitutions=rule.query.bind({"asof": asof}, kg.base_iri))
    columns = [v.value for v in answer.variables]
    unknown = [c for c in rule.entities + rule.group_by if c not in columns]
    if unknown:
        raise RuleFileError(f"{rule.query.path}: entities/group_by name columns the query does not project: {unknown}")
    return [{c: row[c] for c in columns if row[c] is not None} for row in answer]


def _evidence_graphs(row_lists: Iterable[list[dict]]) -> set[str]:
    """The graphs the rows give as evidence (their ``?passage...`` columns)."""
    return {t.value for rows in row_lists for row in rows for c, t in row.items()
            if c.startswith("passage") and isinstance(t, ox.NamedNode)}


def _groups(fetched: list[tuple[Rule, list[dict]]], contexts: dict, wanted: str | None) -> list[tuple]:
    """(rule, partnership or None, key, rows) for each result: a rule's rows of one partnership that agree
    on its ``group_by`` columns and outcome, in the order of their keys (never the store's row order)."""
    found: list[tuple] = []
    for rule, rows in fetched:
        groups: dict[tuple, list[dict]] = {}
        for row in rows:
            for owner in row_partnerships(row, contexts):
                if wanted is None or owner == wanted:
                    key = (owner or "",) + tuple(_text(row.get(c)) for c in rule.group_by + ("outcome",))
                    groups.setdefault(key, []).append(row)
        found.extend((rule, key[0] or None, "|".join(key), members) for key, members in sorted(groups.items()))
    return found


def _results(kg: KnowledgeGraph, groups: list[tuple], asof: str, requirements: dict, known: dict) -> list[Result]:
    """Each group as a result, its entities named and its evidence graphs described."""
    iris = {t.value for *_, members in groups for row in members for t in row.values() if isinstance(t, ox.NamedNode)}
    labels = labels_of(kg, iris | set(known))
    graphs = describe_graphs(kg, _evidence_graphs(members for *_, members in groups))
    results = []
    for rule, owner, key, members in groups:
        result = _result(rule, key, members, asof, labels, graphs, requirements, kg.base_iri)
        result.partnership = {"iri": owner, "label": known.get(owner, owner)} if owner else None
        results.append(result)
    return results


def _absolute(iri: str, base_iri: str) -> str:
    """A rule's requirement IRI, resolved against the base as an iri parameter would be."""
    return Parameter("requirement", "iri").to_term(iri, base_iri).value


def _text(term) -> str:
    return "" if term is None else term.value


def _result(rule: Rule, key: str, rows: list[dict], asof: str, labels: dict, graphs: dict, requirements: dict, base: str) -> Result:
    outcome = _text(rows[0].get("outcome")) or "fail"
    passed = outcome == "pass"
    requirement = requirements.get(_absolute(rule.requirement, base), {"iri": _absolute(rule.requirement, base)})
    severity = requirement.get("severity", "should") if rule.severity == "requirement" else rule.severity

    def show(term) -> str:
        return labels.get(term.value, term.value) if isinstance(term, ox.NamedNode) else term.value

    def values(column: str) -> list:
        # Sorted by what is shown, so that a result never depends on the order the store gave its rows in.
        seen = {row[column].value: row[column] for row in rows if column in row}
        return sorted(seen.values(), key=lambda t: (show(t), t.value))

    def fill(match: re.Match) -> str:
        name, count = match.group(1), match.group(2)
        if name == "asof":
            return asof
        found = values(name)
        return str(len(found)) if count else (", ".join(show(t) for t in found) or "(none)")

    template = rule.messages.get(outcome) or rule.messages.get("fail") or next(iter(rule.messages.values()))
    entities = [{"iri": t.value, "label": labels.get(t.value, t.value)} for c in rule.entities for t in values(c)
                if isinstance(t, ox.NamedNode)]
    entities = list({e["iri"]: e for e in entities}.values())
    # One entry per passage, and one per citation text (two graphs may cite the same source alike:
    # the first graph by IRI is kept, whatever order the rows came in).
    cited: dict[str, dict] = {}
    for graph in sorted({t.value for row in rows for c, t in row.items() if c.startswith("passage") and t.value in graphs}):
        found = graphs[graph]
        cited.setdefault(found["graph"] if found["kind"] == "passage" else found["citation"], found)
    evidence = sorted(cited.values(), key=lambda e: (e["kind"] != "passage", e.get("start_line") or 0, e["graph"]))
    digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:8]
    brief = {k: requirement.get(k) for k in ("iri", "id", "label", "citation", "cited_part", "uncertainty")}
    return Result(id=f"{rule.id.lower()}-{digest}", rule=rule.id, title=rule.title, kind=rule.kind, severity=severity,
                  outcome=outcome, passed=passed, message=_FIELD.sub(fill, template).strip(), requirement=brief,
                  entities=entities, evidence=evidence)
