"""MkDocs glue: run the pipeline before each build and add its pages as in-memory files.

Input: the MkDocs config. Output: generated ``File`` objects (never written to the docs dir),
and ``data/`` plus ``templates/`` added to what ``mkdocs serve`` watches. Data errors stop the
build in ``on_pre_build``, before MkDocs cleans the site directory.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from biomarker_kb.pipeline import ProjectPaths, check, render_pages
from biomarker_kb.problems import KbError
from biomarker_kb.render import RenderedPage, SiteRenderer

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer

log = logging.getLogger("mkdocs.plugins.biomarker_kb")


# mkdocs' Config.__init_subclass__ has no annotations; nothing to fix on our side.
class KnowledgeBaseConfig(Config):  # type: ignore[no-untyped-call]
    """Plugin options; paths are relative to mkdocs.yml."""

    data_dir = config_options.Type(str, default="data")
    templates_dir = config_options.Type(str, default="templates")


class KnowledgeBasePlugin(BasePlugin[KnowledgeBaseConfig]):  # type: ignore[no-untyped-call]
    """Generates the knowledge-base pages from data/ and templates/ during every build."""

    def __init__(self) -> None:
        self.paths: ProjectPaths | None = None
        self.renderer: SiteRenderer | None = None
        self.pages: list[RenderedPage] = []

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Resolve the project's directories once."""
        root = Path(config.config_file_path).resolve().parent
        self.paths = ProjectPaths(
            root, root / self.config.data_dir, root / self.config.templates_dir
        )
        # One renderer for the life of `mkdocs serve`: templates are compiled once and cached.
        self.renderer = SiteRenderer(self.paths.templates_dir)
        return config

    def on_pre_build(self, config: MkDocsConfig) -> None:
        """Check and render everything before MkDocs touches the site directory."""
        assert self.paths is not None, "bug: on_config not run"
        assert self.renderer is not None, "bug: on_config not run"
        result = check(self.paths)
        for warning in result.warnings:
            log.info("%s", warning)
        if result.errors:
            raise PluginError(KbError(result.problems).report())
        try:
            self.pages = render_pages(result, self.renderer)
        except KbError as error:
            raise PluginError(error.report()) from None

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Add the generated pages; a hand-written page at the same path is an error."""
        for page in self.pages:
            if files.get_file_from_path(page.path) is not None:
                raise PluginError(
                    f"{config.docs_dir}/{page.path}: this page is generated from {page.source};"
                    " delete or rename the hand-written file"
                )
            files.append(File.generated(config, page.path, content=page.markdown))
        return files

    def on_serve(
        self, server: LiveReloadServer, config: MkDocsConfig, builder: object
    ) -> LiveReloadServer:
        """Rebuild when data or templates change, not only the docs dir."""
        assert self.paths is not None, "bug: on_config not run"
        server.watch(str(self.paths.data_dir))
        server.watch(str(self.paths.templates_dir))
        return server
