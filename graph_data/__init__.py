"""Shipped data: one folder per partnership (``lewisham/``) and ``common/`` for
facts shared by all partnerships (legislation, national bodies, vocabularies).

This folder is a package only so that its files ship with the distribution.
"""
