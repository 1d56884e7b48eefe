"""What the page tests share: the synthetic benchmark's generator, the app over two scrutiny fixtures, and
the TriG that opens a fictional partnership's source document and its first passage.

Kept here so that each is written once (``duplicates`` found the copies in the timeline, side-by-side,
home and plain-English tests).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from lscp_kg.service.app import create_app

ROOT = Path(__file__).resolve().parent.parent
SCRUTINY_FIXTURES = ROOT / "tests" / "fixtures" / "scrutiny"

TRIG_PREFIXES = """
@prefix lscp:   <https://lscp-kg.example.org/ontology#> .
@prefix org:    <http://www.w3.org/ns/org#> .
@prefix prov:   <http://www.w3.org/ns/prov#> .
@prefix schema: <https://schema.org/> .
@prefix rdfs:   <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd:    <http://www.w3.org/2001/XMLSchema#> .
"""


def synthetic_benchmark():
    """``benchmarks/synthetic.py`` as a module (its ``generate`` writes generated partnerships' TriG)."""
    spec = importlib.util.spec_from_file_location("benchmark_synthetic", ROOT / "benchmarks" / "synthetic.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("benchmark_synthetic", module)
    spec.loader.exec_module(module)
    return module


def opening_trig(slug: str, document_label: str, passage_text: str) -> str:
    """The prefixes, the source document ``id/source/<slug>-arrangements`` of ``id/partnership/<slug>`` and the
    opened graph of its passage at line 1 (``id/<slug>/passage/L1``): the caller writes the passage's facts
    and closes the graph with ``}``."""
    source, partnership = f"<id/source/{slug}-arrangements>", f"<id/partnership/{slug}>"
    return TRIG_PREFIXES + f"""
{source} {{
    {source} a lscp:SourceDocument ; lscp:partnershipContext {partnership} ; rdfs:label "{document_label}" .
}}
<id/{slug}/passage/L1> {{
    <id/{slug}/passage/L1> a lscp:SourcePassage ; lscp:source {source} ; lscp:partnershipContext {partnership} ;
        lscp:startLine 1 ; lscp:endLine 1 ; prov:value "{passage_text}" .
"""


def several_partnerships_client():
    """A test client over Lewisham and two fictional partnerships (the scrutiny fixtures), and its app's query runner to
    close: ``client, close = several_partnerships_client()``."""
    application = create_app({"TESTING": True, "QUERY_WORKERS": 1,
                              "DATA": [SCRUTINY_FIXTURES / "exampleshire.trig", SCRUTINY_FIXTURES / "bareshire.trig"]})
    return application.test_client(), application.extensions["lscp_kg"].runner.close
