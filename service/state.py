"""What the app holds: the loaded graph, the named queries, the limits and the guarded query runner.

Blueprints reach it with :func:`service_state` (``current_app.extensions["lscp_kg"]``);
other areas' blueprints use ``service_state().kg`` for the read-only graph.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app

from lscp_kg.query_binding import NamedQuery
from lscp_kg.service.limits import Limits
from lscp_kg.service.guarded_runner import GuardedRunner
from lscp_kg.store import KnowledgeGraph


@dataclass
class ServiceState:
    kg: KnowledgeGraph
    named_queries: dict[str, NamedQuery]
    limits: Limits
    runner: GuardedRunner
    cors_origins: tuple[str, ...] = ("*",)
    cache: dict = field(default_factory=dict)  # generated pages (the ontology documentation)
    warm_up: str = "not started"  # the start-up computation of the named queries' default answers (cache.warm)


def service_state() -> ServiceState:
    return current_app.extensions["lscp_kg"]
