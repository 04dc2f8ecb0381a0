"""Serve a built site on loopback and look at it in Debian's Chromium, driven by Playwright.

Shared by the browser tests (``tests/browser/``) and ``scripts/screenshots.py`` (the README's
screenshots, ``make screenshots``). Playwright is a test dependency (the ``test`` extra), not a
runtime one: only those two import this module. Chromium is always ``/usr/bin/chromium`` from
Debian's ``chromium`` package; Playwright's own browser downloads are never used.
"""

from __future__ import annotations

import contextlib
import functools
import os
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

from playwright.sync_api import sync_playwright

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser, BrowserContext, Playwright, Route

CHROMIUM = Path("/usr/bin/chromium")
"""Debian's Chromium (``apt-get install chromium``)."""

CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",  # the tests run as root in CI
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # The machine's network is closed: without these, Chromium keeps trying Google's hosts.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
"""Flags that make Chromium start quietly here. Playwright adds a fresh ``--user-data-dir``."""

INSTALL_HINT = "install Debian's Chromium: sudo apt-get install -y chromium"

SCREENSHOT_WIDTH = 1280
SCREENSHOT_HEIGHT = 800

README_SCREENSHOTS = {
    "b2m.png": "biomarkers/b2m/",
    "condition.png": "conditions/multiple-myeloma/",
}
"""The README's screenshots: file name in content/assets/screenshots/ → page of the site."""


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serve files without logging every request to stderr."""

    def log_message(self, format: str, *args: Any) -> None:
        """Drop the access log."""


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve ``directory`` on 127.0.0.1 (a port chosen by the OS); yield its base URL.

    The folder may be (re)filled after the server starts: files are read per request. The
    server runs in a thread and is shut down when the block ends.
    """
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def build_site(project: Path, site_dir: Path, site_url: str) -> subprocess.CompletedProcess[str]:
    """Run ``mkdocs build --strict`` on ``project`` into ``site_dir``, published at ``site_url``.

    ``site_url`` is passed as ``SITE_URL`` (see mkdocs.yml), so the sitemap that Material's
    instant navigation reads names the address the site is really served at.
    """
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)]
    env = {**os.environ, "SITE_URL": site_url, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        command, cwd=project, env=env, capture_output=True, text=True, check=False
    )


def launch_chromium(playwright: Playwright) -> Browser:
    """Launch headless ``/usr/bin/chromium`` with the quiet flags and a fresh profile."""
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=list(CHROMIUM_ARGS)
    )


@dataclass
class ExternalRequests:
    """Requests to any host but the served site: recorded, and answered locally.

    Nothing leaves the machine (which has no network anyway); a test can still tell what the
    page tried to fetch, and a followed external link lands on a blank stub page.
    """

    base_url: str
    urls: list[str]

    def handle(self, route: Route) -> None:
        """Let same-origin requests through; record and stub every other one."""
        url = route.request.url
        if url.startswith(self.base_url) or url.startswith(("data:", "blob:")):
            route.continue_()
            return
        self.urls.append(url)
        if route.request.resource_type == "document":  # a followed link: show a blank page
            route.fulfill(status=200, content_type="text/html", body="<!doctype html><p>stub")
        else:
            route.fulfill(status=204, body="")


def new_context(browser: Browser, base_url: str) -> tuple[BrowserContext, ExternalRequests]:
    """Return a 1280-px-wide, light-scheme context that keeps every request on loopback."""
    context = browser.new_context(
        base_url=base_url,
        viewport={"width": SCREENSHOT_WIDTH, "height": SCREENSHOT_HEIGHT},
        color_scheme="light",
        reduced_motion="reduce",
    )
    external = ExternalRequests(base_url, [])
    context.route("**/*", external.handle)
    return context, external


def save_readme_screenshots(project: Path, output_dir: Path) -> list[Path]:
    """Build ``project``, serve it, and save the README's screenshots into ``output_dir``.

    Each is the top of the page, 1280 px wide. Returns the files written.
    """
    if not CHROMIUM.exists():
        raise SystemExit(f"{CHROMIUM} is missing: {INSTALL_HINT}")
    output_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory(prefix="kb-screenshots-") as tmp:
        site_dir = Path(tmp) / "site"
        site_dir.mkdir()
        with serve(site_dir) as base_url:
            completed = build_site(project, site_dir, base_url)
            if completed.returncode != 0:
                raise SystemExit(f"mkdocs build --strict failed:\n{completed.stderr}")
            with sync_playwright() as playwright:
                browser = launch_chromium(playwright)
                try:
                    context, _ = new_context(browser, base_url)
                    page = context.new_page()
                    for name, path in README_SCREENSHOTS.items():
                        page.goto(path, wait_until="networkidle")
                        page.evaluate("document.fonts.ready")
                        target = output_dir / name
                        page.screenshot(path=str(target), full_page=False)
                        written.append(target)
                    context.close()
                finally:
                    browser.close()
    return written
