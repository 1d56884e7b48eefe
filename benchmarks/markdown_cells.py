"""The cells of the benchmark report's tables: milliseconds, stopped runs, and met or missed.

>>> ms(3.14159), ms(250.0), ms(12345.0), ms(float("nan"))
('3.14', '250.0', '12,345', '-')
>>> yes(True)
'**met**'
"""

from __future__ import annotations

import math


def ms(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return f"{value:.2f}" if value < 10 else f"{value:.1f}" if value < 1000 else f"{value:,.0f}"


def cell(timing: dict, key: str = "median") -> str:
    if timing.get("timed_out"):
        return f"> {timing['timed_out'] * 1000:,.0f} (stopped)"
    return ms(timing[key])


def yes(flag: bool) -> str:
    return "**met**" if flag else "**missed**"
