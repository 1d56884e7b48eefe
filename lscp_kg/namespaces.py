"""IRIs of the vocabularies the graph uses, in one place.

>>> LSCP
'https://lscp-kg.example.org/ontology#'
>>> PREFIXES["org"]
'http://www.w3.org/ns/org#'
"""

import re

LSCP = "https://lscp-kg.example.org/ontology#"
ONTOLOGY_IRI = "https://lscp-kg.example.org/ontology"
#: Default base for entity IRIs; data files use IRIs relative to it, so a
#: deployment can mint them under its own domain (``--base``/``LSCP_KG_BASE``).
DEFAULT_BASE_IRI = "https://lscp-kg.example.org/"

PREFIXES = {
    "lscp": LSCP,
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "schema": "https://schema.org/",
    "freq": "http://purl.org/cld/freq/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "sh": "http://www.w3.org/ns/shacl#",
}


_LOCAL_NAME = re.compile(r"[A-Za-z_](?:[\w.-]*[\w-])?")


def curie(iri: str) -> str:
    """A prefixed name for an IRI of a known vocabulary, else the IRI.

    >>> curie("http://www.w3.org/ns/org#reportsTo")
    'org:reportsTo'
    >>> curie("http://example.org/x")
    'http://example.org/x'
    """
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and _LOCAL_NAME.fullmatch(iri[len(namespace):]):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri
