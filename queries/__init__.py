"""Named SPARQL queries (``*.rq``); their ``#+`` header says title,
description, parameters and the competency questions they answer.

This folder is a package only so that its files ship with the distribution.
"""
