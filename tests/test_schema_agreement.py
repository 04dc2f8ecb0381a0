"""The published JSON Schemas and `make check` accept exactly the same documents.

Editors see the schemas in VS Code (through each file's modeline); `make check` validates with
``schema_check``. Each fixture below is validated both ways: by plain ``jsonschema`` (Draft
2020-12, formats checked) on ``yaml.safe_load`` output, and by ``check_against_schema`` on our
loader's tree. The fixtures stay in the YAML subset where PyYAML's YAML 1.1 and our YAML 1.2
loader read the same values (quoted dates, no yes/no), which is checked too.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

import jsonschema
import pytest
import yaml

from biomarker_kb.load import SourceList, SourceMap, YamlFile, parse_yaml
from biomarker_kb.schema_check import check_against_schema
from tests.helpers import (
    CONDITIONS_YAML,
    PROJECT_ROOT,
    SPECIMENS_YAML,
    biomarker_yaml,
    statement_yaml,
)

if TYPE_CHECKING:
    from pathlib import Path

SCHEMA_DIR = PROJECT_ROOT / "biomarker_kb" / "schema"
SCHEMA_NAMES = ("biomarker", "conditions", "specimens")


def _schema(name: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(
        (SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8")
    )
    return schema


def _jsonschema_accepts(text: str, schema_name: str) -> bool:
    validator = jsonschema.Draft202012Validator(
        _schema(schema_name), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    return validator.is_valid(yaml.safe_load(text))


def _parsed(text: str) -> object:
    root, problems = parse_yaml(text, "fixture.yaml")
    assert problems == [], "a fixture must load cleanly; load problems are tested elsewhere"
    return root


def _check_accepts(text: str, schema_name: str) -> bool:
    return check_against_schema(YamlFile("fixture.yaml", _parsed(text)), schema_name) == []


def _plain(node: object) -> object:
    if isinstance(node, SourceMap):
        return {key: _plain(value) for key, value in node.items()}
    if isinstance(node, SourceList):
        return [_plain(item) for item in node]
    return node


# --------------------------------------------------------------------------- fixtures

PARAGRAPH_CLAIMS = """\
overview:
  - cite: [smith2020]
    sentences:
      - text: "[A fact]{s1}, and it is [up in kidney disease]{a1}."
        cite: [smith2020]
        claim_text: "Alpha is {words}."
        as_printed: "A fact, as printed."
        editor_note: Read as written.
        needs_primary_source: false
        claims:
          - id: s1
            type: statement
            topic: definition
            words: a fact
            claim_text: "{words}."
            editor_note: Read as written.
            conditions: [kidney-disease]
            specimens: [serum]
          - id: a1
            type: association
            condition: kidney-disease
            specimen: urine
            direction: increased
            role: prognosis
            population: malignancy
      - text: "[A pattern]{p1}."
        claims:
          - id: p1
            type: pattern
            condition: kidney-disease
            findings:
              - specimen: serum
                direction: increased
              - specimen: urine
                direction: decreased
            cite: [smith2020, post-a]
"""

LEVELS = """\
levels:
  - title: Increased in serum
    needs_primary_source: false
    claim_text: "Serum alpha is increased in {words}."
    specimen: serum
    direction: increased
    cite: [smith2020]
    items:
      - text: "[Kidney disease, especially [malignancy]{l2}]{l1}"
        cite: [smith2020]
        claim_text: "Alpha rises in {words}."
        as_printed: "Kidney disease especially malignancy"
        editor_note: Read as written.
        needs_primary_source: false
        claims:
          - id: l1
            condition: kidney-disease
            words: kidney disease
            claim_text: "Alpha is high in {words}."
            cite: [smith2020]
            editor_note: Read as written.
            specimen: serum
            direction: increased
            role: level
            population: malignancy
          - id: l2
            condition: malignancy
            needs_primary_source: false
"""

RANGES = """\
reference_ranges:
  paragraphs:
    - cite: [post-a]
      needs_primary_source: true
      sentences:
        - text: "[Ranges vary]{rp1}."
          claims:
            - id: rp1
              type: statement
              topic: clinical-use
  ranges:
    - id: r1
      cite: [smith2020]
      lab_test: Alpha, Serum
      specimen: serum
      specimen_as_printed: Serum
      population: Adults
      lower: {value: 0.6, inclusive: true}
      upper: {value: 2.4, inclusive: false}
      unit: mg/L
      unit_as_printed: mg/L
"""

TAKEAWAYS = """\
takeaways:
  - id: t1
    text: In short.
    summarises: [s1, a1]
"""

HEADER_EXTRAS = """\
abbreviation: ALP
aliases: [Alpha-1, Alpha one]
tags: [Biomarkers]
identifiers:
  uniprot: P61769
  ncbi_gene: "567"
  ensembl: ENSG00000166710
tests:
  - specimen: serum
    loinc: "1952-1"
    loinc_name: Alpha [Mass/volume] in Serum
"""

CONTESTED = """\
contested:
  - claims: [a1, l1]
    note: Both sources are kept.
"""

FULL = biomarker_yaml(
    body=HEADER_EXTRAS + PARAGRAPH_CLAIMS + LEVELS + RANGES + TAKEAWAYS + CONTESTED
)
MINIMAL = biomarker_yaml()


def _replace(text: str, old: str, new: str) -> str:
    assert old in text, f"fixture text {old!r} not found"
    return text.replace(old, new, 1)


def _drop_line(text: str, line: str) -> str:
    return _replace(text, line + "\n", "")


CASES = [
    # ---- valid
    pytest.param("biomarker", MINIMAL, None, id="valid-minimal-header"),
    pytest.param("biomarker", FULL, None, id="valid-every-construct"),
    pytest.param("biomarker", biomarker_yaml(body=statement_yaml()), None, id="valid-statement"),
    pytest.param(
        "biomarker",
        _replace(FULL, "      upper: {value: 2.4, inclusive: false}\n", ""),
        None,
        id="valid-range-with-lower-only",
    ),
    pytest.param(
        "biomarker",
        _replace(FULL, "      lower: {value: 0.6, inclusive: true}\n", ""),
        None,
        id="valid-range-with-upper-only",
    ),
    pytest.param(
        "biomarker",
        _replace(FULL, 'published: "2023-09-07"', 'published: "2024-02-29"'),
        None,
        id="valid-leap-day",
    ),
    pytest.param("conditions", CONDITIONS_YAML, None, id="valid-conditions"),
    pytest.param(
        "conditions",
        CONDITIONS_YAML
        + "  - id: myeloma\n    name: Myeloma\n    kind: disease\n    category: Cancer\n"
        "    synonyms: [Myeloma]\n    broader: [malignancy]\n    editor_note: Checked.\n"
        '    codes: {mondo: "MONDO:0009693", icd10: "C90.0", mesh: D009101, icd10cm: "C90.00",'
        ' snomed_ct: "109989006"}\n',
        None,
        id="valid-condition-every-field",
    ),
    pytest.param("specimens", SPECIMENS_YAML, None, id="valid-specimens"),
    pytest.param(
        "specimens", SPECIMENS_YAML + "    synonyms: [Urina]\n", None, id="valid-synonyms"
    ),
    # ---- unknown field (additionalProperties)
    pytest.param(
        "biomarker", MINIMAL + "nmae: Alpha\n", "additionalProperties", id="unknown-top-field"
    ),
    pytest.param(
        "biomarker",
        _replace(FULL, "            topic: definition\n", "            topik: definition\n"),
        "additionalProperties",
        id="unknown-claim-field",
    ),
    pytest.param(
        "biomarker",
        _replace(
            FULL,
            "            topic: definition\n",
            "            topic: definition\n            text: A.\n",
        ),
        "additionalProperties",
        id="claim-text-belongs-to-its-sentence",
    ),
    pytest.param(
        "biomarker",
        _replace(
            FULL, "          - id: l2\n", "          - id: l2\n            type: association\n"
        ),
        "additionalProperties",
        id="list-claim-with-a-type",
    ),
    pytest.param(
        "biomarker",
        _replace(FULL, '        as_printed: "A fact, as printed."', '        as_print: "A fact."'),
        "additionalProperties",
        id="unknown-sentence-field",
    ),
    pytest.param(
        "biomarker",
        _replace(FULL, "{value: 0.6, inclusive: true}", "{value: 0.6, inclusive: true, x: 1}"),
        "additionalProperties",
        id="unknown-bound-field",
    ),
    pytest.param(
        "biomarker",
        _replace(FULL, "  ensembl: ENSG00000166710", "  hgnc: HGNC:914"),
        "additionalProperties",
        id="unknown-identifier",
    ),
    pytest.param(
        "conditions",
        CONDITIONS_YAML + "    icd: C90\n",
        "additionalProperties",
        id="unknown-condition-field",
    ),
    pytest.param(
        "specimens", SPECIMENS_YAML + "extra: 1\n", "additionalProperties", id="unknown-root-field"
    ),
    # ---- missing required field
    pytest.param("biomarker", _drop_line(MINIMAL, "name: Alpha"), "required", id="missing-name"),
    pytest.param(
        "biomarker", _drop_line(MINIMAL, "  cite: post-a"), "required", id="missing-post-cite"
    ),
    pytest.param(
        "biomarker",
        _drop_line(FULL, "            topic: definition"),
        "required",
        id="missing-statement-topic",
    ),
    pytest.param(
        "biomarker",
        _drop_line(FULL, "            condition: kidney-disease\n            specimen: urine"),
        "required",
        id="missing-association-condition",
    ),
    pytest.param(
        "biomarker",
        _replace(FULL, '      - text: "[A pattern]{p1}."\n        claims:', "      - claims:"),
        "required",
        id="missing-sentence-text",
    ),
    pytest.param("biomarker", _drop_line(FULL, "      unit: mg/L"), "required", id="missing-unit"),
    pytest.param(
        "biomarker",
        _drop_line(FULL, "    summarises: [s1, a1]"),
        "required",
        id="missing-summarises",
    ),
    pytest.param(
        "biomarker",
        _replace(FULL, "{value: 0.6, inclusive: true}", "{value: 0.6}"),
        "required",
        id="missing-inclusive",
    ),
    pytest.param(
        "conditions", _drop_line(CONDITIONS_YAML, "    kind: group"), "required", id="missing-kind"
    ),
    pytest.param(
        "specimens", _drop_line(SPECIMENS_YAML, "    name: Urine"), "required", id="missing-name-sp"
    ),
    pytest.param("biomarker", "overview: []\n", "required", id="missing-everything"),
    # ---- wrong type
    pytest.param("biomarker", _replace(MINIMAL, "name: Alpha", "name: 3"), "type", id="int-text"),
    pytest.param(
        "biomarker", _replace(MINIMAL, "name: Alpha", "name: 3.10"), "type", id="float-text"
    ),
    pytest.param(
        "biomarker", _replace(MINIMAL, "name: Alpha", "name: true"), "type", id="bool-text"
    ),
    pytest.param(
        "biomarker", _replace(MINIMAL, "name: Alpha", "name: null"), "type", id="null-text"
    ),
    pytest.param(
        "biomarker",
        _replace(FULL, '  ncbi_gene: "567"', "  ncbi_gene: 567"),
        "type",
        id="number-where-text",
    ),
    pytest.param(
        "biomarker",
        _replace(FULL, "    cite: [smith2020]\n    items:", "    cite: smith2020\n    items:"),
        "type",
        id="text-where-list",
    ),
    pytest.param(
        "biomarker",
        _replace(FULL, "{value: 0.6, inclusive: true}", '{value: "0.6", inclusive: true}'),
        "type",
        id="text-where-number",
    ),
    pytest.param(
        "biomarker",
        _replace(FULL, "needs_primary_source: true", 'needs_primary_source: "true"'),
        "type",
        id="text-where-boolean",
    ),
    pytest.param(
        "biomarker",
        _replace(
            MINIMAL,
            'original_post:\n  cite: post-a\n  title: "Post A"\n  published: "2023-09-07"\n',
            "original_post: post-a\n",
        ),
        "type",
        id="text-where-mapping",
    ),
    pytest.param("biomarker", "- id: alpha\n", "type", id="list-at-top"),
    pytest.param("biomarker", "just some text\n", "type", id="text-at-top"),
    pytest.param("specimens", "specimens: serum\n", "type", id="text-where-list-of-specimens"),
    # ---- bad enum or const
    pytest.param(
        "biomarker",
        _replace(FULL, "direction: increased\n    cite", "direction: raised\n    cite"),
        "enum",
        id="enum-direction",
    ),
    pytest.param(
        "biomarker",
        _replace(FULL, "topic: definition", "topic: defintion"),
        "enum",
        id="enum-topic",
    ),
    pytest.param(
        "biomarker", _replace(FULL, "role: prognosis", "role: Prognosis"), "enum", id="enum-role"
    ),
    pytest.param(
        "biomarker",
        _replace(FULL, "type: statement", "type: fact"),
        "enum",
        id="enum-claim-type",
    ),
    pytest.param(
        "conditions",
        _replace(CONDITIONS_YAML, "kind: disease", "kind: illness"),
        "enum",
        id="enum-kind",
    ),
    # ---- bad patterns
    pytest.param(
        "biomarker", _replace(FULL, "- id: s1", "- id: S1_x"), "pattern", id="slug-claim-id"
    ),
    pytest.param(
        "biomarker",
        _replace(
            FULL,
            "            condition: kidney-disease\n            specimen: urine",
            "            condition: Kidney disease\n            specimen: urine",
        ),
        "pattern",
        id="slug-condition",
    ),
    pytest.param(
        "biomarker", _replace(MINIMAL, "id: alpha", "id: ../etc"), "pattern", id="slug-dots"
    ),
    pytest.param(
        "biomarker", _replace(MINIMAL, "id: alpha", "id: a--b"), "pattern", id="slug-hyphens"
    ),
    pytest.param(
        "specimens", _replace(SPECIMENS_YAML, "id: serum", "id: Serum"), "pattern", id="slug-case"
    ),
    pytest.param(
        "biomarker",
        _replace(FULL, "cite: [smith2020, post-a]", 'cite: ["smith 2020"]'),
        "pattern",
        id="citation-key-pattern",
    ),
    pytest.param("biomarker", _replace(FULL, '"1952-1"', '"1952"'), "pattern", id="loinc-pattern"),
    pytest.param(
        "biomarker",
        _replace(FULL, 'claim_text: "Alpha is {words}."', 'claim_text: "Alpha is high."'),
        "pattern",
        id="frame-without-words",
    ),
    pytest.param(
        "biomarker",
        _replace(FULL, "increased in {words}.", "increased."),
        "pattern",
        id="list-frame-without-words",
    ),
    # ---- dates: pattern and format
    pytest.param(
        "biomarker",
        _replace(MINIMAL, '"2023-09-07"', '"2023-02-30"'),
        "format",
        id="impossible-date",
    ),
    pytest.param(
        "biomarker",
        _replace(MINIMAL, '"2026-11-25"', '"2023-13-01"'),
        "format",
        id="impossible-month",
    ),
    pytest.param(
        "biomarker",
        _replace(MINIMAL, '"2023-09-07"', '"2023-9-7"'),
        "pattern",
        id="date-not-zero-padded",
    ),
    pytest.param(
        "biomarker",
        _replace(MINIMAL, '"2023-09-07"', '"September 7, 2023"'),
        "pattern",
        id="date-in-words",
    ),
    # ---- minItems and minLength
    pytest.param(
        "biomarker",
        _replace(FULL, "cite: [smith2020, post-a]", "cite: []"),
        "minItems",
        id="min-items-cite",
    ),
    pytest.param(
        "biomarker",
        MINIMAL + "overview:\n  - sentences: []\n",
        "minItems",
        id="min-items-sentences",
    ),
    pytest.param(
        "biomarker",
        MINIMAL + 'overview:\n  - sentences:\n      - text: "T"\n        claims: []\n',
        "minItems",
        id="min-items-claims",
    ),
    pytest.param(
        "biomarker",
        _replace(FULL, "summarises: [s1, a1]", "summarises: []"),
        "minItems",
        id="min-items-summarises",
    ),
    pytest.param(
        "biomarker",
        MINIMAL + "levels:\n  - title: T\n    specimen: serum\n    direction: increased\n"
        "    items: []\n",
        "minItems",
        id="min-items-list-items",
    ),
    pytest.param(
        "biomarker",
        MINIMAL + 'overview:\n  - sentences:\n      - text: "[T]{p}"\n        claims:\n'
        "          - id: p\n            type: pattern\n            condition: c\n"
        "            findings: []\n            cite: [x]\n",
        "minItems",
        id="min-items-findings",
    ),
    pytest.param(
        "biomarker", _replace(MINIMAL, "name: Alpha", 'name: ""'), "minLength", id="min-length"
    ),
    pytest.param(
        "biomarker",
        _replace(FULL, "claims: [a1, l1]", "claims: [a1]"),
        "minItems",
        id="min-items-contested-pair",
    ),
    pytest.param(
        "biomarker",
        _replace(FULL, "claims: [a1, l1]", "claims: [a1, l1, l2]"),
        "maxItems",
        id="max-items-contested-pair",
    ),
    # ---- anyOf: a range needs a lower or an upper bound
    pytest.param(
        "biomarker",
        _replace(
            FULL,
            "      lower: {value: 0.6, inclusive: true}\n"
            "      upper: {value: 2.4, inclusive: false}\n",
            "",
        ),
        "anyOf",
        id="any-of-no-bound",
    ),
    # ---- empty documents
    pytest.param("biomarker", "", "type", id="empty-file"),
    pytest.param("conditions", "# only a comment\n", "type", id="comment-only-file"),
]


@pytest.mark.parametrize(("schema_name", "text", "rule"), CASES)
def test_schema_and_checker_agree(schema_name: str, text: str, rule: str | None) -> None:
    assert _plain(_parsed(text)) == yaml.safe_load(text), "fixture outside the shared subset"
    valid = rule is None
    assert _jsonschema_accepts(text, schema_name) is valid, "jsonschema"
    assert _check_accepts(text, schema_name) is valid, "make check"
    if rule is not None:  # the fixture breaks the rule it is named after, not another one
        assert rule in _broken_rules(text, schema_name)


def _broken_rules(text: str, schema_name: str) -> set[str]:
    validator = jsonschema.Draft202012Validator(
        _schema(schema_name), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    return {str(error.validator) for error in validator.iter_errors(yaml.safe_load(text))}


SCHEMA_RULES = {
    "maxItems",
    "additionalProperties",
    "required",
    "type",
    "enum",
    "pattern",
    "format",
    "minItems",
    "minLength",
    "anyOf",
}


def _keywords(schema: object) -> set[str]:
    """Return the JSON Schema keywords used anywhere in ``schema`` (not property names)."""
    if isinstance(schema, list):
        return {word for item in schema for word in _keywords(item)}
    if not isinstance(schema, dict):
        return set()
    found = set(schema)
    for key, value in schema.items():
        if key in {"properties", "$defs"}:  # their keys are names, their values schemas
            found |= {word for sub in value.values() for word in _keywords(sub)}
        elif key not in {"enum", "const", "required"}:
            found |= _keywords(value)
    return found


ASSERTIONS = {
    *SCHEMA_RULES,
    *("const", "maxLength", "minimum", "maximum", "exclusiveMinimum"),
    *("exclusiveMaximum", "multipleOf", "uniqueItems", "oneOf", "not", "dependentRequired"),
}
"""Keywords that can reject a document (the rest only structure or describe the schema)."""


def test_the_table_breaks_every_rule_the_schemas_use() -> None:
    used = {str(case.values[2]) for case in CASES if case.values[2] is not None}
    assert used == SCHEMA_RULES
    in_schemas = {word for name in SCHEMA_NAMES for word in _keywords(_schema(name))}
    # const appears only in if-conditions and where enum already rejects a wrong claim type.
    assert in_schemas & ASSERTIONS == SCHEMA_RULES | {"const"}


def test_an_empty_value_is_refused_both_ways() -> None:
    # Outside the shared subset: YAML reads `name:` as null, our loader as "" (then minLength).
    text = _replace(MINIMAL, "name: Alpha", "name:")
    assert not _jsonschema_accepts(text, "biomarker")
    assert not _check_accepts(text, "biomarker")


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_each_schema_is_a_valid_draft_2020_12_schema(name: str) -> None:
    schema = _schema(name)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # A block scalar (|) keeps its final line break; the loader refuses a \\n escape.
        pytest.param("- id: s1", "- id: |\n              s1", id="slug"),
        pytest.param(
            "cite: [smith2020, post-a]",
            "cite:\n              - |\n                smith2020",
            id="citation-key",
        ),
        pytest.param('loinc: "1952-1"', "loinc: |\n      1952-1", id="loinc"),
        pytest.param('published: "2023-09-07"', "published: |\n    2023-09-07", id="date"),
    ],
)
def test_a_value_ending_in_a_newline_is_refused_as_vs_code_refuses_it(old: str, new: str) -> None:
    # In Python, `$` also matches before a final newline; ECMA-262 (VS Code) does not.
    text = _replace(FULL, old, new)
    assert not _jsonschema_accepts(text, "biomarker")
    assert not _check_accepts(text, "biomarker")


# --------------------------------------------------------------------------- modelines

MODELINE = re.compile(r"^# yaml-language-server: \$schema=(?P<path>\S+)$")
DATA_DIR = PROJECT_ROOT / "data"
DATA_FILES = sorted(
    [*DATA_DIR.glob("*.yaml"), *DATA_DIR.glob("biomarkers/*.yaml")], key=lambda p: p.as_posix()
)


def _expected_schema(path: Path) -> str:
    return "biomarker" if path.parent.name == "biomarkers" else path.stem


def test_the_data_folder_has_yaml_files() -> None:
    names = {p.relative_to(DATA_DIR).as_posix() for p in DATA_FILES}
    assert {"conditions.yaml", "specimens.yaml"} <= names
    assert any(name.startswith("biomarkers/") for name in names)


@pytest.mark.parametrize(
    "path", DATA_FILES, ids=[p.relative_to(DATA_DIR).as_posix() for p in DATA_FILES]
)
def test_each_data_file_starts_with_its_schema_modeline(path: Path) -> None:
    first_line = path.read_text(encoding="utf-8").split("\n", 1)[0]
    match = MODELINE.match(first_line)
    assert match, f"{path.name} must start with '# yaml-language-server: $schema=...'"
    target = (path.parent / match["path"]).resolve()
    assert target.is_file(), f"the modeline of {path.name} points to a missing file"
    assert target == (SCHEMA_DIR / f"{_expected_schema(path)}.schema.json").resolve()
