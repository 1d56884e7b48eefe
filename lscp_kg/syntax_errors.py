"""Clear messages for SPARQL syntax errors that have a simple cause.

pyoxigraph reports an undeclared prefix as a grammar dump ("error at 1:28: expected
one of Prefix not found, ['%'], ..."); :func:`explain` turns it into one line that
names the prefix and the fix. Other messages pass through unchanged.

>>> explain("SELECT * WHERE { ?s foo:bar ?o }", "error at 1:28: expected one of Prefix not found, ['%']")
"unknown prefix 'foo:' (line 1, column 21): declare it (PREFIX foo: <...>) or use one of the service's prefixes: lscp:, org:, prov:, skos:, dcterms:, foaf:, vcard:, schema:, freq:, owl:, rdf:, rdfs:, xsd:, sh:"
>>> explain("SELECT ?x WHERE { ?x a }", "error at 1:24: expected ...")
'error at 1:24: expected ...'
"""

from __future__ import annotations

import re

from .namespaces import PREFIXES

_POSITION = re.compile(r"error at (\d+):(\d+)")
_PREFIXED_END = re.compile(r"(?:^|[\s{}(),;.^/|!=<>*+?])([A-Za-z][\w.-]*)?:[\w.-]*$")
_DECLARED = re.compile(r"PREFIX\s+([A-Za-z][\w.-]*)?:", re.IGNORECASE)


def explain(query: str, message: str) -> str:
    """One line for an unknown prefix; the parser's own message otherwise."""
    if "Prefix not found" not in message:
        return message
    found = _POSITION.search(message)
    if not found:
        return message
    line_number, column = int(found.group(1)), int(found.group(2))
    lines = query.split("\n")
    if not 1 <= line_number <= len(lines):
        return message
    before = lines[line_number - 1][: column - 1]
    name = _PREFIXED_END.search(before)
    if not name:
        return message
    prefix = name.group(1) or ""
    start = before.rfind(prefix + ":") + 1
    known = ", ".join(f"{p}:" for p in PREFIXES)
    declared = sorted(set(_DECLARED.findall(query)) - set(PREFIXES))
    also = f", {', '.join(p + ':' for p in declared)}" if declared else ""
    return (f"unknown prefix {prefix + ':'!r} (line {line_number}, column {start}): declare it "
            f"(PREFIX {prefix}: <...>) or use one of the service's prefixes: {known}{also}")
