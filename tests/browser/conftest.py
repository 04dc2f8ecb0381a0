"""Browser tests: the real site built once, served on loopback, read in Debian's Chromium.

Every test in this folder is marked ``browser`` (``pytest -m browser`` runs them alone). Chromium
is ``/usr/bin/chromium`` (``apt-get install chromium``), never a Playwright download: without it
the tests are skipped on a developer's machine and fail when ``CI`` is set. When a test that
uses ``page`` fails, a screenshot of that page is saved as ``tests/browser/_output/<test>.png``.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from tests.helpers import PROJECT_ROOT, mkdocs_build
from tools.screenshots import CHROMIUM, INSTALL_HINT, launch_chromium, new_context, serve

if TYPE_CHECKING:
    from collections.abc import Generator, Iterator

    from playwright.sync_api import Browser, ConsoleMessage, Dialog, Page, Request, Response

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "_output"
"""Screenshots of failed tests (git-ignored)."""
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
"""axe-core, installed by `make test` (npm ci --prefix tests/browser)."""

TIMEOUT_MS = 10_000


def in_ci() -> bool:
    """Return True when the ``CI`` environment variable is set (as CI services and .ci/run do)."""
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}


def require(condition: bool, message: str) -> None:
    """Skip the test when ``condition`` is false, or fail it in CI, where everything must run."""
    if condition:
        return
    if in_ci():
        pytest.fail(f"{message} (CI is set: the browser tests must run there)", pytrace=False)
    pytest.skip(message)


def mkdocs_config(project: Path = PROJECT_ROOT) -> dict[str, Any]:
    """Return ``mkdocs.yml`` as data; MkDocs' own tags (``!ENV``) are read as None."""

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda _loader, _suffix, _node: None)
    with (project / "mkdocs.yml").open(encoding="utf-8") as stream:
        config: dict[str, Any] = yaml.load(stream, Loader=Loader)
    return config


# --------------------------------------------------------------------------- collection, reports


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)


def screenshot_name(test_name: str) -> str:
    """Return a file name for a test's screenshot: ``test_x[a/b]`` → ``test_x-a_b.png``."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", test_name.replace("[", "-")).strip("_-") + ".png"


def save_screenshot(page: Page, name: str) -> Path | None:
    """Save the top of ``page`` into _output/; return the file, or None if the page is gone."""
    OUTPUT.mkdir(exist_ok=True)
    target = OUTPUT / screenshot_name(name)
    try:
        page.screenshot(path=target, timeout=5_000)
    except PlaywrightError:
        return None
    return target


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    page = getattr(item, "funcargs", {}).get("page")
    if report.when == "call" and report.failed and page is not None and not page.is_closed():
        saved = save_screenshot(page, item.name)
        if saved is not None:
            report.sections.append(("screenshot", str(saved.relative_to(PROJECT_ROOT))))
    return report


# --------------------------------------------------------------------------- site and browser


@dataclass(frozen=True)
class Site:
    """A built site and the address it is served at (ends with a slash)."""

    root: Path
    url: str

    def pages(self) -> list[str]:
        """Return the path of every page of the site, relative to its address: "", "tags/"…."""
        folders = (
            p.parent.relative_to(self.root).as_posix() for p in self.root.rglob("index.html")
        )
        return sorted("" if folder == "." else f"{folder}/" for folder in folders)


def serve_built(project: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """Build ``project`` with ``mkdocs build --strict``, serve it, and yield it; then stop."""
    site_dir = tmp_path_factory.mktemp("served-site")
    with serve(site_dir) as url:
        # The sitemap (read by Material's instant navigation) must name the address served;
        # SITE_URL is set for this build only, not for the other tests' builds.
        with pytest.MonkeyPatch.context() as env:
            env.setenv("SITE_URL", url)
            completed = mkdocs_build(project, site_dir)
        assert completed.returncode == 0, completed.stderr
        yield Site(site_dir, url)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The real site, built once per session and served on 127.0.0.1."""
    yield from serve_built(PROJECT_ROOT, tmp_path_factory)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Debian Chromium with a fresh profile, for the whole session."""
    require(CHROMIUM.exists(), f"{CHROMIUM} is missing: {INSTALL_HINT}")
    shutil.rmtree(OUTPUT, ignore_errors=True)  # _output/ shows this run's failures only
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    """The axe-core script, to inject into pages."""
    require(
        AXE.is_file(),
        f"{AXE.relative_to(PROJECT_ROOT)} is missing: run `make test`, or"
        " `npm ci --prefix tests/browser`",
    )
    return AXE.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- pages and their log


@dataclass
class PageLog:
    """What a page reported while a test used it."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def errors(self) -> list[str]:
        """Return console errors, uncaught exceptions and failed requests, one line each."""
        return [*self.console_errors, *self.page_errors, *self.failed_requests]

    def on_console(self, message: ConsoleMessage) -> None:
        """Record a console message of type error, with where it was logged."""
        if message.type == "error":
            where = message.location
            self.console_errors.append(
                f"console error: {message.text} ({where.get('url')}:{where.get('lineNumber')})"
            )

    def on_page_error(self, error: PlaywrightError) -> None:
        """Record an uncaught exception."""
        self.page_errors.append(f"uncaught: {error}")

    def on_request_failed(self, request: Request) -> None:
        """Record a request that got no response (refused, aborted, blocked...)."""
        self.failed_requests.append(f"request failed: {request.url} ({request.failure})")

    def on_response(self, response: Response) -> None:
        """Record a response with an error status (a missing file is a failed request too)."""
        if response.status >= 400:
            self.failed_requests.append(f"HTTP {response.status}: {response.url}")

    def on_dialog(self, dialog: Dialog) -> None:
        """Record an alert, confirm or prompt, and dismiss it."""
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def watch(self, page: Page) -> None:
        """Record ``page``'s console errors, exceptions, failed requests and dialogs."""
        page.on("console", self.on_console)
        page.on("pageerror", self.on_page_error)
        page.on("requestfailed", self.on_request_failed)
        page.on("response", self.on_response)
        page.on("dialog", self.on_dialog)


@pytest.fixture
def page_log() -> PageLog:
    """The log of the test's ``page``."""
    return PageLog()


@pytest.fixture
def page(browser: Browser, site: Site, page_log: PageLog) -> Iterator[Page]:
    """A fresh 1280-px-wide page on ``site`` (relative URLs resolve against it).

    Requests to any other host are recorded in ``page_log.external_requests`` and stubbed:
    nothing leaves the machine.
    """
    context, external = new_context(browser, site.url)
    page_log.external_requests = external.urls
    context.set_default_timeout(TIMEOUT_MS)
    new_page = context.new_page()
    page_log.watch(new_page)
    yield new_page
    context.close()
