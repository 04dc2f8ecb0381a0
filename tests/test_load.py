"""Load stage: YAML text → located raw trees; only syntax-level problems are reported here."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from biomarker_kb.load import (
    SourceList,
    SourceMap,
    load_data,
    load_yaml_file,
    parse_document,
    parse_yaml,
)
from biomarker_kb.problems import Location
from tests.helpers import minimal_files, write_files

if TYPE_CHECKING:
    from pathlib import Path

SYNTAX_HINT = "check the indentation, and put quotes around text containing ': ' or ' #'"


def _parse(text: str) -> tuple[object, list[str]]:
    root, problems = parse_yaml(text, "f.yaml")
    return root, [str(p) for p in problems]


# ----------------------------------------------------------------------- duplicate keys, aliases


def test_duplicate_key_is_reported_at_the_second_occurrence() -> None:
    root, problems = _parse("name: A\nid: a\nname: B\n")
    assert problems == [
        "f.yaml:3:1: duplicate key 'name' (first at line 1); YAML would silently keep only"
        " the last one, remove one of them"
    ]
    assert root == {"name": "A", "id": "a"}


def test_duplicate_key_in_a_nested_mapping() -> None:
    _, problems = _parse("outer:\n  a: 1\n  b: 2\n  a: 3\n")
    assert problems == [
        "f.yaml:4:3: duplicate key 'a' (first at line 2); YAML would silently keep only"
        " the last one, remove one of them"
    ]


ALIAS_MESSAGE = "anchors and aliases (&name, *name) are not allowed; write the value out"


def test_alias_as_a_mapping_value_is_reported_at_the_alias() -> None:
    root, problems = _parse("a: &x text\nb: *x\n")
    assert problems == [f"f.yaml:2:4: {ALIAS_MESSAGE}"]
    assert root == {"a": "text"}


def test_anchor_without_alias_is_refused_too() -> None:
    root, problems = _parse("a: &x text\n")
    assert problems == [
        "f.yaml:1:4: a value cannot start with '&' unless it is quoted (got '&x text'); YAML"
        " reads '&' there as an anchor, which these files do not use: remove it, or put the"
        " whole value in quotes"
    ]
    assert root == {"a": "text"}


def test_alias_as_a_list_item_is_reported_at_the_alias() -> None:
    root, problems = _parse("a: &x [1]\nb:\n  - *x\n")
    assert len(problems) == 1
    assert problems[0].startswith("f.yaml:3:")
    assert problems == [f"f.yaml:3:5: {ALIAS_MESSAGE}"]
    assert root == {"a": [1], "b": []}


def test_every_alias_is_reported_at_its_own_place() -> None:
    _, problems = _parse("a: &x 1\nb: *x\nc:\n  - *x\n")
    assert problems == [f"f.yaml:2:4: {ALIAS_MESSAGE}", f"f.yaml:4:5: {ALIAS_MESSAGE}"]


MERGE_MESSAGE = "merge keys (<<) are not allowed; write the fields out in full"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "base: &b {x: 1}\nc:\n  <<: *b\n  y: 2\n",
            [f"f.yaml:3:3: {MERGE_MESSAGE}"],
            id="merge-alias",
        ),
        pytest.param(
            "c:\n  <<: {x: 1}\n  y: 2\n", [f"f.yaml:2:3: {MERGE_MESSAGE}"], id="merge-inline"
        ),
    ],
)
def test_merge_key_is_reported(text: str, expected: list[str]) -> None:
    _, problems = _parse(text)
    assert problems, "the merged fields vanished without a message"
    assert problems == expected


# --------------------------------------------------------------------------- YAML 1.1 surprises


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("no", id="no"),
        pytest.param("yes", id="yes"),
        pytest.param("on", id="on"),
        pytest.param("off", id="off"),
        pytest.param("1:30", id="sexagesimal"),
        pytest.param("0123", id="leading-zero"),
        pytest.param("0x1F", id="hex"),
        pytest.param("0o17", id="octal"),
        pytest.param("1_000", id="underscore"),
        pytest.param("2023-01-01", id="date"),
        pytest.param(".inf", id="inf"),
    ],
)
def test_yaml_1_1_lookalikes_stay_text(raw: str) -> None:
    root, problems = _parse(f"value: {raw}\n")
    assert problems == []
    assert isinstance(root, SourceMap)
    assert root["value"] == raw


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        pytest.param("true", True, id="true"),
        pytest.param("False", False, id="False"),
        pytest.param("12", 12, id="int"),
        pytest.param("-0.5", -0.5, id="float"),
        pytest.param("null", None, id="null"),
        pytest.param("~", None, id="tilde"),
    ],
)
def test_yaml_1_2_core_scalars_keep_their_type(raw: str, value: object) -> None:
    root, _ = _parse(f"value: {raw}\n")
    assert isinstance(root, SourceMap)
    assert root["value"] == value
    assert type(root["value"]) is type(value)


def test_number_keeps_the_text_it_was_typed_as() -> None:
    root, _ = _parse('version: 3.10\nquoted: "3.10"\n')
    assert isinstance(root, SourceMap)
    assert root["version"] == 3.1
    assert root.raw_text["version"] == "3.10"
    assert root["quoted"] == "3.10"


def test_empty_value_is_empty_text() -> None:
    root, _ = _parse("name:\n")
    assert isinstance(root, SourceMap)
    assert root["name"] == ""


# --------------------------------------------------------------------------- syntax errors


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "id: a\nname: b: c\n",
            f"f.yaml:2:8: YAML syntax error: mapping values are not allowed in this context;"
            f" {SYNTAX_HINT}",
            id="colon-in-value",
        ),
        pytest.param(
            "a:\n  - x\n - y\n",
            f"f.yaml:3:2: YAML syntax error: did not find expected key; {SYNTAX_HINT}",
            id="bad-indentation",
        ),
        pytest.param(
            "a: 1\n---\nb: 2\n",
            "f.yaml:2:1: YAML syntax error: expected a single document in the stream, but found"
            f" another document; {SYNTAX_HINT}",
            id="two-documents",
        ),
        pytest.param(
            "id: a\noverview:\n  - sentences:\n      - text: A\n        claims:\n"
            "          - id: x\n            type: s\n           topic: bad\n",
            f"f.yaml:8:12: YAML syntax error: did not find expected '-' indicator; {SYNTAX_HINT}",
            id="nested-bad-indentation",
        ),
        pytest.param(
            "id: a\n\tname: b\n",
            f"f.yaml:2:1: YAML syntax error: found a tab character that violates indentation;"
            f" {SYNTAX_HINT}",
            id="tab",
        ),
    ],
)
def test_syntax_error_is_located(text: str, expected: str) -> None:
    root, problems = _parse(text)
    assert root is None
    assert problems == [expected]


@pytest.mark.parametrize(
    ("text", "value", "where"),
    [
        pytest.param("a: !!int Cancer\n", "Cancer", "1:4", id="int-on-text"),
        pytest.param("a: !!float x\n", "x", "1:4", id="float-on-text"),
        pytest.param("a: !!bool maybe\n", "maybe", "1:4", id="bool-on-text"),
        pytest.param("a: !!timestamp nope\n", "nope", "1:4", id="timestamp-on-text"),
        pytest.param("a: !!seq {b: c}\n", {"b": "c"}, "1:4", id="seq-on-mapping"),
        pytest.param("a: !!map [b]\n", ["b"], "1:4", id="map-on-list"),
        pytest.param("a: [1, !!int b]\n", [1, "b"], "1:8", id="inside-a-list"),
    ],
)
def test_a_tag_that_does_not_fit_is_reported_and_ignored(
    text: str, value: object, where: str
) -> None:
    # PyYAML raised a bare ValueError or TypeError for these: a traceback, not a message.
    root, problems = _parse(text)
    assert isinstance(root, SourceMap)
    assert root["a"] == value
    tag = text.split("!!")[1].split()[0]
    assert problems == [
        f"f.yaml:{where}: the YAML tag !!{tag} does not fit this value; remove the tag"
    ]


@pytest.mark.parametrize(
    ("text", "value", "tag"),
    [
        pytest.param("a: !!str 5\n", "5", "!!str", id="str"),
        pytest.param("a: !!int 5\n", 5, "!!int", id="int"),
        pytest.param('a: !!int "5"\n', "5", "!!int", id="int-on-quoted"),
        pytest.param(
            "a: !!python/object:os.system x\n",
            "x",
            "!!python/object:os.system",
            id="unsafe-tag",
        ),
    ],
)
def test_a_tag_that_fits_is_refused_and_ignored(text: str, value: object, tag: str) -> None:
    root, problems = _parse(text)
    assert isinstance(root, SourceMap)
    assert root["a"] == value
    assert problems == [
        f"f.yaml:1:4: the YAML tag {tag} is not used in these files; remove it, and put the"
        " value in quotes if it should stay text"
    ]


@pytest.mark.parametrize(("text", "value"), [("a: 5\n", 5), ('a: "5"\n', "5")])
def test_a_value_without_a_tag_is_accepted(text: str, value: object) -> None:
    root, problems = _parse(text)
    assert isinstance(root, SourceMap)
    assert (root["a"], problems) == (value, [])


NOT_CLOSED = "something opened here is not closed"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "id: a\nname: [unclosed\n",
            "f.yaml:2:7: YAML syntax error: did not find expected ',' or ']' (noticed at line 3):"
            f" {NOT_CLOSED}; {SYNTAX_HINT}",
            id="bracket",
        ),
        pytest.param(
            'id: a\nname: "unclosed\n',
            "f.yaml:2:7: YAML syntax error: found unexpected end of stream (noticed at line 3):"
            f" {NOT_CLOSED}; {SYNTAX_HINT}",
            id="quote",
        ),
        pytest.param(
            "id: a\nname: {x: 1,\n  y: 2\nz: 3\n",
            "f.yaml:2:7: YAML syntax error: did not find expected ',' or '}' (noticed at line 4):"
            f" {NOT_CLOSED}; {SYNTAX_HINT}",
            id="brace-over-lines",
        ),
    ],
)
def test_unclosed_bracket_or_quote_is_reported_where_it_opens(text: str, expected: str) -> None:
    _, problems = _parse(text)
    assert len(problems) == 1
    assert problems[0].startswith("f.yaml:2:7: YAML syntax error: ")
    assert problems == [expected]


def test_non_scalar_key_is_reported() -> None:
    _, problems = _parse("? [a, b]\n: c\n")
    assert problems == ["f.yaml:1:3: a key must be a plain word"]


def test_control_character_is_reported_on_one_line_with_its_line() -> None:
    root, problems = _parse("id: a\nname: \x01\n")
    assert len(problems) == 1
    assert problems[0].startswith("f.yaml:2")
    assert "\n" not in problems[0]
    assert problems == [
        "f.yaml:2:7: the file contains a control character (0x01) YAML does not allow; delete it"
    ]
    assert root is None


def test_control_character_inside_text_is_named_by_its_code() -> None:
    _, problems = _parse("id: a\nname: b\nsummary: ding\x07 dong\n")
    assert problems == [
        "f.yaml:3:14: the file contains a control character (0x07) YAML does not allow; delete it"
    ]


# --------------------------------------------------------------------------- ' #' cuts a value

CUT_HINT = "put the whole value in quotes, or move the comment to its own line"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "id: a\ntext: Dose #2 was high\n",
            f"f.yaml:2:12: the text after ' #' was read as a comment and left out (got 'Dose');"
            f" {CUT_HINT}",
            id="mapping-value",
        ),
        pytest.param(
            "id: a\naliases:\n  - Dose #2\n",
            f"f.yaml:3:10: the text after ' #' was read as a comment and left out (got 'Dose');"
            f" {CUT_HINT}",
            id="list-item",
        ),
        pytest.param(
            "id: a\ncount: 12 # per litre\n",
            f"f.yaml:2:11: the text after ' #' was read as a comment and left out (got '12');"
            f" {CUT_HINT}",
            id="number",
        ),
    ],
)
def test_value_cut_short_by_a_comment_is_reported(text: str, expected: str) -> None:
    _, problems = _parse(text)
    assert problems == [expected]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("text: 'Dose #2 was high'\n", id="single-quoted"),
        pytest.param('text: "Dose #2 was high"\n', id="double-quoted"),
        pytest.param("text: C# and F#\n", id="hash-without-space"),
        pytest.param("# comment\ntext: Dose\n  # own line\n", id="comment-on-own-line"),
        pytest.param("overview: # a section\n  - x\n", id="comment-after-key"),
        pytest.param("tags: [a, b] # flow list\n", id="comment-after-flow-list"),
    ],
)
def test_hash_that_cuts_nothing_is_not_reported(text: str) -> None:
    _, problems = _parse(text)
    assert problems == []


# --------------------------------------------------------------------------- files


def test_non_utf8_file_is_reported_at_the_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "specimens.yaml"
    path.write_bytes(b"specimens:\n  - id: serum\n    name: S\xe9rum\n")
    loaded, problems = load_yaml_file(path, "data/specimens.yaml")
    assert loaded.root is None
    assert [str(p) for p in problems] == [
        "data/specimens.yaml:3: the file is not UTF-8 text (byte 0xe9); save it as UTF-8 in your"
        " editor"
    ]


def test_non_utf8_bibliography_is_reported_with_its_path(tmp_path: Path) -> None:
    files = minimal_files()
    files["data/references.bib"] = b"@book{a,\n  title = {Caf\xe9}\n}\n"
    write_files(tmp_path, files)
    raw = load_data(tmp_path / "data", tmp_path)
    assert [str(p) for p in raw.problems] == [
        "data/references.bib:2: the file is not UTF-8 text (byte 0xe9); save it as UTF-8 in your"
        " editor"
    ]


def test_empty_file_has_no_root_and_no_problem(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text("# only a comment\n", encoding="utf-8")
    loaded, problems = load_yaml_file(path, "data/empty.yaml")
    assert loaded.root is None
    assert problems == []


def test_missing_files_and_wrong_extension_are_reported(tmp_path: Path) -> None:
    write_files(tmp_path, {"data/biomarkers/alpha.yml": "id: alpha\n"})
    raw = load_data(tmp_path / "data", tmp_path)
    assert sorted(str(p) for p in raw.problems) == [
        "data/biomarkers/alpha.yml: a biomarker file name must end in .yaml (got 'alpha.yml');"
        " rename it alpha.yaml",
        "data/conditions.yaml: file is missing; create it",
        "data/references.bib: file is missing; create it",
        "data/specimens.yaml: file is missing; create it",
    ]
    assert raw.biomarkers == []


def test_paths_in_messages_are_relative_to_the_project(tmp_path: Path) -> None:
    write_files(tmp_path, minimal_files(alpha="id: alpha\nid: beta\n"))
    raw = load_data(tmp_path / "data", tmp_path)
    assert [p.location for p in raw.problems] == [Location("data/biomarkers/alpha.yaml", 2, 1)]
    assert [b.path for b in raw.biomarkers] == ["data/biomarkers/alpha.yaml"]


# --------------------------------------------------------------------------- source locations


def test_source_map_records_where_keys_values_and_items_were_written() -> None:
    text = "id: b2m\nlevels:\n  - title: Up\n    items: [a, b]\n"
    root, problems = parse_yaml(text, "f.yaml")
    assert problems == []
    assert isinstance(root, SourceMap)
    assert root.location == Location("f.yaml", 1, 1)
    assert root.key_location("levels") == Location("f.yaml", 2, 1)
    assert root.value_location("id") == Location("f.yaml", 1, 5)
    levels = root["levels"]
    assert isinstance(levels, SourceList)
    assert levels.location == Location("f.yaml", 3, 3)
    assert levels.item_locations == [Location("f.yaml", 3, 5)]
    first = levels[0]
    assert first.key_location("items") == Location("f.yaml", 4, 5)
    items = first["items"]
    assert items == ["a", "b"]
    assert items.item_locations == [Location("f.yaml", 4, 13), Location("f.yaml", 4, 16)]


def test_absent_key_falls_back_to_the_mapping_location() -> None:
    root, _ = parse_yaml("\n\n  a: 1\n", "f.yaml")
    assert isinstance(root, SourceMap)
    assert root.key_location("missing") == Location("f.yaml", 3, 3)
    assert root.value_location("missing") == Location("f.yaml", 3, 3)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        pytest.param("# modeline\nid: a\n", 2, id="after-a-comment"),
        pytest.param("---\n\n%x\n  value\n", 4, id="after-markers"),
        pytest.param("# c\r\n# d\rtext\n", 3, id="any-line-break"),
        pytest.param("# long comment\n" * 400 + "text\n", 401, id="beyond-the-first-lines"),
        pytest.param("# only comments\n", 1, id="no-content"),
    ],
)
def test_first_content_line(text: str, line: int) -> None:
    document, _ = parse_document(text, "f.yaml")
    assert document.first_line == line


def test_locations_read_as_mappings_made_on_demand() -> None:
    root, _ = parse_yaml("id: b2m\nnames: [a, b]\n", "f.yaml")
    assert isinstance(root, SourceMap)
    values = root.value_locations
    assert dict(values) == {"id": Location("f.yaml", 1, 5), "names": Location("f.yaml", 2, 8)}
    assert "id" in values
    assert "missing" not in values
    assert values.get("missing") is None
    assert dict(root.key_locations) == {
        "id": Location("f.yaml", 1, 1),
        "names": Location("f.yaml", 2, 1),
    }
    assert dict(root.list_item_locations) == {
        "names": (Location("f.yaml", 2, 9), Location("f.yaml", 2, 12))
    }


def test_raw_text_keeps_the_values_read_as_something_else() -> None:
    root, _ = parse_yaml("a: 3.10\nb: text\nc: true\nd: '7'\n", "f.yaml")
    assert isinstance(root, SourceMap)
    assert root.raw_text == {"a": "3.10", "c": "true"}
