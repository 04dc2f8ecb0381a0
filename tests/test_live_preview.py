"""`mkdocs serve` rebuilds only what an edit changed, and the served site equals a fresh build.

The serve loop is run in this process as MkDocs runs it (one plugin object, a first full build,
then a dirty rebuild per edit, through the builder the plugin installs); the fresh build runs
in a child process, so nothing it does is remembered from the serve loop.
"""

from __future__ import annotations

import gzip
import json
import logging
import re
import subprocess
import sys
from typing import TYPE_CHECKING, Any

import pytest
from mkdocs.commands import serve as mkdocs_serve
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.livereload import LiveReloadServer

from biomarker_kb.live_preview import PROBLEMS_FILE, SCRIPT_FILE
from biomarker_kb.plugin import KnowledgeBasePlugin
from tests.helpers import PROJECT_ROOT
from tools.benchmark import copy_project
from tools.synthetic import write_knowledge_base

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

pytestmark = pytest.mark.slow

SERVE_URL = "http://127.0.0.1:8000/"
SCRIPT_TAG = re.compile(r'<script src="[^"]*kb-preview\.js"></script>\n')


class ServeLoop:
    """One `mkdocs serve` session without the web server: build, then rebuild after edits."""

    def __init__(self, project: Path, site: Path) -> None:
        self.project, self.site = project, site
        config = self._config()
        config.plugins.on_startup(command="serve", dirty=False)
        config.site_url = SERVE_URL
        builder = self._builder()
        builder(config)
        watched: list[str] = []
        server: Any = type("Server", (), {"watch": watched.append, "builder": builder})()
        config.plugins.on_serve(server, config=config, builder=builder)
        self.rebuild: Callable[[], None] = server.builder
        self.plugin = config.plugins["biomarker-kb"]
        assert isinstance(self.plugin, KnowledgeBasePlugin)

    def _config(self) -> Any:
        return load_config(str(self.project / "mkdocs.yml"), site_dir=str(self.site))

    def _builder(self) -> Callable[..., None]:
        # Made as `mkdocs serve` makes it: the plugin reads get_config, serve_url and build.
        get_config, serve_url = self._config, SERVE_URL

        def builder(config: Any = None) -> None:
            if config is None:
                config = get_config()
                config.site_url = serve_url
            build(config, serve_url=serve_url, dirty=False)

        return builder


def fresh_build(project: Path, site: Path) -> str:
    """Build ``project`` from nothing, in a child process, as a publisher would; return errors."""
    command = [sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(site)]
    env = {"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin", "SITE_URL": SERVE_URL}
    done = subprocess.run(
        command, cwd=project, env=env, capture_output=True, text=True, check=False
    )
    return "" if done.returncode == 0 else done.stderr


def _served(path: Path) -> bytes:
    data = path.read_bytes()
    if path.suffix == ".html":
        return SCRIPT_TAG.sub("", data.decode("utf-8")).encode("utf-8")
    if path.suffix == ".gz":
        return gzip.decompress(data)
    return data


def differences(served: Path, fresh: Path) -> list[str]:
    """Return every file that differs between the served site and a fresh build."""
    found = []
    served_files = {p.relative_to(served).as_posix() for p in served.rglob("*") if p.is_file()}
    served_files -= {PROBLEMS_FILE, SCRIPT_FILE}  # the preview's own, served only
    fresh_files = {p.relative_to(fresh).as_posix() for p in fresh.rglob("*") if p.is_file()}
    found += [f"only served: {name}" for name in sorted(served_files - fresh_files)]
    found += [f"only in a fresh build: {name}" for name in sorted(fresh_files - served_files)]
    for name in sorted(served_files & fresh_files):
        if name == "search/search_index.json":
            equal = json.loads((served / name).read_text()) == json.loads(
                (fresh / name).read_text()
            )
        else:
            equal = _served(served / name) == _served(fresh / name)
        if not equal:
            found.append(f"differs: {name}")
    return found


def _replace(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} no longer contains {old!r}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _retarget_claim(path: Path) -> None:
    """Point the file's first association at a condition the file does not name yet."""
    text = path.read_text(encoding="utf-8")
    used = set(re.findall(r"condition-\d{5}", text))
    unused = next(f"condition-{i:05d}" for i in range(100) if f"condition-{i:05d}" not in used)
    found = re.search(r"condition: (condition-\d{5})", text)
    assert found is not None, "the synthetic article changed shape"
    path.write_text(text.replace(found[0], f"condition: {unused}", 1), encoding="utf-8")


def _delete_claim(path: Path) -> None:
    """Delete a claim that only its sentence names: its span in the text and its entry."""
    text = path.read_text(encoding="utf-8")
    spans = re.finditer(r", \[[^\]]+\]\{(m\d+-p0-c\d+)\}", text)
    span = next(s for s in spans if len(re.findall(rf"\b{s[1]}\b", text)) == 2)
    entry = (
        f"          - id: {span[1]}\n            type: statement\n            topic: physiology\n"
    )
    assert entry in text, "the synthetic claim changed shape"
    path.write_text(text.replace(span[0], "", 1).replace(entry, "", 1), encoding="utf-8")


def test_after_any_sequence_of_edits_the_served_site_equals_a_fresh_build(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR)
    project = copy_project(PROJECT_ROOT, tmp_path / "project")
    write_knowledge_base(5, project)
    data = project / "data"
    first, last = (
        data / "biomarkers" / "marker-00000.yaml",
        data / "biomarkers" / "marker-00004.yaml",
    )
    last_text, first_text = last.read_text(encoding="utf-8"), first.read_text(encoding="utf-8")
    conditions, bib = data / "conditions.yaml", data / "references.bib"
    template = project / "templates" / "condition.md.j2"
    theme = project / "templates" / "theme" / "partials" / "progress.html"
    config = project / "mkdocs.yml"
    serve = ServeLoop(project, tmp_path / "served")
    edits: list[tuple[str, Callable[[], None]]] = [
        ("summary", lambda: _replace(first, "summary: A synthetic", "summary: An edited")),
        ("claim's condition", lambda: _retarget_claim(first)),
        ("delete a claim", lambda: _delete_claim(first)),
        ("add the claim back", lambda: first.write_text(first_text, encoding="utf-8")),
        ("remove a biomarker", last.unlink),
        ("add a biomarker", lambda: last.write_text(last_text, encoding="utf-8")),
        ("rename a condition", lambda: _replace(conditions, "name: Condition 1\n", "name: One\n")),
        ("change the .bib", lambda: _replace(bib, "title = {Study 2}", "title = {Study two}")),
        ("change a template", lambda: _replace(template, "{{ notice }}", "{{ notice }}\n\nNew.")),
        ("change the theme", lambda: _replace(theme, "{#-", "<!-- theme edited -->\n{#-")),
        ("edit mkdocs.yml", lambda: _replace(config, "site_name: Biomarker", "site_name: Our")),
        ("add a page", lambda: (project / "content" / "notes.md").write_text("# Notes\n")),
        ("edit a page", lambda: _replace(project / "content" / "notes.md", "Notes", "Lab notes")),
        ("break the data", lambda: _replace(first, "specimen: serum", "specimen: nowhere")),
        ("fix the data", lambda: _replace(first, "specimen: nowhere", "specimen: serum")),
    ]  # fmt: skip
    last_good = tmp_path / "served"
    for what, edit in edits:
        edit()
        serve.rebuild()
        errors = fresh_build(project, tmp_path / what)
        problems = (tmp_path / "served" / PROBLEMS_FILE).read_text(encoding="utf-8")
        if what == "break the data":  # the build fails; the preview keeps the last good pages
            assert "unknown specimen" in errors
            assert "unknown specimen" in problems
            assert differences(tmp_path / "served", last_good) == []
            continue
        assert errors == "", what
        assert problems == "", what
        assert differences(tmp_path / "served", tmp_path / what) == [], what
        last_good = tmp_path / what


def test_an_edit_renders_and_rebuilds_only_the_pages_it_changed(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR)
    project = copy_project(PROJECT_ROOT, tmp_path / "project")
    write_knowledge_base(5, project)
    serve = ServeLoop(project, tmp_path / "served")
    data_file = project / "data" / "biomarkers" / "marker-00002.yaml"

    _replace(data_file, "summary: A synthetic", "summary: An edited")
    serve.rebuild()
    # The summary is on the article and on the home page (its latest articles), not in the
    # biomarkers index or on any condition or specimen page.
    assert serve.plugin.preview is not None
    assert serve.plugin.preview.built == ["biomarkers/marker-00002/", ""]
    assert serve.plugin.check_memo.files_read == 1

    _retarget_claim(data_file)
    serve.rebuild()
    # Its article, the pages of the conditions it left and joined (and of groups holding them),
    # the conditions index (counts) and its specimen's page; no other article, not the home page.
    built = serve.plugin.preview.built
    assert "biomarkers/marker-00002/" in built
    others = [url for url in built if url != "biomarkers/marker-00002/"]
    assert others
    assert all(url.startswith(("conditions/", "specimens/")) for url in others), built
    assert len(built) < 10


def test_the_preview_script_is_on_every_served_page_and_shows_nothing_when_all_is_well(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR)
    project = copy_project(PROJECT_ROOT, tmp_path / "project", data=True)
    site = tmp_path / "served"
    ServeLoop(project, site)
    pages = list(site.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        if page.name not in {"404.html", PROBLEMS_FILE}:
            assert len(SCRIPT_TAG.findall(page.read_text(encoding="utf-8"))) == 1, page
    assert (site / PROBLEMS_FILE).read_text(encoding="utf-8") == ""
    assert "kb-preview-problems.html" in (site / SCRIPT_FILE).read_text(encoding="utf-8")


def test_plain_mkdocs_serve_gets_the_dirty_rebuild(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The plugin reads MkDocs' own serve closure; an MkDocs that makes it otherwise fails here."""
    caplog.set_level(logging.ERROR)
    project = copy_project(PROJECT_ROOT, tmp_path / "project", data=True)
    installed: list[Callable[..., None]] = []

    def serve_forever(self: LiveReloadServer, *, open_in_browser: bool = False) -> None:
        installed.append(self.builder)
        raise KeyboardInterrupt

    monkeypatch.setattr(LiveReloadServer, "serve", serve_forever)
    monkeypatch.setattr(LiveReloadServer, "shutdown", lambda self, wait=False: self.server_close())
    mkdocs_serve.serve(config_file=str(project / "mkdocs.yml"), livereload=True)
    assert [builder.__qualname__ for builder in installed] == ["dirty_builder.<locals>.rebuild"]
