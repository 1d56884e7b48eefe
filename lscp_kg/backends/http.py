"""HTTP to a SPARQL endpoint: one connection pool per process, credentials from the environment.

Credentials never come from the command line (where ``ps`` shows them) nor
from a backend's settings: each process reads them from

* ``LSCP_KG_STORE_USER`` / ``LSCP_KG_STORE_PASSWORD`` for queries (optional:
  most endpoints answer queries anonymously), and
* ``LSCP_KG_STORE_UPDATE_USER`` / ``LSCP_KG_STORE_UPDATE_PASSWORD`` for loading
  (falling back to the query credentials), with
* ``LSCP_KG_STORE_AUTH`` = ``auto`` (default: Digest or Basic, as the server's
  challenge asks), ``basic`` or ``digest``.

The proxy settings and ``.netrc`` of the environment are ignored: the
service talks to the store it was given and to nothing else.
"""

from __future__ import annotations

import os
import threading
import time

import requests
from requests.auth import HTTPBasicAuth, HTTPDigestAuth

from . import StoreError, StoreTimeout, StoreUnavailable

CONNECT_TIMEOUT = 5.0
#: The largest answer a query may bring back (the service's row cap applies after it arrives).
MAX_ANSWER_BYTES = 64 * 2**20
_local = threading.local()


def credentials(purpose: str) -> tuple[str, str] | None:
    """(user, password) for ``"query"`` or ``"update"`` from the environment, or None."""
    names = [("LSCP_KG_STORE_UPDATE_USER", "LSCP_KG_STORE_UPDATE_PASSWORD")] if purpose == "update" else []
    names.append(("LSCP_KG_STORE_USER", "LSCP_KG_STORE_PASSWORD"))
    for user_var, password_var in names:
        user = os.environ.get(user_var)
        if user:
            return user, os.environ.get(password_var, "")
    return None


def _session() -> requests.Session:
    """This thread's session (made lazily, again after a fork: connections are never shared by processes)."""
    key = (os.getpid(), threading.get_ident())
    session = getattr(_local, "session", None)
    if session is None or getattr(_local, "key", None) != key:
        session = requests.Session()
        session.trust_env = False
        _local.session, _local.key, _local.auth = session, key, {}
    return session


def _auth_for(url: str, creds: tuple[str, str], challenge: str | None):
    scheme = os.environ.get("LSCP_KG_STORE_AUTH", "auto").lower()
    if scheme == "auto":
        scheme = "digest" if challenge and challenge.lower().lstrip().startswith("digest") else "basic"
    return HTTPDigestAuth(*creds) if scheme == "digest" else HTTPBasicAuth(*creds)


def post(url: str, form: list[tuple[str, str]], accept: str, deadline: float, purpose: str = "query",
         max_bytes: int = MAX_ANSWER_BYTES) -> requests.Response:
    """POST a form to the endpoint before ``deadline`` (a ``time.monotonic()``), answering on 2xx only.

    The whole answer is read before the deadline and within ``max_bytes`` (a
    read timeout alone would only bound the wait for each piece). Raises
    :class:`StoreTimeout` past the deadline, :class:`StoreUnavailable` if the
    store cannot be reached or refuses the credentials, :class:`SyntaxError`
    for a 400 (the store's message), :class:`StoreError` otherwise.
    """
    session = _session()
    creds = credentials(purpose)
    key = (url, creds)  # the credentials of this call: the environment may have changed since the last
    auth = _local.auth.get(key) if creds else None
    for attempt in (1, 2):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise StoreTimeout("the store did not answer within the time limit")
        try:
            response = session.post(url, data=form, headers={"Accept": accept}, auth=auth, stream=True,
                                    timeout=(min(CONNECT_TIMEOUT, remaining), remaining))
            _read_whole(response, deadline, max_bytes)
        except requests.Timeout:
            raise StoreTimeout("the store did not answer within the time limit") from None
        except requests.RequestException as error:
            raise StoreUnavailable(f"cannot reach the store at {url}: {type(error).__name__}") from None
        if response.status_code == 401 and creds and attempt == 1 and auth is None:
            auth = _local.auth[key] = _auth_for(url, creds, response.headers.get("WWW-Authenticate"))
            continue
        break
    if response.status_code in (401, 403):
        hint = "" if creds else " (no credentials: set LSCP_KG_STORE_USER and LSCP_KG_STORE_PASSWORD)"
        raise StoreUnavailable(f"the store at {url} refused the request: HTTP {response.status_code}{hint}")
    if response.status_code == 400:
        raise SyntaxError(f"the store refused the query: {_message(response)}")
    if response.status_code >= 300:
        raise StoreError(f"the store at {url} answered HTTP {response.status_code}: {_message(response)}")
    return response


def _read_whole(response: requests.Response, deadline: float, max_bytes: int) -> None:
    body = bytearray()
    try:
        for chunk in response.iter_content(1 << 16):
            body += chunk
            if len(body) > max_bytes:
                raise StoreError(f"the store's answer is larger than {max_bytes / 2**20:g} MiB, more than this "
                                 "service takes in one answer")
            if time.monotonic() > deadline:
                raise StoreTimeout("the store did not answer within the time limit")
    finally:
        response.close()
    response._content = bytes(body)  # what requests itself keeps once a body is read: .content and .text work


def _message(response: requests.Response) -> str:
    text = response.text.strip().splitlines()
    return (text[0] if text else response.reason or "")[:500]
