"""The state of an explored view, as its URL carries it, and the picture that state gives.

What a scrutineer does to a picture (expand a node, hide one, focus on a
node's neighbourhood, untick a kind or a relation, pick a layout) is kept in
the URL's query string, so that a link reopens the same picture. The page
script writes these parameters as the picture changes; the server applies them
here (for the text alternative and the first frame), and the page script
(``static/explorer-state.js``) computes the same picture by the same rules:

1. the view's nodes, plus the neighbours of each ``expand`` node, in order;
2. without the ``hide`` nodes;
3. with ``focus``: only what lies within ``focus_depth`` of it (hubs not
   followed unless ``hubs``), plus the neighbours of expanded nodes kept.

``hide_kinds`` and ``hide_relations`` filter what is drawn (the legend's ticks).

>>> state = ViewState.from_args({"expand": ["id/a"], "focus_depth": ["2"], "hide_kinds": [""]}, "http://b/")
>>> state.expand, state.focus_depth, state.hide_kinds
(('http://b/id/a',), 2, ())
>>> state.query()
[('expand', 'http://b/id/a'), ('focus_depth', '2'), ('hide_kinds', '')]
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx

from .neighbourhood import around, expansion, ring

STATE_PARAMETERS = ("expand", "hide", "focus", "focus_depth", "hubs", "hide_kinds", "hide_relations", "layout")
LAYOUTS = ("computed", "hierarchical", "force")
MAX_FOCUS_DEPTH = 5


class StateError(ValueError):
    """A state parameter that cannot be read (say which and why)."""


@dataclass(frozen=True)
class ViewState:
    expand: tuple[str, ...] = ()
    hide: tuple[str, ...] = ()
    focus: str | None = None
    focus_depth: int = 1
    hubs: bool = False
    hide_kinds: tuple[str, ...] | None = None  # None: the view's own default
    hide_relations: tuple[str, ...] = ()
    layout: str | None = None
    explicit: frozenset = field(default_factory=frozenset)

    @classmethod
    def from_args(cls, args: dict[str, list[str]], base_iri: str) -> ViewState:
        """From the query string (each parameter's list of values); IRIs may be relative to the base."""
        def iris(key):
            return tuple(absolute(v, base_iri) for v in given(args, key))

        focus = iris("focus")
        return cls(expand=iris("expand"), hide=iris("hide"), focus=focus[-1] if focus else None,
                   focus_depth=read_focus_depth(args), hubs=last(args, "hubs") in ("1", "true", "yes"),
                   hide_kinds=given(args, "hide_kinds") if "hide_kinds" in args else None,
                   hide_relations=given(args, "hide_relations"), layout=read_layout(args),
                   explicit=frozenset(k for k in STATE_PARAMETERS if k in args))

    def query(self) -> list[tuple[str, str]]:
        """The state as query-string pairs, in the order the page script writes them."""
        pairs = [("expand", e) for e in self.expand] + [("hide", h) for h in self.hide]
        if self.focus:
            pairs.append(("focus", self.focus))
        if self.focus_depth != 1 or "focus_depth" in self.explicit:
            pairs.append(("focus_depth", str(self.focus_depth)))
        if self.hubs:
            pairs.append(("hubs", "1"))
        if self.hide_kinds is not None:
            pairs += [("hide_kinds", k) for k in self.hide_kinds] or [("hide_kinds", "")]
        pairs += [("hide_relations", r) for r in self.hide_relations]
        if self.layout:
            pairs.append(("layout", self.layout))
        return pairs


def last(args: dict[str, list[str]], key: str) -> str:
    """The last value given for a parameter ("" when none is).

    >>> last({"layout": ["force", "computed"]}, "layout"), last({}, "layout")
    ('computed', '')
    """
    return (args.get(key) or [""])[-1]


def given(args: dict[str, list[str]], key: str) -> tuple[str, ...]:
    """The non-empty values given for a parameter, in order."""
    return tuple(v for v in args.get(key, []) if v)


def read_focus_depth(args: dict[str, list[str]]) -> int:
    depth = last(args, "focus_depth") or "1"
    if not depth.isdigit() or not 1 <= int(depth) <= MAX_FOCUS_DEPTH:
        raise StateError(f"focus_depth must be a whole number from 1 to {MAX_FOCUS_DEPTH}, not {depth!r}")
    return int(depth)


def read_layout(args: dict[str, list[str]]) -> str | None:
    layout = last(args, "layout") or None
    if layout is not None and layout not in LAYOUTS:
        raise StateError(f"layout must be one of {', '.join(LAYOUTS)}, not {layout!r}")
    return layout


def absolute(value: str, base_iri: str) -> str:
    return value if ":" in value.split("/", 1)[0] else base_iri + value.lstrip("/")


def apply_expansions(projection: nx.MultiDiGraph, graph: nx.MultiDiGraph, expand) -> dict[str, list[str]]:
    """Add each expanded node's neighbours (and its edges) to ``graph``, placed on a ring around it.
    Returns what each expansion brings, as the neighbours API gives it."""
    brought = {}
    for node in expand:
        if node not in graph or node not in projection:
            continue
        found, edges = expansion(projection, node)
        new = sorted((n for n in found if n not in graph), key=lambda n: (projection.nodes[n]["label"].casefold(), n))
        centre = (graph.nodes[node].get("x", 0.0), graph.nodes[node].get("y", 0.0))
        for other, (x, y) in zip(new, ring(centre, len(new))):
            graph.add_node(other, **dict(projection.nodes[other], x=x, y=y, brought_in=True, focus=False))
        for s, o, k in edges:
            if not graph.has_edge(s, o, k):
                graph.add_edge(s, o, key=k, **dict(projection.edges[s, o, k]))
        brought[node] = sorted(found)
    return brought


def visible_nodes(graph: nx.MultiDiGraph, brought: dict[str, list[str]], state: ViewState) -> set[str]:
    """The nodes the picture shows for this state (steps 2 and 3 of the module docstring)."""
    present = set(graph) - set(state.hide)
    if not state.focus or state.focus not in present:
        return present
    kept = around(graph, [state.focus], state.focus_depth, follow_hubs=state.hubs, within=present)
    for node in state.expand:
        if node in kept:
            kept |= set(brought.get(node, ())) & present
    return kept
