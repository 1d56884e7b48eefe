"""A local TCP listener that counts connections: tests point SERVICE, LOAD or FROM at it, and a query that
fetched anything would show up here (nothing may ever leave the machine, so 127.0.0.1 stands in for
"another host")."""

from __future__ import annotations

import socket
import threading


class ConnectionCounter:
    """Listens on a free 127.0.0.1 port until closed; ``connections`` counts every connection accepted."""

    def __init__(self, backlog: int = 16):
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(backlog)
        self.socket.settimeout(0.2)
        self.port = self.socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.connections = 0
        self._stop = False
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop:
            try:
                connection, _ = self.socket.accept()
            except OSError:  # includes the accept timeout, which lets the loop see _stop
                continue
            self.connections += 1
            connection.close()

    def close(self) -> None:
        self._stop = True
        self._thread.join(timeout=2)
        self.socket.close()
