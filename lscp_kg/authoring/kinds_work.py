"""Kinds: responsibilities and their functions, aims, priorities and other concept schemes, programmes, funding."""

from __future__ import annotations

from .kinds import AIM, DCT, FUNDING, LSCP, RESPONSIBILITY, SCHEMA, Field, Kind, date, period, ref, text

GROUP = "Responsibilities, priorities, programmes and funding"
SKOS = "http://www.w3.org/2004/02/skos/core#"

KINDS = [
    Kind("responsibility", "responsibility", {
        "responsibility": LSCP + "Responsibility", "adults-duty": LSCP + "AdultsDuty"}, [
        Field("function", LSCP + "function", "ref", "function", doc=(
            "The kind of work it is, a concept of lscp:ResponsibilityFunctions: rapid-reviews, "
            "commissioning-practice-reviews, publishing-practice-reviews, notifying-national-panel, "
            "multi-agency-training, audit, independent-scrutiny, ...; a joint partnership's duties to adults: "
            "adults-strategic-plan, adults-annual-report, safeguarding-adults-reviews (a bare name is lscp:function-NAME). "
            "Scrutiny checks match functions, not wording.")),
        text("question_answered", LSCP + "questionAnswered"),
        Field("periodicity", DCT + "accrualPeriodicity", "frequency", doc="How often it is done (annual, ...)."),
    ], "A responsibility or function of the partnership, a body, a post or an arrangement; a joint partnership's "
       "duties to adults are of type adults-duty.", implies={LSCP + "AdultsDuty": (LSCP + "Responsibility",)}),
    Kind("aim", "aim", {"aim": LSCP + "Aim"}, [],
         "An aim, objective, value or required content, in the source's words."),
    Kind("scheme", "concept", {"concept-scheme": SKOS + "ConceptScheme"}, [
        text("pref_label", SKOS + "prefLabel"),
        ref("top_concept", SKOS + "hasTopConcept", "concept"),
        ref("partnership_of", LSCP + "partnershipOf", "partnership"),
        *period(),
    ], "A list of concepts: the partnership's priorities for a period, harms, reform areas, threshold levels."),
    Kind("concept", "concept", {
        "strategic-priority": LSCP + "StrategicPriority", "overarching-priority": LSCP + "OverarchingPriority",
        "reform-area": LSCP + "ReformArea", "concept": SKOS + "Concept",
    }, [
        ref("in_scheme", SKOS + "inScheme", "concept"),
        text("pref_label", SKOS + "prefLabel"),
        text("definition", SKOS + "definition"),
    ], "A priority or other concept of a scheme."),
    Kind("programme", "local", {"programme": LSCP + "Programme"}, [
        ref("selected_by", LSCP + "selectedBy", "org"),
        ref("participant", LSCP + "participant", "org"),
        Field("number_of_participants", LSCP + "numberOfParticipants", "integer"),
        AIM,
        FUNDING,
        ref("implements", LSCP + "implements", "doc"),
        ref("reform_area", LSCP + "reformArea", "concept"),
        ref("governed_by", LSCP + "governedBy", "partnership"),
    ], "A programme the partnership or its partners take part in."),
    Kind("funding", "local", {"funding-arrangement": LSCP + "FundingArrangement"}, [
        ref("funder", LSCP + "funder", "org"),
        ref("amount", LSCP + "amount"),
        date("confirmed_until", LSCP + "confirmedUntil"),
        text("contribution_rule", LSCP + "contributionRule"),
        ref("host_agency", LSCP + "hostAgency", "org"),
        RESPONSIBILITY,
    ], "How the partnership or a programme is funded."),
    Kind("amount", "local", {"monetary-amount": SCHEMA + "MonetaryAmount"}, [
        Field("value", SCHEMA + "value", "number"),
        text("currency", SCHEMA + "currency", "ISO 4217 code: GBP."),
    ], "An amount of money."),
]
