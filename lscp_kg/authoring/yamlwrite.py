"""Write authoring YAML deterministically and readably: block style, keys in the kinds' order,
Unicode as is, multi-line text (Turtle) as literal blocks.

>>> print(dump_yaml({"quote": "a b", "facts": [{"person": "x", "holds": ["p", "q"]}]}), end="")
quote: a b
facts:
- person: x
  holds:
  - p
  - q
"""

from __future__ import annotations

import yaml


class _Dumper(yaml.SafeDumper):
    """SafeDumper that writes multi-line strings as literal blocks."""


def _string(dumper: _Dumper, value: str):
    if "\n" in value and value == value.rstrip(" ") and "\t" not in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _string)


def dump_yaml(data) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=110, default_flow_style=False)
