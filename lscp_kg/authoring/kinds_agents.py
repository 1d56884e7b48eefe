"""Kinds: the partnership, organisations, people, areas and service areas (shared across partnerships)."""

from __future__ import annotations

from .kinds import (AIM, DURATION_WORDS, FUNDING, LSCP, ORG, RESPONSIBILITY, SCRUTINISED_BY, WOUND_UP, Field, Kind, area,
                    duration, meetings, period, ref, replaced, term, text)

GROUP = "Partnership, organisations and people"
FOAF = "http://xmlns.com/foaf/0.1/"

SECTOR = Field("sector", LSCP + "sector", "ref", "sector",
               "Its sector, a concept of lscp:OrganisationSectors: police, local-authority, icb, nhs-trust, "
               "nhs-england, education, schools, probation, youth-justice, housing, public-health, "
               "voluntary-and-faith, ... (a bare name is lscp:sector-NAME).")

SAFEGUARDING_PARTNERSHIP, JOINT = LSCP + "SafeguardingPartnership", LSCP + "JointSafeguardingPartnership"
CHAIR_MODELS = {"independent-chair": LSCP + "IndependentChairModel",
                "partner-officer": LSCP + "PartnerOfficerChairModel", "rotating": LSCP + "RotatingChairModel"}
SCRUTINY_MODELS = {"independent-scrutineer": LSCP + "IndependentScrutineerModel", "panel": LSCP + "ScrutinyPanelModel"}

# The partnership's fields by what they say (in the order the schema and the guide list them).
#: How it is chaired and scrutinised.
CHAIRING_AND_SCRUTINY = (
    term("chair_model", LSCP + "chairModel", CHAIR_MODELS,
         "How it is chaired: " + ", ".join(CHAIR_MODELS) + " (rotation between named partners)."),
    duration("chair_rotation_period", LSCP + "chairRotationPeriod",
             "How long each chair serves in a rotating chair model (P2Y every two years)."),
    ref("chair_rotates_among", LSCP + "chairRotatesAmong", "org", "A partner the chair rotates among (list each one)."),
    term("scrutiny_model", LSCP + "scrutinyModel", SCRUTINY_MODELS,
         "How it is scrutinised: " + ", ".join(SCRUTINY_MODELS) + "."),
)
#: What it is for, and what it answers.
PURPOSE = (text("vision", LSCP + "vision"), AIM, ref("objective", LSCP + "objective", "aim"),
           ref("objectives_set_by", LSCP + "objectivesSetBy", "doc"),
           ref("created_in_response_to", LSCP + "createdInResponseTo", "legislation"))
#: Who forms it: the statutory safeguarding partners, and the agencies it names as relevant.
STATUTORY_PARTNERS = (
    ref("formed_by", LSCP + "formedBy", "org"),
    ref("safeguarding_partner", LSCP + "safeguardingPartner", "org", "A statutory safeguarding partner (an organisation)."),
    ref("partner_named_as_person", LSCP + "partnerNamedAsPerson", "person",
        "A statutory partner the source names only as a person."),
    ref("relevant_agency", LSCP + "relevantAgency", "org"),
)
#: The law and guidance it says it is governed by.
LAW_AND_GUIDANCE = (
    ref("underpinned_by", LSCP + "underpinnedBy", "legislation"),
    ref("follows_guidance", LSCP + "followsGuidance", "doc", "Guidance or law it says it is governed by."),
    ref("legal_framework", LSCP + "legalFramework", "doc", "An item of its list of legal frameworks."),
)

KINDS = [
    Kind("partnership", "partnership", {
        "safeguarding-partnership": SAFEGUARDING_PARTNERSHIP, "joint-safeguarding-partnership": JOINT,
        "pan-area-arrangement": LSCP + "PanAreaArrangement",
    }, [
        area("A local authority area it covers; a partnership of several areas lists each: area: [north, south]."),
        ref("sits_within", LSCP + "sitsWithin", "partnership",
            "The pan-area arrangement it sits within (a partnership of type pan-area-arrangement)."),
        ref("additional_partner", LSCP + "additionalPartner", "org",
            "A partner beside the three statutory ones, by name (an organisation: a schools' forum, a college)."),
        *meetings("How often the partnership meets as itself: a DCMI frequency term or the time between meetings as "
                  + DURATION_WORDS + "."),
        *CHAIRING_AND_SCRUTINY,
        *PURPOSE,
        *STATUTORY_PARTNERS,
        RESPONSIBILITY,
        replaced("org", "What it replaced, of any kind: an organisation or board (a bare name), or a path: "
                 "partnership/NAME, NAME/body/NAME."),
        *period(end="When it ended (a predecessor partnership)."),
        ref("resulted_from", ORG + "resultedFrom", "local", "The change event it resulted from."),
        ref("works_closely_with", LSCP + "worksCloselyWith", "local", "A related board or partnership."),
        FUNDING,
        SCRUTINISED_BY,
        ref("report_series", LSCP + "reportSeries", "our-doc"),
        *LAW_AND_GUIDANCE,
        Field("delivers_services_directly", LSCP + "deliversServicesDirectly", "boolean"),
        ref("contact", LSCP + "contactPoint", "local"),
    ], "A safeguarding children partnership, a joint children's and adults' partnership (its adults' duties are "
       "responsibilities of type adults-duty), or a pan-area arrangement that local partnerships sit within "
       "(shared name: id/partnership/NAME).", implies={JOINT: (SAFEGUARDING_PARTNERSHIP,)}),
    Kind("organisation", "org", {
        "local-authority": LSCP + "LocalAuthority", "police-force": LSCP + "PoliceForce",
        "police-command-unit": LSCP + "PoliceCommandUnit", "integrated-care-board": LSCP + "IntegratedCareBoard",
        "integrated-care-system": LSCP + "IntegratedCareSystem",
        "clinical-commissioning-group": LSCP + "ClinicalCommissioningGroup", "nhs-trust": LSCP + "NHSTrust",
        "community-rehabilitation-company": LSCP + "CommunityRehabilitationCompany",
        "inspectorate": LSCP + "Inspectorate", "safeguarding-children-board": LSCP + "SafeguardingChildrenBoard",
        "board": LSCP + "Board", "organisation": ORG + "Organization", "formal-organisation": ORG + "FormalOrganization",
    }, [
        SECTOR,
        area(),
        ref("part_of", ORG + "subOrganizationOf", "org"),
        *period(),
        replaced("org", "What it replaced, of any kind (a path for a body or partnership)."),
        ref("changed_by", ORG + "changedBy", "local", "The change event that ended or changed it."),
        *WOUND_UP,
    ], "An organisation (shared name: id/org/NAME), a related board, or a body the partnership replaced."),
    Kind("person", "person", {"person": FOAF + "Person"}, [
        text("name", FOAF + "name", "The person's name as the source gives it (required once)."),
        text("title", FOAF + "title", "An honorific or rank: Councillor, Detective Superintendent."),
        ref("holds", ORG + "holds", "post", "A post the person holds."),
        text("reused_because", LSCP + "reuseReason", "Why this is the same person another partnership's file "
             "names (the reason or a citation): required where a person is named by several partnerships."),
    ], "A person (shared name: id/person/NAME: one person in every partnership that names them, only on purpose)."),
    Kind("area", "area", {"local-authority-area": LSCP + "LocalAuthorityArea"}, [
        text("population_statement", LSCP + "populationStatement"),
        ref("works_closely_with", LSCP + "worksCloselyWith", "area"),
    ], "A local authority area (shared name: id/area/NAME)."),
    Kind("service-area", "local", {
        "service-area": LSCP + "ServiceArea", "group": LSCP + "Group",
        "multi-agency-safeguarding-hub": LSCP + "MultiAgencySafeguardingHub",
    }, [
        SECTOR,
        area(),
        *WOUND_UP,
        replaced("local", "What it replaced, of any kind (a path for anything but another service area)."),
    ], "A service, directorate, sector or group the source names without its legal body (id/PARTNERSHIP/NAME)."),
]
