"""The home page reads which questions it shows, and which of their columns, from the questions' ``#+ home:`` headers.

Adding a question to the home page is a change to its ``.rq`` file alone: no
question's name or columns are written in ``service/overview.py``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from lscp_kg.named_queries import load_named_queries
from lscp_kg.query_files import parse_query_file, QUERIES_DIR, QueryFileError
from lscp_kg.service import overview

LEWISHAM = "https://lscp-kg.example.org/id/partnership/lewisham"


def test_overview_names_no_question(named_queries):
    """overview.py holds no named question's name: the headers choose them."""
    source = Path(overview.__file__).read_text(encoding="utf-8")
    named = [name for name in named_queries if f'"{name}"' in source or f"'{name}'" in source]
    assert named == []


def test_the_home_sections_are_those_the_headers_name(named_queries):
    pages = load_named_queries(Path(QUERIES_DIR) / "pages")
    sections = {q.name: q.home.section for q in (*named_queries.values(), *pages.values()) if q.home}
    assert sections == {"statutory-partners": "partners", "delegated-officers": "officers",
                        "chair-of-partnership": "chairs", "priorities": "priorities", "documents": "documents"}


def test_a_new_home_question_is_one_file(tmp_path, kg, run_named):
    """A question copied with its own header is read as a new home section, its entries one per key."""
    text = (Path(QUERIES_DIR) / "statutory-partners.rq").read_text(encoding="utf-8")
    text = text.replace("#+ home: {section: partners, key: partner, columns: [partnerLabel]}",
                        "#+ home: {section: partners_again, key: partner, columns: [partnerLabel]}")
    (tmp_path / "partners-again.rq").write_text(text, encoding="utf-8")
    question = load_named_queries(tmp_path)["partners-again"]
    assert (question.home.section, question.home.key, question.home.columns) == \
        ("partners_again", ("partner",), ("partnerLabel",))
    rows = run_named("statutory-partners", partnership=LEWISHAM)
    entries = question.home.entries(rows)
    assert len(entries) == len({r["partner"] for r in rows}) >= 3
    assert all(set(e) == {"partner", "partnerLabel"} for e in entries)


def test_the_chair_is_keyed_by_person_else_post(run_named, named_queries):
    """``key: [person, chairPost]``: one entry per person named, else per post named with no person."""
    rows = run_named("chair-of-partnership", partnership=LEWISHAM)
    entries = named_queries["chair-of-partnership"].home.entries(rows)
    assert len(entries) == len({r["person"] or r["chairPost"] for r in rows}) >= 1


@pytest.mark.parametrize("header, says", [
    ("#+ home: partners", "must be a mapping"),
    ("#+ home: {section: partners}", "needs 'key'"),
    ("#+ home: {key: partner}", "needs 'section'"),
    ("#+ home: {section: partners, key: partner, colums: [partnerLabel]}", "unknown field 'colums'"),
    ("#+ home: {section: partners, key: [], columns: [partnerLabel]}", "'key' must be a column name"),
    ("#+ home: {section: partners, key: partner, ended: 3}", "'ended' must be the name of a date column"),
])
def test_a_bad_home_header_says_the_file_and_the_fix(tmp_path, header, says):
    target = tmp_path / "statutory-partners.rq"
    shutil.copy(Path(QUERIES_DIR) / "statutory-partners.rq", target)
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("#+ home: {section: partners, key: partner, columns: [partnerLabel]}", header),
                      encoding="utf-8")
    with pytest.raises(QueryFileError) as refusal:
        parse_query_file(target)
    assert str(target) in str(refusal.value) and says in str(refusal.value)
