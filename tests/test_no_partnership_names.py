"""No code assumes one partnership: templates, scripts and query files never name
Lewisham, and the Python of the service and the visualisations names it only in
docstrings (examples over the shipped data). Pages and defaults come from the
loaded data."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
NAME = re.compile("lewisham", re.IGNORECASE)

#: Files that must not name the partnership at all.
CHECKED = sorted(
    [*REPO.glob("service/templates/**/*.html"), *REPO.glob("visualisations/templates/**/*.html"),
     *REPO.glob("service/templates/**/*.css"), *REPO.glob("service/static/*.js"),
     *REPO.glob("visualisations/static/*.js"), *REPO.glob("queries/**/*.rq")])
PYTHON = sorted([*REPO.glob("service/**/*.py"), *REPO.glob("visualisations/**/*.py")])


def _mentions(text: str) -> list[str]:
    return [f"line {n}: {line.strip()[:120]}" for n, line in enumerate(text.splitlines(), 1) if NAME.search(line)]


def test_there_are_files_to_check():
    kinds = {p.suffix for p in CHECKED}
    assert {".html", ".js", ".rq"} <= kinds and len(CHECKED) > 40 and PYTHON


@pytest.mark.parametrize("path", CHECKED, ids=[str(p.relative_to(REPO)) for p in CHECKED])
def test_template_script_or_query_names_no_partnership(path):
    assert _mentions(path.read_text(encoding="utf-8")) == []


def _code_strings(source: str) -> list[tuple[int, str]]:
    """String literals of the code, docstrings left out (their examples may use the shipped data)."""
    tree = ast.parse(source)
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
                docstrings.add(id(first.value))
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


@pytest.mark.parametrize("path", PYTHON, ids=[str(p.relative_to(REPO)) for p in PYTHON])
def test_service_and_visualisation_code_names_no_partnership(path):
    found = [f"line {line}: {text[:80]!r}" for line, text in _code_strings(path.read_text(encoding="utf-8"))
             if NAME.search(text)]
    assert found == []


def test_the_check_would_catch_a_name(tmp_path):
    assert _mentions("<h1>Lewisham Safeguarding Children Partnership</h1>")
    assert _code_strings('"""Docstring: id/lewisham/body/mace."""\nDEFAULT = "id/lewisham/body/mace"\n') == [
        (2, "id/lewisham/body/mace")]
