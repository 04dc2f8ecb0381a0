"""Post-build content scan: markup the templates never emit is found, and stops the build."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from biomarker_kb.content_scan import scan_html, unsafe_scheme
from tests.helpers import (
    CASES,
    biomarker_yaml,
    make_project,
    minimal_files,
    mkdocs_build,
    statement_yaml,
)

if TYPE_CHECKING:
    from pathlib import Path

# --------------------------------------------------------------------------- scan_html


# What the templates and Markdown extensions really produce: none of it is a finding.
CLEAN_HTML = """\
<!-- generated from data/biomarkers/b2m.yaml; do not edit -->
<h1 id="beta">Beta-2 microglobulin<a class="headerlink" href="#beta" title="Link">¶</a></h1>
<p class="kb-meta">Published September 7, 2023 · Also known as &#60;script&#62;</p>
<div class="admonition abstract"><p class="admonition-title">About</p></div>
<p data-claim="x" id="claim-x" data-attribution="paragraph">A fact.<sup id="fnref:1">
<a class="footnote-ref" href="#fn:1">1</a></sup> <span class="kb-topics">
<a href="../../conditions/kidney-disease/">Kidney disease</a></span></p>
<table><thead><tr><th>Source</th></tr></thead><tbody><tr id="claim-r"><td>≤ 2.4</td></tr></tbody>
</table>
<p><code>&lt;script&gt;alert(1)&lt;/script&gt;</code> onerror=alert(1) javascript:alert(1)</p>
<a href="https://doi.org/10.3389/fmed.2017.00073">doi</a> <a href="mailto:x@example.com">m</a>
<p title="javascript:alert(1)" data-onload="x">a javascript: URL in a title is only text</p>
<div class="footnote"><ol><li id="fn:1"><p>Smith J.&#160;<a class="footnote-backref"
href="#fnref:1" title="Jump back to footnote 1 in the text">&#8617;</a></p></li></ol></div>
"""


def test_clean_page_content_has_no_findings() -> None:
    assert scan_html(CLEAN_HTML) == []


@pytest.mark.parametrize(
    ("html", "finding"),
    [
        pytest.param("<script>alert(1)</script>", "<script>", id="script"),
        pytest.param("<SCRIPT SRC=//x.example/a.js></SCRIPT>", "<script>", id="script-upper"),
        pytest.param("<iframe src=https://x.example></iframe>", "<iframe>", id="iframe"),
        pytest.param("<object data=x.swf></object>", "<object>", id="object"),
        pytest.param("<embed src=x.swf/>", "<embed>", id="embed-self-closing"),
        pytest.param("<style>body{display:none}</style>", "<style>", id="style"),
        pytest.param('<base href="https://evil.example/">', "<base>", id="base"),
        pytest.param("<form><input></form>", "<form>", id="form"),
        pytest.param(
            "<img src=x onerror=alert(1)>",
            "an event-handler attribute 'onerror' on <img>",
            id="onerror",
        ),
        pytest.param(
            "<b ONMOUSEOVER='alert(1)'>x</b>",
            "an event-handler attribute 'onmouseover' on <b>",
            id="onmouseover-upper",
        ),
        pytest.param(
            "<svg onload=alert(1)>",
            "an event-handler attribute 'onload' on <svg>",
            id="svg-onload",
        ),
        pytest.param(
            '<a href="javascript:alert(1)">x</a>',
            "a javascript: URL in 'href' of <a> (got 'javascript:alert(1)')",
            id="href-javascript",
        ),
        pytest.param(
            '<a href=" JaVaScRiPt:alert(1)">x</a>',
            "a javascript: URL in 'href' of <a> (got ' JaVaScRiPt:alert(1)')",
            id="href-mixed-case-leading-space",
        ),
        pytest.param(
            '<a href="java\tscr\nipt:alert(1)">x</a>',
            "a javascript: URL in 'href' of <a> (got 'java\\tscr\\nipt:alert(1)')",
            id="href-tab-newline-inside",
        ),
        pytest.param(
            '<a href="\x01\x1fjavascript:alert(1)">x</a>',
            "a javascript: URL in 'href' of <a> (got '\\x01\\x1fjavascript:alert(1)')",
            id="href-control-chars",
        ),
        pytest.param(
            '<a href="&#106;avascript&#58;alert(1)">x</a>',
            "a javascript: URL in 'href' of <a> (got 'javascript:alert(1)')",
            id="href-character-references",
        ),
        pytest.param(
            '<a href="vbscript:msgbox(1)">x</a>',
            "a vbscript: URL in 'href' of <a> (got 'vbscript:msgbox(1)')",
            id="href-vbscript",
        ),
        pytest.param(
            '<img src="data:text/html;base64,PHNjcmlwdD4=">',
            "a data: URL in 'src' of <img> (got 'data:text/html;base64,PHNjcmlwdD4=')",
            id="src-data",
        ),
        pytest.param(
            '<button formaction="javascript:alert(1)">x</button>',
            "a javascript: URL in 'formaction' of <button> (got 'javascript:alert(1)')",
            id="formaction",
        ),
        pytest.param(
            '<svg><a xlink:href="javascript:alert(1)">x</a></svg>',
            "a javascript: URL in 'xlink:href' of <a> (got 'javascript:alert(1)')",
            id="xlink-href",
        ),
    ],
)
def test_each_kind_of_unsafe_markup_is_found(html: str, finding: str) -> None:
    assert scan_html(f"<p>before</p>\n{html}\n<p>after</p>") == [finding]


def test_every_finding_is_listed_in_document_order() -> None:
    html = (
        '<p><a href="javascript:x">a</a></p><style>p{}</style>'
        '<div action="data:,x" onclick="x"></div>'
    )
    assert scan_html(html) == [
        "a javascript: URL in 'href' of <a> (got 'javascript:x')",
        "<style>",
        "a data: URL in 'action' of <div> (got 'data:,x')",
        "an event-handler attribute 'onclick' on <div>",
    ]


@pytest.mark.parametrize(
    ("url", "scheme"),
    [
        pytest.param("https://example.com/", None, id="https"),
        pytest.param("../conditions/x/", None, id="relative"),
        pytest.param("#fn:1", None, id="fragment"),
        pytest.param("javascript-notes/", None, id="relative-path-named-javascript"),
        pytest.param("DATA:text/plain,x", "data:", id="data-upper"),
        pytest.param("\x00 vbscript:x", "vbscript:", id="nul-and-space"),
    ],
)
def test_unsafe_scheme(url: str, scheme: str | None) -> None:
    assert unsafe_scheme(url) == scheme


# --------------------------------------------------------------------------- in the build


def _tamper_with_biomarker_template(project: Path) -> None:
    """Make the (copied) biomarker template emit raw markup, as a careless edit might."""
    template = project / "templates" / "biomarker.md.j2"
    text = template.read_text(encoding="utf-8")
    marker = "## Overview\n"
    assert marker in text, "the biomarker template changed; update this test's marker"
    template.write_text(
        text.replace(marker, marker + "\n<script>alert(1)</script>\n"), encoding="utf-8"
    )


def test_a_template_emitting_a_script_fails_the_strict_build(tmp_path: Path) -> None:
    files = minimal_files(
        alpha=biomarker_yaml("alpha", statement_yaml("a")),
        beta=biomarker_yaml("beta", statement_yaml("b")),
    )
    project = make_project(tmp_path, files=files)
    _tamper_with_biomarker_template(project)
    site = tmp_path / "site"

    completed = mkdocs_build(project, site)

    assert completed.returncode == 1
    assert "Traceback" not in completed.stderr
    for name in ("alpha", "beta"):  # every page is reported in the same run
        assert (
            f"biomarkers/{name}.md: page content contains <script>; the templates never write"
            f" this, so text from data/biomarkers/{name}.yaml reached the page unescaped"
            " (or a template was changed); this is a bug, report it to the developers"
        ) in completed.stderr
    assert not list(site.rglob("*.html")), "no page may be written once unsafe markup is found"


def test_raw_html_in_a_hand_written_page_fails_the_build(tmp_path: Path) -> None:
    project = make_project(tmp_path, files=minimal_files(alpha=biomarker_yaml()))
    guide = project / "content" / "editors.md"
    guide.write_text(
        guide.read_text(encoding="utf-8") + '\n<iframe src="https://x.example"></iframe>\n',
        encoding="utf-8",
    )

    completed = mkdocs_build(project, tmp_path / "site")

    assert completed.returncode == 1
    assert (
        "editors.md: page content contains <iframe>; remove it from content/editors.md:"
        " pages may not contain it"
    ) in completed.stderr


def test_the_untouched_templates_pass_the_scan(tmp_path: Path) -> None:
    project = make_project(tmp_path, files=minimal_files(alpha=biomarker_yaml()))
    completed = mkdocs_build(project, tmp_path / "site")
    assert completed.returncode == 0, completed.stderr
    assert "page content contains" not in completed.stderr


@pytest.mark.slow
def test_hostile_data_builds_because_it_is_escaped(tmp_path: Path) -> None:
    project = make_project(tmp_path, CASES / "hostile" / "data")
    completed = mkdocs_build(project, tmp_path / "site")
    assert completed.returncode == 0, completed.stderr
    assert (tmp_path / "site" / "biomarkers" / "hostile" / "index.html").is_file()


@pytest.mark.slow
def test_the_real_site_builds_with_the_scan(built_site: Path) -> None:
    # The fixture asserts the strict build succeeded; the scan ran on every page of it.
    assert (built_site / "biomarkers" / "b2m" / "index.html").is_file()
    assert (built_site / "editors" / "index.html").is_file()


# --------------------------------------------------------------------------- fast path


def test_ordinary_generated_markup_skips_the_full_parse() -> None:
    from biomarker_kb.content_scan import _could_be_unsafe  # noqa: PLC0415

    ordinary = (
        '<p><span class="kb-claim" id="claim-oncology-x" data-claim="oncology-x"'
        ' data-attribution="paragraph list">Text &#40;B2M&#41;.<sup id="fnref:a"><a'
        ' class="footnote-ref" href="#fn:a">1</a></sup> <span class="kb-flag" title="This'
        ' claim cites only the original blog post">needs primary source</span> <a'
        ' href="../../conditions/oncological-disease/">Oncological disease</a></span></p>'
        '<a href="https://doi.org/10.3389/fmed.2017.00073">doi</a>'
    )
    assert not _could_be_unsafe(ordinary)
    assert scan_html(ordinary) == []


@pytest.mark.parametrize(
    "html",
    [
        pytest.param("<SCRIPT>alert(1)</SCRIPT>", id="script-upper"),
        pytest.param('<img src=x\nonerror="alert(1)">', id="handler-after-newline"),
        pytest.param('<img/onerror="alert(1)">', id="handler-after-slash"),
        pytest.param('<a href="jav&#x61;script:alert(1)">x</a>', id="encoded-scheme"),
        pytest.param('<a href="java\tscript:alert(1)">x</a>', id="tab-in-scheme"),
        pytest.param("<a href=javascript:alert(1)>x</a>", id="unquoted"),
        pytest.param('<svg><a xlink:href="data:text/html,x">y</a></svg>', id="xlink-data"),
    ],
)
def test_anything_the_parser_would_report_takes_the_full_parse(html: str) -> None:
    from biomarker_kb.content_scan import _could_be_unsafe  # noqa: PLC0415

    assert _could_be_unsafe(html)
    assert scan_html(html) != []
