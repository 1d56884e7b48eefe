"""`lscp-kg scrutinise`: formats, --as-of, --data; findings are not errors."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from lscp_kg.cli import main

BARESHIRE = Path(__file__).resolve().parent / "fixtures" / "scrutiny" / "bareshire.trig"


def run(*args):
    return CliRunner().invoke(main, ["scrutinise", *args])


def test_text_report_lists_findings_by_severity_and_exits_0():
    result = run("--as-of", "2026-11-26")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Scrutiny of the arrangements as of 2026-11-26"
    assert lines.index("MUST (1)") < lines.index("SHOULD (9)") < lines.index("REQUIREMENTS")
    assert "[CEASED-ORG] NHS Lewisham Clinical Commissioning Group" in result.output
    assert "L123: NHS Lewisham CCG - Joint Chair Managing Director" in result.output


def test_json_report():
    result = run("--format", "json", "--as-of", "2022-06-01")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["asof"] == "2022-06-01"
    assert {f["rule"] for f in data["findings"]} >= {"CEASED-ORG", "CHAIR-CONFLICT"}


def test_html_report_is_a_standalone_page_without_scripts():
    result = run("--format", "html", "--as-of", "2026-11-26")
    assert result.exit_code == 0
    assert result.output.startswith("<!DOCTYPE html>")
    assert "<script" not in result.output and "http" not in result.output.split("<body>")[0]
    assert "NHS Lewisham CCG - Joint Chair Managing Director" in result.output
    assert 'id="severity-must"' in result.output


def test_data_adds_a_partnership_beside_the_shipped_one():
    result = run("--data", str(BARESHIRE), "--as-of", "2026-06-01", "--format", "json")
    assert result.exit_code == 0
    messages = [f["message"] for f in json.loads(result.output)["findings"]]
    assert "The arrangements of Bareshire Safeguarding Children Partnership name no independent scrutineer." in messages


def test_bad_date_and_bad_data_are_errors_with_a_message(tmp_path):
    result = run("--as-of", "26/11/2026")
    assert result.exit_code == 2 and "YYYY-MM-DD" in result.output
    broken = tmp_path / "broken.trig"
    broken.write_text("<a> <b> .\n")
    result = run("--data", str(broken))
    assert result.exit_code == 2 and "broken.trig" in result.stderr
