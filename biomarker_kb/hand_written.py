"""Checks of hand-written pages (the docs dir's own Markdown): their text → located Problems.

Input: each page MkDocs is about to read, as the plugin (``plugin.py``) hands it over. Output:
Problems with the page (``content/editors.md``) and line: text that is not UTF-8, front matter
that does not parse (MkDocs would publish it as text, or drop it, without a word) or names a
template the theme lacks, and the line from which Markdown fails to render (MkDocs would stop
with a traceback). The checks of text are pure functions; ``HandWrittenPages`` is their glue.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import jinja2
import yaml
from mkdocs.exceptions import BuildError, PluginError
from mkdocs.utils.meta import YAML_RE

from biomarker_kb.problems import Location, Problem, sort_problems

if TYPE_CHECKING:
    from collections.abc import Callable

    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

# The loader MkDocs reads front matter with (mkdocs/utils/meta.py), so that what passes here
# is what MkDocs reads.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_FRONT_MATTER_START = 2
"""The line a front matter's first field is on, after its opening ``---``."""
_URL_WITH_HOST = re.compile(r"(?:[A-Za-z][\w+.-]*:)?//[^\s)>\"'`]*")
_TEMPLATE_FIELD = re.compile(r"template\s*:")


class HandWrittenPages:
    """The problems of one build's hand-written pages, each checked as MkDocs reads it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        """The project folder: pages are named from there (``content/editors.md``)."""
        self.problems: list[Problem] = []
        self.templates: list[tuple[Location, object]] = []
        """Where a page's front matter names a theme template, and the name it gives."""

    def check(self, page: Page, config: MkDocsConfig) -> None:
        """Check the page's text, and make its rendering report a failure instead of raising.

        Raises:
            PluginError: The page is not UTF-8 text, which MkDocs cannot read at all; it lists
                every problem found so far.
        """
        path = self._shown(page, config)
        problem = undecodable(path, page.file.content_bytes)
        if problem is not None:
            raise PluginError(self.report([problem]))
        text = page.file.content_string  # as MkDocs reads it: line ends made "\n"
        fields, problems = front_matter(path, text)
        self.problems += problems
        self.templates += _template_field(path, text, fields)
        render = page.render

        def render_or_report(config: MkDocsConfig, files: Files) -> None:
            try:
                render(config, files)
            except BuildError:
                raise
            # Whatever Markdown or MkDocs raise on this page's text is a mistake in the page;
            # MkDocs itself would print it with a traceback and stop at the first page.
            except Exception as error:
                markdown = page.markdown or ""
                renders = _renderer(page, render, config, files)
                self.problems.append(render_problem(path, text, markdown, renders, error))
                page.markdown, page.content = markdown, ""

        # MkDocs calls page.render itself, with no event around it that could catch its error.
        page.render = render_or_report  # type: ignore[method-assign]

    def template_problems(self, env: jinja2.Environment) -> list[Problem]:
        """Return a problem for each template named in front matter that the theme lacks."""
        problems = []
        for at, name in self.templates:
            if isinstance(name, str):
                try:
                    env.get_template(name)
                except jinja2.TemplateNotFound:
                    pass
                else:
                    continue
            message = (
                f"the front matter names the template {name!r}, which the theme does not have;"
                " remove the 'template' line"
            )
            problems.append(Problem(at, message))
        return problems

    def report(self, more: list[Problem] | None = None) -> str:
        """Return every problem found, one per line, in page and line order."""
        return "\n".join(str(p) for p in sort_problems([*self.problems, *(more or [])]))

    def _shown(self, page: Page, config: MkDocsConfig) -> str:
        docs_dir = Path(config.docs_dir)
        if docs_dir.is_relative_to(self.root):
            docs_dir = docs_dir.relative_to(self.root)
        return f"{docs_dir.as_posix()}/{page.file.src_uri}"


def _renderer(
    page: Page, render: Callable[[MkDocsConfig, Files], None], config: MkDocsConfig, files: Files
) -> Callable[[str], bool]:
    """Return a function rendering Markdown as ``page``, True if that raised nothing."""

    def renders(markdown: str) -> bool:
        page.markdown = markdown
        try:
            render(config, files)
        except Exception:  # only whether it fails matters here
            return False
        return True

    return renders


def _template_field(
    path: str, text: str, fields: dict[str, object]
) -> list[tuple[Location, object]]:
    """Return where the front matter names a theme template, and the name, if it does."""
    match = YAML_RE.match(text)
    if match is None or "template" not in fields:
        return []
    lines = match.group(1).split("\n")
    starts = (n for n, t in enumerate(lines, _FRONT_MATTER_START) if _TEMPLATE_FIELD.match(t))
    line = next(starts, 1)  # 1: written in flow style, {template: x}
    return [(Location(path, line), fields["template"])]


def undecodable(path: str, data: bytes) -> Problem | None:
    """Return a problem if the page is not UTF-8 text (MkDocs would stop with a traceback)."""
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        message = (
            f"the page is not UTF-8 text (byte 0x{data[error.start]:02x});"
            " save it as UTF-8 in your editor"
        )
        return Problem(Location(path, line, column), message)
    return None


def front_matter(path: str, text: str) -> tuple[dict[str, object], list[Problem]]:
    """Return the page's front matter as MkDocs reads it, or why it cannot be read.

    MkDocs (mkdocs/utils/meta.py) reads a block between ``---`` lines at the top of a page as
    YAML; when that fails, or gives anything but fields, it keeps the block as page text.
    """
    match = YAML_RE.match(text)
    if match is None:
        return {}, []
    try:
        data = yaml.load(match.group(1), Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        return {}, [_yaml_error_problem(path, error, match.group(1).count("\n"))]
    # The rest of what PyYAML raises on text: a date that does not exist (ValueError), nesting
    # too deep for its constructor (RecursionError). MkDocs catches them all and goes on.
    except (yaml.YAMLError, ValueError, RecursionError) as error:
        return {}, [Problem(Location(path, 1), _not_yaml(str(error) or type(error).__name__))]
    if isinstance(data, dict):
        return data, []
    got = "nothing" if data is None else f"a {_yaml_kind(data)}"
    message = (
        f"the front matter should be a set of fields (key: value lines), got {got};"
        " write 'title: ...' lines between the '---' lines, or remove them"
    )
    return {}, [Problem(Location(path, 1), message)]


def _yaml_error_problem(path: str, error: yaml.MarkedYAMLError, lines: int) -> Problem:
    """Locate a YAML error; one found only at the end (an unclosed quote) where it began."""
    mark, reason = error.problem_mark, error.problem or "it cannot be read"
    if error.context_mark is not None and (mark is None or mark.line >= lines):
        mark, reason = error.context_mark, f"{error.context}, {reason}"
    if mark is None:
        return Problem(Location(path, 1), _not_yaml(reason))
    at = Location(path, _FRONT_MATTER_START + mark.line, mark.column + 1)
    return Problem(at, _not_yaml(reason))


def _not_yaml(reason: str) -> str:
    return (
        f"the front matter is not valid YAML: {reason}; put quotes around values containing"
        " ': ' or ' #', or remove the '---' lines if the page has no front matter"
    )


def _yaml_kind(data: object) -> str:
    return "list" if isinstance(data, list) else "single value"


def render_problem(
    path: str,
    text: str,
    markdown: str,
    renders: Callable[[str], bool],
    error: Exception,
) -> Problem:
    """Return the problem for a page Markdown failed on, at the line it fails from if found.

    Args:
        path: The page as editors see it, e.g. ``content/editors.md``.
        text: The page's whole text, front matter included.
        markdown: The Markdown that failed: ``text`` without its front matter.
        renders: Renders Markdown as the page was rendered; True if that worked.
        error: What rendering raised.
    """
    line = _failing_line(markdown, renders)
    offset = text[: len(text) - len(markdown)].count("\n") if text.endswith(markdown) else None
    if line is None or offset is None:
        return Problem(Location(path), _cannot_render(error, "the page's"))
    shown = markdown.split("\n")[line - 1]
    message = _bad_address(shown) or _cannot_render(error, "this line's")
    return Problem(Location(path, offset + line), message)


def _failing_line(markdown: str, renders: Callable[[str], bool]) -> int | None:
    """Return a line such that the lines before it render and, with it, they do not.

    A binary search over the page's first lines: a few renders, not one per line. A mistake
    may show only in a later line (a link's definition), which is then the line given.
    """
    lines = markdown.split("\n")
    passing, failing = 0, len(lines)  # numbers of first lines rendered
    if not renders("") or renders(markdown):
        return None  # the failure is not the text's
    while failing - passing > 1:
        middle = (passing + failing) // 2
        if renders("\n".join(lines[:middle])):
            passing = middle
        else:
            failing = middle
    return failing


def _bad_address(line: str) -> str | None:
    """Return the message for a link address on ``line`` that cannot be read, if there is one."""
    for address in _URL_WITH_HOST.findall(line):
        try:
            urlsplit(address)
        except ValueError as error:
            return (
                f"a link address cannot be read (got {address!r}: {error}); write the whole"
                " address, e.g. https://example.org/page, or remove the stray '[' or ']'"
            )
    return None


def _cannot_render(error: Exception, where: str) -> str:
    return (
        f"Markdown cannot render the page ({type(error).__name__}: {error}); check {where}"
        " links and markup"
    )
