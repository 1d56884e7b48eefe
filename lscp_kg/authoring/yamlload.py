"""Read an authoring YAML file, keeping the line of every mapping, key and list item.

Dates stay strings (``2019-06-29`` is a date of the source, not a Python date), and
a key written twice in one mapping is an error, not a silent overwrite.

>>> doc = load_yaml_text("a: 1\\nb:\\n  - x: 2019-06-29\\n", "f.yaml")
>>> doc.line_of("b"), doc["b"].line_of(0), doc["b"][0]["x"]
(2, 3, '2019-06-29')
>>> load_yaml_text("a: No\\nb: true\\n", "f.yaml")
{'a': 'No', 'b': True}
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from .errors import AuthoringError, AuthoringProblem


class Map(dict):
    """A mapping that knows its own line and the line of each key's value."""

    line: int = 0

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines: dict = {}

    def line_of(self, key) -> int:
        return self.lines.get(key, self.line)


class Seq(list):
    """A list that knows its own line and the line of each item."""

    line: int = 0

    def __init__(self, *args):
        super().__init__(*args)
        self.lines: list[int] = []

    def line_of(self, index: int) -> int:
        return self.lines[index] if index < len(self.lines) else self.line


# libyaml's parser when PyYAML has it (several times faster on a large file); the constructors are ours either way.
_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BASE_LOADER):
    """SafeLoader that builds Map/Seq and keeps timestamps as text."""


def _construct_map(loader: _Loader, node: yaml.MappingNode):
    result = Map()
    result.line = node.start_mark.line + 1
    yield result
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"the key {key!r} is written twice in this mapping", key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = key_node.start_mark.line + 1


def _construct_seq(loader: _Loader, node: yaml.SequenceNode):
    result = Seq()
    result.line = node.start_mark.line + 1
    yield result
    for item in node.value:
        result.append(loader.construct_object(item, deep=True))
        result.lines.append(item.start_mark.line + 1)


# YAML 1.2 booleans, as editors read the file: only true/false, so "No" or "on" stay text.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                              list("tTfF"))
_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


def load_yaml_text(text: str, file: str):
    """Parse YAML text; a syntax error becomes an AuthoringError with its line and a fix."""
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        problem = (error.problem or str(error)).strip()
        if error.context:
            problem = f"{error.context.strip()}: {problem}"
        raise AuthoringError([AuthoringProblem(file, line, f"this is not valid YAML: {problem}",
                                               "check the indentation of this line and the one before it; "
                                               "put a text that contains ': ' or starts with a quote mark "
                                               "inside double quotes")]) from error


def load_yaml_file(path: Path | str):
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise AuthoringError([AuthoringProblem(str(path), None, f"cannot read the file: {error}",
                                               "save it as UTF-8 text")]) from error
    return load_yaml_text(text, str(path))
