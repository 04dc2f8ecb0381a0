"""Browsing by condition and specimen across many biomarkers (fixture: tests/cases/many).

The fixture has three biomarkers (alpha, beta, gamma) that share conditions and specimens, a
two-level group (malignancy > hematological malignancy > multiple myeloma), ranges in three
specimens, patterns, mentions and a population. Expected orders below are written from the
fixture by hand: biomarkers by name (Alpha protein, Beta marker, Gamma chain), then reading order.
"""

from __future__ import annotations

import json
import shutil
from collections import deque
from typing import TYPE_CHECKING
from urllib.parse import urldefrag, urljoin

import pytest
from bs4 import BeautifulSoup

from biomarker_kb.browse import build_condition_views, build_specimen_views
from biomarker_kb.pipeline import CheckResult, ProjectPaths, check, render_pages
from biomarker_kb.render import SiteRenderer
from tests.helpers import CASES, PROJECT_ROOT, make_project, mkdocs_build

if TYPE_CHECKING:
    from pathlib import Path

    from biomarker_kb.model import KnowledgeBase

MANY = CASES / "many" / "data"
TEMPLATES = PROJECT_ROOT / "templates"


def _check(data_dir: Path) -> CheckResult:
    return check(ProjectPaths(data_dir.parent, data_dir, TEMPLATES))


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    result = _check(MANY)
    assert result.errors == []
    assert result.kb is not None
    return result.kb


@pytest.fixture(scope="module")
def many_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("many"), MANY)
    site = project / "site"
    completed = mkdocs_build(project, site)
    assert completed.returncode == 0, completed.stderr
    return site


def _soup(site: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / page / "index.html").read_text(encoding="utf-8"), "html.parser")


# --------------------------------------------------------------------------- aggregation


def test_condition_gathers_claims_from_every_biomarker_in_order(kb: KnowledgeBase) -> None:
    view = build_condition_views(kb)["kidney-disease"]
    assert [r.claim.id for r in view.associations] == [
        "alpha-serum-up-kidney",
        "beta-urine-up-kidney",
        "gamma-serum-down-kidney",
    ]
    # Kidney disease is only its population: a finding in those patients, listed apart.
    assert [r.claim.id for r in view.in_population] == ["gamma-serum-up-proteinuria"]
    assert [r.claim.id for r in view.patterns] == ["alpha-pattern-kidney"]


def test_condition_lists_mentions_and_its_broader_and_narrower(kb: KnowledgeBase) -> None:
    views = build_condition_views(kb)
    myeloma = views["multiple-myeloma"]
    assert [r.claim.id for r in myeloma.associations] == [
        "alpha-serum-up-myeloma",
        "gamma-serum-up-myeloma-prognosis",
    ]
    assert [r.claim.id for r in myeloma.mentions] == ["beta-mentions-myeloma"]
    assert [c.id for c in myeloma.broader] == ["hematological-malignancy"]
    middle = views["hematological-malignancy"]
    assert [c.id for c in middle.broader] == ["malignancy"]
    assert [c.id for c in middle.narrower] == ["multiple-myeloma"]


def test_group_gathers_its_members_at_every_depth_once(kb: KnowledgeBase) -> None:
    view = build_condition_views(kb)["malignancy"]
    assert view.associations == ()
    assert [(member.id, ref.claim.id) for member, ref in view.from_narrower] == [
        ("hematological-malignancy", "beta-up-malignancy"),
        ("multiple-myeloma", "alpha-serum-up-myeloma"),
        ("multiple-myeloma", "gamma-serum-up-myeloma-prognosis"),
    ]


def test_specimen_gathers_ranges_tests_and_changes(kb: KnowledgeBase) -> None:
    serum = build_specimen_views(kb)["serum"]
    assert [r.claim.id for r in serum.ranges] == ["alpha-range-serum", "gamma-range-serum-adults"]
    assert [(b.id, t.loinc) for b, t in serum.tests] == [("alpha", "1111-1"), ("gamma", None)]
    assert [r.claim.id for r in serum.associations] == [
        "alpha-serum-up-kidney",
        "alpha-serum-up-myeloma",
        "alpha-serum-up-smoking",
        "gamma-serum-down-kidney",
        "gamma-serum-up-myeloma-prognosis",
        "gamma-serum-up-proteinuria",
    ]
    assert [r.claim.id for r in serum.patterns] == ["alpha-pattern-kidney"]
    assert [b.id for b in serum.biomarkers] == ["alpha", "gamma"]


def test_urine_and_csf_have_their_own_claims(kb: KnowledgeBase) -> None:
    views = build_specimen_views(kb)
    urine, csf = views["urine"], views["csf"]
    assert [r.claim.id for r in urine.ranges] == ["beta-range-urine"]
    assert [r.claim.id for r in urine.associations] == ["beta-urine-up-kidney"]
    assert [r.claim.id for r in urine.patterns] == ["alpha-pattern-kidney"]
    assert [r.claim.id for r in urine.mentions] == ["beta-mentions-myeloma"]
    assert [r.claim.id for r in csf.ranges] == ["gamma-range-csf"]
    assert [b.id for b in urine.biomarkers] == ["alpha", "beta"]


def _render(data_dir: Path) -> dict[str, str]:
    result = _check(data_dir)
    assert result.errors == []
    return {p.path: p.markdown for p in render_pages(result, SiteRenderer(TEMPLATES))}


def test_output_does_not_depend_on_the_order_of_the_vocabulary(tmp_path: Path) -> None:
    shuffled = tmp_path / "data"
    shutil.copytree(MANY, shuffled)
    for name, key in (("conditions.yaml", "conditions"), ("specimens.yaml", "specimens")):
        path = shuffled / name
        blocks = path.read_text(encoding="utf-8").split("\n  - ")
        reordered = [blocks[0].rstrip(), *reversed([b.rstrip() for b in blocks[1:]])]
        path.write_text("\n  - ".join(reordered) + "\n", encoding="utf-8")
        assert path.read_text(encoding="utf-8") != (MANY / name).read_text(encoding="utf-8")
        assert key in reordered[0]
    assert _render(shuffled) == _render(MANY)


def test_adding_a_biomarker_is_adding_one_file(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(MANY, data)
    before = _render(data)
    (data / "biomarkers" / "delta.yaml").write_text(
        (MANY / "biomarkers" / "beta.yaml")
        .read_text(encoding="utf-8")
        .replace("id: beta", "id: delta")
        .replace("name: Beta marker", "name: Delta factor")
        .replace("id: beta-", "id: delta-")
        .replace("]{beta-", "]{delta-"),
        encoding="utf-8",
    )
    after = _render(data)
    assert set(after) - set(before) == {"biomarkers/delta.md"}
    assert "delta-urine-up-kidney" in after["conditions/kidney-disease.md"]
    assert "delta-range-urine" in after["specimens/urine.md"]
    assert "Delta factor" in after["biomarkers/index.md"]


# --------------------------------------------------------------------------- built pages


def _generated_pages(site: Path) -> list[str]:
    return sorted(
        p.parent.relative_to(site).as_posix()
        for kind in ("biomarkers", "conditions", "specimens")
        for p in (site / kind).glob("*/index.html")
    )


def test_every_claim_on_every_browse_page_carries_a_resolving_footnote(many_site: Path) -> None:
    pages = [p for p in _generated_pages(many_site) if not p.startswith("biomarkers/")]
    assert len(pages) == 6 + 3  # every condition and specimen has a page
    checked = 0
    for page in pages:
        soup = _soup(many_site, page)
        for element in soup.select("[data-claim]"):
            refs = element.select("a.footnote-ref")
            assert refs, f"{page}: {element['data-claim']} has no footnote"
            for ref in refs:
                target = soup.find(id=ref["href"].lstrip("#"))
                assert target is not None, f"{page}: {ref['href']} does not resolve"
                assert target.get_text(strip=True), f"{page}: {ref['href']} is empty"
            checked += 1
    assert checked >= 20


def test_browse_rows_link_back_to_the_claim_anchor_on_the_article(many_site: Path) -> None:
    soup = _soup(many_site, "conditions/kidney-disease")
    rows = soup.select("tr[data-claim]")
    assert [r["data-claim"] for r in rows] == [
        "alpha-serum-up-kidney",
        "beta-urine-up-kidney",
        "gamma-serum-down-kidney",
        "alpha-pattern-kidney",
        "gamma-serum-up-proteinuria",  # under "In people with kidney disease", last
    ]
    for row in rows:
        claim_id = row["data-claim"]
        links = [a["href"] for a in row.select("a") if f"#claim-{claim_id}" in a["href"]]
        assert len(links) == 1, claim_id
        page, anchor = urldefrag(urljoin("conditions/kidney-disease/", links[0]))
        target = _soup(many_site, page.rstrip("/"))
        assert target.find(id=anchor) is not None, links[0]


def test_article_claims_link_to_their_condition_and_specimen_pages(many_site: Path) -> None:
    # Names link from the claim's own words (issue 11): a condition where the words name it, a
    # specimen where the words are its name; a range's specimen from its comparison's heading.
    soup = _soup(many_site, "biomarkers/alpha")
    claim = soup.select_one('[data-claim="alpha-serum-up-kidney"]')
    assert claim is not None
    links = [(a["href"], a.get_text()) for a in claim.select("a[href]")]
    assert ("../../conditions/kidney-disease/", "kidney disease") in links
    serum_range = soup.select_one('[data-claim="alpha-range-serum"]')
    assert serum_range is not None
    heading = serum_range.find_previous(["h2", "h3"])
    assert heading is not None
    assert "../../specimens/serum/" in [a["href"] for a in heading.select("a[href]")]


def _internal_links(site: Path, page: str) -> set[str]:
    soup = (
        _soup(site, page)
        if page
        else BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    )
    base = f"{page}/" if page else ""
    found = set()
    for anchor in soup.select("a[href]"):
        href = urldefrag(anchor["href"])[0]
        if href and "://" not in href and not href.startswith(("mailto:", "#")):
            found.add(urljoin(base, href).rstrip("/").removesuffix("index.html").rstrip("/"))
    return found


def test_every_generated_page_is_two_clicks_from_home(many_site: Path) -> None:
    depth = {"": 0}
    queue = deque([""])
    while queue:
        page = queue.popleft()
        if depth[page] == 2:
            continue
        for target in _internal_links(many_site, page):
            if target not in depth and (many_site / target / "index.html").is_file():
                depth[target] = depth[page] + 1
                queue.append(target)
    unreachable = [p for p in _generated_pages(many_site) if p not in depth]
    assert unreachable == []


def test_sidebar_lists_index_pages_not_leaf_pages(many_site: Path) -> None:
    soup = _soup(many_site, "conditions/kidney-disease")
    nav = soup.select_one("nav.md-nav--primary")
    assert nav is not None
    hrefs = {urljoin("conditions/kidney-disease/", a["href"]) for a in nav.select("a[href]")}
    leaves = {f"{p}/" for p in _generated_pages(many_site)}
    assert hrefs & leaves == set()
    assert "conditions/" in hrefs
    assert "specimens/" in hrefs


def test_conditions_index_is_grouped_by_kind_with_counts(many_site: Path) -> None:
    soup = _soup(many_site, "conditions")
    headings = [h.get_text(strip=True).rstrip("¶") for h in soup.select("article h2")]
    assert headings == ["Diseases (2)", "Findings (1)", "Exposures (1)", "Groups of conditions (2)"]
    # One table per kind, all with the same columns (issue 14: a consistent layout).
    tables = soup.select("article table")
    assert len(tables) == len(headings)
    columns = {tuple(th.get_text(strip=True) for th in t.select("thead th")) for t in tables}
    assert columns == {("Condition", "Category", "Also known as", "Claims")}
    rows = {
        tr.select("td")[0].get_text(strip=True): tr.select("td")[3].get_text(strip=True)
        for tr in soup.select("article table tbody tr")
    }
    assert rows["Kidney disease"] == "5"  # four associations and one pattern
    assert rows["Multiple myeloma"] == "3"


def test_search_finds_names_aliases_and_synonyms(many_site: Path) -> None:
    index = json.loads((many_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    pages: dict[str, str] = {}
    for doc in index["docs"]:
        page = doc["location"].split("#")[0]
        pages[page] = pages.get(page, "") + " " + doc["title"] + " " + doc["text"]
    assert "Kahler disease" in pages["conditions/multiple-myeloma/"]
    assert "Nephropathy" in pages["conditions/kidney-disease/"]
    assert "CSF" in pages["specimens/csf/"]
    assert "Alphaglobin" in pages["biomarkers/alpha/"]
    assert "Blood serum" in pages["specimens/serum/"]


def test_pages_are_found_by_their_names_and_synonyms_and_show_no_tags(many_site: Path) -> None:
    # The theme's search ranks a page's tags far above its text: a condition's tags are its own
    # names, so searching a synonym finds its page first (issue 14); no tag chips are shown.
    index = json.loads((many_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    tags = {doc["location"]: doc.get("tags") for doc in index["docs"] if "#" not in doc["location"]}
    assert tags["conditions/multiple-myeloma/"] == ["Multiple myeloma", "Myeloma", "Kahler disease"]
    assert tags["specimens/serum/"] == ["Serum", "Blood serum"]
    assert "Alphaglobin" in tags["biomarkers/alpha/"]
    assert not _soup(many_site, "conditions/kidney-disease").select(".md-tag")
    assert not (many_site / "tags").exists()
