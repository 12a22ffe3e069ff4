"""Accessibility checks with axe-core, for any test that has a page open in Playwright.

    from axe import axe_violations, describe
    problems = axe_violations(page)          # after the test's own clicks and typing
    assert not problems, describe(problems)

axe-core is pinned in ``web/package.json`` (a devDependency, installed by ``npm ci --prefix
web``); it is injected into the page under test only, never copied into the book. The rules run
are those tagged WCAG 2.0 and 2.1, levels A and AA.
"""

from __future__ import annotations

import json
from pathlib import Path

AXE_JS = (
    Path(__file__).resolve().parent.parent
    / "web"
    / "node_modules"
    / "axe-core"
    / "axe.min.js"
)

#: The WCAG conformance levels every page must meet.
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")


def axe_violations(page, selector: str | None = None) -> list[dict]:
    """Run axe-core on the open ``page`` (or on the element ``selector`` picks) and return its
    WCAG 2 A/AA violations: dicts with ``id`` (the rule), ``impact``, ``help`` and ``nodes`` (a
    list of ``{"target": css selector, "html": start of the element, "summary": how to fix}``).

    Call it after the interactions under test (typing, clicking): axe checks the page as it is
    then. Raises ``FileNotFoundError`` when axe-core is not installed (``npm ci --prefix web``).
    """
    if not AXE_JS.exists():
        raise FileNotFoundError(
            f"{AXE_JS} is missing: run `npm ci --prefix web` to install "
            "axe-core (pinned in web/package.json)."
        )
    # judge the page as the reader sees it once transitions (a quiz answer's
    # colour fading in) have ended
    page.wait_for_function(
        "() => document.getAnimations().every(a => a.playState !== 'running')",
        timeout=5000,
    )
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        """async ([context, tags]) => {
            const r = await axe.run(context || document,
                {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(' '),
                    html: n.html.slice(0, 160), summary: n.failureSummary}))}));
        }""",
        [selector, list(WCAG_TAGS)],
    )
    return result


def describe(violations: list[dict], per_rule: int = 5) -> str:
    """A readable report of :func:`axe_violations`' result (a few nodes per rule)."""
    lines = []
    for v in violations:
        lines.append(
            f"{v['id']} ({v['impact']}, {len(v['nodes'])} nodes): {v['help']}"
        )
        for n in v["nodes"][:per_rule]:
            lines.append(f"    {n['target']}: {n['html']}")
            if n.get("summary"):
                lines.append(
                    "      " + n["summary"].replace("\n", "\n      ")[:400]
                )
    return "\n".join(lines) or json.dumps(violations)


def assert_accessible(page, selector: str | None = None, where: str = ""):
    """Fail with a readable report when axe finds a WCAG 2 A/AA violation on
    ``page`` as it is now (call it after a reader's interactions)."""
    violations = axe_violations(page, selector)
    assert not violations, f"{where or page.url}:\n{describe(violations)}"
