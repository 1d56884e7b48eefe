"""Run a private Virtuoso Open Source server for the tests and the benchmark.

Debian's ``virtuoso-opensource`` package gives ``virtuoso-t`` and ``isql-vt``.
:class:`VirtuosoServer` starts one in its own temporary folder (database,
``virtuoso.ini``) on free ports of 127.0.0.1 only, and sets it up as a
shared store should be:

* the anonymous ``/sparql`` endpoint stays read-only (Virtuoso's default:
  its ``SPARQL`` user has no update rights), which is what the service uses;
* a ``lscp_publisher`` user, with a random password and only the
  ``SPARQL_UPDATE`` role, publishes through ``/sparql-auth`` (HTTP Digest);
* the ``dba`` password is changed to a random one nobody keeps.

>>> virtuoso_available() in (True, False)
True
"""

from __future__ import annotations

import secrets
import shutil
import socket
import subprocess
import time
from pathlib import Path

import requests

from server_support import stop_server

VIRTUOSO = "virtuoso-t"
ISQL = "isql-vt"
PUBLISHER = "lscp_publisher"

INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
MaxClientConnections = 8
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = {d}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 2
MaxQueryMem = 1G

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {d}
MaxClientConnections = 8
ServerThreads = 8
EnabledDavVSP = 0
HTTPProxyEnabled = 0
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
"""


def virtuoso_available() -> bool:
    return bool(shutil.which(VIRTUOSO) and shutil.which(ISQL))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class VirtuosoServer:
    """One Virtuoso process; ``start()`` returns when its SPARQL endpoint answers."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.sql_port, self.http_port = free_port(), free_port()
        self.publisher_password = secrets.token_urlsafe(18)
        self.process: subprocess.Popen | None = None

    @property
    def query_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql"

    @property
    def update_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql-auth"

    @property
    def publisher_environment(self) -> dict[str, str]:
        """The environment variables ``lscp-kg publish`` reads its credentials from."""
        return {"LSCP_KG_STORE_UPDATE_USER": PUBLISHER, "LSCP_KG_STORE_UPDATE_PASSWORD": self.publisher_password}

    def start(self, timeout: float = 90.0) -> "VirtuosoServer":
        self.folder.mkdir(parents=True, exist_ok=True)
        ini = self.folder / "virtuoso.ini"
        ini.write_text(INI.format(d=self.folder, sql_port=self.sql_port, http_port=self.http_port))
        self._launch(timeout)
        self._isql("dba", f"DB.DBA.USER_CREATE('{PUBLISHER}', '{self.publisher_password}');\n"
                          f"GRANT SPARQL_UPDATE TO \"{PUBLISHER}\";\n"
                          f"DB.DBA.USER_CHANGE_PASSWORD('dba', 'dba', '{secrets.token_urlsafe(18)}');\n")
        return self

    def _launch(self, timeout: float) -> None:
        self.log = open(self.folder / "stdout.log", "ab")
        self.process = subprocess.Popen([VIRTUOSO, "+foreground", "+configfile", str(self.folder / "virtuoso.ini")],
                                        cwd=self.folder, stdout=self.log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL)
        self._wait(timeout)

    def restart(self, timeout: float = 90.0) -> None:
        """Stop and start again on the same ports and database (users, passwords and data kept)."""
        self.stop()
        self._launch(timeout)

    def answers(self, timeout: float = 15.0) -> bool:
        """Whether the SPARQL endpoint answers a trivial query within ``timeout`` seconds."""
        try:
            return requests.get(self.query_url, params={"query": "ASK {}"}, timeout=timeout).ok
        except requests.RequestException:
            return False

    def log_tail(self, lines: int = 40) -> str:
        log = self.folder / "virtuoso.log"
        return "\n".join(log.read_text(errors="replace").splitlines()[-lines:]) if log.exists() else "(no log)"

    def _wait(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"virtuoso-t exited ({self.process.returncode}); see {self.folder}/virtuoso.log")
            try:
                if requests.get(self.query_url, params={"query": "ASK {}"}, timeout=2).ok:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"virtuoso-t did not answer within {timeout:g} s; see {self.folder}/virtuoso.log")

    def _isql(self, password: str, script: str) -> None:
        # The script goes through stdin, so no password shows in the process list.
        done = subprocess.run([ISQL, f"127.0.0.1:{self.sql_port}", "dba", password], input=script + "EXIT;\n",
                              capture_output=True, text=True, timeout=60)
        if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
            raise RuntimeError(f"isql failed: {done.stdout[-500:]} {done.stderr[-500:]}")

    def stop(self) -> None:
        if self.process is None:
            return
        stop_server(self.process, timeout=30)  # Virtuoso checkpoints on the way out: give it longer
        self.process = None
        self.log.close()
