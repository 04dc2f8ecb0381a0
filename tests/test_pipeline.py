"""The whole pipeline and its entry points: every problem at once, nothing written on failure."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import jinja2
import pytest
import yaml

from biomarker_kb import urls
from biomarker_kb.hand_written import (
    HandWrittenPages,
    front_matter,
    render_problem,
    undecodable,
)
from biomarker_kb.pipeline import ProjectPaths, check, render_pages
from biomarker_kb.primary_source import post_only_claims
from biomarker_kb.problems import KbError, Location, Problem, Severity
from biomarker_kb.render import SiteRenderer
from tests.helpers import (
    CASES,
    PROJECT_ROOT,
    biomarker_yaml,
    make_project,
    minimal_files,
    mkdocs_build,
    run_cli,
    statement_yaml,
    tree_digest,
    write_files,
)

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from biomarker_kb.pipeline import CheckResult

# One error in each of five files; none of them hides or causes another. (No warning either:
# smith2020 looks uncited, but beta.yaml cannot be read and may be the article citing it.)
BROKEN = minimal_files(
    alpha=biomarker_yaml(body=statement_yaml(cite="[smith2021]")),
    beta="id: beta\nname: Beta: enzyme\n",
)
BROKEN["data/conditions.yaml"] = (
    "conditions:\n  - id: malignancy\n    nmae: Malignancy\n    kind: group\n"
)
BROKEN["data/specimens.yaml"] = "specimens:\n  - id: Serum\n    name: Serum\n"
BROKEN["data/references.bib"] = (
    str(BROKEN["data/references.bib"]) + "\n@online{broken,\n  title = {T}\n}\n"
)
BROKEN_MESSAGES = [
    "data/biomarkers/alpha.yaml:16:20: unknown citation key 'smith2021'; did you mean 'smith2020'?",
    "data/biomarkers/beta.yaml:2:11: YAML syntax error: mapping values are not allowed in this"
    " context; check the indentation, and put quotes around text containing ': ' or ' #'",
    "data/conditions.yaml:3:5: unknown field 'nmae'; did you mean 'name'?",
    "data/references.bib:14: entry 'broken' is missing the field 'author or organization'; add it",
    "data/specimens.yaml:2:9: 'id' is not a valid id (got 'Serum'); use lowercase letters, digits"
    " and single hyphens, e.g. 'multiple-myeloma'",
]


@pytest.fixture
def broken_project(tmp_path: Path) -> Path:
    return make_project(tmp_path, files=BROKEN)


def test_every_problem_in_every_file_is_reported_in_one_run(broken_project: Path) -> None:
    result = check(ProjectPaths.at(broken_project))
    assert result.kb is None
    messages = [str(p) for p in result.problems]
    assert [m for m in messages if m in BROKEN_MESSAGES] == BROKEN_MESSAGES
    assert messages == BROKEN_MESSAGES
    assert {p.location.path for p in result.errors} == {
        "data/biomarkers/alpha.yaml",
        "data/biomarkers/beta.yaml",
        "data/conditions.yaml",
        "data/references.bib",
        "data/specimens.yaml",
    }


def test_a_syntax_error_is_reported_once(broken_project: Path) -> None:
    result = check(ProjectPaths.at(broken_project))
    beta = [str(p) for p in result.problems if p.location.path == "data/biomarkers/beta.yaml"]
    assert beta == [m for m in BROKEN_MESSAGES if m.startswith("data/biomarkers/beta.yaml")]


def test_problems_are_sorted_by_path_then_line(broken_project: Path) -> None:
    locations = [p.location for p in check(ProjectPaths.at(broken_project)).problems]
    assert locations == sorted(locations, key=lambda at: (at.path, at.line, at.column))


def test_rendering_data_with_errors_is_refused(broken_project: Path) -> None:
    result = check(ProjectPaths.at(broken_project))
    with pytest.raises(AssertionError, match="bug: rendering was asked for data that has errors"):
        render_pages(result, SiteRenderer(broken_project / "templates"))


# --------------------------------------------------------------------------- check command


def test_check_command_prints_every_problem_and_exits_1(broken_project: Path) -> None:
    completed = run_cli("--project", str(broken_project), "check", cwd=broken_project)
    assert completed.returncode == 1
    assert completed.stdout == ""
    lines = completed.stderr.splitlines()
    assert [line for line in lines if line in BROKEN_MESSAGES] == BROKEN_MESSAGES
    assert lines[-1] == f"{len(lines) - 1} errors, 0 warnings found"
    assert lines == [*BROKEN_MESSAGES, "5 errors, 0 warnings found"]
    assert "Traceback" not in completed.stderr


@pytest.mark.parametrize(
    ("severities", "summary"),
    [
        pytest.param([], "0 errors, 0 warnings found", id="none"),
        pytest.param([Severity.ERROR], "1 error, 0 warnings found", id="one-error"),
        pytest.param([Severity.WARNING], "0 errors, 1 warning found", id="one-warning"),
        pytest.param(
            [Severity.ERROR, Severity.ERROR, Severity.WARNING, Severity.WARNING],
            "2 errors, 2 warnings found",
            id="plural",
        ),
    ],
)
def test_report_ends_with_the_counts_of_errors_and_warnings(
    severities: list[Severity], summary: str
) -> None:
    problems = [
        Problem(Location("f.yaml", line), f"problem {line}", severity)
        for line, severity in enumerate(severities, 1)
    ]
    lines = KbError(problems).report().splitlines()
    assert lines[-1] == summary
    assert lines[:-1] == [str(p) for p in problems]


def test_check_command_accepts_the_real_project(project_root: Path) -> None:
    completed = run_cli("check", cwd=project_root)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.startswith("ok: ")
    assert "Traceback" not in completed.stderr


def test_strict_check_passes_on_the_real_data(project_root: Path, real_check: CheckResult) -> None:
    """Every claim resting on the post alone is acknowledged, and the count stays in sight."""
    completed = run_cli("check", "--strict", cwd=project_root)
    assert (completed.returncode, completed.stderr) == (0, "")
    assert real_check.warnings == []
    assert real_check.kb is not None
    post_only = post_only_claims(real_check.kb)
    assert post_only
    assert all(claim.acknowledged for claim in post_only)
    count = len(post_only)
    assert completed.stdout.endswith(
        f"; {count} claim(s) cite only the original post ({count} acknowledged)\n"
    )


# Two paragraphs that cite only the post: the first acknowledged (line 9), the second not
# (line 16); a third claim cites smith2020, so no reference is unused.
GATED = biomarker_yaml(
    body=statement_yaml() + "  - cite: [post-a]\n"
    "    needs_primary_source: true\n"
    "    acknowledged: Kept as the post's own words for now.\n"
    "    sentences:\n"
    '      - text: "[B]{b}."\n'
    "        claims:\n"
    "          - {id: b, type: statement, topic: physiology}\n"
    "  - cite: [post-a]\n"  # line 24
    "    needs_primary_source: true\n"
    "    sentences:\n"
    '      - text: "[C]{c}."\n'
    "        claims:\n"
    "          - {id: c, type: statement, topic: physiology}\n"
)
GATED_WARNING = (
    "data/biomarkers/alpha.yaml:24:5: warning: 1 claim of this paragraph cites only the original"
    " post; find a primary source, or acknowledge it with acknowledged: <reason>"
)
GATED_SUMMARY = (
    "ok: checked 1 biomarker file(s), 3 claims, 2 references, 2 conditions, 2 specimens;"
    " 2 claim(s) cite only the original post"
)


def test_an_unacknowledged_marker_fails_only_the_strict_check(tmp_path: Path) -> None:
    project = make_project(tmp_path, files=minimal_files(alpha=GATED))
    checked = run_cli("check", cwd=project)
    assert (checked.returncode, checked.stderr) == (
        0,
        f"{GATED_WARNING}\n0 errors, 1 warning found\n",
    )
    assert checked.stdout == (
        f"{GATED_SUMMARY} (1 acknowledged); 1 warning(s), fail with --strict\n"
    )
    strict = run_cli("check", "--strict", cwd=project)
    assert (strict.returncode, strict.stdout) == (1, "")
    assert strict.stderr == checked.stderr


def test_acknowledging_the_last_marker_lets_the_strict_check_pass(tmp_path: Path) -> None:
    acknowledged = GATED.replace(
        "    needs_primary_source: true\n    sentences:\n",
        "    needs_primary_source: true\n    acknowledged: No source yet.\n    sentences:\n",
    )
    project = make_project(tmp_path, files=minimal_files(alpha=acknowledged))
    strict = run_cli("check", "--strict", cwd=project)
    assert (strict.returncode, strict.stderr) == (0, "")
    assert strict.stdout == f"{GATED_SUMMARY} (2 acknowledged)\n"


# --------------------------------------------------------------------------- placeholders

PLACEHOLDER_FIX = "; replace it with the real text"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            "name: Alpha",
            'name: "TODO: full name of the biomarker"',
            "data/biomarkers/alpha.yaml:2:7: 'name' still holds a placeholder left by make"
            " new-biomarker (got 'TODO: full name of the biomarker')",
            id="value",
        ),
        pytest.param(
            "name: Alpha",
            "name: Alpha\naliases: [B2M, TODO]",
            "data/biomarkers/alpha.yaml:3:16: 'aliases' still holds a placeholder left by make"
            " new-biomarker (got 'TODO')",
            id="list-item",
        ),
        pytest.param(
            '"[A fact]{x}."',
            '"[TODO: the first sentence]{x}."',
            "data/biomarkers/alpha.yaml:11:15: 'text' still holds a placeholder left by make"
            " new-biomarker (got '[TODO: the first sentence]{x}.')",
            id="inside-a-sentence",
        ),
        pytest.param(
            "organization = {Example Blog}",
            "organization = {TODO: the blog name}",
            "data/references.bib:2: field 'organization' of entry 'post-a' still holds a"
            " placeholder left by make new-biomarker (got 'TODO: the blog name')",
            id="bibtex-field",
        ),
    ],
)
def test_a_placeholder_left_by_the_scaffold_is_an_error(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    files = minimal_files(alpha=biomarker_yaml(body=statement_yaml()))
    files = {path: str(text).replace(old, new, 1) for path, text in files.items()}
    write_files(tmp_path, files)
    result = check(ProjectPaths.at(tmp_path))
    assert [str(p) for p in result.errors] == [expected + PLACEHOLDER_FIX]
    assert result.kb is None


@pytest.mark.parametrize(
    "summary",
    [
        pytest.param("Editors keep a TODO list.", id="the-word-in-a-sentence"),
        pytest.param("todo: lowercase is not the scaffold's.", id="lowercase"),
        pytest.param("Written last: TODO", id="at-the-end"),
    ],
)
def test_the_word_todo_in_text_is_not_a_placeholder(tmp_path: Path, summary: str) -> None:
    text = biomarker_yaml(body=statement_yaml()).replace("About alpha.", f'"{summary}"')
    write_files(tmp_path, minimal_files(alpha=text))
    assert check(ProjectPaths.at(tmp_path)).problems == ()


def test_command_without_subcommand_is_a_usage_error(tmp_path: Path) -> None:
    completed = run_cli(cwd=tmp_path)
    assert completed.returncode == 2
    assert "usage:" in completed.stderr


# --------------------------------------------------------------------------- render command


def test_render_command_writes_every_page_with_front_matter_and_notice(
    project_root: Path, real_check: CheckResult, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    completed = run_cli("--project", str(project_root), "render", str(out), cwd=tmp_path)
    assert completed.returncode == 0, completed.stderr
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    rendered = render_pages(real_check, SiteRenderer(project_root / "templates"))
    downloads = [path for path, _ in urls.DOWNLOADS]  # the open data, for the pages' links
    assert written == sorted([p.path for p in rendered] + downloads + [urls.FEED])
    sources = {
        "index.md": "data/biomarkers/",
        "references.md": "data/references.bib",
        **{f"biomarkers/{b}.md": f"data/biomarkers/{b}.yaml" for b in real_check.sources},
    }
    assert {"index.md", "biomarkers/b2m.md", "references.md"} <= set(sources)
    for path, source in sources.items():
        text = (out / path).read_text(encoding="utf-8")
        assert text.startswith("---\n"), path
        front, body = text[4:].split("\n---\n", 1)
        assert isinstance(yaml.safe_load(front)["title"], str)
        assert body.startswith(f"<!-- generated from {source}; do not edit -->\n"), path


def test_render_command_writes_nothing_when_data_has_errors(
    broken_project: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    completed = run_cli("--project", str(broken_project), "render", str(out), cwd=tmp_path)
    assert completed.returncode == 1
    assert not out.exists()
    assert "Traceback" not in completed.stderr


# --------------------------------------------------------------------------- build command


def test_failed_build_leaves_the_existing_site_untouched(
    broken_project: Path, tmp_path: Path
) -> None:
    site = tmp_path / "published"
    write_files(site, {"index.html": "old site", "marker.txt": "keep me"})
    before = tree_digest(site)
    completed = run_cli(
        "--project", str(broken_project), "build", "--site-dir", str(site), cwd=broken_project
    )
    assert completed.returncode == 1
    assert tree_digest(site) == before
    assert f"build failed; {site}/ was left as it was" in completed.stderr
    assert "Traceback" not in completed.stderr
    assert list(broken_project.glob(".site-*")) == []


def test_build_replaces_the_site_and_never_touches_the_sources(tmp_path: Path) -> None:
    project = make_project(tmp_path, PROJECT_ROOT / "data")
    write_files(project, {"site/stale.html": "from an older build"})
    sources = ["data", "content", "templates"]
    before = {name: tree_digest(project / name) for name in sources}
    completed = run_cli("--project", str(project), "build", cwd=project)
    assert completed.returncode == 0, completed.stderr
    assert {name: tree_digest(project / name) for name in sources} == before
    assert (project / "site" / "index.html").is_file()
    assert (project / "site" / "biomarkers" / "b2m" / "index.html").is_file()
    assert not (project / "site" / "stale.html").exists()
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".site-")) == []


# --------------------------------------------------------------------------- MkDocs plugin


def test_plugin_stops_mkdocs_before_it_cleans_the_site(broken_project: Path) -> None:
    site = broken_project / "site"
    write_files(site, {"marker.txt": "keep me"})
    completed = mkdocs_build(broken_project, site)
    assert completed.returncode != 0
    assert (site / "marker.txt").read_text(encoding="utf-8") == "keep me"
    for message in BROKEN_MESSAGES:
        assert message in completed.stderr
    assert "5 errors, 0 warnings found" in completed.stderr


@pytest.mark.parametrize("broken", [False, True], ids=["built", "failed"])
def test_plugin_stages_pages_outside_the_project_and_removes_them(
    tmp_path: Path, broken: bool
) -> None:
    project = make_project(tmp_path, CASES / "basic" / "data")
    if broken:  # a hand-written page at a generated path fails the build after staging
        write_files(project, {"content/biomarkers/alpha.md": "# Mine\n"})
    staging_root = tmp_path / "tmp"
    staging_root.mkdir()
    before = tree_digest(project)
    completed = mkdocs_build(project, tmp_path / "site", env={"TMPDIR": str(staging_root)})
    assert (completed.returncode != 0) == broken, completed.stderr
    assert list(staging_root.iterdir()) == []
    assert tree_digest(project) == before


def test_plugin_refuses_a_hand_written_page_at_a_generated_path(tmp_path: Path) -> None:
    project = make_project(
        tmp_path, CASES / "basic" / "data", files={"content/references.md": "# Mine\n"}
    )
    completed = mkdocs_build(project, tmp_path / "site")
    assert completed.returncode != 0
    assert (
        "content/references.md: this page is generated from data/references.bib;"
        " delete or rename the hand-written file"
    ) in completed.stderr


def test_the_garbage_collector_is_paused_during_the_stages_and_resumed_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # With the collector running, loading N=1000 took 7.3 s instead of 3.3 s (make bench): each
    # full collection walks every record loaded so far again.
    import gc  # noqa: PLC0415

    from biomarker_kb import pipeline  # noqa: PLC0415

    enabled_during: dict[str, bool] = {}

    def spy(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            enabled_during[name] = gc.isenabled()
            return function(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(pipeline, "load_yaml", spy("load", pipeline.load_yaml))
    monkeypatch.setattr(SiteRenderer, "render_site", spy("render", SiteRenderer.render_site))
    project = make_project(tmp_path, CASES / "basic" / "data")
    result = check(ProjectPaths.at(project))
    render_pages(result, SiteRenderer(ProjectPaths.at(project).templates_dir))
    assert enabled_during == {"load": False, "render": False}
    assert gc.isenabled()


# --------------------------------------------------------------------------- hand-written pages

PAGE = "content/page.md"
NOT_YAML = (
    "; put quotes around values containing ': ' or ' #', or remove the '---' lines if the page"
    " has no front matter"
)
NOT_FIELDS = "; write 'title: ...' lines between the '---' lines, or remove them"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "---\ntitle: Note: high\n---\n# Hi\n",
            f"{PAGE}:2:12: the front matter is not valid YAML: mapping values are not allowed in"
            f" this context{NOT_YAML}",
            id="colon-in-a-value",
        ),
        pytest.param(
            "---\ntitle: x\n  tags: [a\n---\n# Hi\n",
            f"{PAGE}:3:7: the front matter is not valid YAML: mapping values are not allowed in"
            f" this context{NOT_YAML}",
            id="bad-indentation",
        ),
        pytest.param(
            '---\ntitle: "Beta\u2019s\n---\n# Hi\n',
            f"{PAGE}:2:8: the front matter is not valid YAML: while scanning a quoted scalar,"
            f" found unexpected end of stream{NOT_YAML}",
            id="unclosed-quote",
        ),
        pytest.param(
            "---\nreviewed: 2023-02-30\n---\n# Hi\n",
            f"{PAGE}:1: the front matter is not valid YAML: day is out of range for month"
            f"{NOT_YAML}",
            id="impossible-date",
        ),
        pytest.param(
            "---\n- title\n- tags\n---\n# Hi\n",
            f"{PAGE}:1: the front matter should be a set of fields (key: value lines), got a"
            f" list{NOT_FIELDS}",
            id="a-list",
        ),
        pytest.param(
            "---\nJust a line of text\n---\n",
            f"{PAGE}:1: the front matter should be a set of fields (key: value lines), got a"
            f" single value{NOT_FIELDS}",
            id="text-between-rules",
        ),
        pytest.param(
            "---\n\n---\n# Hi\n",
            f"{PAGE}:1: the front matter should be a set of fields (key: value lines), got"
            f" nothing{NOT_FIELDS}",
            id="empty",
        ),
    ],
)
def test_front_matter_that_mkdocs_would_drop_is_a_located_problem(text: str, expected: str) -> None:
    fields, problems = front_matter(PAGE, text)
    assert (fields, [str(p) for p in problems]) == ({}, [expected])


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("# No front matter\n", id="none"),
        pytest.param('---\ntitle: "Note: high"\nsearch:\n  exclude: true\n---\n', id="fields"),
        pytest.param("Title: MultiMarkdown meta\n\n# Hi\n", id="multimarkdown"),
        pytest.param("# Hi\n\n---\n\nA rule above, not front matter.\n", id="a-rule"),
    ],
)
def test_front_matter_that_parses_gives_no_problem(text: str) -> None:
    assert front_matter(PAGE, text)[1] == []


def test_a_page_that_is_not_utf8_is_located_at_its_byte() -> None:
    problem = undecodable(PAGE, "# Hi\n\ncaf\u00e9 ok\n".encode() + b"caf\xe9\n")
    assert str(problem) == (
        f"{PAGE}:4:4: the page is not UTF-8 text (byte 0xe9); save it as UTF-8 in your editor"
    )
    assert undecodable(PAGE, "\ufeff# Hi \u00e9\n".encode()) is None


def _failing_from(bad: str) -> Callable[[str], bool]:
    """A stand-in for Markdown: fails on any text holding ``bad``."""
    return lambda markdown: bad not in markdown


@pytest.mark.parametrize(
    ("text", "bad", "expected"),
    [
        pytest.param(
            "---\ntitle: T\n---\n# Hi\n\nSee [x][1].\n\n[1]: http://[::1\n",
            "[::1",
            f"{PAGE}:8: a link address cannot be read (got 'http://[::1': Invalid IPv6 URL);"
            " write the whole address, e.g. https://example.org/page, or remove the stray '['"
            " or ']'",
            id="reference-definition-after-front-matter",
        ),
        pytest.param(
            "# Hi\n\n" + "Text.\n" * 40 + "An image ![i](//a]b) here.\n" + "More.\n" * 9,
            "a]b",
            f"{PAGE}:43: a link address cannot be read (got '//a]b': Invalid IPv6 URL); write"
            " the whole address, e.g. https://example.org/page, or remove the stray '[' or ']'",
            id="image-in-a-long-page",
        ),
        pytest.param(
            "# Hi\n\n<div markdown>\n\n!!! oops\n",
            "oops",
            f"{PAGE}:5: Markdown cannot render the page (IndexError: boom); check this line's"
            " links and markup",
            id="any-other-failure",
        ),
    ],
)
def test_the_line_a_page_stops_rendering_at_is_found(text: str, bad: str, expected: str) -> None:
    markdown = text.split("---\n")[-1]
    problem = render_problem(PAGE, text, markdown, _failing_from(bad), IndexError("boom"))
    assert str(problem) == expected


def test_a_failure_that_is_not_the_texts_is_reported_without_a_line() -> None:
    problem = render_problem(PAGE, "# Hi\n", "# Hi\n", lambda _: False, KeyError("x"))
    assert str(problem) == (
        f"{PAGE}: Markdown cannot render the page (KeyError: 'x'); check the page's links and"
        " markup"
    )


def test_a_template_the_theme_lacks_is_named_where_the_front_matter_names_it(
    tmp_path: Path,
) -> None:
    pages = HandWrittenPages(tmp_path)
    pages.templates = [
        (Location(PAGE, 2), "main.html"),
        (Location(PAGE, 3), "mian.html"),
        (Location("content/other.md", 1), ["main.html"]),
    ]
    env = jinja2.Environment(loader=jinja2.DictLoader({"main.html": "{{ page }}"}))
    assert [str(p) for p in pages.template_problems(env)] == [
        f"{PAGE}:3: the front matter names the template 'mian.html', which the theme does not"
        " have; remove the 'template' line",
        "content/other.md:1: the front matter names the template ['main.html'], which the theme"
        " does not have; remove the 'template' line",
    ]


def _with_pages(tmp_path: Path, pages: dict[str, str | bytes]) -> Path:
    project = make_project(tmp_path, CASES / "basic" / "data")
    write_files(project, pages)  # after make_project, which reads every page as UTF-8
    config = project / "mkdocs.yml"
    listed = "".join(f"  /{name.removeprefix('content/')}\n" for name in pages)
    text = config.read_text(encoding="utf-8").replace("not_in_nav: |\n", f"not_in_nav: |\n{listed}")
    config.write_text(text, encoding="utf-8")
    return project


def test_every_mistake_in_hand_written_pages_stops_the_build_with_its_line(
    tmp_path: Path,
) -> None:
    project = _with_pages(
        tmp_path,
        {
            "content/links.md": "# Links\n\nSee [the host][1].\n\n[1]: http://[::1\n",
            "content/meta.md": "---\ntitle: Note: high\n---\n# Meta\n",
            "content/theme.md": "---\ntitle: T\ntemplate: nope.html\n---\n# Theme\n",
            "content/fine.md": '---\ntitle: "Fine: quoted"\n---\n# Fine\n',
        },
    )
    site = tmp_path / "site"
    completed = mkdocs_build(project, site)
    assert completed.returncode == 1
    assert "Traceback" not in completed.stderr
    assert (
        "content/links.md:5: a link address cannot be read (got 'http://[::1': Invalid IPv6"
        " URL); write the whole address, e.g. https://example.org/page, or remove the stray '['"
        " or ']'\n"
        "content/meta.md:2:12: the front matter is not valid YAML: mapping values are not"
        f" allowed in this context{NOT_YAML}\n"
        "content/theme.md:3: the front matter names the template 'nope.html', which the theme"
        " does not have; remove the 'template' line\n"
    ) in completed.stderr
    assert "fine.md" not in completed.stderr
    assert not list(site.rglob("*.html")), "no page is written"


def test_a_hand_written_page_that_is_not_utf8_stops_the_build_without_a_traceback(
    tmp_path: Path,
) -> None:
    project = _with_pages(tmp_path, {"content/latin1.md": b"# Caf\xe9\n"})
    completed = mkdocs_build(project, tmp_path / "site")
    assert completed.returncode == 1
    assert "Traceback" not in completed.stderr
    assert (
        "content/latin1.md:1:6: the page is not UTF-8 text (byte 0xe9); save it as UTF-8 in your"
        " editor"
    ) in completed.stderr
