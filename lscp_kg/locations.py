"""Where the shipped ontology and data live, installed or in a source tree.

A module of its own, below the loader (:mod:`lscp_kg.store`) and the authoring
compiler (:mod:`lscp_kg.authoring`), so that both can use it without importing
each other.

>>> ONTOLOGY_FILE.name, SHIPPED_DATA_DIR.is_dir()
('lscp.ttl', True)
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parent
try:  # the folders ship as the packages lscp_kg.ontology and lscp_kg.graph_data
    from lscp_kg import graph_data as _graph_data, ontology as _ontology

    ONTOLOGY_DIR = Path(_ontology.__file__).resolve().parent
    SHIPPED_DATA_DIR = Path(_graph_data.__file__).resolve().parent
except ImportError:  # running from a source tree that is not installed
    ONTOLOGY_DIR = PACKAGE_ROOT.parent / "ontology"
    SHIPPED_DATA_DIR = PACKAGE_ROOT.parent / "graph_data"

ONTOLOGY_FILE = ONTOLOGY_DIR / "lscp.ttl"
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
