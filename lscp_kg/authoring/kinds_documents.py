"""Kinds: documents (arrangements, reports, series), guidance and legislation, the report's path,
inspections, contacts and source issues."""

from __future__ import annotations

from .kinds import DCT, LSCP, SCHEMA, SCRUTINISED_BY, Field, Kind, date, period, ref, term, text

GROUP = "Documents, law, reporting, contacts and source issues"
PROV = "http://www.w3.org/ns/prov#"
STEPS = {name: LSCP + iri for name, iri in (
    ("independent-scrutiny", "IndependentScrutinyStep"), ("endorsement", "EndorsementStep"),
    ("presentation", "PresentationStep"), ("publication", "PublicationStep"), ("distribution", "DistributionStep"))}

DOCUMENT_FIELDS = [
    text("title", DCT + "title"),
    ref("publisher", DCT + "publisher", "org", "Who publishes it (an organisation or the partnership)."),
    date("issued", DCT + "issued"),
    date("updated", DCT + "modified", "The date the source says it was updated ('Page last updated ...')."),
    date("revised", LSCP + "revised", "The date the source says it was revised."),
]
SIGNATORY = ref("signatory", LSCP + "signatory", "person",
                "Who signed it: a person (a bare name) or a post (a path: NAME/post/NAME).")
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"

KINDS = [
    Kind("document", "our-doc", {
        "arrangements-document": LSCP + "ArrangementsDocument", "annual-report": LSCP + "AnnualReport",
        "inspection-report": LSCP + "InspectionReport", "document-series": LSCP + "DocumentSeries",
        "threshold-document": LSCP + "ThresholdDocument",
    }, [
        *DOCUMENT_FIELDS,
        ref("produced_by", LSCP + "producedBy", "partnership"),
        text("status", LSCP + "documentStatus", "Its status in the source's words: published, under development."),
        *period("First year (or date) of the period it covers.", "Last year (or date) of the period it covers."),
        ref("part_of", DCT + "isPartOf", "our-doc", "The series it belongs to (annual reports)."),
        ref("threshold_level", LSCP + "thresholdLevel", "concept",
            "A level of need of a threshold document (the threshold check looks for these)."),
        ref("generated_by", PROV + "wasGeneratedBy", "local"),
        text("finding", LSCP + "finding"),
        ref("required_content", LSCP + "requiredContent", "aim"),
        SCRUTINISED_BY,
        ref("report_step", LSCP + "reportStep", "local", "A step of the report's path (see report-step)."),
        SIGNATORY,
    ], "A document of the partnership (id/PARTNERSHIP/doc/NAME): arrangements, annual reports, threshold guidance."),
    Kind("source-document", "source", {"source-document": LSCP + "SourceDocument"}, [*DOCUMENT_FIELDS, SIGNATORY],
         "The source document itself, when a passage says something about it (who publishes it)."),
    Kind("guidance", "doc", {"guidance": LSCP + "Guidance"}, DOCUMENT_FIELDS,
         "Guidance or procedures shared across partnerships (id/doc/NAME): Working Together, London procedures."),
    Kind("legislation", "legislation", {"legislation": LSCP + "Legislation"}, [
        *DOCUMENT_FIELDS, text("identifier", DCT + "identifier", "Its citation: 2004 c. 31."),
    ], "An Act, named by its legislation.gov.uk IRI: http://www.legislation.gov.uk/id/ukpga/2004/31."),
    Kind("report-step", "local", {"report-step": LSCP + "ReportStep"}, [
        Field("order", LSCP + "stepOrder", "integer", doc="1 for the first step; steps taken together share a number."),
        term("step", LSCP + "stepKind", STEPS, "What happens: " + ", ".join(STEPS) + "."),
        ref("actor", LSCP + "actor", "post", "Who takes the step: a post, body or organisation."),
    ], "A step on the annual report's path (scrutiny, endorsement, presentation, publication, distribution)."),
    Kind("inspection", "local", {"inspection": LSCP + "Inspection"}, [
        ref("inspected_by", LSCP + "inspectedBy", "org"),
        ref("inspected", LSCP + "inspected", "partnership"),
        date("date", DCT + "date"),
    ], "An inspection of the partnership."),
    Kind("quotation", "local", {"quotation": SCHEMA + "Quotation"}, [
        ref("attributed_to", PROV + "wasAttributedTo", "org", "Who gave it: an organisation (a bare name) and the "
            "person who spoke for it (a path: person/NAME)."),
    ], "A statement someone gave that the source quotes (a response to an inspection report, say): who gave it "
       "(attributed_to), what it responds to (references) and what it says (description). The words themselves are "
       "the passage's quote."),
    Kind("contact", "local", {"contact-point": SCHEMA + "ContactPoint"}, [
        text("purpose", LSCP + "purpose", "What to contact it for, in the source's words."),
        text("email", SCHEMA + "email"),
        text("telephone", SCHEMA + "telephone"),
    ], "A contact point."),
    Kind("issue", "issue", {"source-issue": LSCP + "SourceIssue"}, [
        ref("concerns", LSCP + "concerns", "local", "What the issue is about (required)."),
    ], "A source issue: a contradiction or out-of-date wording, recorded, never resolved silently. "
       "Give comment (what is wrong) and concerns."),
    Kind("alternatives", "local", {"alternatives": LSCP + "Alternatives"}, [
        ref("subject", RDF + "subject", "local", "What the statement is about (a path: NAME/body/NAME, org/NAME)."),
        ref("property", RDF + "predicate", "lscp", "The relation it offers alternatives for, as a prefixed name: "
            "lscp:chairDrawnFrom, org:postIn, lscp:safeguardingPartner (a bare name is lscp:NAME)."),
        ref("either_of", LSCP + "eitherOf", "local", "Each value the statement offers (two or more; a path each)."),
    ], "A statement that says 'A or B': the graph records the choice the source offers and asserts neither. "
       "Where the 'or' is an ambiguity rather than a choice, record a source issue too."),
]
