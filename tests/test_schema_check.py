"""Validate stage, part 1: each YAML file against its JSON Schema, with located messages."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

import pytest

from biomarker_kb.load import YamlFile, parse_document, parse_yaml
from biomarker_kb.problems import did_you_mean
from biomarker_kb.schema_check import check_against_schema, load_schema
from tests.helpers import PROJECT_ROOT, biomarker_yaml

PATH = "data/biomarkers/alpha.yaml"
HEADER = biomarker_yaml()
"""A valid biomarker file of 8 lines; the cases below replace or append lines."""

CLAIM = (
    "overview:\n"  # line 9
    "  - sentences:\n"  # line 10
    '      - text: "[A fact]{x}."\n'  # line 11
    "        claims:\n"  # line 12
    "          - id: x\n"  # line 13
    "            type: statement\n"  # line 14
    "            topic: physiology\n"  # line 15
    "            cite: [smith2020]\n"  # line 16
)


def _problems(text: str, schema: str = "biomarker", path: str = PATH) -> list[str]:
    document, load_problems = parse_document(text, path)
    assert load_problems == []
    found = check_against_schema(document, schema)
    return sorted(dict.fromkeys(str(p) for p in found))


def test_valid_header_has_no_problem() -> None:
    assert _problems(HEADER) == []
    assert _problems(HEADER + CLAIM) == []


QUOTE_HINT = "YAML read it as a number or true/false: put the value in quotes"
SLUG_HINT = "use lowercase letters, digits and single hyphens, e.g. 'multiple-myeloma'"
DATE_HINT = 'write it like "2023-09-07" with quotes'

BIOMARKER_CASES = [
    pytest.param(
        HEADER + "sumary: Typo.\n",
        [f"{PATH}:9:1: unknown field 'sumary'; did you mean 'summary'?"],
        id="unknown-field-did-you-mean",
    ),
    pytest.param(
        HEADER + "colour: red\n",
        [
            f"{PATH}:9:1: unknown field 'colour'; allowed fields are abbreviation, aliases,"
            " contested, id, identifiers, last_reviewed, levels, name, original_post, overview,"
            " reference_ranges, summary, tags, takeaways, tests"
        ],
        id="unknown-field-lists-allowed",
    ),
    pytest.param(
        HEADER + CLAIM.replace("            cite:", "            cites:"),
        [f"{PATH}:16:13: unknown field 'cites'; did you mean 'cite'?"],
        id="unknown-claim-field",
    ),
    pytest.param(
        HEADER + CLAIM + "            text: A fact.\n",
        [
            f"{PATH}:17:13: unknown field 'text'; allowed fields are acknowledged, cite,"
            " claim_text, conditions, editor_note, id, needs_primary_source, review, specimens,"
            " topic, type, words"
        ],
        id="claim-text-is-in-its-sentence",
    ),
    pytest.param(
        HEADER + CLAIM.replace("            type: statement", "            tpe: statement"),
        [
            f"{PATH}:13:13: missing required field 'type'; add a line 'type: ...', or correct"
            " 'tpe' to 'type'"
        ],
        id="misspelt-claim-type",  # the kind of claim is unknown: no unknown-field message
    ),
    pytest.param(
        HEADER
        + CLAIM.replace("        claims:", '        claim_text: "Alpha is high."\n        claims:'),
        [
            f"{PATH}:12:21: 'claim_text' has no {{words}} (got 'Alpha is high.'); write the"
            " stand-alone sentence with {words} where the claim's words go, e.g. 'Serum B2M is"
            " increased in {words}.'"
        ],
        id="claim-text-without-words",
    ),
    pytest.param(
        HEADER.replace("name: Alpha\n", ""),
        [f"{PATH}:1:1: missing required field 'name'; add a line 'name: ...'"],
        id="missing-required-field",
    ),
    pytest.param(
        HEADER + CLAIM.replace("            topic: physiology\n", ""),
        [f"{PATH}:13:13: missing required field 'topic'; add a line 'topic: ...'"],
        id="missing-claim-field",
    ),
    pytest.param(
        HEADER + CLAIM.replace("topic: physiology", "topic: physiolgy"),
        [
            f"{PATH}:15:20: 'topic' must be one of: definition, physiology, clinical-use,"
            " history (got 'physiolgy'); did you mean 'physiology'?"
        ],
        id="wrong-enum-did-you-mean",
    ),
    pytest.param(
        HEADER + CLAIM.replace("type: statement", "type: statment"),
        [
            f"{PATH}:14:19: 'type' must be one of: statement, association, pattern"
            " (got 'statment'); did you mean 'statement'?"
        ],
        id="wrong-claim-type",
    ),
    pytest.param(
        HEADER.replace("name: Alpha", "name: 3.10"),
        [f"{PATH}:2:7: 'name' should be text, got '3.10'; {QUOTE_HINT}"],
        id="number-for-text",
    ),
    pytest.param(
        HEADER.replace("name: Alpha", "name: true"),
        [f"{PATH}:2:7: 'name' should be text, got 'true'; {QUOTE_HINT}"],
        id="boolean-for-text",
    ),
    pytest.param(
        HEADER.replace("name: Alpha", "name:"),
        [f"{PATH}:2:6: 'name' must not be empty; write the text or remove the line"],
        id="empty-text",
    ),
    pytest.param(
        HEADER + CLAIM + "            needs_primary_source: yes\n",
        [
            f"{PATH}:17:35: 'needs_primary_source' should be true or false, got 'yes'; write true"
            " or false (yes, no, on and off are not used)"
        ],
        id="yes-for-boolean",
    ),
    pytest.param(
        HEADER + "tags: Biomarkers\n",
        [
            f"{PATH}:9:7: 'tags' should be a list, got 'Biomarkers'; write it as a list, e.g."
            " [a, b] or lines starting with '- '"
        ],
        id="text-for-list",
    ),
    pytest.param(
        HEADER.replace("id: alpha", "id: Alpha"),
        [f"{PATH}:1:5: 'id' is not a valid id (got 'Alpha'); {SLUG_HINT}"],
        id="uppercase-slug",
    ),
    pytest.param(
        HEADER.replace("id: alpha", "id: alpha--beta"),
        [f"{PATH}:1:5: 'id' is not a valid id (got 'alpha--beta'); {SLUG_HINT}"],
        id="double-hyphen-slug",
    ),
    pytest.param(
        HEADER + CLAIM.replace("id: x", "id: my_claim"),
        [f"{PATH}:13:17: 'id' is not a valid id (got 'my_claim'); {SLUG_HINT}"],
        id="underscore-claim-slug",
    ),
    pytest.param(
        HEADER.replace('published: "2023-09-07"', 'published: "2023-02-30"'),
        [
            f"{PATH}:7:14: 'published' is not a real date in YYYY-MM-DD form"
            f" (got '2023-02-30'); {DATE_HINT}"
        ],
        id="impossible-date",
    ),
    pytest.param(
        HEADER.replace('last_reviewed: "2026-11-25"', 'last_reviewed: "2026-1-5"'),
        [
            f"{PATH}:8:16: 'last_reviewed' is not a real date in YYYY-MM-DD form"
            f" (got '2026-1-5'); {DATE_HINT}"
        ],
        id="unpadded-date",
    ),
    pytest.param(
        HEADER + CLAIM.replace("cite: [smith2020]", "cite: []"),
        [f"{PATH}:16:19: 'cite' needs at least one citation key, e.g. cite: [pagana2022]"],
        id="empty-cite",
    ),
    pytest.param(
        HEADER + CLAIM.replace("cite: [smith2020]", "cite: [smith 2020]"),
        [
            f"{PATH}:16:20: this item is not a valid citation key (got 'smith 2020'); use the key"
            " exactly as in data/references.bib"
        ],
        id="bad-citation-key",
    ),
    pytest.param(
        HEADER + "tests:\n  - specimen: serum\n    loinc: 1952\n",
        [f"{PATH}:11:12: 'loinc' should be text, got '1952'; {QUOTE_HINT}"],
        id="unquoted-loinc-number",
    ),
    pytest.param(
        HEADER + "reference_ranges:\n"
        "  ranges:\n"
        "    - id: r\n"
        "      cite: [smith2020]\n"
        "      lab_test: Alpha\n"
        "      specimen: serum\n"
        "      unit: mg/L\n"
        "      unit_as_printed: mg/L\n",
        [
            f"{PATH}:11:7: this entry needs a lower or an upper bound, e.g. upper:"
            " {value: 2.4, inclusive: true}"
        ],
        id="range-without-bounds",
    ),
    pytest.param(
        HEADER + "overview:\n"
        "  - sentences:\n"
        '      - text: "[A fact]{x}."\n'
        "        claims:\n"
        "          - id: x\n"
        "            type: association\n"
        "            condition: malignancy\n"
        "            direction: increase\n",  # line 16
        [
            f"{PATH}:16:24: 'direction' must be one of: increased, decreased (got 'increase');"
            " did you mean 'increased'?"
        ],
        id="direction-did-you-mean",
    ),
    pytest.param(
        HEADER + "overview:\n"
        "  - sentences:\n"
        '      - text: "[A fact]{x}."\n'
        "        claims:\n"
        "          - id: x\n"
        "            type: association\n"
        "            condition: malignancy\n"
        "            direction: raised\n",  # line 16
        [f"{PATH}:16:24: 'direction' must be one of: increased, decreased (got 'raised')"],
        id="direction-no-misleading-hint",
    ),
    pytest.param(
        "",
        [f"{PATH}:1: the file is empty or could not be read; it should start with 'id: ...'"],
        id="empty-file",
    ),
    pytest.param(
        "- id: alpha\n",
        [
            f"{PATH}:1:1: the file should be a set of fields (key: value lines), got a list; the"
            " file should start with 'id: ...'"
        ],
        id="list-instead-of-mapping",
    ),
]


@pytest.mark.parametrize(("text", "expected"), BIOMARKER_CASES)
def test_biomarker_schema_message(text: str, expected: list[str]) -> None:
    assert _problems(text) == expected


VOCABULARY_CASES = [
    pytest.param(
        "conditions",
        "conditions:\n  - id: lymphoma\n    name: Lymphoma\n    kind: diseas\n",
        [
            "data/conditions.yaml:4:11: 'kind' must be one of: disease, finding, exposure, group"
            " (got 'diseas'); did you mean 'disease'?"
        ],
        id="condition-kind",
    ),
    pytest.param(
        "conditions",
        "conditions:\n  - id: lymphoma\n    name: Lymphoma\n    kind: disease\n"
        "    codes:\n      icd11: '2A80'\n",
        [
            "data/conditions.yaml:6:7: unknown field 'icd11'; did you mean 'icd10'?",
        ],
        id="condition-code-system",
    ),
    pytest.param(
        "conditions",
        "",
        [
            "data/conditions.yaml:1: the file is empty or could not be read; it should start with"
            " 'conditions:'"
        ],
        id="conditions-empty",
    ),
    pytest.param(
        "specimens",
        "specimens:\n  - id: serum\n    nmae: Serum\n",
        ["data/specimens.yaml:3:5: unknown field 'nmae'; did you mean 'name'?"],
        id="specimen-typo",
    ),
]


@pytest.mark.parametrize(("schema", "text", "expected"), VOCABULARY_CASES)
def test_vocabulary_schema_message(schema: str, text: str, expected: list[str]) -> None:
    assert _problems(text, schema, f"data/{schema}.yaml") == expected


@pytest.mark.parametrize(
    ("text", "got"),
    [
        pytest.param("hello\n", "'hello'", id="word"),
        pytest.param("42\n", "42", id="number"),
        pytest.param("'quoted'\n", "'quoted'", id="quoted"),
    ],
)
def test_scalar_document_is_a_problem_not_a_crash(text: str, got: str) -> None:
    assert _problems(text, "specimens", "data/specimens.yaml") == [
        "data/specimens.yaml:1:1: the file should be a set of fields (key: value lines),"
        f" got {got}; the file should start with 'specimens:'"
    ]


def test_scalar_document_after_a_comment_is_reported_at_its_line() -> None:
    text = "# yaml-language-server: $schema=../biomarker_kb/schema/specimens.schema.json\nhello\n"
    assert _problems(text, "specimens", "data/specimens.yaml") == [
        "data/specimens.yaml:2:1: the file should be a set of fields (key: value lines), got"
        " 'hello'; the file should start with 'specimens:'"
    ]


def test_list_document_after_a_comment_is_reported_at_its_line() -> None:
    assert _problems("# comment\n\n- id: serum\n", "specimens", "data/specimens.yaml") == [
        "data/specimens.yaml:3:1: the file should be a set of fields (key: value lines), got a"
        " list; the file should start with 'specimens:'"
    ]


# --------------------------------------------------------------------------- the schema files


def _custom_messages(node: object) -> list[str]:
    if isinstance(node, dict):
        own = [node["x-message"]] if "x-message" in node else []
        return own + [m for value in node.values() for m in _custom_messages(value)]
    if isinstance(node, list):
        return [m for value in node for m in _custom_messages(value)]
    return []


@pytest.mark.parametrize("name", ["biomarker", "conditions", "specimens"])
def test_every_custom_message_formats(name: str) -> None:
    """An x-message with a typo'd placeholder would crash only when an editor makes that error."""
    messages = _custom_messages(load_schema(name))
    assert messages
    for message in messages:
        formatted = message.format(value="example")
        assert ("{value!r}" in message) == ("'example'" in formatted)


DATA_FILES = sorted(
    p.relative_to(PROJECT_ROOT).as_posix() for p in (PROJECT_ROOT / "data").rglob("*.yaml")
)


@pytest.mark.parametrize("relative", DATA_FILES)
def test_schema_modeline_points_at_the_package_schema(relative: str) -> None:
    path = PROJECT_ROOT / relative
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
    assert match
    target = (path.parent / match[1]).resolve()
    name = target.name.removesuffix(".schema.json")
    assert target.is_file()
    # The very file the checker loads (load_schema's cached copy is compared in the next test).
    assert target.samefile(PACKAGE_SCHEMAS / f"{name}.schema.json")
    assert json.loads(target.read_text(encoding="utf-8")) == _shipped_schema(name)


PACKAGE_SCHEMAS = Path(str(resources.files("biomarker_kb").joinpath("schema")))


def _shipped_schema(name: str) -> dict[str, object]:
    text = (PACKAGE_SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8")
    schema: dict[str, object] = json.loads(text)
    return schema


# fastjsonschema rewrites the '$ref's of the schema it compiles, in place: the cached schema
# must not be the one it is given.
@pytest.mark.parametrize("name", ["biomarker", "conditions", "specimens"])
def test_load_schema_stays_the_shipped_schema_after_validation(name: str) -> None:
    document = YamlFile(f"data/{name}.yaml", parse_yaml("{}\n", "x.yaml")[0])
    check_against_schema(document, name)
    assert load_schema(name) == _shipped_schema(name)


# --------------------------------------------------------------------------- suggestions


@pytest.mark.parametrize(
    ("word", "candidates", "hint"),
    [
        pytest.param("pagana2021", ["pagana2022", "smith2020"], "; did you mean 'pagana2022'?"),
        pytest.param("physiolgy", ["definition", "physiology"], "; did you mean 'physiology'?"),
        pytest.param("raised", ["increased", "decreased"], "", id="other-word"),
        pytest.param("kidney-failure", ["kidney-disease"], "", id="other-condition"),
    ],
)
def test_did_you_mean_suggests_typos_not_other_words(
    word: str, candidates: list[str], hint: str
) -> None:
    assert did_you_mean(word, candidates) == hint
