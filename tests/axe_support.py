"""axe-core in the browser tests: run Deque's accessibility engine in the page Chromium has open.

axe-core is not committed: its ``axe.min.js`` comes from a registry package,
the newest of those installed: npm's ``axe-core`` (``npm install --prefix .axe
axe-core@4.14.1``, as ``.ci/run`` does; the current release), the file
``AXE_CORE_JS`` names, or the copy inside the PyPI package
``axe-playwright-python`` (the ``test`` extra: axe-core 4.12.1; Playwright itself
is never imported). The script is injected through the WebDriver execute-script
API that ``browser_support`` uses (not subject to the page's
Content-Security-Policy), and ``axe.run`` is limited to the WCAG 2.0, 2.1 and
2.2 level A and AA rules, plus ``label-content-name-mismatch`` (WCAG 2.5.3 Label
in Name, level A, which axe-core ships as experimental and so runs only when
asked)::

    violations = run_axe(browser)
    assert not serious(violations), describe(serious(violations))

A violation is ``{"id", "impact", "help", "nodes": [{"target", "html", "summary"}]}``.
:func:`sideways_overflow` checks reflow (WCAG 1.4.10), which axe-core does not.
"""

from __future__ import annotations

import importlib.util
import os
import re
from functools import lru_cache
from pathlib import Path

import pytest

#: The WCAG 2.0/2.1/2.2 A and AA rules (axe-core's own tag names; 2.2 adds only AA rules).
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
BLOCKING = ("critical", "serious")
#: Rules run beside the tags: WCAG rules axe-core does not run by default (experimental ones).
EXTRA_RULES = ("label-content-name-mismatch",)
PACKAGES = ("axe_playwright_python", "axe_core_python")  # PyPI packages that ship axe.min.js
#: Where ``npm install --prefix .axe axe-core@VERSION`` (``.ci/run``) puts npm's axe-core, at the checkout's root.
NPM_AXE = Path(__file__).resolve().parent.parent / ".axe" / "node_modules" / "axe-core" / "axe.min.js"

RUN_AXE = """
const [tags, extra, context] = arguments;
const rules = Object.fromEntries(extra.map(id => [id, {enabled: true}]));
return axe.run(context || document, {runOnly: {type: "tag", values: tags}, rules, resultTypes: ["violations"]})
  .then(result => ({version: axe.version, violations: result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.map(String), html: n.html.slice(0, 200),
                              summary: (n.failureSummary || "").slice(0, 300)}))}))}));
"""


def axe_version(path: Path) -> tuple[int, ...]:
    """The release of an ``axe.min.js``, from its banner (``/*! axe v4.14.1 ...``); (0,) if it has none.

    >>> import tempfile
    >>> with tempfile.NamedTemporaryFile("w", suffix=".js", delete=False) as f:
    ...     _ = f.write("/*! axe v4.14.1 (c) Deque Systems */")
    >>> axe_version(Path(f.name))
    (4, 14, 1)
    """
    with open(path, encoding="utf-8", errors="replace") as file:
        found = re.search(r"axe v(\d+(?:\.\d+)*)", file.read(500))
    return tuple(int(n) for n in found.group(1).split(".")) if found else (0,)


def axe_scripts() -> list[Path]:
    """Every installed ``axe.min.js``: ``AXE_CORE_JS``, npm's in ``.axe``, then the PyPI packages' copies."""
    found = [Path(os.environ["AXE_CORE_JS"])] if os.environ.get("AXE_CORE_JS") else []
    found.append(NPM_AXE)
    for package in PACKAGES:
        spec = importlib.util.find_spec(package)  # finds the folder without importing the package
        found += [Path(folder) / "axe.min.js" for folder in ((spec.submodule_search_locations or []) if spec else [])]
    return [path for path in found if path.is_file()]


def axe_script_path() -> Path | None:
    """The newest installed ``axe.min.js`` (a tie goes to the first found); None when there is none.

    >>> path = axe_script_path()
    >>> path is None or path.name == "axe.min.js"
    True
    """
    scripts = axe_scripts()
    return max(scripts, key=axe_version) if scripts else None


@lru_cache(maxsize=1)
def axe_script() -> str:
    path = axe_script_path()
    if path is None:
        pytest.skip("axe-core is not installed: npm install --prefix .axe axe-core@4.14.1 (as .ci/run does), "
                    "or pip install -e '.[test]' (axe-playwright-python ships an older copy)")
    return path.read_text(encoding="utf-8")


def run_axe(browser, context: str | None = None) -> list[dict]:
    """axe-core's WCAG A/AA violations of the open page (or of the element ``context`` selects)."""
    browser.command("POST", "/timeouts", {"script": 180_000})  # a long page on a busy machine takes a while
    if not browser.run_js("return typeof window.axe === 'object' && typeof window.axe.run === 'function';"):
        browser.run_js(axe_script() + "\n;return typeof axe;")
    return browser.run_js(RUN_AXE, list(WCAG_TAGS), list(EXTRA_RULES), context)["violations"]


def serious(violations: list[dict]) -> list[dict]:
    """The violations that block: impact critical or serious."""
    return [v for v in violations if v["impact"] in BLOCKING]


def describe(violations: list[dict], page: str = "") -> str:
    """A failure message: one line per rule (id, impact, what it asks), then the selectors of its nodes.

    >>> print(describe([{"id": "label", "impact": "critical", "help": "Form elements must have labels",
    ...                  "nodes": [{"target": ["#q"], "html": "<input id=q>", "summary": "Fix: add a label"}]}], "/x"))
    /x: 1 violation(s)
      label (critical): Form elements must have labels
        #q  <input id=q>  Fix: add a label
    """
    lines = [f"{page}: {len(violations)} violation(s)"]
    for violation in violations:
        lines.append(f"  {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:8]:
            summary = " ".join(node["summary"].split())
            lines.append(f"    {' '.join(node['target'])}  {node['html']}  {summary}"[:400])
        if len(violation["nodes"]) > 8:
            lines.append(f"    ... and {len(violation['nodes']) - 8} more")
    return "\n".join(lines)


def assert_accessible(browser, page: str = "") -> list[dict]:
    """Fail, listing them, if axe-core finds a critical or serious violation; returns the others."""
    violations = run_axe(browser)
    blocking = serious(violations)
    assert not blocking, describe(blocking, page or browser.url)
    return violations


#: Elements that stick out past the right edge of the page (what makes it scroll sideways).
OVERFLOW = """
const width = document.documentElement.clientWidth;
if (document.documentElement.scrollWidth <= width) return [];
return [...document.body.querySelectorAll('*')].filter(e => e.getBoundingClientRect().right > width + 1)
  .slice(0, 8).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (typeof e.className === 'string' && e.className
  ? '.' + e.className.trim().replace(/\\s+/g, '.') : '') + ' ' + Math.round(e.getBoundingClientRect().right) + 'px');"""


def sideways_overflow(browser) -> list[str]:
    """What makes the open page scroll sideways (empty when it reflows into the window's width)."""
    return browser.run_js(OVERFLOW)
