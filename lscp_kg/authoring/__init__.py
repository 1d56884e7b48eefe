"""The authoring format: one YAML file per partnership, every fact next to the source words that state it.

``compile_file`` turns a file into quads (each fact in its passage's named graph);
``lscp-kg build`` writes them as TriG; the store loads ``.yaml`` files directly.
See docs/adding-a-partnership.md.
"""

from .compiler import compile_file
from .errors import AuthoringError, AuthoringProblem

__all__ = ["AuthoringError", "AuthoringProblem", "compile_file"]
