"""lscp-kg: a knowledge graph of safeguarding children partnership arrangements.

The core package loads the ontology and data into an embedded pyoxigraph
store (:mod:`lscp_kg.store`), validates them (:mod:`lscp_kg.validation`),
and runs the named queries shipped in ``queries/`` (:mod:`lscp_kg.named_queries`).

>>> from lscp_kg.store import load_knowledge_graph
>>> kg = load_knowledge_graph()
>>> bool(kg.query("ASK { ?p a <https://lscp-kg.example.org/ontology#SafeguardingPartnership> }"))
True
"""

__version__ = "0.1.0"
