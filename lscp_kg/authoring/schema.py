"""The JSON Schema of authoring files, generated from the kinds, and checking a file against it.

The shipped copy is ``ontology/authoring.schema.json`` (editors read it through the
file's ``# yaml-language-server: $schema=...`` line); ``python -m lscp_kg.authoring.schema``
rewrites it, and a test checks that it matches the kinds.

>>> schema = authoring_schema()
>>> sorted(schema["$defs"]["kind-person"]["properties"])[:3]
['as_of', 'as_written', 'comment']
"""

from __future__ import annotations

import difflib
import json
from functools import lru_cache

from jsonschema import Draft202012Validator

from ..locations import ONTOLOGY_DIR
from .errors import AuthoringProblem
from .kind_registry import KINDS, entry_kind
from .kinds import DURATION, FREQUENCIES, Field
from .terms import Namespaces

SCHEMA_FILE = ONTOLOGY_DIR / "authoring.schema.json"
SCHEMA_ID = "https://lscp-kg.example.org/ontology/authoring.schema.json"
NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._~-]*$"
TEXT = {"type": "string"}
URL_PATTERN = r"^https?://[^\s<>\"{}|\\^`]+$"  # an absolute web address an IRI can carry


def _value_schema(field: Field) -> dict:
    if field.value == "text":
        one = dict(TEXT)
    elif field.value == "date":
        one = {"anyOf": [{"type": "integer", "minimum": 1000, "maximum": 9999},
                         {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"}]}
    elif field.value in ("boolean", "integer", "number"):
        one = {"type": field.value}
    elif field.value == "term":
        one = {"anyOf": [{"enum": [name for name, _iri in field.terms]}, {"type": "string", "pattern": "[:/]"}]}
    elif field.value == "duration":
        one = {"type": "string", "pattern": DURATION.pattern}
    elif field.value == "frequency":
        durations = [{"type": "string", "pattern": DURATION.pattern}] if field.interval else []
        one = {"anyOf": [{"enum": list(FREQUENCIES)}, *durations, {"type": "string", "pattern": ":"}]}
    else:
        one = {"type": "string", "minLength": 1}
    one = {**one, "description": field.doc} if field.doc else one
    return {"anyOf": [one, {"type": "array", "items": one, "minItems": 1}], **({"description": field.doc} if field.doc else {})}


def _kind_schema(kind) -> dict:
    properties = {kind.name: {"type": "string", "minLength": 1,
                              "description": f"The name of this {kind.name}. {kind.doc}"}}
    properties.update({f.key: _value_schema(f) for f in kind.fields})
    return {"type": "object", "description": kind.doc, "required": [kind.name],
            "properties": properties, "additionalProperties": False}


def authoring_schema() -> dict:
    """The schema, built from the kinds (one place: kinds_*.py)."""
    facts = {"type": "array", "description": "The facts this passage states, one entry per thing.",
             "items": {"$ref": "#/$defs/fact"}}
    turtle = {"type": "string", "description": "Turtle for a rare statement the kinds do not cover. Prefixes "
              "lscp, org, prov, skos, dcterms, foaf, schema, freq, rdf, rdfs, xsd are declared; "
              "<id/...> is relative to the base."}
    passage = {"type": "object", "required": ["quote"], "additionalProperties": False, "properties": {
        "quote": {"type": "string", "minLength": 1, "description": "The source's words, copied; white space, "
                  "bullets and typographic quotes need not match exactly. Must occur once in the source."},
        "line": {"type": "integer", "minimum": 1, "description": "The line the quote starts on, when it occurs more than once."},
        "id": {"type": "string", "pattern": NAME_PATTERN, "description": "The passage's name (default: L<start>-<end>)."},
        "url": {"type": "string", "pattern": URL_PATTERN, "description": "The address of the page that states it "
                "(foaf:page on the passage), when the source was compiled from several pages."},
        "not_modelled": {"type": "string", "minLength": 1, "description": "Why these lines are deliberately not "
                         "modelled (lscp:notModelled): lscp-kg coverage lists them with this reason, not as left out."},
        "facts": facts, "turtle": turtle}}
    citation = {"type": "object", "required": ["id", "citation"], "additionalProperties": False, "properties": {
        "id": {"type": "string", "pattern": NAME_PATTERN},
        "label": TEXT, "source": {"type": "string", "description": "The IRI of what is cited."},
        "citation": {"type": "string", "description": "The bibliographic citation: who says so, where."},
        "facts": facts, "turtle": turtle}}
    source = {"type": "object", "required": ["id", "text"], "additionalProperties": False, "properties": {
        "id": {"type": "string", "pattern": NAME_PATTERN, "description": "Shared name: id/source/NAME."},
        "text": {"type": "string", "description": "The source text file, relative to this file (lscp-kg new writes it)."},
        "label": TEXT, "title": TEXT, "format": TEXT, "comment": TEXT,
        "url": {"type": "string", "description": "Where the page or PDF is published."},
        "facts": facts, "turtle": turtle}}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID,
        "title": "lscp-kg partnership authoring file",
        "description": "One partnership's arrangements: every fact next to the words of the source that state it.",
        "type": "object", "required": ["partnership", "source", "passages"], "additionalProperties": False,
        "properties": {
            "partnership": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$",
                            "description": "The partnership's short name: its IRIs are id/partnership/NAME and id/NAME/..."},
            "source": source, "passages": {"type": "array", "items": {"$ref": "#/$defs/passage"}},
            "citations": {"type": "array", "description": "Facts from outside the source, each with its citation.",
                          "items": {"$ref": "#/$defs/citation"}}},
        "$defs": {"passage": passage, "citation": citation,
                  "fact": {"oneOf": [{"$ref": f"#/$defs/kind-{k}"} for k in KINDS]},
                  **{f"kind-{k.name}": _kind_schema(k) for k in KINDS.values()}},
    }


def shipped_schema() -> dict:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def _line(doc, path) -> int | None:
    node, line = doc, getattr(doc, "line", None)
    for step in path:
        if hasattr(node, "line_of"):
            line = node.line_of(step)
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
    return line


def _fix(error, kind: str | None) -> str:
    if error.validator == "additionalProperties":
        allowed = list(error.schema.get("properties", {}))
        extra = [k for k in error.instance if k not in allowed]
        near = difflib.get_close_matches(str(extra[0]), allowed, n=1) if extra else []
        hint = f"did you mean {near[0]!r}? " if near else ""
        return f"{hint}the fields here are: {', '.join(allowed)}"
    if error.validator == "required":
        return "add the missing key"
    if error.validator in ("anyOf", "enum", "type", "pattern"):
        doc = error.schema.get("description") or ""
        return (doc + " " if doc else "") + "see ontology/authoring.schema.json or docs/adding-a-partnership.md"
    return "see docs/adding-a-partnership.md"


def _value_message(kind: str, error) -> str | None:
    """The field's own words for a value it cannot take ("'weekly-ish' is not one of: annual, ...")."""
    path = list(error.absolute_path)
    field = KINDS[kind].field(path[0]) if path and isinstance(path[0], str) else None
    if field is None or error.validator != "anyOf":
        return None
    try:
        field.objects(error.instance, Namespaces("https://example.org/", "x"))
    except ValueError as term_error:  # a TermError
        return f"{kind}, {field.key}: {term_error}"
    return None


@lru_cache(maxsize=1)
def _validators() -> tuple[Draft202012Validator, dict[str, Draft202012Validator]]:
    """One validator for the file's frame (facts only as objects) and one per kind: each fact is checked
    against its own kind only, not tried against every kind (the schema's oneOf, for editors)."""
    schema = authoring_schema()
    defs = dict(schema["$defs"], fact={"type": "object"})
    frame = Draft202012Validator({**schema, "$defs": defs})
    kinds = {name: Draft202012Validator({"$ref": f"#/$defs/kind-{name}", "$defs": schema["$defs"]}) for name in KINDS}
    return frame, kinds


def _fact_problems(doc, file: str, path: list, item, kinds) -> list[AuthoringProblem]:
    kind = entry_kind(item)
    if kind is None:
        written = next(iter(item), "?")
        near = difflib.get_close_matches(str(written), list(KINDS), n=1)
        fix = (f"did you mean {near[0]!r}? " if near else "") + "start each fact with its kind, one of: " + ", ".join(KINDS)
        return [AuthoringProblem(file, _line(doc, path), f"unknown kind {written!r}", fix)]
    problems = []
    for inner in kinds[kind].iter_errors(item):
        message = _value_message(kind, inner) or f"{kind}: {inner.message}"
        problems.append(AuthoringProblem(file, _line(doc, path + list(inner.absolute_path)), message, _fix(inner, kind)))
    return problems


def schema_problems(doc, file: str) -> list[AuthoringProblem]:
    """Every place the document breaks the schema, with line and fix; unknown kinds named as such."""
    frame, kinds = _validators()
    problems: list[AuthoringProblem] = []
    for error in sorted(frame.iter_errors(doc), key=lambda e: [str(p) for p in e.absolute_path]):
        path = list(error.absolute_path)
        where = "/".join(str(p) for p in path) or "the file"
        problems.append(AuthoringProblem(file, _line(doc, path), f"{where}: {error.message}", _fix(error, None)))
    for path, item in _facts(doc):
        problems.extend(_fact_problems(doc, file, path, item, kinds))
    problems.sort(key=lambda p: p.line or 0)
    return problems


def _facts(doc):
    """(path, entry) of each fact of the source, the passages and the citations, as far as the frame allows."""
    for section in ("source", "passages", "citations"):
        containers = doc.get(section) if isinstance(doc, dict) else None
        containers = [containers] if isinstance(containers, dict) else containers
        if not isinstance(containers, list):
            continue
        for index, container in enumerate(containers):
            facts = container.get("facts") if isinstance(container, dict) else None
            base = [section] if section == "source" else [section, index]
            for number, item in enumerate(facts if isinstance(facts, list) else []):
                if isinstance(item, dict):
                    yield base + ["facts", number], item


if __name__ == "__main__":
    SCHEMA_FILE.write_text(json.dumps(authoring_schema(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {SCHEMA_FILE}")
