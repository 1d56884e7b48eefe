"""Whether an entity is a thing of the past, in words: "ended 1 July 2022, replaced by ...".

An entity has ended when the graphs of the page's scope (:class:`~lscp_kg.service.scoping.Scope`)
give it an end date (``schema:endDate``), a date by which it ceased (``lscp:ceasedNoLaterThan``),
a successor (another thing that ``lscp:replaced`` it, a change event whose resulting organisation
is another, or ``lscp:functionsTransferredTo``); an end date still to come does not count. Answer tables mark such names and list them after
the current ones; nothing is invented: with neither date nor successor, nothing is said.
"""

from __future__ import annotations

import datetime as dt

from lscp_kg.namespaces import LSCP, PREFIXES
from lscp_kg.service.scoping import Scope

END_DATES = (PREFIXES["schema"] + "endDate", LSCP + "ceasedNoLaterThan")
CHANGED_BY = PREFIXES["org"] + "changedBy"
RESULTING = PREFIXES["org"] + "resultingOrganization"
EVENT_DATE = PREFIXES["dcterms"] + "date"


def date_in_words(text: str | None) -> str | None:
    """An ISO date (or year-month, or year) as people write it; anything else (None included) as it is.

    >>> date_in_words("2022-07-01"), date_in_words("2022-01"), date_in_words("2021"), date_in_words("soon")
    ('1 July 2022', 'January 2022', '2021', 'soon')
    >>> date_in_words(None) is None
    True
    """
    if not text:
        return text
    for pattern, shown in (("%Y-%m-%d", "{d.day} {d:%B %Y}"), ("%Y-%m", "{d:%B %Y}"), ("%Y", "{d:%Y}")):
        try:
            return shown.format(d=dt.datetime.strptime(text[:10], pattern))
        except ValueError:
            continue
    return text


def last_day(text: str) -> str:
    """The last day a date, month or year covers, as an ISO text that compares with another by its characters.

    >>> last_day("2022-07-01"), last_day("2022-01"), last_day("2027")
    ('2022-07-01', '2022-01-31', '2027-12-31')
    """
    return text[:10] + {4: "-12-31", 7: "-31"}.get(len(text[:10]), "")


def _successors(iri: str, scope: Scope) -> list[str]:
    """What replaced the entity, took its functions or resulted from a change it went through (not itself)."""
    found = [t.value for t in scope.values(iri, LSCP + "replaced", outgoing=False)]
    found += [t.value for t in scope.values(iri, LSCP + "functionsTransferredTo")]
    for event in _change_events(iri, scope):
        found += [t.value for t in scope.values(event, RESULTING)]
    return [s for s in dict.fromkeys(found) if s != iri]


def _change_events(iri: str, scope: Scope) -> list[str]:
    """The change events (``org:changedBy``) the entity went through, named by IRI."""
    return [event.value for event in scope.values(iri, CHANGED_BY) if hasattr(event, "value")]


def _past_end_dates(iri: str, scope: Scope, today: str) -> list[str]:
    """The entity's end dates, dates it ceased by and dates of its change events, those before ``today``."""
    dates = [v.value for p in END_DATES for v in scope.values(iri, p)]
    dates += [d.value for event in _change_events(iri, scope) for d in scope.values(event, EVENT_DATE)]
    return [d for d in dates if last_day(d) < today]  # an end still to come is not a thing of the past


def ended(iri: str, scope: Scope, today: str | None = None) -> dict | None:
    """``{"date", "successors", "when", "text"}`` (``when``: "ended 1 July 2022") for an entity that has ended, else None (see the module docstring)."""
    dates = _past_end_dates(iri, scope, today or dt.date.today().isoformat())
    successors = _successors(iri, scope)
    if not dates and not successors:
        return None
    names = [scope.name(s) for s in successors]
    date = min(dates) if dates else None
    when = "ended" + (f" {date_in_words(date)}" if date else "")
    text = when + (", replaced by " + " and ".join(n["text"] for n in names) if names else "")
    return {"date": date, "successors": names, "when": when, "text": text}
