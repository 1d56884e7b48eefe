"""Fields several kinds have: each property declared once here, with the kind's own words where they differ.

>>> [(f.key, f.doc) for f in period(end="When it ended.")]
[('start', ''), ('end', 'When it ended.')]
>>> [f.key for f in meetings("How often it meets.")]
['meets', 'meets_as_stated']
"""

from __future__ import annotations

from .kinds import LSCP, SCHEMA, Field, date, ref, text

AIM = ref("aim", LSCP + "aim", "aim")
FUNDING = ref("funding", LSCP + "funding")
RESPONSIBILITY = ref("responsibility", LSCP + "hasResponsibility", "responsibility")
SCRUTINISED_BY = ref("scrutinised_by", LSCP + "scrutinisedBy", "post")
#: How an organisation or a service ended without a change event: by a date at the latest, its functions passed on.
WOUND_UP = (date("ceased_no_later_than", LSCP + "ceasedNoLaterThan"),
            ref("functions_transferred_to", LSCP + "functionsTransferredTo", "org"))


def area(doc: str = "") -> Field:
    """The local authority area it covers (lscp:area)."""
    return ref("area", LSCP + "area", "area", doc)


def period(start: str = "", end: str = "") -> tuple[Field, Field]:
    """When it began and ended (schema:startDate, schema:endDate), each said in the kind's words."""
    return date("start", SCHEMA + "startDate", start), date("end", SCHEMA + "endDate", end)


def replaced(target: str, doc: str) -> Field:
    """What it replaced (lscp:replaced), of any kind; a bare name is in the ``target`` namespace."""
    return ref("replaced", LSCP + "replaced", target, doc)


def meetings(doc: str) -> tuple[Field, Field]:
    """How often it meets (a DCMI frequency term, or the interval between meetings), and the source's words."""
    return (Field("meets", LSCP + "meetingFrequency", "frequency", doc=doc, interval=LSCP + "meetingInterval"),
            text("meets_as_stated", LSCP + "meetingFrequencyAsStated", "The source's words for how often it meets."))
