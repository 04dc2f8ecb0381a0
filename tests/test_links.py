"""Link integrity of the built sites: every internal link and anchor resolves.

Checked over every HTML file of the real site and of the tests/cases/many fixture site:
every internal ``href`` and ``src`` names a file of the site, every ``#fragment`` (footnotes,
their back-links ``#fnref:…``, claim anchors ``#claim-…``, headings) is an id on its target
page, and every external link is a well-formed ``https://`` URL (never fetched). MkDocs itself
validates anchors in Markdown (``validation: anchors: warn``, made an error by ``--strict``).
"""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urljoin, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

from tests.helpers import CASES, PROJECT_ROOT, make_project, mkdocs_build, run_cli

if TYPE_CHECKING:
    from collections.abc import Iterator

URL_ATTRIBUTES = ("href", "src")
SITE_URL = "http://site.invalid/"
"""Where a page's relative links are resolved from (any absolute base will do)."""


def mkdocs_config(project: Path = PROJECT_ROOT) -> dict[str, Any]:
    """Return ``mkdocs.yml`` as data; MkDocs' own tags (``!ENV``) are read as None."""

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda _loader, _suffix, _node: None)
    with (project / "mkdocs.yml").open(encoding="utf-8") as stream:
        config: dict[str, Any] = yaml.load(stream, Loader=Loader)
    return config


@dataclass(frozen=True)
class Link:
    """One URL found in a page: where, in which attribute, and what it says."""

    page: str
    """The page holding it, relative to the site root (``biomarkers/b2m/index.html``)."""
    attribute: str
    url: str

    def __str__(self) -> str:
        return f"{self.page}: {self.attribute}={self.url!r}"


class BuiltSite:
    """A built site's HTML files, parsed once, with the links and ids they hold."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._soups: dict[str, BeautifulSoup] = {}
        canonical = self.soup("index.html").find("link", rel="canonical", href=True)
        assert canonical is not None, "the home page names no canonical address"
        self.published_at = str(canonical["href"])
        """The site_url it was built for (absolute links to it are internal)."""

    def soup(self, page: str) -> BeautifulSoup:
        if page not in self._soups:
            html = (self.root / page).read_text(encoding="utf-8")
            self._soups[page] = BeautifulSoup(html, "html.parser")
        return self._soups[page]

    @cached_property
    def pages(self) -> list[str]:
        return sorted(p.relative_to(self.root).as_posix() for p in self.root.rglob("*.html"))

    @cached_property
    def links(self) -> list[Link]:
        found = []
        for page in self.pages:
            for attribute in URL_ATTRIBUTES:
                for tag in self.soup(page).find_all(attrs={attribute: True}):
                    found.append(Link(page, attribute, str(tag[attribute])))
        return found

    def ids(self, page: str) -> set[str]:
        return {str(tag["id"]) for tag in self.soup(page).find_all(id=True)}

    def is_internal(self, link: Link) -> bool:
        """Relative links, and absolute ones to the address the site is published at."""
        return not urlsplit(link.url).scheme or link.url.startswith(self.published_at)

    def target(self, link: Link) -> tuple[str, str]:
        """Return the file an internal link names (relative to the root) and its fragment."""
        url = link.url
        if url.startswith(self.published_at):
            url = "/" + url.removeprefix(self.published_at)
        base = urljoin(SITE_URL, PurePosixPath(link.page).as_posix())
        parts = urlsplit(urljoin(base, url))
        path = unquote(parts.path).lstrip("/")
        if path == "" or path.endswith("/"):
            path += "index.html"
        elif (self.root / path).is_dir():
            path += "/index.html"
        return path, unquote(parts.fragment)


@pytest.fixture(scope="module", params=["real", "many"])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The real site (the session's build) and the tests/cases/many fixture site."""
    if request.param == "real":
        return BuiltSite(request.getfixturevalue("built_site"))
    project = make_project(tmp_path_factory.mktemp("many-links"), CASES / "many" / "data")
    site_dir = project / "site"
    completed = mkdocs_build(project, site_dir)
    assert completed.returncode == 0, completed.stderr
    return BuiltSite(site_dir)


def _internal(site: BuiltSite) -> Iterator[tuple[Link, str, str]]:
    for link in site.links:
        if site.is_internal(link):
            yield (link, *site.target(link))


def _kind(fragment: str) -> str:
    """Return what a fragment points at: fn, fnref, claim, or other (headings, tags...)."""
    match = re.match(r"(fn|fnref)\d*:|(claim)-", fragment)
    return (match[1] or match[2]) if match else "other"


def test_site_links_are_found(site: BuiltSite) -> None:
    assert "index.html" in site.pages
    assert len(site.links) > 100
    kinds = Counter(_kind(fragment) for _, _, fragment in _internal(site) if fragment)
    # Footnotes, their back-links and claim anchors are among the fragments checked below.
    assert kinds["fn"] > 0
    assert kinds["fnref"] > 0
    assert kinds["claim"] > 0


def test_every_internal_href_and_src_names_a_file(site: BuiltSite) -> None:
    missing = [
        f"{link} -> {path}" for link, path, _ in _internal(site) if not (site.root / path).is_file()
    ]
    assert missing == []


def test_every_fragment_is_an_id_on_its_target_page(site: BuiltSite) -> None:
    broken = []
    for link, path, fragment in _internal(site):
        if not fragment or not path.endswith(".html") or not (site.root / path).is_file():
            continue
        if fragment not in site.ids(path):
            broken.append(f"{link}: no id {fragment!r} on {path}")
    assert broken == []


def test_claim_anchors_and_footnote_back_links_resolve_on_the_real_site(
    built_site: Path,
) -> None:
    site = BuiltSite(built_site)
    page = "biomarkers/b2m/index.html"
    ids = site.ids(page)
    back_links = [link for link in site.links if link.page == page and "#fnref" in link.url]
    assert back_links
    assert [link for link in back_links if site.target(link)[1] not in ids] == []
    claims = {str(t["id"]) for t in site.soup(page).find_all(attrs={"data-claim": True})}
    assert claims
    linked = {f for link, _, f in _internal(site) if f.startswith("claim-")}
    assert linked - ids == set()  # every claim anchor linked from anywhere is on the article


_WELL_FORMED_HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def _external_problem(url: str) -> str | None:
    """Return why ``url`` is not a well-formed external https URL, or None if it is."""
    parts = urlsplit(url)
    if parts.scheme == "mailto":
        return None if re.fullmatch(r"mailto:[^@\s]+@[^@\s]+", url) else "malformed mailto"
    if parts.scheme != "https":
        return f"scheme {parts.scheme!r} is not https"
    if not _WELL_FORMED_HOST.match(parts.hostname or ""):
        return f"host {parts.hostname!r} is not a domain name"
    if parts.username or parts.password or parts.port:
        return "credentials or a port in the URL"
    if re.search(r"[\s\"'<>\\^`{|}]", url):
        return "characters that must be percent-encoded"
    return None


def test_external_links_are_well_formed_https_urls(site: BuiltSite) -> None:
    bad = []
    for link in site.links:
        if site.is_internal(link):
            continue
        if problem := _external_problem(link.url):
            bad.append(f"{link}: {problem}")
    assert bad == []


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://doi.org/10.3389/fmed.2017.00073", True),
        ("https://example.com/a%22b", True),
        ("mailto:editor@example.com", True),
        ("http://example.com/", False),
        ("javascript:alert(1)", False),
        ('https://example.com/a"onmouseover="x', False),
        ("https://localhost/", False),
        ("https:///path", False),
        ("https://exa mple.com/", False),
    ],
)
def test_external_url_check(url: str, ok: bool) -> None:
    assert (_external_problem(url) is None) == ok


# --------------------------------------------------------------------------- MkDocs' own checks


def test_mkdocs_validates_links_and_anchors() -> None:
    validation = mkdocs_config()["validation"]
    assert validation["anchors"] == "warn"  # --strict turns the warning into a failed build
    assert validation["unrecognized_links"] == "warn"


def test_ci_builds_the_site_strictly() -> None:
    workflows = PROJECT_ROOT / ".github" / "workflows"
    for name in ("ci.yml", "pages.yml"):
        jobs = yaml.safe_load((workflows / name).read_text(encoding="utf-8"))["jobs"]
        steps = [str(step.get("run", "")) for job in jobs.values() for step in job["steps"]]
        assert any("make site" in run for run in steps), f"{name} does not run `make site`"
    assert "make site" in (PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    dry_run = subprocess.run(
        ["make", "-n", "site"], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    assert "-m biomarker_kb build" in dry_run.stdout


def test_the_site_build_fails_on_a_broken_anchor(tmp_path: Path) -> None:
    editors = (PROJECT_ROOT / "content" / "editors.md").read_text(encoding="utf-8")
    broken = editors + "\n\nSee [the start](index.md#no-such-anchor).\n"
    project = make_project(tmp_path, PROJECT_ROOT / "data", {"content/editors.md": broken})
    completed = run_cli("build", cwd=project)
    output = completed.stdout + completed.stderr
    assert completed.returncode != 0, output
    assert "no-such-anchor" in output
    assert not (project / "site").exists()
