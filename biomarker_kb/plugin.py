"""MkDocs glue: run the pipeline before each build and add its pages as generated files.

Input: the MkDocs config. Output: generated ``File`` objects, backed by a staging folder outside
the project that lives for one build (never the docs dir), and ``data/`` plus ``templates/``
added to what ``mkdocs serve`` watches. Data errors stop the
build in ``on_pre_build``, before MkDocs cleans the site directory. Every page's rendered HTML is
scanned (``content_scan``); markup the templates never emit stops the build in ``on_env``, after
all pages are scanned and before MkDocs writes any of them. So do mistakes in hand-written pages
(``hand_written``), each said with its page and line instead of a traceback.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import jinja2
from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from biomarker_kb.content_scan import scan_html
from biomarker_kb.hand_written import HandWrittenPages
from biomarker_kb.pipeline import ProjectPaths, check, iter_pages
from biomarker_kb.preview_errors import error_page, problem_list
from biomarker_kb.problems import KbError
from biomarker_kb.render import SiteRenderer

if TYPE_CHECKING:
    from collections.abc import Sequence

    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.pages import Page

    from biomarker_kb.problems import Problem

log = logging.getLogger("mkdocs.plugins.biomarker_kb")
HOME_PAGE = "index.md"


# mkdocs' Config.__init_subclass__ has no annotations; nothing to fix on our side.
class KnowledgeBaseConfig(Config):  # type: ignore[no-untyped-call]
    """Plugin options; paths are relative to mkdocs.yml."""

    data_dir = config_options.Type(str, default="data")
    templates_dir = config_options.Type(str, default="templates")


class _MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in memory, keyed by name and checked against their source."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if (code := self.compiled.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)  # discarded by Jinja if the source has changed

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


class KnowledgeBasePlugin(BasePlugin[KnowledgeBaseConfig]):  # type: ignore[no-untyped-call]
    """Generates the knowledge-base pages from data/ and templates/ during every build."""

    def __init__(self) -> None:
        self.paths: ProjectPaths | None = None
        self.renderer: SiteRenderer | None = None
        self.theme_templates = _MemoryBytecodeCache()
        self.staging: Path | None = None
        """This build's generated pages, one file each, outside the project."""
        self.sources: dict[str, str] = {}
        """Generated page path → the data file it came from."""
        self.unsafe_content: list[str] = []
        """Messages about markup found in this build's pages (see ``on_page_content``)."""
        self.hand_written: HandWrittenPages | None = None
        """This build's hand-written pages and their problems (see ``on_pre_page``)."""
        self.serving = False
        self.preview_problems: str | None = None
        """Under `mkdocs serve`, while the data has errors: the banner every page shows."""

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        """Defining this event keeps one plugin object for the life of `mkdocs serve`.

        So each rebuild after an edit reuses the compiled templates instead of compiling them
        again: about a third of a rebuild of the real site (profiled).
        """
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Resolve the project's directories; keep the renderer while they stay the same."""
        root = Path(config.config_file_path).resolve().parent
        paths = ProjectPaths(root, root / self.config.data_dir, root / self.config.templates_dir)
        if self.renderer is None or paths != self.paths:
            # Its environment checks each template file's time stamp, so edits are picked up.
            self.renderer = SiteRenderer(paths.templates_dir)
        self.paths = paths
        return config

    def on_pre_build(self, config: MkDocsConfig) -> None:
        """Check and render everything before MkDocs touches the site directory."""
        assert self.paths is not None, "bug: on_config not run"
        assert self.renderer is not None, "bug: on_config not run"
        self.unsafe_content = []  # `mkdocs serve` runs many builds with one plugin object
        self.hand_written = HandWrittenPages(self.paths.root)
        result = check(self.paths)
        for warning in result.warnings:
            log.info("%s", warning)
        self.preview_problems = None
        if result.errors and self.serving:
            self._stage_error_pages(result.problems)
            return
        if result.errors:
            raise PluginError(KbError(result.problems).report())
        self._remove_staging()
        staging = Path(tempfile.mkdtemp(prefix="biomarker-kb-pages-"))
        self.staging, self.sources = staging, {}
        try:
            # Each page goes to its file as soon as it is made: holding them all in memory until
            # MkDocs reads them was the largest part of the build's peak (N=1000: 165 MB).
            for page in iter_pages(result, self.renderer):
                target = staging / page.path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(page.utf8)
                self.sources[page.path] = page.source
        except KbError as error:
            self._remove_staging()
            raise PluginError(error.report()) from None

    def _stage_error_pages(self, problems: Sequence[Problem]) -> None:
        """Serve the problems, at every generated page's address, instead of failing the build.

        A failed build leaves `mkdocs serve` with the stale page in the open tab and new page
        loads hanging; this build succeeds, the tab reloads, and every page says what to fix.
        """
        log.error("%s", KbError(problems).report())
        paths = dict(self.sources) or {HOME_PAGE: "data/"}
        self._remove_staging()
        staging = Path(tempfile.mkdtemp(prefix="biomarker-kb-pages-"))
        page = error_page(problems)
        for path in paths:
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(page)
        self.staging, self.sources = staging, paths
        self.preview_problems = problem_list(problems)

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Add the generated pages; a hand-written page at the same path is an error."""
        assert self.staging is not None, "bug: on_pre_build not run"
        for path, source in sorted(self.sources.items()):
            if files.get_file_from_path(path) is not None:
                raise PluginError(
                    f"{config.docs_dir}/{path}: this page is generated from {source};"
                    " delete or rename the hand-written file"
                )
            files.append(File.generated(config, path, abs_src_path=str(self.staging / path)))
        return files

    @event_priority(-100)  # last: other plugins may still read the pages' files before this
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Remove the staging folder: every page has been read."""
        self._remove_staging()

    def on_build_error(self, *, error: Exception) -> None:
        """Remove the staging folder of a build that failed."""
        self._remove_staging()

    def on_shutdown(self) -> None:
        """Remove the staging folder when `mkdocs serve` stops."""
        self._remove_staging()

    def _remove_staging(self) -> None:
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None

    def on_pre_page(self, page: Page, /, *, config: MkDocsConfig, files: Files) -> Page | None:
        """Check a hand-written page before MkDocs reads it; its mistakes stop the build later."""
        assert self.hand_written is not None, "bug: on_pre_build not run"
        if page.file.generated_by is None:
            self.hand_written.check(page, config)
        return page

    @event_priority(-100)  # last: scan the HTML as every other plugin left it
    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        """Record any script, event handler or unsafe URL in the page's own content.

        Then let go of the page's Markdown: MkDocs keeps every page's Markdown and HTML until the
        build ends, and nothing reads the Markdown after this event. At N=1000 that Markdown is
        about 160 million characters held through the whole build.
        """
        findings = scan_html(html)
        if findings:
            hint = self._unsafe_content_hint(page.file.src_uri, config)
            for finding in dict.fromkeys(findings):
                self.unsafe_content.append(
                    f"{page.file.src_uri}: page content contains {finding}; {hint}"
                )
        page.markdown = ""  # not None: MkDocs reads None as "not loaded yet" (e.g. for its title)
        if self.preview_problems is not None and page.file.generated_by is None:
            return self.preview_problems + html  # hand-written pages show the problems on top
        return html

    @event_priority(-100)  # last: other plugins may still read the page here
    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        """Let go of the page's HTML once the theme has wrapped it; only writing it remains."""
        page.content = None
        return output

    def _unsafe_content_hint(self, src_uri: str, config: MkDocsConfig) -> str:
        """Say where the markup came from: a generated page's data file, or a hand-written page."""
        source = self.sources.get(src_uri)
        if source is None:
            assert self.paths is not None, "bug: on_config not run"
            docs_dir = Path(config.docs_dir)
            if docs_dir.is_relative_to(self.paths.root):
                docs_dir = docs_dir.relative_to(self.paths.root)
            return f"remove it from {docs_dir.as_posix()}/{src_uri}: pages may not contain it"
        return (
            f"the templates never write this, so text from {source} reached the page unescaped"
            " (or a template was changed); this is a bug, report it to the developers"
        )

    def on_env(
        self, env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files
    ) -> jinja2.Environment:
        """Stop the build if any page had unsafe markup or a mistake: all are read, none written.

        Otherwise give the theme's fresh environment the compiled templates of earlier builds.
        """
        assert self.hand_written is not None, "bug: on_pre_build not run"
        self.hand_written.problems += self.hand_written.template_problems(env)
        if self.hand_written.problems or self.unsafe_content:
            mistakes = [self.hand_written.report()] if self.hand_written.problems else []
            raise PluginError("\n".join([*mistakes, *self.unsafe_content]))
        env.bytecode_cache = self.theme_templates
        return env

    def on_serve(
        self, server: LiveReloadServer, config: MkDocsConfig, builder: object
    ) -> LiveReloadServer:
        """Rebuild when data or templates change, not only the docs dir."""
        assert self.paths is not None, "bug: on_config not run"
        server.watch(str(self.paths.data_dir))
        server.watch(str(self.paths.templates_dir))
        return server
