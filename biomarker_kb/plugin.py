"""MkDocs glue: run the pipeline before each build and add its pages as generated files.

Input: the MkDocs config. Output: generated ``File`` objects, backed by staged files outside
the project (``staging``, never the docs dir), and ``data/`` plus ``templates/`` added to what
``mkdocs serve`` watches. Data errors stop the build in ``on_pre_build``, before MkDocs cleans
the site directory. Every page's rendered HTML is scanned (``content_scan``; a one-off build's
generated pages in a child process, ``forked_scan``); markup the templates never emit stops
the build in ``on_env``, after all pages are scanned and before MkDocs writes any of them. So
do mistakes in hand-written pages (``hand_written``), each said with its page and line instead
of a traceback. Under `mkdocs serve` the plugin object lives for the whole session, and
rebuilds redo only what an edit changed (``live_preview``).
"""

from __future__ import annotations

import gc
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.utils import get_relative_url

from biomarker_kb import urls
from biomarker_kb.check_memo import CheckMemo
from biomarker_kb.downloads import SOURCES as DOWNLOAD_SOURCES
from biomarker_kb.downloads import DownloadMemo, download_files
from biomarker_kb.feed import SOURCE as FEED_SOURCE
from biomarker_kb.feed import FeedMemo, feed_file
from biomarker_kb.forked_render import (
    BackgroundRender,
    ShareFailed,
    cpus_to_fork_on,
    process_count,
)
from biomarker_kb.forked_scan import NOTHING_FOUND, Findings, PageScans, scan_page
from biomarker_kb.hand_written import HandWrittenPages
from biomarker_kb.live_preview import (
    LivePreview,
    MemoryBytecodeCache,
    dirty_builder,
    quiet_dirty_warning,
    script_tag,
)
from biomarker_kb.page_findings import PageOrigin, findings_messages
from biomarker_kb.page_head import feed_link, json_ld, with_head_additions
from biomarker_kb.pipeline import CheckResult, ProjectPaths, check, iter_changed_pages
from biomarker_kb.preview_errors import error_page, problem_list
from biomarker_kb.problems import KbError
from biomarker_kb.render import RenderedPage, SiteRenderer
from biomarker_kb.staging import StagedPages
from biomarker_kb.structured_data import Site, site_of

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    import jinja2
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.pages import Page

    from biomarker_kb.problems import Problem

log = logging.getLogger("mkdocs.plugins.biomarker_kb")
HOME_PAGE = "index.md"
REQUIRED_EXTENSIONS = ("md_in_html", "attr_list", "admonition", "pymdownx.details", "toc")
"""What the generated pages are written in: HTML blocks with Markdown inside, attribute lists,
admonitions and collapsible notes, and heading anchors."""
OPTIONAL_EXTENSIONS = ("footnotes", "tables")
"""Not needed by the generated pages, but by hand-written ones beside them."""
MIN_PAGES_TO_SCAN_IN_CHILD = 100
"""Below this many generated pages, scanning them here costs less than starting a process."""
STYLESHEET = "stylesheets/kb.css"
"""The pages' styles (cards on phones, charts, claim marks); a project's own file wins."""
PACKAGE_STYLESHEET = Path(__file__).parent / "assets" / "kb.css"


def _require_extensions(config: MkDocsConfig) -> list[str]:
    """Add the Markdown extensions the pages need and the project left out; return them."""
    listed = {name.removeprefix("markdown.extensions.") for name in config.markdown_extensions}
    missing = [n for n in (*REQUIRED_EXTENSIONS, *OPTIONAL_EXTENSIONS) if n not in listed]
    config.markdown_extensions.extend(missing)
    return missing


# mkdocs' Config.__init_subclass__ has no annotations; nothing to fix on our side.
class KnowledgeBaseConfig(Config):  # type: ignore[no-untyped-call]
    """Plugin options; paths are relative to mkdocs.yml, and must be existing folders.

    MkDocs checks them when it reads the config, so a wrong path stops the build with a
    message naming the option, before anything is built.
    """

    data_dir = config_options.Dir(exists=True, default="data")
    templates_dir = config_options.Optional(config_options.Dir(exists=True))
    """Templates that override the package's own, file by file; default: templates/ if any."""


class KnowledgeBasePlugin(BasePlugin[KnowledgeBaseConfig]):  # type: ignore[no-untyped-call]
    """Generates the knowledge-base pages from data/ and templates/ during every build."""

    def __init__(self) -> None:
        self.paths: ProjectPaths | None = None
        self.renderer: SiteRenderer | None = None
        self.site: Site | None = None
        """What mkdocs.yml says of the site (name, address), for the JSON-LD and the feed."""
        self.check_memo = CheckMemo()
        self.download_memo = DownloadMemo()
        self.feed_memo = FeedMemo()
        self.theme_templates = MemoryBytecodeCache()
        self.staged: StagedPages | None = None
        """The generated pages; kept between the builds of `mkdocs serve`."""
        self.unsafe_content: list[str] = []
        """Messages about markup found in this build's pages (see ``on_page_content``)."""
        self.hand_written: HandWrittenPages | None = None
        """This build's hand-written pages and their problems (see ``on_pre_page``)."""
        self.preview: LivePreview | None = None
        """Under `mkdocs serve`: what rebuilds keep (see ``live_preview``)."""
        self.files: Files | None = None
        """This build's files."""
        self.background: BackgroundRender | None = None
        """The processes rendering this build's pages while MkDocs goes on (one-off builds)."""
        self.scans: PageScans[Page] | None = None
        """This build's generated pages, scanned in a child process in one-off builds."""

    @property
    def sources(self) -> dict[str, str]:
        """Generated page path → the data file it came from."""
        return self.staged.sources if self.staged else {}

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        """Defining this event keeps one plugin object for the life of `mkdocs serve`.

        So each rebuild after an edit reuses the compiled templates, the data files' results
        and the pages of the last build, and redoes only what the edit changed.
        """
        self.preview = LivePreview(started_dirty=dirty) if command == "serve" else None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Turn on the Markdown extensions the pages need; resolve the project's directories.

        The renderer is kept while the directories stay the same.
        """
        if STYLESHEET not in config.extra_css:
            config.extra_css.append(STYLESHEET)
        turned_on = _require_extensions(config)
        if turned_on:
            log.debug("biomarker-kb: turned on Markdown extensions %s", ", ".join(turned_on))
        root = Path(config.config_file_path).resolve().parent
        templates = self.config.templates_dir or root / "templates"  # missing: defaults only
        paths = ProjectPaths(root, Path(self.config.data_dir), Path(templates))
        if self.renderer is None or paths != self.paths:
            # Its environment checks each template file's time stamp, so edits are picked up.
            self.renderer = SiteRenderer(paths.templates_dir)
            self._remove_staging()
        self.paths = paths
        self.site = self.renderer.site = site_of(config)
        return config

    def on_pre_build(self, config: MkDocsConfig) -> None:
        """Check and render everything before MkDocs touches the site directory."""
        assert self.paths is not None, "bug: on_config not run"
        assert self.renderer is not None, "bug: on_config not run"
        self.unsafe_content = []  # `mkdocs serve` runs many builds with one plugin object
        self.hand_written = HandWrittenPages(self.paths.root)
        if self.preview is not None:
            self.preview.start(config)
        result = check(self.paths, self.check_memo, fork=self.preview is None)
        for warning in result.warnings:
            log.info("%s", warning)
        if result.errors and self.preview is not None:
            self._preview_problems(result.problems)
            return
        if result.errors:
            raise PluginError(KbError(result.problems).report())
        if self.preview is not None:
            self.preview.problems = ""
        staged = self.staged = self.staged or StagedPages()
        try:
            self._stage_pages(result, staged)
        except (KbError, ShareFailed) as error:
            self._remove_staging()
            self.renderer.forget()
            raise PluginError(
                error.report() if isinstance(error, KbError) else str(error)
            ) from None
        gone = staged.keep_only(self.renderer.page_paths | self._site_files().keys())
        if self.preview is not None:
            self.preview.remove_pages(gone, config)
            # Kept for the next rebuild: out of the collector's reach, which would walk all of
            # them again and again while MkDocs builds (N=100: about 1 s of every build).
            gc.freeze()
        else:  # a one-off build: nothing will compare with these records again
            self.check_memo = CheckMemo()
            self.renderer = SiteRenderer(self.paths.templates_dir, self.site)
            self.download_memo, self.feed_memo = DownloadMemo(), FeedMemo()

    def _stage_pages(self, result: CheckResult, staged: StagedPages) -> None:
        """Render the pages that changed and stage them.

        A one-off build renders in child processes while MkDocs goes on (``forked_render``):
        here the pages are only planned, for their paths and sources.
        """
        renderer = self.renderer
        assert renderer is not None, "bug: on_config not run"
        assert self.paths is not None, "bug: on_config not run"
        kb = result.kb
        assert kb is not None, "bug: staging pages of data with errors"
        bibtex = (self.paths.data_dir / "references.bib").read_text(encoding="utf-8")

        def share(index: int, count: int) -> None:
            renderer.shard = (index, count)
            # Each page goes to its file as soon as it is made: holding them all in memory
            # until MkDocs reads them was the largest part of the build's peak (N=1000: 165 MB).
            for page in iter_changed_pages(result, renderer):
                staged.write(page)
            if index == 0:  # the open-data files and the feed, made once, by the first share
                for file in download_files(kb, bibtex, self.download_memo):
                    staged.write(file)
                if (feed := feed_file(kb.biomarkers, renderer.site, self.feed_memo)) is not None:
                    staged.write(feed)
            staged.hand_over()  # the pages' JSON-LD, if this share ran in a child process

        pages = len(kb.biomarkers) + len(kb.conditions) + len(kb.specimens)
        # Serving: rebuilds render a few pages, and `mkdocs serve` runs threads (no forking).
        children = 0 if self.preview is not None else process_count(pages) - 1
        try:
            if children < 1:
                share(0, 1)
            else:
                self.background = BackgroundRender(share, children)
                share(children, children)  # a share no page falls in: plans, renders nothing
        finally:
            renderer.shard = (0, 1)
        staged.sources.update(renderer.page_sources)
        staged.sources.update(self._site_files())  # written by the first share, maybe a child

    def _site_files(self) -> dict[str, str]:
        """Return the files beside the pages (downloads, feed), each with what it is made from."""
        site = self.site
        feed = {urls.FEED: FEED_SOURCE} if site is not None and site.url else {}
        return {**DOWNLOAD_SOURCES, **feed}

    def _preview_problems(self, problems: Sequence[Problem]) -> None:
        """Show the problems on every served page; keep the last good pages until they are fixed.

        A failed build leaves `mkdocs serve` with the stale page in the open tab and new page
        loads hanging; this build succeeds, the tab reloads, and every page says what to fix.
        """
        assert self.preview is not None, "bug: not serving"
        log.error("%s", KbError(problems).report())
        self.preview.problems = problem_list(problems)
        if self.staged is None:  # no good build yet: a home page that says what to fix
            self.staged = StagedPages()
            self.staged.write(RenderedPage(HOME_PAGE, error_page(problems), "data/"))

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        """Add the generated pages; a hand-written page at the same path is an error."""
        assert self.staged is not None, "bug: on_pre_build not run"
        for path, source in sorted(self.staged.sources.items()):
            if files.get_file_from_path(path) is not None:
                raise PluginError(
                    f"{config.docs_dir}/{path}: this page is generated from {source};"
                    " delete or rename the hand-written file"
                )
            abs_src_path = str(self.staged.path_of(path))
            files.append(File.generated(config, path, abs_src_path=abs_src_path))
        if files.get_file_from_path(STYLESHEET) is None:
            files.append(File.generated(config, STYLESHEET, abs_src_path=str(PACKAGE_STYLESHEET)))
        if self.preview is not None:
            self.preview.pages_listed(files)
        self.files = files
        self.scans = PageScans(in_child=self._scan_in_child())
        return files

    def _scan_in_child(self) -> bool:
        """Scan the pages in a child process: one-off builds of enough pages, on two CPUs."""
        many = len(self.sources) >= MIN_PAGES_TO_SCAN_IN_CHILD
        return self.preview is None and many and cpus_to_fork_on() > 1

    @event_priority(-100)  # last: the search index is written, other plugins are done
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Remove the staging folder (every page has been read), unless serving.

        Serving: merge the search index, and publish the problems for the preview script.
        """
        if self.preview is None:
            self._remove_staging()
        elif self.files is not None:
            self.preview.finish(config, self.files)

    def on_build_error(self, *, error: Exception) -> None:
        """Remove the staging folder of a build that failed (serving: keep it for the next)."""
        if self.background is not None:
            self.background.stop()
            self.background = None
        if self.scans is not None:
            self.scans.stop()
            self.scans = None
        if self.preview is None:
            self._remove_staging()

    def on_shutdown(self) -> None:
        """Remove the staging folder when `mkdocs serve` stops."""
        self._remove_staging()

    def _remove_staging(self) -> None:
        if self.staged is not None:
            self.staged.remove()
            self.staged = None

    def on_page_read_source(self, /, *, page: Page, config: MkDocsConfig) -> str | None:
        """Wait until a page rendered in the background is staged; MkDocs then reads it."""
        if self.background is not None and page.file.abs_src_path and self.staged is not None:
            source = Path(page.file.abs_src_path)
            if source.is_relative_to(self.staged.folder):
                try:
                    self.background.wait_for(source)
                except ShareFailed as failure:
                    self.background = None
                    raise PluginError(str(failure)) from None
        return None

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

        A generated page is scanned by ``scans`` and reported in ``on_env``; a hand-written one
        here, while its Markdown is at hand to say the line.

        Then let go of the page's Markdown: MkDocs keeps every page's Markdown and HTML until the
        build ends, and nothing reads the Markdown after this event. At N=1000 that Markdown is
        about 160 million characters held through the whole build.
        """
        if self.scans is not None and page.file.src_uri in self.sources:
            self.scans.add(page, html)
        else:
            self._report_findings(page, scan_page(html), config)
        page.markdown = ""  # not None: MkDocs reads None as "not loaded yet" (e.g. for its title)
        return html

    @event_priority(-100)  # last: other plugins may still read the page here
    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        """Let go of the page's HTML once the theme has wrapped it; only writing it remains.

        Serving: note the page as built, and give it the script that shows the data's problems.
        """
        page.content = None
        output = with_head_additions(output, self._head_additions(page))
        if self.preview is None:
            return output
        self.preview.built.append(page.url)
        head, body_end, tail = output.rpartition("</body>")
        if not body_end:
            return output
        return f"{head}{script_tag(page.url)}\n{body_end}{tail}"

    def _head_additions(self, page: Page) -> list[str]:
        """Return the page's JSON-LD (generated pages) and the feed's link (every page)."""
        additions = []
        staged = self.staged
        if staged is not None and (data := staged.structured_data(page.file.src_uri)):
            additions.append(json_ld(data))
        site = self.site
        if site is not None and site.url:
            additions.append(feed_link(get_relative_url(urls.FEED, page.url), site.name))
        return additions

    def _report_findings(self, page: Page, findings: Findings, config: MkDocsConfig) -> None:
        """Add a message for each kind of unsafe markup and each unresolved footnote mark."""
        if findings == NOTHING_FOUND:
            return
        src_uri = page.file.src_uri
        origin = PageOrigin(
            src_uri,
            self.sources.get(src_uri),
            self._docs_path(src_uri, config),
            page.markdown or "",
        )
        self.unsafe_content += findings_messages(
            origin, findings.unsafe_markup, findings.unresolved_footnotes
        )

    def _docs_path(self, src_uri: str, config: MkDocsConfig) -> str:
        """Return a hand-written page's path as the editor finds it: content/page.md."""
        assert self.paths is not None, "bug: on_config not run"
        docs_dir = Path(config.docs_dir)
        if docs_dir.is_relative_to(self.paths.root):
            docs_dir = docs_dir.relative_to(self.paths.root)
        return f"{docs_dir.as_posix()}/{src_uri}"

    def on_env(
        self, env: jinja2.Environment, /, *, config: MkDocsConfig, files: Files
    ) -> jinja2.Environment:
        """Stop the build if any page had unsafe markup or a mistake: all are read, none written.

        Otherwise give the theme's fresh environment the compiled templates of earlier builds.
        """
        assert self.hand_written is not None, "bug: on_pre_build not run"
        if self.background is not None:  # every page is read: the children are done
            background, self.background = self.background, None
            try:
                background.join()
            except ShareFailed as failure:
                raise PluginError(str(failure)) from None
            if self.staged is not None:
                self.staged.take_over()  # the JSON-LD of the pages the children rendered
        if self.scans is not None:  # every page is converted: the scanning is done
            scans, self.scans = self.scans, None
            for page, findings in scans.results(lambda page: page.content or ""):
                self._report_findings(page, findings, config)
        self.hand_written.problems += self.hand_written.template_problems(env)
        if self.hand_written.problems or self.unsafe_content:
            mistakes = [self.hand_written.report()] if self.hand_written.problems else []
            raise PluginError("\n".join([*mistakes, *self.unsafe_content]))
        env.bytecode_cache = self.theme_templates
        return env

    def on_serve(
        self, server: LiveReloadServer, config: MkDocsConfig, builder: Callable[..., None]
    ) -> LiveReloadServer:
        """Rebuild when data or templates change, not only the docs dir; rebuild what changed.

        Every rebuild after the first is a dirty one (``live_preview``), as with ``--dirty``.
        """
        assert self.paths is not None, "bug: on_config not run"
        assert self.preview is not None, "bug: on_startup not run"
        server.watch(str(self.paths.data_dir))
        server.watch(str(self.paths.templates_dir))
        self.preview.dirty = True
        if self.preview.started_dirty:
            quiet_dirty_warning()
        elif (rebuild := dirty_builder(builder)) is not None:
            server.builder = rebuild
        else:
            log.warning(
                "biomarker-kb: this MkDocs rebuilds every page after each edit;"
                " run `mkdocs serve --dirty` to rebuild only the pages an edit changes"
            )
        return server
