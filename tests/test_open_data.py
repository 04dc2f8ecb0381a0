"""The open-data export: the knowledge base as JSON (valid against its schema) and CSV tables."""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING

import bibtexparser
import jsonschema
import pytest

from biomarker_kb.csl_json import csl_items, csl_name
from biomarker_kb.downloads import DownloadMemo, download_files
from biomarker_kb.model import Range
from biomarker_kb.open_data import (
    CLAIM_COLUMNS,
    RANGE_COLUMNS,
    claims_csv,
    knowledge_base,
    ranges_csv,
)
from biomarker_kb.pipeline import ProjectPaths, check
from tests.helpers import PROJECT_ROOT
from tools.synthetic import write_knowledge_base

if TYPE_CHECKING:
    from pathlib import Path

    from biomarker_kb.pipeline import CheckResult

SCHEMA = json.loads(
    (PROJECT_ROOT / "biomarker_kb" / "schema" / "knowledge-base.schema.json").read_text()
)


@pytest.fixture(scope="module")
def real() -> CheckResult:
    result = check(ProjectPaths.at(PROJECT_ROOT))
    assert result.kb is not None
    return result


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_the_export_is_valid_against_its_schema_and_json_round_trips(real: CheckResult) -> None:
    assert real.kb is not None
    exported = knowledge_base(real.kb, real.sources)
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.validate(json.loads(json.dumps(exported)), SCHEMA)
    claims = [c for b in exported["biomarkers"] for c in b["claims"]]
    assert len(claims) == len(real.kb.claims)


def test_every_exported_claim_cites_exported_references(real: CheckResult) -> None:
    assert real.kb is not None
    exported = knowledge_base(real.kb, real.sources)
    keys = {r["id"] for r in exported["references"]}
    for biomarker in exported["biomarkers"]:
        assert biomarker["original_post"]["source"] in keys
        for claim in biomarker["claims"]:
            assert set(claim["sources"]) <= keys, claim["id"]
            assert claim["url"] == f"biomarkers/{biomarker['id']}/#claim-{claim['id']}"


def test_the_claims_table_has_one_row_per_claim(real: CheckResult) -> None:
    assert real.kb is not None
    rows = _rows(claims_csv(real.kb))
    assert tuple(rows[0]) == CLAIM_COLUMNS
    assert [row["id"] for row in rows] == [c.id for b in real.kb.biomarkers for c in b.claims]
    by_id = {row["id"]: row for row in rows}
    claim = real.kb.claims["serum-up-multiple-myeloma"]
    assert by_id[claim.id]["text"] == claim.text
    assert by_id[claim.id]["condition"] == "multiple-myeloma"
    assert by_id[claim.id]["direction"] == "increased"


def test_the_ranges_table_has_one_row_per_range_with_canonical_values(real: CheckResult) -> None:
    assert real.kb is not None
    ranges = [c for c in real.kb.claims.values() if isinstance(c, Range)]
    rows = _rows(ranges_csv(real.kb))
    assert tuple(rows[0]) == RANGE_COLUMNS
    assert sorted(row["id"] for row in rows) == sorted(r.id for r in ranges)
    for row in rows:
        assert row["unit_ucum"]
        assert row["canonical_unit_ucum"]
        if row["upper"]:
            assert row["upper_inclusive"] in {"true", "false"}
            assert float(row["canonical_upper"]) > 0


def test_text_with_commas_quotes_and_newlines_survives_the_csv(tmp_path: Path) -> None:
    write_knowledge_base(3, tmp_path)
    result = check(ProjectPaths(tmp_path, tmp_path / "data", PROJECT_ROOT / "templates"))
    assert result.kb is not None
    rows = _rows(claims_csv(result.kb))
    assert len(rows) == sum(len(b.claims) for b in result.kb.biomarkers)
    assert {row["text"] for row in rows} == {c.text for b in result.kb.biomarkers for c in b.claims}
    assert any("," in row["text"] for row in rows)  # synthetic lists: "a, b, and c"


def test_the_schema_rejects_a_claim_without_sources(real: CheckResult) -> None:
    assert real.kb is not None
    exported = json.loads(json.dumps(knowledge_base(real.kb, real.sources)))
    exported["biomarkers"][0]["claims"][0]["sources"] = []
    with pytest.raises(jsonschema.ValidationError, match="should be non-empty|too short"):
        jsonschema.validate(exported, SCHEMA)


def test_the_csl_json_has_one_item_per_reference_with_the_bib_fields(real: CheckResult) -> None:
    assert real.kb is not None
    items = csl_items(real.kb.references.values())
    assert [item["id"] for item in items] == sorted(real.kb.references)
    by_id = {item["id"]: item for item in items}
    article = by_id["argyropoulos2017"]
    reference = real.kb.references["argyropoulos2017"]
    assert article["type"] == "article-journal"
    assert article["DOI"] == reference.doi
    assert article["issued"] == {"date-parts": [[int(reference.year or 0)]]}
    assert article["author"][0] == {"family": "Argyropoulos", "given": "Christos P."}
    assert by_id["pagana2022"]["type"] == "book"
    for item in items:  # nothing the .bib does not give: no URL where it has none
        assert ("URL" in item) == (real.kb.references[item["id"]].url is not None)


def test_csl_names_keep_particles_suffixes_and_organizations() -> None:
    assert csl_name("van der Berg, Jan") == {
        "family": "Berg",
        "given": "Jan",
        "non-dropping-particle": "van der",
    }
    assert csl_name("King, Jr., Martin Luther") == {
        "family": "King",
        "given": "Martin Luther",
        "suffix": "Jr.",
    }
    assert csl_name("{World Health Organization}") == {"literal": "World Health Organization"}


def test_the_download_files_equal_a_fresh_export_after_edits(tmp_path: Path) -> None:
    write_knowledge_base(4, tmp_path)
    paths = ProjectPaths(tmp_path, tmp_path / "data", PROJECT_ROOT / "templates")
    bibtex = (tmp_path / "data" / "references.bib").read_text(encoding="utf-8")
    memo = DownloadMemo()
    first = check(paths)
    assert first.kb is not None
    download_files(first.kb, bibtex, memo)
    data_file = tmp_path / "data" / "biomarkers" / "marker-00001.yaml"
    data_file.write_text(data_file.read_text().replace("summary: A", "summary: An edited"))
    second = check(paths)
    assert second.kb is not None
    kept = {f.path: f.utf8 for f in download_files(second.kb, bibtex, memo)}
    fresh = {f.path: f.utf8 for f in download_files(second.kb, bibtex)}
    assert kept == fresh
    assert b"An edited" in kept["downloads/knowledge-base.json"]
    document = json.loads(kept["downloads/knowledge-base.json"])
    assert document == json.loads(json.dumps(knowledge_base(second.kb, second.sources)))
    jsonschema.validate(document, json.loads(kept["downloads/knowledge-base.schema.json"]))


def test_the_bibtex_and_csl_downloads_hold_every_reference(real: CheckResult) -> None:
    assert real.kb is not None
    bibtex = (PROJECT_ROOT / "data" / "references.bib").read_text(encoding="utf-8")
    files = {f.path: f.utf8 for f in download_files(real.kb, bibtex)}
    library = bibtexparser.parse_string(files["downloads/references.bib"].decode("utf-8"))
    assert sorted(entry.key for entry in library.entries) == sorted(real.kb.references)
    items = json.loads(files["downloads/references.json"])
    assert sorted(item["id"] for item in items) == sorted(real.kb.references)
    rows = _rows(files["downloads/claims.csv"].decode("utf-8"))
    assert len(rows) == len(real.kb.claims)
