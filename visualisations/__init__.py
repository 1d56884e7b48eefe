"""Network views of the graph (networkx analyses, pyvis explorer)."""
