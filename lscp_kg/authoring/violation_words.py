"""A SHACL violation of a compiled authoring file, said in the file's own words: its kinds, names and field keys
(``order``, not ``lscp:stepOrder``), at the line of the entry or field that wrote it.

``lscp-kg validate`` (lscp_kg.validation) and ``lscp-kg build --check`` (lscp_kg.authoring.check) both say a
problem of a YAML file this way: one wording for one problem.
"""

from __future__ import annotations

import re

import pyoxigraph as ox

from ..namespaces import PREFIXES
from ..validation_locate import shown
from .compiler import Compilation, Origin
from .errors import AuthoringProblem
from .kind_registry import KINDS
from .kinds import RDF_TYPE, RDFS, Kind

#: Where the titles of Acts come from (an Act not there needs its own type and label).
COMMON_DATA = "graph_data/common/"
MIN_COUNT = "MinCountConstraintComponent"

#: The keys of the file's own sections (source, citations) for the properties the compiler gives them.
SECTION_KEYS = {RDFS + "label": "label", PREFIXES["dcterms"] + "title": "title", PREFIXES["lscp"] + "textFile": "text",
                PREFIXES["dcterms"] + "bibliographicCitation": "citation"}
SECTIONS = {PREFIXES["lscp"] + "SourceDocument": "source", PREFIXES["lscp"] + "ExternalCitation": "citation"}
#: What a missing section key is, said in its fix.
SECTION_KEY_WORDS = {"label": "the name pages show for it", "text": "the path of its text file"}

_TERM = re.compile(r"<[^>\s]+>|(?<![\w:/])[a-z]+:[A-Za-z][\w-]*")


def in_yaml_terms(violation, compiled: Compilation) -> AuthoringProblem:
    """A SHACL violation of a compiled file, said with the file's kinds, names and field keys."""
    section = _section(compiled, violation)
    if section is not None:
        return section
    origin = _entry(compiled, violation.focus)
    if origin is None:  # a node written only in a turtle block: its own terms are the file's words
        return AuthoringProblem(compiled.file, _line(compiled, violation), violation.message, violation.fix or "")
    if violation.component == MIN_COUNT:
        return _missing(compiled, violation, origin)
    return _reworded(compiled, violation, origin)


def _entry(compiled: Compilation, focus: str) -> Origin | None:
    """The entry that introduces the node (gives its type or label), else the first that describes it."""
    found = [o for q, o in compiled.origins.items() if q.subject.value == focus]
    found.sort(key=lambda o: (o.key not in ("type", "label"), o.entry_line))
    return found[0] if found else None


def _field_key(kind_name: str, path: str | None) -> str | None:
    kind = KINDS.get(kind_name)
    if kind is None or path is None:
        return None
    return next((f.key for f in kind.fields if path in (f.predicate, f.interval)), None)


def _key(origin: Origin, violation) -> str:
    """The field key the violation's path is written under ('it' for a rule of the whole entry)."""
    return _field_key(origin.kind, violation.path) or (shown(violation.path) if violation.path else "it")


def _thing(origin: Origin) -> str:
    return f"{origin.kind} {origin.name!r}"


def _line(compiled: Compilation, violation) -> int | None:
    for quad, line in compiled.lines.items():
        if (quad.subject.value == violation.focus and (violation.path is None or quad.predicate.value == violation.path)
                and (violation.value is None or quad.object.value == violation.value)):
            return line
    return min((n for q, n in compiled.lines.items() if q.subject.value == violation.focus and n), default=None)


def _missing(compiled: Compilation, violation, origin: Origin) -> AuthoringProblem:
    """A field the entry lacks, or has too few values of."""
    key, thing = _key(origin, violation), _thing(origin)
    if origin.kind == "legislation" and key in ("type", "label"):
        return AuthoringProblem(
            compiled.file, origin.entry_line,
            f"{thing} is not among the Acts of {COMMON_DATA} (which give their titles), so it needs its own "
            "type and label",
            "give it 'type: legislation' and 'label:' its short title (e.g. Care Act 2014); "
            f"name_used alone is enough only for an Act that {COMMON_DATA} lists")
    fix = _fix_for_missing(KINDS[origin.kind], key)
    given = sum(1 for q in compiled.quads if q.subject.value == violation.focus and violation.path
                and q.predicate.value == violation.path)
    if given:  # some are written, but fewer than the model needs ("A or B" offers two or more values)
        return AuthoringProblem(compiled.file, origin.entry_line, f"{thing} has too few '{key}' values ({given} given)",
                                violation.fix or fix)
    return AuthoringProblem(compiled.file, origin.entry_line, f"{thing} has no '{key}'", fix)


def _fix_for_missing(kind: Kind, key: str) -> str:
    if key == "type":
        return f"add 'type:', one of: {', '.join(kind.classes)}"
    if key == "label":
        return "add 'label:', the name pages show for it (once, where the source introduces it)"
    field_ = kind.field(key)
    return f"add '{key}:'" + (f": {field_.doc}" if field_ and field_.doc else "")


def _reworded(compiled: Compilation, violation, origin: Origin) -> AuthoringProblem:
    """Any other violation: its message and fix with RDF terms replaced by the file's words."""
    words = _words_of_file(compiled, violation, origin)
    message, fix = violation.message, violation.fix or ""
    focus = shown(violation.focus)
    if focus in message:  # the message starts with the node ("'Label' <IRI> has ..."): the entry says which
        message = message[message.index(focus) + len(focus):].strip()
    message, fix = _in_words(message, words), _in_words(fix, words)
    thing = _thing(origin)
    if violation.path is None:  # a rule of the whole entry (a seat needs a member or a post): its words say what
        return AuthoringProblem(compiled.file, origin.entry_line, f"{thing}: {fix or message}",
                                f"see the fields of '{origin.kind}' in docs/adding-a-partnership.md")
    return AuthoringProblem(compiled.file, _line(compiled, violation) or origin.entry_line, f"{thing} {message}", fix)


def _words_of_file(compiled: Compilation, violation, origin: Origin) -> dict[str, str]:
    """The file's words for the RDF terms the violation may name, the offending value as the file writes it."""
    kind = KINDS[origin.kind]
    words = _yaml_words(kind)
    if violation.value and compiled.ns is not None and "://" in violation.value:
        field_ = kind.field(_key(origin, violation))
        written = compiled.ns.shorten(ox.NamedNode(violation.value), field_.target if field_ else "local")
        words[shown(violation.value)] = repr(written)
    return words


def _yaml_words(kind: Kind) -> dict[str, str]:
    """The file's words for RDF terms: the kind's properties as its field keys, classes as type names."""
    words = {shown(t): f"'{name}'" for other in KINDS.values() for name, t in other.classes.items()}
    words.update({shown(f.predicate): f"'{f.key}'" for f in kind.fields})
    words.update({shown(f.interval): f"'{f.key}'" for f in kind.fields if f.interval})
    return words


def _in_words(text: str, words: dict[str, str]) -> str:
    return _TERM.sub(lambda m: words.get(m.group(0), m.group(0)), text)


def _section(compiled: Compilation, violation) -> AuthoringProblem | None:
    """A missing key of the file's source or a citation (which are sections of the file, not facts)."""
    kinds = {q.object.value for q in compiled.quads if q.subject.value == violation.focus and q.predicate.value == RDF_TYPE}
    section = next((SECTIONS[k] for k in kinds if k in SECTIONS), None)
    key = SECTION_KEYS.get(violation.path or "")
    if section is None or key is None or violation.component != MIN_COUNT:
        return None
    name = violation.focus.rstrip("/").rsplit("/", 1)[-1]
    where = "under 'source:'" if section == "source" else f"to the citation {name!r}"
    what = SECTION_KEY_WORDS.get(key, "")
    return AuthoringProblem(compiled.file, _line(compiled, violation), f"{section} {name!r} has no '{key}'",
                            f"add '{key}:' {where}" + (f" ({what})" if what else ""))
