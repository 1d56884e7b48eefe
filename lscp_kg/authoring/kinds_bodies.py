"""Kinds: bodies (executive, partnership group, subgroups, teams), how they are chaired, and change events."""

from __future__ import annotations

from .kinds import DCT, DURATION_WORDS, LSCP, ORG, SCHEMA, Field, Kind, boolean, date, ref, text
from .kinds_agents import SECTOR

GROUP = "Bodies, chairing and changes"
PROV = "http://www.w3.org/ns/prov#"

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
        Field("meets", LSCP + "meetingFrequency", "frequency", doc=(
            "How often it meets: annual, semiannual, three-times-a-year, quarterly, bimonthly, monthly, "
            "biweekly, weekly, ... (DCMI frequency terms), or the time between meetings as " + DURATION_WORDS
            + ". P6W is every six weeks."), interval=LSCP + "meetingInterval"),
        text("meets_as_stated", LSCP + "meetingFrequencyAsStated", "The source's words for how often it meets."),
        ref("chairing_rule", LSCP + "chairingRule", "local"),
        ref("responsibility", LSCP + "hasResponsibility", "responsibility"),
        ref("oversees", LSCP + "oversees", "local"),
        ref("area", LSCP + "area", "area"),
        date("start", SCHEMA + "startDate"),
        date("end", SCHEMA + "endDate", "When it ended (a body that no longer meets)."),
        ref("replaced", LSCP + "replaced", "body", "What it replaced, of any kind: a body (a bare name), or a path: "
            "org/NAME, partnership/NAME."),
        boolean("concerns_adults", LSCP + "concernsAdults",
                "true for a body of a joint partnership's adults' side (a safeguarding adults board's subgroup)."),
        ref("resulted_from", ORG + "resultedFrom", "local"),
        ref("changed_by", ORG + "changedBy", "local"),
        ref("covers_harm", LSCP + "coversHarm", "concept"),
        ref("strategic_strand", LSCP + "strategicStrand", "concept"),
        ref("addresses_priority", LSCP + "addressesPriority", "concept"),
        Field("time_limited", LSCP + "timeLimited", "boolean"),
        Field("convened_when_needed", LSCP + "convenedWhenNeeded", "boolean"),
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
