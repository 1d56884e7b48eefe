"""Scrutiny rules: the ``.rq`` files of ``queries/scrutiny/``, read and checked.

A rule is a named query (:mod:`lscp_kg.named_queries`) whose ``#+`` header also
gives the fields :mod:`lscp_kg.scrutiny` documents (``id``, ``kind``,
``severity``, ``requirement``, ``entities``, ``group_by``, ``messages``), and
whose ``{{fragments}}`` are expanded from ``_fragments.rq``
(:mod:`lscp_kg.scrutiny_fragments`).

>>> rules = load_rules()
>>> "LSP" in {rule.id for rule in rules}
True
>>> "{{" in next(r for r in rules if r.id == "LSP").query.sparql
False
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from pathlib import Path

from .query_binding import NamedQuery
from .query_files import QUERIES_DIR, QueryFileError, parse_query_file, read_header
from .query_parameters import Parameter
from .scrutiny_fragments import FRAGMENTS_FILE, FragmentError, expand, load_fragments

RULES_DIR = QUERIES_DIR / "scrutiny"
SEVERITIES = ("must", "should", "note")
KINDS = ("requirement", "consistency", "curator")


class RuleFileError(QueryFileError):
    """A scrutiny rule whose header is incomplete or inconsistent."""


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    severity: str  # must | should | note | requirement
    requirement: str
    entities: tuple[str, ...]
    group_by: tuple[str, ...]
    messages: dict
    query: NamedQuery

    @property
    def title(self) -> str:
        return self.query.title

    def requirement_iri(self, base_iri: str) -> str:
        """The requirement it checks, resolved against the base as an ``iri`` parameter would be."""
        return Parameter("requirement", "iri").to_term(self.requirement, base_iri).value


def parse_rule_file(path: Path, fragments: dict | None = None) -> Rule:
    """Read one rule: the named query plus the scrutiny fields of its header, its
    ``{{fragments}}`` expanded (:mod:`lscp_kg.scrutiny_fragments`)."""
    written = parse_query_file(path)
    try:
        query = replace(written, sparql=expand(written.sparql, load_fragments() if fragments is None else fragments))
    except FragmentError as error:
        raise RuleFileError(f"{path}: {error}") from None
    meta = _scrutiny_fields(path, read_header(written.sparql) or {}, query)
    entities = tuple(meta.get("entities") or ())
    return Rule(id=str(meta["id"]), kind=meta["kind"], severity=meta["severity"], requirement=str(meta["requirement"]),
                entities=entities, group_by=tuple(meta.get("group_by") or entities), messages=meta["messages"],
                query=query)


def _scrutiny_fields(path: Path, meta: dict, query: NamedQuery) -> dict:
    """The header, once its scrutiny fields are all there and of the kinds they must be."""
    missing = [k for k in ("id", "kind", "severity", "requirement", "messages") if not meta.get(k)]
    if missing:
        raise RuleFileError(f"{path}: header needs {', '.join(missing)}")
    if meta["kind"] not in KINDS or meta["severity"] not in SEVERITIES + ("requirement",):
        raise RuleFileError(f"{path}: kind must be one of {KINDS}, severity one of {SEVERITIES + ('requirement',)}")
    if "asof" not in {p.name for p in query.parameters}:
        raise RuleFileError(f"{path}: every rule takes the parameter 'asof' (type date)")
    messages = meta["messages"]
    if not isinstance(messages, dict) or not all(isinstance(v, str) for v in messages.values()):
        raise RuleFileError(f"{path}: messages must map outcomes to message templates")
    return meta


def load_rules(directory: Path = RULES_DIR) -> list[Rule]:
    """Every rule in the folder, in file order (files named ``_*.rq``, such as the fragments, are not
    rules); ids must be unique. Read again only when a rule file or the fragments change (parsing the
    headers took half of a report's time)."""
    paths = sorted(p for p in Path(directory).glob("*.rq") if not p.name.startswith("_"))
    stamp = FRAGMENTS_FILE.stat().st_mtime_ns
    return list(_load_rules(tuple((p, p.stat().st_mtime_ns, p.stat().st_size) for p in paths), stamp))


@functools.lru_cache(maxsize=4)
def _load_rules(files: tuple, _fragments_stamp: int) -> tuple[Rule, ...]:
    rules = [parse_rule_file(path) for path, _mtime, _size in files]
    seen: dict[str, str] = {}
    for rule in rules:
        if rule.id in seen:
            raise RuleFileError(f"rule id {rule.id!r} is used by {seen[rule.id]} and {rule.query.path}")
        seen[rule.id] = str(rule.query.path)
    return tuple(rules)
