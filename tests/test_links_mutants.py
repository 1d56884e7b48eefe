"""Exact answers of the one link builder (lscp_kg/entity_links.py), one per rule of its docstring.

Written to kill the mutants that survived the mutation run (docs/mutation-testing.md): each assertion
compares a whole link, so a changed separator, prefix, test or escaping shows.
"""

from __future__ import annotations

import pytest

from lscp_kg.entity_links import coverage_href, entity_href, query_string, source_href, source_name

BASE = "https://b/"


@pytest.mark.parametrize("pairs, expected", [
    ({"a": 1, "b": None, "c": 0}, "a=1&c=0"),  # only None is left out, not other false values
    ([("a", "x y"), ("a", "z&")], "a=x%20y&a=z%26"),  # pairs may repeat a name
    ({"iri": "http://x/a:b@c/d?e#f%"}, "iri=http://x/a:b@c/d%3Fe%23f%25"),  # only ':/@' stay readable
    ({}, ""),
])
def test_query_string_escapes_by_the_one_rule(pairs, expected):
    assert query_string(pairs) == expected


@pytest.mark.parametrize("iri, root, query, expected", [
    (BASE + "id/a/b", "", {}, "/id/a/b"),
    (BASE + "id/a/b", "https://kg.example/mount/", {}, "https://kg.example/mount/id/a/b"),
    (BASE + "id/a/b", "/mount", {"format": "turtle"}, "/mount/id/a/b?format=turtle"),
    (BASE + "id/a/b", "/mountX/", {}, "/mountX/id/a/b"),  # only slashes are trimmed
    (BASE + "id/a b", "", {}, "/entity?iri=https://b/id/a%20b"),
    (BASE + "id/", "", {}, "/entity?iri=https://b/id/"),  # nothing after id/: no path of its own
    (BASE + "other/a", "", {}, "/entity?iri=https://b/other/a"),
    ("http://elsewhere/id/a", "/m/", {"depth": 2, "skip": None}, "/m/entity?iri=http://elsewhere/id/a&depth=2"),
])
def test_entity_href(iri, root, query, expected):
    assert entity_href(iri, BASE, root, **query) == expected


def test_entity_href_without_a_base_never_makes_a_path():
    assert entity_href("id/a", "") == "/entity?iri=id/a"


@pytest.mark.parametrize("document, base, expected", [
    (BASE + "id/source/arrangements", BASE, "arrangements"),
    (BASE + "id/source/a/b", BASE, None),
    (BASE + "id/source/", BASE, None),
    (BASE + "id/source/a b", BASE, None),
    ("http://other/id/source/a", BASE, None),
    ("id/source/a", "", None),
])
def test_source_name(document, base, expected):
    assert source_name(document, base) == expected


@pytest.mark.parametrize("document, start, end, root, expected", [
    (BASE + "id/source/s", None, None, "", "/source/s"),
    (BASE + "id/source/s", 7, None, "/m/", "/m/source/s?lines=7#L7"),
    (BASE + "id/source/s", 7, 7, "", "/source/s?lines=7#L7"),
    (BASE + "id/source/s", 7, 9, "", "/source/s?lines=7-9#L7"),
    (BASE + "id/source/s", 0, 3, "", "/source/s?lines=0-3#L0"),
    ("http://other/doc", 4, 5, "/m", "/m/source?doc=http://other/doc&lines=4-5#L4"),
    ("http://other/doc", None, None, "", "/source?doc=http://other/doc"),
])
def test_source_href(document, start, end, root, expected):
    assert source_href(document, BASE, start, end, root=root) == expected


@pytest.mark.parametrize("document, root, query, expected", [
    (BASE + "id/source/s", "", {}, "/source/s/coverage"),
    (BASE + "id/source/s", "/m/", {"format": "json"}, "/m/source/s/coverage?format=json"),
    ("http://other/doc", "/m", {}, "/m/source?doc=http://other/doc&view=coverage"),
    ("http://other/doc", "", {"only": "stating"}, "/source?doc=http://other/doc&view=coverage&only=stating"),
])
def test_coverage_href(document, root, query, expected):
    assert coverage_href(document, BASE, root, **query) == expected
