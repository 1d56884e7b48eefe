"""Write compiled quads as TriG: relative IRIs (so the base stays configurable), the usual prefixes,
passages in the order of the authoring file. Same input, same bytes.

>>> import pyoxigraph as ox
>>> g = ox.NamedNode("https://lscp-kg.example.org/id/w/passage/L1")
>>> q = ox.Quad(g, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal("x"), g)
>>> print(to_trig([q], "https://lscp-kg.example.org/").decode().splitlines()[-1])
}
"""

from __future__ import annotations

import pyoxigraph as ox

from ..namespaces import DEFAULT_BASE_IRI, PREFIXES

HEADER = "# Compiled by lscp-kg build from an authoring file; edit the YAML, not this file.\n"


def to_trig(quads: list[ox.Quad], base_iri: str = DEFAULT_BASE_IRI) -> bytes:
    """TriG text; entity IRIs under the base are written relative (``<id/...>``), vocabularies as prefixes."""
    body = ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=dict(PREFIXES)).decode("utf-8")
    # The serializer writes prefixes in no fixed order: write them here, sorted, for byte-identical output.
    lines = [line for line in body.split("\n") if not line.startswith("@prefix ")]
    text = "\n".join(lines).replace(f"<{base_iri}id/", "<id/")
    prefixes = "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in sorted(PREFIXES.items()))
    return (HEADER + f"@base <{base_iri}> .\n" + prefixes + text).encode("utf-8")
