"""The HTTP API against its own OpenAPI description (schemathesis), on the live server.

For every operation in ``/openapi.json``, schemathesis generates requests, valid
and invalid, from the description and checks each answer: no server error,
only documented status codes and content types, bodies and headers that match
the described schemas, and invalid requests refused. Bounded for CI: a few
dozen examples per operation, no deadline.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import CHECKS, load_all_checks

SPEC = Path(__file__).resolve().parent.parent / "service" / "static" / "openapi.json"
load_all_checks()
CHECK_NAMES = ("not_a_server_error", "status_code_conformance", "content_type_conformance",
               "response_headers_conformance", "response_schema_conformance", "negative_data_rejection")
SELECTED = [check for check in CHECKS.get_all() if check.__name__ in CHECK_NAMES]
SCHEMA = schemathesis.openapi.from_path(str(SPEC))
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]


def test_the_served_description_is_the_one_tested(live_server):
    served = requests.get(live_server.url + "/openapi.json", timeout=10)
    assert served.status_code == 200 and served.json() == __import__("json").loads(SPEC.read_text(encoding="utf-8"))
    assert len(SELECTED) == len(CHECK_NAMES)


@pytest.mark.parametrize("operation", OPERATIONS, ids=[operation.label for operation in OPERATIONS])
def test_operation_conforms_to_its_description(live_server, operation):
    session = requests.Session()

    @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(case=operation.as_strategy())
    def check(case):
        case.call_and_validate(base_url=live_server.url, session=session, checks=SELECTED)

    check()
