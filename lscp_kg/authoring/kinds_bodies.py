"""Kinds: bodies (executive, partnership group, subgroups, teams), how they are chaired, and change events."""

from __future__ import annotations

from .kinds import DCT, DURATION_WORDS, LSCP, ORG, RESPONSIBILITY, Field, Kind, area, boolean, date, meetings, period, ref, replaced
from .kinds_agents import SECTOR

GROUP = "Bodies, chairing and changes"
PROV = "http://www.w3.org/ns/prov#"

#: What a body works on: the harms, strands and priorities of the partnership's concept schemes.
WORKS_ON = (ref("covers_harm", LSCP + "coversHarm", "concept"), ref("strategic_strand", LSCP + "strategicStrand", "concept"),
            ref("addresses_priority", LSCP + "addressesPriority", "concept"))
#: Whether it lasts: a group set up for a time, or one convened only when needed.
HOW_LONG_IT_LASTS = (boolean("time_limited", LSCP + "timeLimited"),
                     boolean("convened_when_needed", LSCP + "convenedWhenNeeded"))

KINDS = [
    Kind("body", "body", {
        "executive-body": LSCP + "ExecutiveBody", "partnership-group": LSCP + "PartnershipGroup",
        "subgroup": LSCP + "Subgroup", "task-and-finish-group": LSCP + "TaskAndFinishGroup",
        "support-team": LSCP + "SupportTeam", "steering-group": LSCP + "SteeringGroup", "body": LSCP + "Body",
    }, [
        SECTOR,
        ref("partnership_of", LSCP + "partnershipOf", "partnership", "The partnership whose body it is (required once)."),
        ref("reports_to", ORG + "reportsTo", "body"),
        ref("informs", LSCP + "informs", "body"),
        ref("supported_by", LSCP + "supportedBy", "body"),
        *meetings("How often it meets: annual, semiannual, three-times-a-year, quarterly, bimonthly, monthly, "
                  "biweekly, weekly, ... (DCMI frequency terms), or the time between meetings as " + DURATION_WORDS
                  + ". P6W is every six weeks."),
        ref("chairing_rule", LSCP + "chairingRule", "local"),
        RESPONSIBILITY,
        ref("oversees", LSCP + "oversees", "local"),
        area(),
        *period(end="When it ended (a body that no longer meets)."),
        replaced("body", "What it replaced, of any kind: a body (a bare name), or a path: org/NAME, partnership/NAME."),
        boolean("concerns_adults", LSCP + "concernsAdults",
                "true for a body of a joint partnership's adults' side (a safeguarding adults board's subgroup)."),
        ref("resulted_from", ORG + "resultedFrom", "local"),
        ref("changed_by", ORG + "changedBy", "local"),
        *WORKS_ON,
        *HOW_LONG_IT_LASTS,
    ], "A body of the partnership, with what it reports to and how often it meets (id/PARTNERSHIP/body/NAME)."),
    Kind("chairing-rule", "local", {"chairing-rule": LSCP + "ChairingRule"}, [
        ref("chair_drawn_from", LSCP + "chairDrawnFrom", "body"),
        Field("rotation", LSCP + "rotation", "frequency", doc=(
            "How often the chair rotates: a DCMI frequency term (annual, ...), or the time each chair serves as "
            + DURATION_WORDS + ". P2Y is every two years."), interval=LSCP + "chairRotationPeriod"),
    ], "How a body's chair is chosen."),
    Kind("change", "local", {"change-event": ORG + "ChangeEvent"}, [
        ref("original", ORG + "originalOrganization", "org", "What was replaced."),
        ref("resulting", ORG + "resultingOrganization", "partnership", "What replaced it."),
        date("date", DCT + "date"),
        ref("influenced_by", PROV + "wasInfluencedBy", "doc"),
    ], "A change event: what replaced what, and when."),
]
