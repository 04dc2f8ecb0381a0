"""Serve glue: each `mkdocs serve` rebuild redoes what an edit changed, and the result is exact.

Input: the plugin's events under `mkdocs serve`. Output: rebuilds in MkDocs' dirty mode, where
only pages whose source file is newer than their HTML are built again (the plugin rewrites the
staged Markdown of the pages an edit changed, and only those), made exact where dirty mode is
not: pages that are gone are deleted from the served site; hand-written pages are built again
when the set of pages changes (their links may change); a change to ``mkdocs.yml`` or the theme
overrides rebuilds everything; and the search index is merged, page by page, with the pages not
built this time. While the data has errors, the last good pages stay, and every page shows the
problems through one small script that reads them from ``kb-preview-problems.html``. The theme's
compiled templates are kept from one rebuild to the next (``MemoryBytecodeCache``).

Why dirty mode: without it every rebuild renders every page through Markdown and the theme
(N=100: 27 s per edit; N=1000: minutes). `mkdocs serve` builds dirty only with ``--dirty``;
``dirty_builder`` gives the plain command the same rebuild (it reads MkDocs 1.6's serve
closure, pinned in requirements.lock and checked by a test).
"""

from __future__ import annotations

import inspect
import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from mkdocs.structure.files import File
from mkdocs.utils import clean_directory, get_relative_url

from biomarker_kb.render import file_stamps

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files

log = logging.getLogger("mkdocs.plugins.biomarker_kb")

SEARCH_INDEX = "search/search_index.json"
PROBLEMS_FILE = "kb-preview-problems.html"
SCRIPT_FILE = "kb-preview.js"
SCRIPT = """\
(function () {
  // Under `mkdocs serve` only: show the data's problems on top of whichever page is open.
  var problems = new URL("kb-preview-problems.html", document.currentScript.src);
  function show() {
    fetch(problems, { cache: "no-store" })
      .then(function (response) { return response.ok ? response.text() : ""; })
      .then(function (html) {
        var old = document.getElementById("kb-preview-problems");
        if (old) { old.remove(); }
        if (!html.trim()) { return; }
        var box = document.createElement("div");
        box.id = "kb-preview-problems";
        box.innerHTML = html;  // written by the plugin, every message escaped
        (document.querySelector(".md-content__inner") || document.body).prepend(box);
      })
      .catch(function () {});
  }
  if (window.document$) { window.document$.subscribe(show); } else { show(); }
})();
"""


class _QuietDirtyWarning(logging.Filter):
    """Drop MkDocs' warning that a dirty build may be inaccurate: this one is made exact."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


def quiet_dirty_warning() -> None:
    """Stop MkDocs (or ProperDocs) warning on every rebuild about what ``LivePreview`` does."""
    for engine in ("mkdocs", "properdocs"):
        logger = logging.getLogger(f"{engine}.commands.build")
        if not any(isinstance(f, _QuietDirtyWarning) for f in logger.filters):
            logger.addFilter(_QuietDirtyWarning())


def script_tag(page_url: str) -> str:
    """Return the script element every served page gets, with its address relative to it."""
    return f'<script src="{get_relative_url(SCRIPT_FILE, page_url)}"></script>'


def dirty_builder(builder: Callable[..., None]) -> Callable[..., None] | None:
    """Return ``builder`` (MkDocs' serve rebuild) building in dirty mode; None if unknown.

    It reads the closure of `mkdocs serve`'s ``builder``: the ``get_config`` and ``serve_url``
    it was made with, and the ``build`` it calls. Another MkDocs may make it differently; then
    the plain rebuild stays, and the user is told about ``--dirty``.
    """
    try:
        found = inspect.getclosurevars(builder)
    except TypeError:
        return None
    get_config = found.nonlocals.get("get_config")
    serve_url = found.nonlocals.get("serve_url")
    build = found.globals.get("build")
    if not (callable(get_config) and isinstance(serve_url, str) and callable(build)):
        return None

    quiet_dirty_warning()

    def rebuild(config: MkDocsConfig | None = None) -> None:
        log.info("Building documentation...")
        if config is None:
            config = get_config()
            config.site_url = serve_url
        build(config, serve_url=serve_url, dirty=True)

    return rebuild


class LivePreview:
    """What the plugin keeps between the builds of one `mkdocs serve`."""

    def __init__(self, *, started_dirty: bool) -> None:
        self.started_dirty = started_dirty
        """True when `mkdocs serve` was given ``--dirty``."""
        self.dirty = False
        """True once the first build is done: the later ones are dirty."""
        self._fingerprint: object = None
        self._pages: frozenset[str] | None = None
        self._search: dict[str, str] = {}
        """Page URL → its search entries, as JSON text without the brackets."""
        self.built: list[str] = []
        """The URLs of the pages built in this build."""
        self.problems = ""
        """The data's problems as HTML; empty when it has none."""

    def start(self, config: MkDocsConfig) -> None:
        """Begin a build; if ``mkdocs.yml`` or the theme overrides changed, rebuild everything."""
        self.built = []
        fingerprint = _fingerprint(config)
        if self.dirty and fingerprint != self._fingerprint:
            log.info("mkdocs.yml or the theme changed: rebuilding every page")
            clean_directory(config.site_dir)
            self._search = {}
        self._fingerprint = fingerprint

    def remove_pages(self, paths: Iterable[str], config: MkDocsConfig) -> None:
        """Delete the served HTML of generated pages that are gone."""
        for path in paths:
            _unlink(File(path, config.docs_dir, config.site_dir, config.use_directory_urls))

    def pages_listed(self, files: Files) -> None:
        """Build the hand-written pages again when pages came or went: their links may change."""
        pages = frozenset(f.src_uri for f in files.documentation_pages())
        if self.dirty and pages != self._pages:
            for file in files.documentation_pages():
                if file.generated_by is None:
                    _unlink(file)
        self._pages = pages

    def finish(self, config: MkDocsConfig, files: Files) -> None:
        """Merge the search index; write the problems and the script that shows them."""
        site = Path(config.site_dir)
        # A page's URL as its search entries give it (the home page's file URL is "./").
        urls = [f.page.url if f.page else f.url for f in files.documentation_pages()]
        self._merge_search_index(site / SEARCH_INDEX, urls)
        (site / PROBLEMS_FILE).write_text(self.problems, encoding="utf-8")
        (site / SCRIPT_FILE).write_text(SCRIPT, encoding="utf-8")

    def _merge_search_index(self, path: Path, urls: list[str]) -> None:
        """Keep each page's entries from the build that last built it, in the pages' order.

        The search plugin indexes only the pages it saw built. With ``--dirty`` it also keeps
        its own earlier entries, after which the page's new entries come last: take those.
        """
        if not path.is_file():
            return
        index = json.loads(path.read_text(encoding="utf-8"))
        docs: list[dict[str, Any]] = index["docs"]
        newest: dict[str, list[dict[str, Any]]] = {}
        for entry in docs:
            page = entry["location"].split("#", 1)[0]
            if entry["location"] == page:  # a page's first entry: its new ones start here
                newest[page] = []
            newest.setdefault(page, []).append(entry)
        for url in self.built:
            entries = newest.get(url, [])
            self._search[url] = json.dumps(entries, separators=(",", ":"), default=str)[1:-1]
        self._search = {url: self._search[url] for url in urls if url in self._search}
        fragments = [text for text in self._search.values() if text]
        config = json.dumps(index["config"], separators=(",", ":"), default=str)
        path.write_text(f'{{"config":{config},"docs":[{",".join(fragments)}]}}', "utf-8")


def _fingerprint(config: MkDocsConfig) -> tuple[object, ...]:
    """Return what, besides the pages, every served page is made from."""
    custom_dir = config.theme.custom_dir
    theme_files = file_stamps(Path(custom_dir)) if custom_dir else ()
    config_file = Path(config.config_file_path) if config.config_file_path else None
    config_text = config_file.read_bytes() if config_file and config_file.is_file() else b""
    return (config_text, theme_files)


def _unlink(file: File) -> None:
    """Delete a page's served HTML, so the next dirty build writes it afresh."""
    target = Path(file.abs_dest_path)
    target.unlink(missing_ok=True)
    if target.parent.is_dir() and not any(target.parent.iterdir()):
        target.parent.rmdir()


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in memory, keyed by name and checked against their source.

    Given to the theme's environment, which MkDocs makes anew for every build: rebuilds under
    `mkdocs serve` then skip compiling the theme's templates again.
    """

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Give the bucket the code compiled in an earlier build, if any."""
        if (code := self.compiled.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)  # discarded by Jinja if the source has changed

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Keep the code Jinja compiled for the bucket's template."""
        self.compiled[bucket.key] = bucket.bytecode_to_string()
