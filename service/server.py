"""The HTTP server: gunicorn (pre-forking, supervised), with the service loaded once before it forks.

``lscp-kg serve`` builds the app (graph, search index, validation) and warms
its cache in the first process, starts the :mod:`query_watch`, then hands
the app to gunicorn with ``preload_app``: every worker process is a fork of
that first one and shares the graph copy-on-write, so memory does not grow
with workers, and the arbiter forks a fresh worker at once for one that dies.

Its workers (:mod:`guarded_worker`) answer one request at a time. Behind a
buffering proxy (nginx, as gunicorn's documentation advises) slow clients
never reach them at all; see the README's deployment notes.
"""

from __future__ import annotations

import gc
import os
import sys

from gunicorn.app.base import BaseApplication
from werkzeug.middleware.proxy_fix import ProxyFix

from lscp_kg.service import request_log
from lscp_kg.service.cache import warm
from lscp_kg.service.errors import error_page_outside_a_request
from lscp_kg.service.guarded_runner import reopened
from lscp_kg.service.guarded_worker import GuardedWorker, handoff_sockets
from lscp_kg.service.limits import ServerOptions
from lscp_kg.service.process_guards import (die_with_parent, isolate_from_network, limit_address_space,
                                            name_process)
from lscp_kg.service.query_watch import REFUSAL_HEADERS, WORKER_NAME, QueryWatch


class Server(BaseApplication):
    """gunicorn serving ``app`` (already built and warmed), see the module docstring."""

    def __init__(self, app, host: str, port: int, workers: int, options: ServerOptions):
        self.application, self.options = app, options
        self.runner = app.extensions["lscp_kg"].runner
        self.settings = {
            "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}", "workers": workers,
            "worker_class": GuardedWorker, "preload_app": True, "proc_name": "lscp-kg", "control_socket_disable": True,
            # the arbiter kills a silent worker: well after the query watch would have
            "timeout": int(self.runner.limits.time_limit) + 30, "graceful_timeout": 5, "keepalive": 0,
            "limit_request_line": 0, "limit_request_fields": 100,
            "post_fork": self.post_fork, "when_ready": self.when_ready,
        }
        GuardedWorker.options, GuardedWorker.handoff = options, handoff_sockets()
        super().__init__()

    def load_config(self):
        for key, value in self.settings.items():
            self.cfg.set(key, value)

    def load(self):
        return self.application

    def run(self):
        """Warm the cache and start the watch (in this process, before any worker is forked), then serve."""
        request_log.synchronous = True  # no writer thread in the process the workers are forked from
        self.application.extensions["lscp_kg"].warm_up = "running"
        warm(self.application)
        request_log.synchronous = False
        self.watch = QueryWatch(self.runner, GuardedWorker.handoff[0], page=self.stopped_query_page)
        self.watch.start()
        gc.freeze()  # what is built so far stays shared by the workers: the collector does not write to it
        super().run()

    def stopped_query_page(self, message: str) -> tuple[list, bytes]:
        """The page the watch writes to a browser whose query it stopped (rendered in the watch process)."""
        return error_page_outside_a_request(self.application, 503, message, REFUSAL_HEADERS)

    def when_ready(self, arbiter) -> None:
        host, port = arbiter.LISTENERS[0].sock.getsockname()[:2]
        print(f"Serving on http://{host}:{port}", flush=True)
        sys.stderr.flush()

    def post_fork(self, arbiter, worker) -> None:
        """In a new worker, before any thread: die with the server, open the store for this process, leave
        the network (where the host allows it and the store is local), bound the address space, and link to
        the watch."""
        name_process(WORKER_NAME)
        die_with_parent(arbiter.pid)
        reopened(self.runner.kg)
        link = self.watch.link()  # before leaving the network: the watch's socket is in this namespace
        isolated = False if self.runner.needs_network else isolate_from_network()
        limit_address_space(2 * self.runner.limits.memory_limit)
        link.hello(isolated)
        self.runner.watch = GuardedWorker.watch = link
        self.runner.process_isolated = isolated
        request_log.after_fork()


def network_isolation_refusal(kg) -> str | None:
    """Why the workers could not be cut off from the network here (None: they can)."""
    if kg.is_remote:
        return "the query workers of a remote store need the network to reach it"
    child = os.fork()
    if child == 0:  # try in a throwaway process: leaving the network cannot be undone
        os._exit(0 if isolate_from_network() else 1)
    _, status = os.waitpid(child, 0)
    if os.waitstatus_to_exitcode(status) == 0:
        return None
    return ("this host gives no network namespace, so query workers cannot be cut off from the network; "
            "not starting")


class TrustedProxy:
    """WSGI layer: a request from the trusted reverse proxy has its client's address from ``X-Forwarded-For``
    (the address the proxy appended); from anyone else the header is ignored."""

    def __init__(self, wsgi_app, proxy: str):
        self.plain, self.proxy = wsgi_app, proxy
        self.fixed = ProxyFix(wsgi_app, x_for=1)

    def __call__(self, environ, start_response):
        if environ.get("REMOTE_ADDR") == self.proxy:
            return self.fixed(environ, start_response)
        environ.pop("HTTP_X_FORWARDED_FOR", None)
        return self.plain(environ, start_response)


def trust_proxy(app, proxy: str) -> None:
    app.wsgi_app = TrustedProxy(app.wsgi_app, proxy)
