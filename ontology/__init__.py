"""The lscp-kg ontology (``lscp.ttl``) and its SHACL shapes (``shapes.ttl``).

This folder is a package only so that its files ship with the distribution.
"""
