"""A timeline's entries: the dated and undated statements of one partnership's graphs, as sentences.

The rows come from ``queries/pages/timeline.rq`` (subject, relation, object, passage). Each entry says one
change in plain English, with the date as the source gives it (a year, a month or a day: never completed
or guessed), the entities it is about and the passages or citations that state it. A thing the source
places in time only in words ("former chair") is an undated entry that says the source gives no date.

>>> rows = [
...     {"subject": "p", "relation": SCHEMA + "startDate", "object": "2019-06-29", "passage": "L15"},
...     {"subject": "p", "relation": LSCP + "replaced", "object": "b", "passage": "L15"},
...     {"subject": "b", "relation": SCHEMA + "endDate", "object": "2019-06-29", "passage": "L15"},
...     {"subject": "h", "relation": LSCP + "heldPost", "object": "c", "passage": "L9"},
...     {"subject": "h", "relation": LSCP + "holder", "object": "r", "passage": "L9"},
...     {"subject": "h", "relation": LSCP + "holdingStatus", "object": LSCP + "FormerHolding", "passage": "L9"}]
>>> names = {"p": "The Partnership", "b": "The Board", "r": "Richard", "c": "Chair of the Partnership"}
>>> [(e["date"], e["sentence"]) for e in timeline_entries(rows, names.get)]
[('2019-06-29', 'The Partnership replaced The Board'), (None, 'Richard held the post of Chair of the Partnership in the past; the arrangements do not say when')]
"""

from __future__ import annotations

from collections import defaultdict

LSCP = "https://lscp-kg.example.org/ontology#"
SCHEMA = "https://schema.org/"
ORG = "http://www.w3.org/ns/org#"
DCTERMS = "http://purl.org/dc/terms/"
START, END, CEASED = SCHEMA + "startDate", SCHEMA + "endDate", LSCP + "ceasedNoLaterThan"
CHAIR_ROLES = (LSCP + "ChairRole", LSCP + "JointChairRole")
#: a document's or event's own dates, and how a sentence says them
DOCUMENT_DATES = {DCTERMS + "issued": "{x} was issued", DCTERMS + "modified": "{x} was updated",
                  LSCP + "revised": "{x} was revised", LSCP + "asOf": "{x} says how things stood on this date",
                  DCTERMS + "date": "{x} (the date the arrangements give it)"}
UNDATED = "the arrangements do not say when"


class Facts:
    """The rows by subject and relation, each value with the graphs that state it."""

    def __init__(self, rows):
        self.values: dict[tuple, dict[str, list]] = defaultdict(dict)
        for row in rows:
            self.values[(row["subject"], row["relation"])].setdefault(row["object"], []).append(row["passage"])
        self.used: set[tuple] = set()  # (subject, relation) already said by another entry

    def all(self, subject, relation) -> list[str]:
        return sorted(self.values.get((subject, relation), {}))

    def one(self, subject, relation) -> str | None:
        found = self.all(subject, relation)
        return found[0] if found else None

    def graphs(self, subject, relation, value=None) -> list[str]:
        stated = self.values.get((subject, relation), {})
        return [g for v, gs in stated.items() if value is None or v == value for g in gs]

    def subjects(self, relation) -> list[str]:
        return sorted({s for s, r in self.values if r == relation})


def _entry(date, sentence, about, graphs, kind) -> dict:
    return {"date": date, "sentence": sentence, "kind": kind, "about": sorted({a for a in about if a}),
            "graphs": sorted(set(graphs))}


def the(name: str) -> str:
    """A body's or organisation's name inside a sentence.

    >>> the("Concern Hub"), the("The Board")
    ('the Concern Hub', 'The Board')
    """
    return name if name.lower().startswith("the ") else "the " + name


def _and(names: list[str]) -> str:
    """Names joined as a list is said.

    >>> _and(["A"]), _and(["A", "B", "C"])
    ('A', 'A, B and C')
    """
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _change_events(facts: Facts, old: str, new: str) -> list[str]:
    """The change events that link an old thing to its replacement (either way round the source says it)."""
    events = [e for e in facts.subjects(ORG + "originalOrganization")
              if old in facts.all(e, ORG + "originalOrganization") and new in facts.all(e, ORG + "resultingOrganization")]
    return events + [e for e in facts.all(new, ORG + "resultedFrom") if e in facts.all(old, ORG + "changedBy") and e not in events]


def _said_by_replacement(facts: Facts, thing: str, relation: str, date: str | None) -> list[str]:
    """When the thing's date (its start or end) is the replacement's date, the replacement says it: mark it used
    and give the graphs that state it."""
    if not date or facts.one(thing, relation) != date:
        return []
    facts.used.add((thing, relation))
    return facts.graphs(thing, relation)


def _replacement(facts: Facts, name, new: str, old: str) -> dict:
    """One replacement: dated by the change event that links them, else the newcomer's start."""
    events = _change_events(facts, old, new)
    dated = [(facts.one(e, DCTERMS + "date"), e) for e in events if facts.one(e, DCTERMS + "date")]
    date = dated[0][0] if dated else facts.one(new, START)
    graphs = facts.graphs(new, LSCP + "replaced", old) + [g for _d, e in dated for g in facts.graphs(e, DCTERMS + "date")]
    facts.used.update((e, DCTERMS + "date") for e in events)
    graphs += _said_by_replacement(facts, new, START, date) + _said_by_replacement(facts, old, END, date)
    sentence = f"{name(new)} replaced {the(name(old))}" + ("" if date else f"; {UNDATED}")
    return _entry(date, sentence, [new, old, *events], graphs, "replaced")


def _replacements(facts: Facts, name) -> list[dict]:
    """What replaced what (see :func:`_replacement`)."""
    return [_replacement(facts, name, new, old)
            for new in facts.subjects(LSCP + "replaced") for old in facts.all(new, LSCP + "replaced")]


def _ceased(facts: Facts, name) -> list[dict]:
    """Organisations that ceased, and where their functions went."""
    entries = []
    transferred = LSCP + "functionsTransferredTo"
    for thing in sorted(set(facts.subjects(CEASED)) | set(facts.subjects(transferred))):
        to = facts.all(thing, transferred)
        date = facts.one(thing, CEASED)
        passed = f"its functions passed to {_and([the(name(t)) for t in to])}" if to else ""
        if date:
            sentence = f"{name(thing)} had ceased by this date" + (f"; {passed}" if passed else "")
        else:
            sentence = f"{name(thing)}: {passed}; {UNDATED}"
        entries.append(_entry(date, sentence, [thing, *to], facts.graphs(thing, CEASED) + facts.graphs(thing, transferred),
                              "ceased"))
    return entries


def _changes(facts: Facts, name) -> list[dict]:
    """Change events no replacement has said already."""
    entries = []
    for event in facts.subjects(ORG + "originalOrganization"):
        if (event, DCTERMS + "date") in facts.used:
            continue
        facts.used.add((event, DCTERMS + "date"))
        date = facts.one(event, DCTERMS + "date")
        about = [event, *facts.all(event, ORG + "originalOrganization"), *facts.all(event, ORG + "resultingOrganization")]
        graphs = facts.graphs(event, ORG + "originalOrganization") + facts.graphs(event, DCTERMS + "date")
        entries.append(_entry(date, name(event) + ("" if date else f"; {UNDATED}"), about, graphs, "change"))
    return entries


def _periods(facts: Facts, name) -> list[dict]:
    """Starts, ends and periods of bodies, organisations, documents and priorities (holdings apart)."""
    entries = []
    holdings = set(facts.subjects(LSCP + "heldPost"))
    for thing in sorted((set(facts.subjects(START)) | set(facts.subjects(END))) - holdings):
        start = None if (thing, START) in facts.used else facts.one(thing, START)
        end = None if (thing, END) in facts.used else facts.one(thing, END)
        if start and end:
            entries.append(_entry(start, f"{name(thing)} covers the period {start} to {end}", [thing],
                                  facts.graphs(thing, START) + facts.graphs(thing, END), "period"))
        elif start:
            entries.append(_entry(start, f"{name(thing)} began", [thing], facts.graphs(thing, START), "start"))
        elif end:
            entries.append(_entry(end, f"{name(thing)} ended", [thing], facts.graphs(thing, END), "end"))
    for relation, words in DOCUMENT_DATES.items():
        for thing in facts.subjects(relation):
            if (thing, relation) not in facts.used:
                for date in facts.all(thing, relation):
                    entries.append(_entry(date, words.format(x=name(thing)), [thing], facts.graphs(thing, relation, date),
                                          "dated"))
    return entries


def _post_words(facts: Facts, post: str, name) -> tuple[str, str | None]:
    """How a holding of the post is said: ("the post of X", None), or ("Y", "Y") for a chair of Y."""
    chaired = facts.one(post, ORG + "postIn") if any(r in CHAIR_ROLES for r in facts.all(post, ORG + "role")) else None
    return (the(name(chaired)), the(name(chaired))) if chaired else (f"the post of {name(post)}", None)


def _current_holders(facts: Facts) -> dict[str, list[str]]:
    """Who holds each post now, by post."""
    current: dict[str, list[str]] = defaultdict(list)
    for holding in facts.subjects(LSCP + "heldPost"):
        if facts.one(holding, LSCP + "holdingStatus") == LSCP + "CurrentHolding":
            current[facts.one(holding, LSCP + "heldPost")] += facts.all(holding, LSCP + "holder")
    return current


def _dated_holding(facts: Facts, holding: str, who: str, held: str, chaired: str | None) -> list[tuple]:
    """``(date, sentence, graphs)`` for the holding's start and end, where the source gives them."""
    said = []
    start, end = facts.one(holding, START), facts.one(holding, END)
    if start:
        said.append((start, f"{who} became chair of {chaired}" if chaired else f"{who} took up {held}",
                     facts.graphs(holding, START)))
    if end:
        said.append((end, f"{who} stopped chairing {chaired}" if chaired else f"{who} left {held}",
                     facts.graphs(holding, END)))
    return said


def _undated_holding(status: str | None, who: str, held: str, chaired: str | None, others: list[str]) -> str:
    """How a holding without dates is said: as the source's words put it (current, former, or neither)."""
    if status == LSCP + "CurrentHolding":
        now = f"{who} chairs {chaired} now (the current chair)" if chaired else f"{who} holds {held} now"
        return now + "; the arrangements do not say since when"
    if status == LSCP + "FormerHolding":
        before = f" before {_and(others)}" if others else " in the past"
        return (f"{who} chaired {chaired}{before}" if chaired else f"{who} held {held}{before}") + f"; {UNDATED}"
    return f"{who} held {held} at some time; {UNDATED}"


def _holdings(facts: Facts, name) -> list[dict]:
    """Who held each post: dated by the holding's start and end, else as the source's words put it."""
    entries = []
    current = _current_holders(facts)
    for holding in facts.subjects(LSCP + "heldPost"):
        post, status = facts.one(holding, LSCP + "heldPost"), facts.one(holding, LSCP + "holdingStatus")
        people = facts.all(holding, LSCP + "holder")
        who = _and([name(p) for p in people]) if people else "Someone the arrangements do not name"
        held, chaired = _post_words(facts, post, name)
        about = [holding, post, *people, facts.one(post, ORG + "postIn")]
        graphs = [g for r in (LSCP + "heldPost", LSCP + "holder", LSCP + "holdingStatus") for g in facts.graphs(holding, r)]
        dated = _dated_holding(facts, holding, who, held, chaired)
        entries += [_entry(date, sentence, about, graphs + more, "holding") for date, sentence, more in dated]
        if not dated:
            others = [name(p) for p in current.get(post, []) if p not in people]
            entries.append(_entry(None, _undated_holding(status, who, held, chaired, others), about, graphs, "holding"))
    return entries


def timeline_entries(rows, name) -> list[dict]:
    """Every entry, dated ones by date (then sentence), undated ones last (by sentence)."""
    facts = Facts(rows)
    entries = _replacements(facts, name) + _ceased(facts, name) + _changes(facts, name) + _holdings(facts, name)
    entries += _periods(facts, name)
    return sorted(entries, key=lambda e: (e["date"] is None, e["date"] or "", e["sentence"]))


def about_entity(entries: list[dict], iri: str) -> list[dict]:
    """The entries about one entity.

    >>> about_entity([{"about": ["a", "b"]}, {"about": ["c"]}], "b")
    [{'about': ['a', 'b']}]
    """
    return [e for e in entries if iri in e["about"]]
