"""Scrutiny reports for people: plain text for the terminal, and a standalone
HTML document (the same report template as the service's /scrutiny page).

>>> from lscp_kg.store import load_knowledge_graph
>>> from lscp_kg.scrutiny import run_scrutiny
>>> text = render_text(run_scrutiny(load_knowledge_graph(), "2026-11-26"))
>>> text.splitlines()[0]
'Scrutiny of the arrangements as of 2026-11-26'
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Callable

import jinja2

from .scrutiny import SEVERITIES, Result, ScrutinyReport

try:  # the service folder ships as the package lscp_kg.service
    from lscp_kg import service as _service

    TEMPLATES_DIR = Path(_service.__file__).resolve().parent / "templates"
except ImportError:  # pragma: no cover - source tree not installed
    TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "service" / "templates"

_WRAP = textwrap.TextWrapper(width=100, initial_indent="    ", subsequent_indent="    ")


def _lines_of(evidence: dict) -> str:
    if evidence["kind"] != "passage":
        return "citation"
    start, end = evidence.get("start_line"), evidence.get("end_line")
    return f"L{start}" if start == end else f"L{start}-{end}"


def _unverified(requirement: dict) -> list[str]:
    return _WRAP.wrap(f"unverified: {requirement['uncertainty']}") if requirement.get("uncertainty") else []


def _result_text(result: Result, verbose: bool) -> list[str]:
    lines = textwrap.wrap(f"[{result.rule}] {result.message}", width=100, initial_indent="  ", subsequent_indent="    ")
    req = result.requirement
    cited = "; ".join(x for x in (req.get("cited_part"), req.get("citation")) if x) if verbose else req.get("cited_part")
    lines += _WRAP.wrap(f"requirement: {req.get('id') or req.get('iri')}" + (f" ({cited})" if cited else ""))
    lines += _unverified(req)
    for entity in result.entities:
        lines.append(f"    entity: {entity['label']} <{entity['iri']}>")
    for evidence in result.evidence:
        lines += _WRAP.wrap(f"{_lines_of(evidence)}: {_evidence_text(evidence, verbose)}")
    return lines


def _evidence_text(evidence: dict, verbose: bool) -> str:
    """A passage's quote or a citation, on one line; cut to 160 characters unless verbose."""
    text = evidence["quote"] if evidence["kind"] == "passage" else evidence["citation"]
    text = " ".join((text or "").split())
    return text if verbose or len(text) <= 160 else text[:157] + "..."


def render_text(report: ScrutinyReport, verbose: bool = False) -> str:
    """One section per partnership (its findings by severity, then every requirement with its
    status and the evidence of its checks), then the results about the shared data, if any."""
    summary = report.summary()
    title = f" of {report.partnership['label']}" if report.partnership else ""
    lines = [f"Scrutiny of the arrangements{title} as of {report.asof}",
             f"{sum(summary[s] for s in SEVERITIES)} findings: " + ", ".join(f"{summary[s]} {s}" for s in SEVERITIES)
             + f"; {summary['passes']} requirement checks passed", ""]
    sections = [(p["label"], p["iri"], {r["iri"]: r["status"] for r in p["requirements"]}) for p in report.partnerships]
    if report.of(None):
        sections.append(("Shared data (requirements, legislation)", None, None))
    for label, iri, statuses in sections:
        lines += _section_text(report, label, report.of(iri), statuses, verbose, titled=len(sections) > 1)
    return "\n".join(lines) + "\n"


def _section_text(report: ScrutinyReport, label: str, results: list[Result], statuses: dict | None,
                  verbose: bool, titled: bool) -> list[str]:
    """A partnership's section (its findings, then its requirements), or the shared data's (findings only)."""
    lines = _heading(report, label, results) if titled else []
    lines += _findings_text(report, results, verbose)
    if statuses is not None:
        lines += _requirements_text(report, results, statuses)
    return lines


def _heading(report: ScrutinyReport, label: str, results: list[Result]) -> list[str]:
    counts = report.summary(results)
    return [f"== {label} ==", ", ".join(f"{counts[s]} {s}" for s in SEVERITIES)
            + f"; {counts['passes']} requirement checks passed", ""]


def _findings_text(report: ScrutinyReport, results: list[Result], verbose: bool) -> list[str]:
    """The section's findings by severity, most severe first."""
    lines = []
    findings = [f for f in report.findings if f in results]
    for severity in SEVERITIES:
        found = [f for f in findings if f.severity == severity]
        if found:
            lines.append(f"{severity.upper()} ({len(found)})")
            for finding in found:
                lines += _result_text(finding, verbose)
            lines.append("")
    return lines


def _requirements_text(report: ScrutinyReport, results: list[Result], statuses: dict) -> list[str]:
    """Every requirement with its status here, and the outcome of each of its checks with the lines they cite."""
    lines = ["REQUIREMENTS"]
    for req in report.requirements:
        lines.append(f"  {req['id']:<9} {statuses.get(req['iri'], req['status']):<12} {req['label']}")
        lines += _unverified(req)
        for result in results:
            if result.requirement.get("iri") == req["iri"] and result.kind == "requirement":
                mark = "pass" if result.passed else "FAIL"
                where = ", ".join(_lines_of(e) for e in result.evidence)
                lines += _WRAP.wrap(f"{mark}: {result.message}" + (f" [{where}]" if where else ""))
    lines.append("")
    return lines


def report_environment(loader: jinja2.BaseLoader | None = None) -> jinja2.Environment:
    """A Jinja environment that can render the scrutiny report templates outside Flask."""
    return jinja2.Environment(loader=loader or jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
                              autoescape=jinja2.select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)


def render_html(report: ScrutinyReport, entity_href: Callable[[str], str | None] = lambda iri: None) -> str:
    """A standalone HTML document (no scripts, no external assets) of the report, one section per partnership."""
    template = report_environment().get_template("scrutiny/standalone.html")
    return template.render(report=report.to_dict(), severities=SEVERITIES, entity_href=entity_href,
                           network_href=lambda iris: None, page_href=None, choices=[])
