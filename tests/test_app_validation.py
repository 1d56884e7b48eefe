"""The app factory validates what it serves (issue 18: one path): however the service is started, data that
fails validation is refused with every problem, file, line and fix; a version of the data that passed is not
checked again (the start stays quick); VALIDATE False serves it with a notice on every page."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_validate_cli import _undeclared_frequency

from lscp_kg import validation
from lscp_kg.service.app import InvalidData, create_app
from lscp_kg.store import load_knowledge_graph
from lscp_kg.validation_cache import validate_once


def test_the_factory_refuses_data_that_does_not_validate(tmp_path):
    data = _undeclared_frequency(tmp_path)
    with pytest.raises(InvalidData) as refused:
        create_app({"TESTING": True, "DATA": [data], "QUERY_WORKERS": 1})
    assert f"{data}:" in str(refused.value) and "everySixWeeks" in str(refused.value) and "Fix:" in str(refused.value)


def test_unvalidated_data_is_served_only_when_asked_and_every_page_says_so(tmp_path):
    app = create_app({"TESTING": True, "VALIDATE": False, "DATA": [_undeclared_frequency(tmp_path)], "QUERY_WORKERS": 1})
    try:
        page = app.test_client().get("/").get_data(as_text=True)
        assert 'class="not-validated"' in page
    finally:
        app.extensions["lscp_kg"].runner.close()


def test_a_version_that_passed_is_not_checked_again(kg, monkeypatch, tmp_path):
    monkeypatch.setenv("LSCP_KG_CACHE_DIR", str(tmp_path / "cache"))
    first = validate_once(kg)
    assert first is not None and first.ok
    monkeypatch.setattr(validation, "validate_graph", lambda kg: pytest.fail("validated twice"))
    assert validate_once(kg) is None


def test_a_changed_source_text_is_checked_again(tmp_path, monkeypatch):
    """A quote is checked against its source text: a changed text is a new version even if no data file changed."""
    monkeypatch.setenv("LSCP_KG_CACHE_DIR", str(tmp_path / "cache"))
    fixtures = Path(__file__).resolve().parent / "fixtures" / "scrutiny"
    (tmp_path / "sources").mkdir()
    shutil.copy(fixtures / "exampleshire.trig", tmp_path / "exampleshire.trig")
    text = tmp_path / "sources" / "exampleshire.txt"
    shutil.copy(fixtures / "sources" / "exampleshire.txt", text)
    assert validate_once(load_knowledge_graph([tmp_path / "exampleshire.trig"])).ok
    assert validate_once(load_knowledge_graph([tmp_path / "exampleshire.trig"])) is None
    text.write_text(text.read_text(encoding="utf-8").replace("began on 1 April 2020", "began in 2020"), encoding="utf-8")
    again = validate_once(load_knowledge_graph([tmp_path / "exampleshire.trig"]))
    assert again is not None and not again.ok
