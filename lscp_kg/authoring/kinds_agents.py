"""Kinds: the partnership, organisations, people, areas and service areas (shared across partnerships)."""

from __future__ import annotations

from .kinds import LSCP, ORG, SCHEMA, Field, Kind, date, ref, text

GROUP = "Partnership, organisations and people"
FOAF = "http://xmlns.com/foaf/0.1/"

SECTOR = Field("sector", LSCP + "sector", "ref", "sector",
               "Its sector, a concept of lscp:OrganisationSectors: police, local-authority, icb, nhs-trust, "
               "nhs-england, education, schools, probation, youth-justice, housing, public-health, "
               "voluntary-and-faith, ... (a bare name is lscp:sector-NAME).")

KINDS = [
    Kind("partnership", "partnership", {"safeguarding-partnership": LSCP + "SafeguardingPartnership"}, [
        ref("area", LSCP + "area", "area", "The local authority area it covers."),
        text("vision", LSCP + "vision"),
        ref("aim", LSCP + "aim", "aim"),
        ref("objective", LSCP + "objective", "aim"),
        ref("objectives_set_by", LSCP + "objectivesSetBy", "doc"),
        ref("created_in_response_to", LSCP + "createdInResponseTo", "legislation"),
        ref("formed_by", LSCP + "formedBy", "org"),
        ref("safeguarding_partner", LSCP + "safeguardingPartner", "org", "A statutory safeguarding partner (an organisation)."),
        ref("partner_named_as_person", LSCP + "partnerNamedAsPerson", "person",
            "A statutory partner the source names only as a person."),
        ref("relevant_agency", LSCP + "relevantAgency", "org"),
        ref("responsibility", LSCP + "hasResponsibility", "responsibility"),
        ref("replaced", LSCP + "replaced", "org"),
        date("start", SCHEMA + "startDate"),
        ref("resulted_from", ORG + "resultedFrom", "local", "The change event it resulted from."),
        ref("works_closely_with", LSCP + "worksCloselyWith", "local", "A related board or partnership."),
        ref("funding", LSCP + "funding"),
        ref("scrutinised_by", LSCP + "scrutinisedBy", "post"),
        ref("report_series", LSCP + "reportSeries", "our-doc"),
        ref("underpinned_by", LSCP + "underpinnedBy", "legislation"),
        ref("follows_guidance", LSCP + "followsGuidance", "doc", "Guidance or law it says it is governed by."),
        ref("legal_framework", LSCP + "legalFramework", "doc", "An item of its list of legal frameworks."),
        Field("delivers_services_directly", LSCP + "deliversServicesDirectly", "boolean"),
        ref("contact", LSCP + "contactPoint", "local"),
    ], "A safeguarding children partnership (shared name: id/partnership/NAME)."),
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
        ref("area", LSCP + "area", "area"),
        ref("part_of", ORG + "subOrganizationOf", "org"),
        date("start", SCHEMA + "startDate"),
        date("end", SCHEMA + "endDate"),
        ref("changed_by", ORG + "changedBy", "local", "The change event that ended or changed it."),
        date("ceased_no_later_than", LSCP + "ceasedNoLaterThan"),
        ref("functions_transferred_to", LSCP + "functionsTransferredTo", "org"),
    ], "An organisation (shared name: id/org/NAME), a related board, or a body the partnership replaced."),
    Kind("person", "person", {"person": FOAF + "Person"}, [
        text("name", FOAF + "name", "The person's name as the source gives it (required once)."),
        text("title", FOAF + "title", "An honorific or rank: Councillor, Detective Superintendent."),
        ref("holds", ORG + "holds", "post", "A post the person holds."),
    ], "A person (shared name: id/person/NAME, one entity in every partnership)."),
    Kind("area", "area", {"local-authority-area": LSCP + "LocalAuthorityArea"}, [
        text("population_statement", LSCP + "populationStatement"),
        ref("works_closely_with", LSCP + "worksCloselyWith", "area"),
    ], "A local authority area (shared name: id/area/NAME)."),
    Kind("service-area", "local", {
        "service-area": LSCP + "ServiceArea", "group": LSCP + "Group",
        "multi-agency-safeguarding-hub": LSCP + "MultiAgencySafeguardingHub",
    }, [
        SECTOR,
        ref("area", LSCP + "area", "area"),
        date("ceased_no_later_than", LSCP + "ceasedNoLaterThan"),
        ref("functions_transferred_to", LSCP + "functionsTransferredTo", "org"),
    ], "A service, directorate, sector or group the source names without its legal body (id/PARTNERSHIP/NAME)."),
]
