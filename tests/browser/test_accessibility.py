"""The key pages pass axe-core's audit with no serious or critical violation."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Page

BLOCKING = {"serious", "critical"}

KEY_PAGES = {
    "home": "",
    "biomarker": "biomarkers/b2m/",
    "condition": "conditions/multiple-myeloma/",
    "specimen": "specimens/urine/",
    "references": "references/",
}
SCHEMES = ("light", "dark")  # the site follows the reader's system setting


def _audits() -> list[Any]:
    return [
        pytest.param(scheme, path, id=f"{scheme}-{name}")
        for scheme in SCHEMES
        for name, path in KEY_PAGES.items()
    ]


RUN_AXE = """
async () => {
  const results = await axe.run(document, {resultTypes: ["violations"]});
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary})),
  }));
}
"""


def describe(violations: list[dict[str, Any]]) -> str:
    """Return violations as readable lines: id, impact, help, then each element's selector."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:10]:
            summary = " ".join(str(node["summary"]).split())
            lines.append(f"    {node['target']}: {summary}")
        if len(violation["nodes"]) > 10:
            lines.append(f"    ... and {len(violation['nodes']) - 10} more elements")
    return "\n".join(lines)


@pytest.mark.parametrize(("scheme", "path"), _audits())
def test_page_has_no_serious_accessibility_violation(
    page: Page, axe_source: str, scheme: str, path: str
) -> None:
    page.emulate_media(color_scheme="dark" if scheme == "dark" else "light")
    page.goto(path, wait_until="load")
    page.add_script_tag(content=axe_source)
    violations = [v for v in page.evaluate(RUN_AXE) if v["impact"] in BLOCKING]
    assert not violations, "axe-core found serious violations:\n" + describe(violations)
