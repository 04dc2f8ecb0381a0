"""Under `mkdocs serve`, a broken edit shows its problems on top of the page the editor has open."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from tests.helpers import PROJECT_ROOT
from tests.test_live_preview import ServeLoop
from tools.benchmark import copy_project
from tools.screenshots import new_context, serve

if TYPE_CHECKING:
    from pathlib import Path

    import pytest
    from playwright.sync_api import Browser


def test_the_problems_show_on_the_open_page_and_go_when_fixed(
    browser: Browser, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.CRITICAL)
    project = copy_project(PROJECT_ROOT, tmp_path / "project", data=True)
    site = tmp_path / "served"
    loop = ServeLoop(project, site)
    data = project / "data" / "biomarkers" / "b2m.yaml"
    good = data.read_text(encoding="utf-8")
    data.write_text(good.replace("condition: multiple-myeloma", "condition: myeloma-nope", 1))
    loop.rebuild()
    with serve(site) as url:
        context, _ = new_context(browser, url)
        page = context.new_page()
        page.goto("biomarkers/b2m/")
        banner = page.locator("#kb-preview-problems")
        banner.wait_for()
        assert "unknown condition 'myeloma-nope'" in banner.inner_text()
        assert banner.get_attribute("role") is None  # the alert role is on the inner box
        assert page.locator("#kb-preview-problems [role=alert]").count() == 1
        # On a phone the long messages wrap inside the box instead of running off the page.
        page.set_viewport_size({"width": 390, "height": 800})
        overflow = page.evaluate(
            "() => { const b = document.querySelector('#kb-preview-problems pre');"
            " return b.scrollWidth - b.clientWidth; }"
        )
        assert overflow <= 0
        # The article under it is the last good one.
        assert page.locator('[data-claim="serum-up-multiple-myeloma"]').count() >= 1

        data.write_text(good, encoding="utf-8")
        loop.rebuild()
        page.reload()
        page.locator("article").first.wait_for()
        page.wait_for_load_state("networkidle")
        assert page.locator("#kb-preview-problems").count() == 0
        context.close()
