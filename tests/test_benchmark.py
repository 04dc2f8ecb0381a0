"""The benchmark runs end to end on a tiny knowledge base and reports every field (no timings).

Its input, the synthetic knowledge base, is checked first: valid, shaped like the real data,
and the same on every run.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from biomarker_kb.model import Association
from biomarker_kb.pipeline import ProjectPaths, check, render_pages
from tests.helpers import PROJECT_ROOT, tree_digest
from tools.benchmark import copy_project, main, make_baseline, serve_latency
from tools.synthetic import (
    CLAIMS_PER_LIST,
    CLAIMS_PER_PARAGRAPH,
    MAX_CLAIMS_PER_SENTENCE,
    PARAGRAPHS,
    RANGES,
    TAKEAWAYS,
    write_knowledge_base,
)

if TYPE_CHECKING:
    from pathlib import Path

FIELDS = {
    "n",
    "pages",
    "claims",
    "load_s",
    "validate_s",
    "render_s",
    "stages_s",
    "build_s",
    "baseline_s",
    "overhead_ratio",
    "ms_per_page",
    "peak_mib",
    "python",
    "machine",
}
CPU_FIELDS = {f"{name}_cpu_s" for name in ("load", "validate", "render", "stages", "build")}

# --------------------------------------------------------------------------- the input


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic project of N=3 biomarkers (data/ only)."""
    root = tmp_path_factory.mktemp("synthetic")
    write_knowledge_base(3, root)
    return root


def test_the_synthetic_knowledge_base_checks_without_a_problem(synthetic: Path) -> None:
    result = check(ProjectPaths(synthetic, synthetic / "data", PROJECT_ROOT / "templates"))
    assert [str(problem) for problem in result.problems] == []
    assert result.kb is not None
    assert len(result.kb.biomarkers) == 3


def test_each_synthetic_biomarker_is_shaped_like_the_real_one(synthetic: Path) -> None:
    result = check(ProjectPaths(synthetic, synthetic / "data", PROJECT_ROOT / "templates"))
    assert result.kb is not None
    for biomarker in result.kb.biomarkers:
        sentences = [s for p in biomarker.overview for s in p.sentences]
        items = [item for lst in biomarker.levels for item in lst.items]
        assert [len(p.claims) for p in biomarker.overview] == [CLAIMS_PER_PARAGRAPH] * PARAGRAPHS
        assert all(len(p.sentences) > 1 for p in biomarker.overview)
        assert {len(s.claims) for s in sentences} <= set(range(1, MAX_CLAIMS_PER_SENTENCE + 1))
        assert max(len(s.claims) for s in sentences) > 2
        assert [len(lst.claims) for lst in biomarker.levels] == [CLAIMS_PER_LIST] * 2
        assert len(items) < 2 * CLAIMS_PER_LIST  # some items mark more than one claim
        nested = [c for c in biomarker.claims if isinstance(c, Association) and c.parent]
        assert nested, "no list item nests spans"
        assert len(biomarker.ranges) == RANGES
        assert len(biomarker.takeaways) == TAKEAWAYS
        assert len(biomarker.claims) == 90


def test_some_synthetic_claims_have_words_of_their_own(synthetic: Path) -> None:
    texts = [p.read_text(encoding="utf-8") for p in (synthetic / "data/biomarkers").iterdir()]
    assert all("            words: " in text for text in texts)
    assert all("        claim_text: " in text for text in texts)


def test_the_synthetic_knowledge_base_is_the_same_on_every_run(
    synthetic: Path, tmp_path: Path
) -> None:
    write_knowledge_base(3, tmp_path)
    assert tree_digest(tmp_path / "data") == tree_digest(synthetic / "data")


# --------------------------------------------------------------------------- the benchmark


def _expected_pages(tmp_path: Path) -> tuple[int, int]:
    """Return (pages, claims) of the N=2 site: generated pages plus hand-written ones."""
    # Imported here, not above: the tests of the synthetic input need only the check stage.
    from biomarker_kb.render import SiteRenderer

    write_knowledge_base(2, tmp_path)
    paths = ProjectPaths(tmp_path, tmp_path / "data", PROJECT_ROOT / "templates")
    result = check(paths)
    assert result.kb is not None
    generated = render_pages(result, SiteRenderer(paths.templates_dir))
    handwritten = list((PROJECT_ROOT / "content").rglob("*.md"))
    return len(generated) + len(handwritten), sum(len(b.claims) for b in result.kb.biomarkers)


@pytest.mark.slow
def test_one_json_line_per_size_with_every_field(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    status = main(["--sizes", "2", "--repeat", "1", "--project", str(PROJECT_ROOT)])
    lines = capsys.readouterr().out.splitlines()
    assert status == 0
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert record.keys() >= FIELDS | CPU_FIELDS
    assert record["n"] == 2
    assert (record["pages"], record["claims"]) == _expected_pages(tmp_path)
    for ratio in ("overhead_ratio", "overhead_ratio_cpu", "ms_per_page", "ms_per_page_cpu"):
        assert record[ratio] > 0
    for seconds in ("load_s", "render_s", "stages_s", "build_s", "baseline_s", "peak_mib"):
        assert record[seconds] > 0
    assert record["validate_s"] >= 0


@pytest.mark.slow
def test_serve_latency_sees_an_edit_of_the_real_data() -> None:
    before = (PROJECT_ROOT / "data" / "biomarkers" / "b2m.yaml").read_bytes()
    measured = serve_latency(PROJECT_ROOT, edits=1)
    latency = measured["serve_edit_s"]
    assert isinstance(latency, float)
    assert latency > 0
    assert (PROJECT_ROOT / "data" / "biomarkers" / "b2m.yaml").read_bytes() == before


@pytest.mark.slow
def test_the_plugin_builds_the_same_site_as_its_markdown_built_statically(tmp_path: Path) -> None:
    # The baseline is only fair if it is the same site; and the plugin lets go of each page's
    # Markdown and HTML during the build (to save memory), which must change nothing it writes.
    project = copy_project(PROJECT_ROOT, tmp_path / "project")
    write_knowledge_base(3, project)
    baseline = make_baseline(project, tmp_path / "baseline", timeout=600)
    sites = {name: tmp_path / f"site-{name}" for name in ("plugin", "baseline")}
    for name, root in (("plugin", project), ("baseline", baseline)):
        # Not --strict: the editors' guide links to the real site's b2m page, absent here.
        command = [sys.executable, "-m", "mkdocs", "build", "-q", "--site-dir", str(sites[name])]
        built = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False)
        assert built.returncode == 0, built.stderr
    pages = {name: _html_pages(site) for name, site in sites.items()}
    assert len(pages["plugin"]) > 20
    # What only the plugin adds, in the head: each page's JSON-LD and the feed's link.
    heads = {path: _HEAD_ADDITIONS.findall(html) for path, html in pages["plugin"].items()}
    assert all(found for path, found in heads.items() if path != "404.html")  # 404: no page
    plugin_pages = {path: _HEAD_ADDITIONS.sub(b"", html) for path, html in pages["plugin"].items()}
    assert plugin_pages == pages["baseline"]
    feeds = {name: (site / "feed.xml").read_bytes() for name, site in sites.items()}
    assert feeds["plugin"] == feeds["baseline"]
    # MkDocs lists generated files after the ones it found on disk: same entries, other order.
    indexes = {name: _search_entries(site) for name, site in sites.items()}
    assert indexes["plugin"] == indexes["baseline"]
    assert any("Marker 0" in entry for entry in indexes["plugin"])


_HEAD_ADDITIONS = re.compile(
    rb'<script type="application/ld\+json">[^<]*</script>\n'
    rb'|<link rel="alternate" type="application/atom\+xml"[^>]*>\n'
)


def _html_pages(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*.html"))}


def _search_entries(site: Path) -> list[str]:
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    return sorted(json.dumps(entry, sort_keys=True) for entry in index["docs"])
