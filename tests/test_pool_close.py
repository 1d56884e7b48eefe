"""Closing the query pool twice (explicitly, then at exit) must not close a descriptor number that has since
been given to something else (the "Bad file descriptor" tracebacks at the end of the suite, issue 18)."""

from __future__ import annotations

import os

from lscp_kg.service.limits import Limits
from lscp_kg.service.pool import QueryPool


def test_a_second_close_closes_nothing(kg):
    pool = QueryPool(kg, Limits(workers=1))
    pool.inherited = (*pool.inherited, os.open(os.devnull, os.O_RDONLY))  # a descriptor the workers would inherit
    pool.close()
    reader, writer = os.pipe()  # the lowest free numbers: very likely the one just closed
    try:
        pool.close()
        os.write(writer, b"still open")
        assert os.read(reader, 10) == b"still open"
    finally:
        os.close(reader)
        os.close(writer)
