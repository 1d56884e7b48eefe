"""The home page: the chooser of the loaded partnerships and one partnership's overview.

With several partnerships loaded the home page lists their names (:func:`chooser`: filtered by ``?q=``, by first
letter when there are many), each linked to its own overview (``/?partnership=IRI``); only the chosen
partnership's overview is computed (:func:`partnership_overview`), once per loaded graph.

An overview is from the data alone: its statutory partners and their delegated officers, the chair, its bodies
and what they report to (an indented list), its priorities, its key documents with their status, and its scrutiny
findings by severity. Bodies the arrangements say ended or were replaced are history: they are listed apart, as
former bodies with their end date or successor, never among the current ones.

Which questions fill it, and which of their columns, is read from the questions' own ``#+ home:``
headers (:mod:`lscp_kg.home_sections`), so adding a question to the home page changes its ``.rq`` file
alone; the bodies' tree and the former bodies come from the pages' own queries (``queries/pages/*.rq``).
"""

from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path

from lscp_kg.entity_links import query_string
from lscp_kg.named_queries import load_named_queries
from lscp_kg.query_files import QUERIES_DIR
from lscp_kg.scrutiny_partnerships import partnerships_in
from lscp_kg.search_text import normalise
from lscp_kg.service.cache import computed_once
from lscp_kg.service.compare import natural_key
from lscp_kg.service.errors import HttpError
from lscp_kg.service.history import date_in_words, last_day
from lscp_kg.service.scrutiny_pages import report_for
from lscp_kg.service.state import service_state

PAGE_QUERIES = Path(QUERIES_DIR) / "pages"
DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
#: from this many names on, the chooser groups them by first letter (a list of 150 needs signposts; of 5, none)
GROUP_FROM = 20


def _rows(query, **params) -> list[dict]:
    kg = service_state().kg
    sparql, substitutions = query.prepare(params, kg.base_iri)  # bound as the question's page binds it (#+ bind:)
    result = kg.query(sparql, substitutions=substitutions)
    names = [v.value for v in result.variables]
    return [{n: (row[n].value if row[n] is not None else None) for n in names} for row in result]


def body_tree(rows: list[dict]) -> list[dict]:
    """Bodies as an indented list: each under what it reports to; the rest at the top.

    >>> tree = body_tree([{"body": "a", "bodyLabel": "A", "reportsTo": None, "reportsToLabel": None},
    ...                   {"body": "b", "bodyLabel": "B", "reportsTo": "a", "reportsToLabel": "A"}])
    >>> [(n["label"], [c["label"] for c in n["children"]]) for n in tree]
    [('A', ['B'])]
    """
    labels = {r["body"]: r["bodyLabel"] for r in rows}
    parents: dict[str, list] = {}
    for r in rows:
        parents.setdefault(r["body"], [])
        if r.get("reportsTo"):
            parents[r["body"]].append((r["reportsTo"], r["reportsToLabel"]))

    def node(iri, path):
        children = sorted((b for b, ps in parents.items() if any(p == iri for p, _ in ps) and b not in path),
                          key=lambda b: labels[b])
        outside = [{"iri": p, "label": label} for p, label in parents[iri] if p not in labels]
        return {"iri": iri, "label": labels[iri], "reports_to_outside": outside,
                "children": [node(c, path | {c}) for c in children]}

    tops = sorted((b for b, ps in parents.items() if not any(p in labels for p, _ in ps)), key=lambda b: labels[b])
    return [node(b, {b}) for b in tops]


def ended(end: str | None, today: str) -> bool:
    """Whether an end date (a year, year-month or date) has passed; an end in the current year or month has not.

    >>> [ended(e, "2026-12-07") for e in ("2022-01", "2026", "2026-12", "2026-12-07", "2027", None)]
    [True, False, False, False, False, False]
    """
    return bool(end) and last_day(end) < today  # the rule of service.history: the whole period has passed


def former_bodies(rows: list[dict], today: str) -> list[dict]:
    """One entry per body that ended (its end date has passed) or was replaced, with its end and successors
    (dates in words).

    >>> former_bodies([{"body": "h", "bodyLabel": "Hub", "end": None, "successor": "m", "successorLabel": "MACE",
    ...                 "since": "2022-01"}, {"body": "p", "bodyLabel": "Panel", "end": "2030", "successor": None,
    ...                 "successorLabel": None, "since": None}], "2026-12-07")
    [{'iri': 'h', 'label': 'Hub', 'end': None, 'successors': [{'iri': 'm', 'label': 'MACE', 'since': 'January 2022'}]}]
    """
    found: dict[str, dict] = {}
    ends: dict[str, str] = {}
    for row in rows:
        entry = found.setdefault(row["body"], {"iri": row["body"], "label": row["bodyLabel"], "end": None,
                                               "successors": []})
        if row.get("end") and (row["body"] not in ends or row["end"] < ends[row["body"]]):
            ends[row["body"]] = row["end"]
            entry["end"] = date_in_words(row["end"])
        if row.get("successor") and row["successor"] not in [s["iri"] for s in entry["successors"]]:
            entry["successors"].append({"iri": row["successor"], "label": row.get("successorLabel") or row["successor"],
                                        "since": date_in_words(row.get("since"))})
    return [e for iri, e in found.items() if e["successors"] or ended(ends.get(iri), today)]


def past(rows: list[dict], today: str, column: str = "end") -> list[dict]:
    """Rows with ``ended``: the date in ``column`` in words where it has passed (a priority or document of the past),
    else None.

    >>> [r["ended"] for r in past([{"end": "2025"}, {"end": "2027"}, {"end": None}], "2026-12-07")]
    ['2025', None, None]
    """
    return [dict(row, ended=date_in_words(row[column]) if ended(row.get(column), today) else None) for row in rows]


def scrutiny_report() -> dict | None:
    """Today's scrutiny report for every partnership, through ``/scrutiny``'s runner and cache
    (:func:`lscp_kg.service.scrutiny_pages.report_for`: a query worker, under the query time limit). None if it
    does not finish in time (the page then links to the report)."""
    try:
        return report_for(_dt.date.today().isoformat()).to_dict()
    except HttpError:  # the home page never fails for the report's sake
        return None


def scrutiny_counts(partnership: str) -> dict | None:
    """Findings by severity (and checks passed) for one partnership."""
    report = scrutiny_report()
    if report is None:
        return None
    summary = next((p.get("summary") for p in report.get("partnerships", []) if p.get("iri") == partnership), None)
    if summary is not None:
        return dict(summary)
    counts: dict[str, int] = {}
    for finding in report.get("findings", []):
        if (finding.get("partnership") or {}).get("iri") == partnership:
            counts[finding["severity"]] = counts.get(finding["severity"], 0) + 1
    return counts


def home_questions() -> list:
    """The questions the home page shows: every named or page query with a ``#+ home:`` header."""
    state = service_state()
    queries = [*state.named_queries.values(), *load_named_queries(PAGE_QUERIES).values()]
    return [query for query in queries if query.home is not None]


def home_entry(entry: dict) -> dict:
    """An entry as the page says it: each entity (a column with an ``xLabel`` column) a link, a name with no
    entity (``xLabel`` alone) in brackets, any other value but a date as a state, and its passed end (``ended``).

    >>> home_entry({"post": "p", "postLabel": "Chair", "scheme": None, "schemeLabel": "Strategic", "status": "current",
    ...             "end": "2020", "ended": "2020"})
    {'links': [{'iri': 'p', 'label': 'Chair'}], 'names': ['Strategic'], 'states': ['current'], 'ended': '2020'}
    """
    labelled = {c for c in entry if f"{c}Label" in entry and entry[c]}
    said = labelled | {f"{c}Label" for c in labelled} | {"ended"}
    plain = [(c, v) for c, v in entry.items() if c not in said and v]
    return {"links": [{"iri": entry[c], "label": entry[f"{c}Label"]} for c in entry if c in labelled],
            "names": [v for c, v in plain if c.endswith("Label")],
            "states": [v for c, v in plain if not c.endswith("Label") and not DATE.fullmatch(v)],
            "ended": entry.get("ended")}


def home_sections(partnership: str, today: str) -> list[dict]:
    """The partnership's home sections, one per question with a ``#+ home:`` header, in the order of the
    competency questions they answer (those answering none last): ``{"name", "title", "entries"}``."""
    found = []
    for query in sorted(home_questions(), key=lambda q: (not q.answers, min(q.answers or (0,)))):
        entries = query.home.entries(_rows(query, partnership=partnership))
        entries = past(entries, today, query.home.ended) if query.home.ended else entries
        found.append({"name": query.home.section, "title": query.title, "entries": [home_entry(e) for e in entries]})
    return found


def overview(partnership: str, label: str) -> dict:
    pages = load_named_queries(PAGE_QUERIES)
    ask = {"partnership": partnership}
    today = _dt.date.today().isoformat()
    former = former_bodies(_rows(pages["former-bodies"], **ask), today)
    gone = {f["iri"] for f in former}
    return {"iri": partnership, "label": label,
            "bodies": body_tree([r for r in _rows(pages["bodies"], **ask) if r["body"] not in gone]),
            "former_bodies": former, "scrutiny": scrutiny_counts(partnership),
            "sections": home_sections(partnership, today)}


def partnership_overview(partnership: str) -> dict:
    """The overview of one loaded partnership (its IRI, as :func:`lscp_kg.scrutiny_partnerships.resolve_partnership`
    gives it), computed once per loaded graph. Its findings are counted in today's report of every partnership, the
    one ``/scrutiny`` and ``/compare`` share (cached): a report of one partnership would run every rule again."""
    state = service_state()
    return computed_once(state.cache, ("overview", partnership),
                         lambda: overview(partnership, partnerships_in(state.kg)[partnership]))


def by_letter(names: list[dict]) -> list[dict]:
    """Names (in name order) grouped by their first letter, accents and case aside (``#`` for a digit or sign).

    >>> [(g["letter"], [n["label"] for n in g["names"]]) for g in by_letter(
    ...     [{"label": "Barnet"}, {"label": "Bexley"}, {"label": "Ealing"}, {"label": "3 Boroughs"}])]
    [('#', ['3 Boroughs']), ('B', ['Barnet', 'Bexley']), ('E', ['Ealing'])]
    """
    groups: dict[str, list[dict]] = {}
    for name in names:
        first = normalise(name["label"])[:1].upper()
        groups.setdefault(first if first.isalpha() else "#", []).append(name)
    return [{"letter": letter, "names": groups[letter]} for letter in sorted(groups)]


def chooser(loaded: dict[str, str], home: str, wanted: str = "") -> dict:
    """The home page's list of the ``loaded`` partnerships (IRI: name): those whose name contains ``wanted`` (case,
    accents and apostrophes aside, as on ``/compare``), in name order as there (numbers by value), each linked to its
    overview under ``home`` (the home page's address); grouped by first letter from :data:`GROUP_FROM` names on
    (else one group with no letter).

    >>> listed = chooser({"https://b/p/2": "Borough 10", "https://b/p/1": "Borough 9", "https://b/p/3": "Town"},
    ...                  "/", "bor")
    >>> listed["shown"], [(n["label"], n["href"]) for n in listed["groups"][0]["names"]]
    (2, [('Borough 9', '/?partnership=https://b/p/1'), ('Borough 10', '/?partnership=https://b/p/2')])
    """
    names = [{"iri": iri, "label": label, "href": f"{home}?{query_string({'partnership': iri})}"}
             for iri, label in sorted(loaded.items(), key=lambda item: natural_key(item[1]))
             if normalise(wanted) in normalise(label)]
    groups = by_letter(names) if len(names) >= GROUP_FROM else [{"letter": None, "names": names}] if names else []
    return {"loaded": len(loaded), "q": wanted, "shown": len(names), "groups": groups}
