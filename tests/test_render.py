"""Render stage: golden Markdown for a small knowledge base, and hostile data made inert."""

from __future__ import annotations

import html
import json
import shutil
from typing import TYPE_CHECKING

import pytest
import yaml
from bs4 import BeautifulSoup, Tag
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.utils.meta import get_data

from biomarker_kb.citation_style import short_citation
from biomarker_kb.escape import html_text
from biomarker_kb.feed import feed_file
from biomarker_kb.labels import levels_heading, reference_headings
from biomarker_kb.model import Association, Bound, LevelList, Specimen, describe_interval
from biomarker_kb.pipeline import ProjectPaths, check, render_pages
from biomarker_kb.render import SiteRenderer, front_matter
from biomarker_kb.structured_data import Site
from biomarker_kb.yaml_text import yaml_flow
from tests.helpers import CASES, HERE, PROJECT_ROOT, make_project, make_reference, mkdocs_build

if TYPE_CHECKING:
    from pathlib import Path

    from biomarker_kb.render import RenderedPage


def _render_case(name: str) -> list[RenderedPage]:
    case = CASES / name
    result = check(ProjectPaths(case, case / "data", PROJECT_ROOT / "templates"))
    assert [str(p) for p in result.errors] == []
    return render_pages(result, SiteRenderer(PROJECT_ROOT / "templates"))


def _match_golden_files(found: dict[str, str], expected_dir: Path, update: bool) -> None:
    """Compare each file's text with its golden copy; with ``update``, rewrite them first."""
    if update:
        shutil.rmtree(expected_dir, ignore_errors=True)
        for path, text in found.items():
            target = expected_dir / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline="\n")
    expected = {
        path.relative_to(expected_dir).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(expected_dir.rglob("*"))
        if path.is_file()
    }
    assert sorted(found) == sorted(expected), "pages added or removed: run pytest --update-goldens"
    for path, text in found.items():
        assert text == expected[path], f"{path} differs from the golden file"


# --------------------------------------------------------------------------- golden files


@pytest.mark.parametrize("case", ["basic"])
def test_rendered_pages_match_the_golden_files(case: str, update_goldens: bool) -> None:
    """Compare every page with tests/cases/<case>/expected/; --update-goldens rewrites them."""
    pages = {page.path: page.markdown for page in _render_case(case)}
    _match_golden_files(pages, CASES / case / "expected", update_goldens)


GOLDEN_SITE = Site("Golden site", "https://example.test/kb/", "A test site", None)


def test_json_ld_and_feed_match_the_golden_files(update_goldens: bool) -> None:
    """Each page's JSON-LD (pretty-printed) and the feed, in tests/cases/basic/expected-head/."""
    case = CASES / "basic"
    result = check(ProjectPaths(case, case / "data", PROJECT_ROOT / "templates"))
    assert result.kb is not None
    pages = render_pages(result, SiteRenderer(PROJECT_ROOT / "templates", GOLDEN_SITE))
    found = {
        f"{page.path}.json": json.dumps(
            json.loads(page.structured_data), indent=2, ensure_ascii=False
        )
        + "\n"
        for page in pages
    }
    feed = feed_file(result.kb.biomarkers, GOLDEN_SITE)
    assert feed is not None
    found["feed.xml"] = feed.markdown
    _match_golden_files(found, case / "expected-head", update_goldens)


def test_golden_case_covers_the_required_features() -> None:
    """Guard the fixture itself, so an edit cannot silently drop what the goldens are for."""
    case = CASES / "basic"
    result = check(ProjectPaths(case, case / "data", PROJECT_ROOT / "templates"))
    assert result.kb is not None
    alpha, beta = result.kb.biomarkers
    claims = [c for b in result.kb.biomarkers for c in b.claims]
    attributions = {c.attribution for claim in claims for c in claim.citations}
    assert attributions == {"claim", "sentence", "paragraph", "list"}
    sentences = [s for p in alpha.overview for s in p.sentences]
    assert any(len(s.claims) > 1 for s in sentences), "no sentence holds several claims"
    assert any(isinstance(c, Association) and c.parent for c in alpha.claims), "no nested span"
    assert any(s.as_printed for s in sentences), "no sentence records a correction"
    bounds = {(r.lower is not None, r.upper is not None) for r in alpha.ranges}
    assert bounds == {(True, True), (False, True), (True, False)}
    assert alpha.takeaways
    assert any(c.needs_primary_source for c in alpha.claims)
    assert any(c.editor_note for c in alpha.claims)
    assert any(c.as_printed for c in alpha.claims), "no range or takeaway as printed"
    assert any(c.review for c in alpha.claims), "no claim questioned by a reviewer"
    assert any(r.interval_as_printed for r in alpha.ranges), "no interval as printed"
    shared = {getattr(c, "condition", None) for c in alpha.claims} & {
        getattr(c, "condition", None) for c in beta.claims
    }
    assert shared - {None}
    smith = [c.id for c in alpha.claims if "smith2019" in c.citation_keys]
    assert len(smith) >= 2
    shorts = [short_citation(r) for r in result.kb.references.values()]
    assert len(set(shorts)) < len(shorts), "no two references share a heading to tell apart"


def test_rendering_is_deterministic() -> None:
    first = [(p.path, p.markdown) for p in _render_case("basic")]
    second = [(p.path, p.markdown) for p in _render_case("basic")]
    assert first == second
    assert [path for path, _ in first] == sorted(path for path, _ in first)


def test_generated_pages_start_with_front_matter_and_notice() -> None:
    for page in _render_case("basic"):
        lines = page.markdown.splitlines()
        closing = lines.index("---", 1)
        assert lines[0] == "---"
        assert lines[closing + 1] == f"<!-- generated from {page.source}; do not edit -->"


# --------------------------------------------------------------------------- intervals


@pytest.mark.parametrize(
    ("lower", "upper", "shown"),
    [
        pytest.param(Bound(0.6, True), Bound(2.4, True), "0.6–2.4", id="two-sided"),
        pytest.param(None, Bound(2.51, True), "≤ 2.51", id="upper-inclusive"),
        # Floats, as the model stage builds them; ints: test_int_bounds_are_described.
        pytest.param(None, Bound(300.0, False), "< 300", id="upper-exclusive"),
        pytest.param(Bound(0.1, True), None, "≥ 0.1", id="lower-inclusive"),
        pytest.param(Bound(5.0, False), None, "> 5", id="lower-exclusive"),
        pytest.param(Bound(0.6, False), Bound(2.4, False), "> 0.6–2.4 (exclusive)", id="open"),
    ],
)
def test_describe_interval(lower: Bound | None, upper: Bound | None, shown: str) -> None:
    assert describe_interval(lower, upper) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        pytest.param(12345.67, "≤ 12345.67", id="seven-digits"),
        pytest.param(1500000.0, "≤ 1500000", id="million"),
        pytest.param(0.125, "≤ 0.125", id="three-decimals"),
        pytest.param(0.0001, "≤ 0.0001", id="ten-thousandth"),
    ],
)
def test_describe_interval_keeps_every_digit(value: float, shown: str) -> None:
    assert describe_interval(None, Bound(value, True)) == shown


def test_describe_interval_never_prints_an_exponent() -> None:
    assert describe_interval(None, Bound(0.00005, True)) == "≤ 0.00005"
    assert describe_interval(Bound(0.0000015, True), None) == "≥ 0.0000015"


@pytest.mark.parametrize(
    ("lower", "upper", "shown"),
    [
        pytest.param(None, Bound(300, False), "< 300", id="upper"),
        pytest.param(Bound(5, False), None, "> 5", id="lower"),
        pytest.param(Bound(1, True), Bound(1500000, True), "1–1500000", id="both"),
    ],
)
def test_int_bounds_are_described(lower: Bound | None, upper: Bound | None, shown: str) -> None:
    assert describe_interval(lower, upper) == shown


# --------------------------------------------------------------------------- hostile data


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the hostile fixture project strictly with the real templates and mkdocs.yml."""
    project = make_project(tmp_path_factory.mktemp("hostile"), CASES / "hostile" / "data")
    site = project / "site"
    completed = mkdocs_build(project, site)
    assert completed.returncode == 0, completed.stderr
    return site


MATERIAL_INLINE_SCRIPTS = ("__md_scope=", "var palette=", "var target=document.getElementById(")
"""Material's own inline scripts; every other script must have a src or be JSON data."""


def _is_data(script: Tag) -> bool:
    """Return True for the plugin's JSON-LD: a data block, whole JSON, with no markup inside."""
    if script.get("type") != "application/ld+json" or script.string is None:
        return False
    try:
        json.loads(script.string)
    except ValueError:
        return False
    return not set(script.string) & set("<>")


def _injections(root: BeautifulSoup | Tag) -> list[str]:
    """Return every executable thing in ``root`` that the theme did not put there itself."""
    found = []
    for script in root.find_all("script"):
        text = (script.string or "").strip()
        own = script.get("src") or script.get("type") == "application/json"
        if not own and not text.startswith(MATERIAL_INLINE_SCRIPTS) and not _is_data(script):
            found.append(f"script: {text[:60]}")
    for tag in root.find_all(True):
        for name, value in tag.attrs.items():
            if name.lower().startswith("on"):
                found.append(f"<{tag.name} {name}={value!r}>")
            if name in {"href", "src"} and str(value).strip().lower().startswith("javascript:"):
                found.append(f"<{tag.name} {name}={value!r}>")
        if tag.name in {"iframe", "object", "embed", "style", "base", "form"}:
            found.append(f"<{tag.name}>")
    return found


HOSTILE_PAGES = [
    "index.html",
    "biomarkers/index.html",
    "biomarkers/hostile/index.html",
    "references/index.html",
]


@pytest.mark.parametrize("relative", HOSTILE_PAGES)
def test_hostile_data_is_inert_in_the_page_body(hostile_site: Path, relative: str) -> None:
    soup = BeautifulSoup((hostile_site / relative).read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article.md-content__inner")
    assert article is not None
    for theme_tags in article.select("nav.md-tags"):
        theme_tags.decompose()  # the theme's tag list; see test_hostile_data_is_inert_on_every_page
    assert _injections(article) == []
    assert "{{ 7*7 }}" in article.get_text()
    assert "49" not in article.get_text()


def test_hostile_claim_text_is_shown_literally(hostile_site: Path) -> None:
    html = (hostile_site / "biomarkers/hostile/index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    claim = soup.find(id="claim-hostile-footnote")
    assert claim is not None
    assert "[^primary] [^x] {{ 7*7 }} {% raw %}" in claim.get_text()
    # Its one source is cited once, for its paragraph: the literal "[^x]" made no footnote.
    scope = claim.find_parent(attrs={"data-cite-scope": True})
    assert scope is not None
    assert len(scope.select("a.footnote-ref")) == 1
    script_claim = soup.find(id="claim-hostile-script")
    assert script_claim is not None
    assert "<script>alert('claim')</script>" in script_claim.get_text()
    for link in soup.select('a[href^="https://doi.org/"], a[href^="https://example.com/"]'):
        assert not set(str(link["href"])) & set("\"'<> ")


def test_hostile_table_cells_stay_in_their_row(hostile_site: Path) -> None:
    html = (hostile_site / "biomarkers/hostile/index.html").read_text(encoding="utf-8")
    row = BeautifulSoup(html, "html.parser").find(id="claim-hostile-range")
    assert row is not None
    assert row.name == "tr"
    cells = row.find_all("td", recursive=False)
    assert len(cells) == len(row.find_parent("table").find("thead").find_all("th"))
    assert "| broken | table |" in cells[0].get_text()  # the lab test, in the source's cell


def _drop_theme_chrome(soup: BeautifulSoup) -> None:
    """Remove what Material itself puts on every page: its font style and two forms."""
    for style in soup.find_all("style"):
        if (style.string or "").startswith(":root{--md-text-font:"):
            style.decompose()
    for form in soup.select(
        'form.md-header__option[data-md-component="palette"], form.md-search__form[name="search"]'
    ):
        form.decompose()


def test_hostile_data_is_inert_on_every_page(hostile_site: Path) -> None:
    found = {}
    for path in sorted(hostile_site.rglob("*.html")):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for title in soup.find_all("title"):
            title.decompose()  # <title> is text-only in browsers; its markup cannot run
        _drop_theme_chrome(soup)
        if injections := _injections(soup):
            found[path.relative_to(hostile_site).as_posix()] = injections
    assert found == {}


@pytest.mark.parametrize(
    ("relative", "name"),
    [
        ("biomarkers/hostile/index.html", "<script>alert('name')</script> Hostile"),
        ("conditions/evil/index.html", "<svg onload=alert(1)> Evil | condition"),
        ("specimens/serum/index.html", "Serum <script>alert('specimen')</script>"),
    ],
)
def test_hostile_names_read_literally_in_header_and_tags(
    hostile_site: Path, relative: str, name: str
) -> None:
    """Escaped once: readers see the name as written, never '&lt;' (escaped twice).

    The page's names also go to the search index (as its tags, which pages no longer show),
    which the theme's search inserts as HTML: there they stay escaped, never raw markup.
    """
    soup = BeautifulSoup((hostile_site / relative).read_text(encoding="utf-8"), "html.parser")
    topics = [" ".join(t.get_text().split()) for t in soup.select(".md-header__topic")]
    assert name in topics
    index = json.loads((hostile_site / "search" / "search_index.json").read_text("utf-8"))
    location = relative.removesuffix("index.html")
    tags = [tag for doc in index["docs"] if doc["location"] == location for tag in doc["tags"]]
    assert tags
    assert all("<" not in tag for tag in tags)
    assert html.unescape(tags[0]) == name


def _front_matter(markdown: str) -> dict[str, object]:
    front = yaml.safe_load(markdown.split("---\n")[1])
    assert isinstance(front, dict)
    return front


def test_front_matter_escapes_names_the_theme_prints_as_html() -> None:
    pages = {page.path: _front_matter(page.markdown) for page in _render_case("hostile")}
    assert pages["biomarkers/hostile.md"]["title"] == (
        "&lt;script&gt;alert('name')&lt;/script&gt; Hostile"
    )
    assert pages["conditions/evil.md"]["title"] == "&lt;svg onload=alert(1)&gt; Evil | condition"
    assert pages["specimens/serum.md"]["title"] == (
        "Serum &lt;script&gt;alert('specimen')&lt;/script&gt;"
    )
    tags = pages["specimens/serum.md"]["tags"]
    assert isinstance(tags, list)
    assert "Serum &lt;script&gt;alert('specimen')&lt;/script&gt;" in tags
    for path, front in pages.items():
        values = [
            v for value in front.values() for v in (value if isinstance(value, list) else [value])
        ]
        assert not any("<" in str(v) or ">" in str(v) for v in values), path


def test_front_matter_is_yaml_with_html_escaped_values() -> None:
    block = front_matter({"title": "A & B <i>x</i> 'q' \"d\"", "tags": ["x<y", "Ünïcode"]})
    assert block == (
        "---\n"
        'title: "A &amp; B &lt;i&gt;x&lt;/i&gt; \'q\' \\"d\\""\n'
        'tags: ["x&lt;y", "Ünïcode"]\n'
        "---"
    )
    assert yaml.safe_load(block.strip("-\n")) == {
        "title": "A &amp; B &lt;i&gt;x&lt;/i&gt; 'q' \"d\"",
        "tags": ["x&lt;y", "Ünïcode"],
    }


def _read_back(block: str) -> list[dict[str, object]]:
    """Return the front matter as PyYAML (pure and C) and as MkDocs itself read it."""
    inner = block.removeprefix("---\n").removesuffix("\n---")
    doc, meta = get_data(block + "\n# Body\n")
    assert doc == "# Body\n", "MkDocs did not take the block for front matter"
    return [yaml.safe_load(inner), yaml.load(inner, Loader=yaml.CSafeLoader), meta]


# Characters YAML treats specially: line breaks (NEL, LS, PS), characters it refuses in a file
# (DEL, C1 controls, U+FFFE), its indicators and quotes, a BOM, NBSP, bidi controls.
_AWKWARD = st.sampled_from(
    [
        "\x00", "\x07", "\t", "\n", "\r", "\x1b", "\x7f", "\x80", "\x85", "\x9f", "\xa0",
        "\u2028", "\u2029", "\ufeff", "\ufffe", "\uffff", "\u202e", "\u2066",
        ": ", " #", "#", "- ", "* ", "&", "!", "%", "@", "`", "|", ">", "'", '"', "\\", "---",
        "...", "{", "}", "[", "]", ",", "?", "\u201c", "\u2019", "null", "yes", "1e3", "~",
    ]
)  # fmt: skip
# Any text a page can hold: every code point but lone surrogates, which UTF-8 cannot encode.
_ANY_TEXT = st.lists(st.one_of(_AWKWARD, st.characters()), max_size=20).map("".join)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(title=_ANY_TEXT, tags=st.lists(_ANY_TEXT, max_size=3))
def test_any_text_reads_back_from_the_front_matter(title: str, tags: list[str]) -> None:
    block = front_matter({"title": title, "tags": tags})
    expected = {"title": html_text(title), "tags": [html_text(tag) for tag in tags]}
    for read in _read_back(block):
        assert read == expected
    assert block.count("\n") == 3, "one line per field"


@pytest.mark.parametrize(
    ("title", "line"),
    [
        pytest.param("a\x7fb\x80\x9f", 'title: "a\\u007fb\\u0080\\u009f"', id="DEL-C1"),
        pytest.param("\ufeffx\ufffe\uffff", 'title: "\\ufeffx\\ufffe\\uffff"', id="BOM-nonchar"),
        pytest.param("a\x00b\x1b", 'title: "a\\u0000b\\u001b"', id="C0-as-JSON-escapes"),
        pytest.param("a\u2028b", 'title: "a b"', id="line-separator-is-a-space-in-a-title"),
        pytest.param("Note: high # 1", 'title: "Note: high # 1"', id="colon-and-comment"),
        pytest.param("- item", 'title: "- item"', id="leading-dash"),
        pytest.param("*alias &anchor !tag", 'title: "*alias &amp;anchor !tag"', id="indicators"),
        pytest.param("\u201cCrohn\u2019s\u201d", 'title: "\u201cCrohn\u2019s\u201d"', id="curly"),
    ],
)
def test_front_matter_escapes_what_yaml_would_change(title: str, line: str) -> None:
    block = front_matter({"title": title})
    assert block == f"---\n{line}\n---"
    for read in _read_back(block):
        assert read == {"title": html_text(title)}


@pytest.mark.parametrize(
    ("value", "written"),
    [
        pytest.param("a\x85b", '"a\\u0085b"', id="NEL-would-fold-into-a-space"),
        pytest.param(["\u2028", "\u2029"], '["\\u2028", "\\u2029"]', id="LS-PS"),
        pytest.param("\ud800", '"\\ud800"', id="lone-surrogate"),
        pytest.param("Sjögren’s", '"Sjögren’s"', id="other-text-stays-readable"),
    ],
)
def test_front_matter_values_keep_characters_yaml_reads_as_line_breaks(
    value: object, written: str
) -> None:
    assert yaml_flow(value) == written
    assert yaml.safe_load(f"v: {written}") == {"v": value}


# --------------------------------------------------------------------------- headings


def _level_list(specimen: str, direction: str) -> LevelList:
    return LevelList("T", specimen, direction, (), (), HERE, HERE)  # type: ignore[arg-type]


SPECIMENS = {
    "serum": Specimen("serum", "Serum", (), HERE),
    "urine": Specimen("urine", "Urine", (), HERE),
}


@pytest.mark.parametrize(
    ("lists", "heading"),
    [
        pytest.param([("serum", "increased")], "What raises serum levels", id="one"),
        pytest.param(
            [("serum", "increased"), ("urine", "increased"), ("serum", "increased")],
            "What raises serum and urine levels",
            id="two-specimens-once-each",
        ),
        pytest.param([("urine", "decreased")], "What lowers urine levels", id="lowers"),
        pytest.param(
            [("serum", "increased"), ("serum", "decreased")],
            "What changes serum levels",
            id="both-directions",
        ),
    ],
)
def test_levels_heading_names_the_direction_and_specimens(
    lists: list[tuple[str, str]], heading: str
) -> None:
    assert levels_heading([_level_list(*pair) for pair in lists], SPECIMENS) == heading


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        pytest.param("CSF", "CSF", id="abbreviation"),
        pytest.param("EDTA plasma", "EDTA plasma", id="abbreviation-first"),
        pytest.param("Whole blood", "whole blood", id="two-words"),
    ],
)
def test_levels_heading_keeps_abbreviations(name: str, shown: str) -> None:
    specimens = {"x": Specimen("x", name, (), HERE)}
    heading = levels_heading([_level_list("x", "increased")], specimens)
    assert heading == f"What raises {shown} levels"


def test_reference_headings_add_the_title_only_where_two_would_clash() -> None:
    references = [
        make_reference("a", entry_type="online", authors=(), organization="Blog", title="One"),
        make_reference("b", entry_type="online", authors=(), organization="Blog", title="Two"),
        make_reference("c", authors=("Smith, Jane",), year="2020"),
    ]
    assert reference_headings(references) == {
        "a": "Blog — One",
        "b": "Blog — Two",
        "c": "Smith 2020",
    }


def test_reference_headings_of_the_golden_case_are_unique() -> None:
    (page,) = [p for p in _render_case("basic") if p.path == "references.md"]
    headings = [line for line in page.markdown.splitlines() if line.startswith("## ")]
    assert len(headings) >= 2
    assert len(set(headings)) == len(headings)
