"""YAML read silently wrong, or refused at the wrong place: each class named at its cause.

Issue 13, items 1, 2 and 5: nesting too deep, invisible and control characters (raw or
escaped), tags and anchors, values starting with a YAML indicator, curly quotes, a list dash
without its space. Every message is checked word for word, at its line and column.
"""

from __future__ import annotations

import time

import pytest

from biomarker_kb.load import SourceMap, parse_yaml
from biomarker_kb.strict_yaml import MAX_DEPTH
from biomarker_kb.yaml_characters import scan_text
from biomarker_kb.yaml_lint import ALIAS_MESSAGE
from tests.helpers import PROJECT_ROOT


def _parse(text: str) -> tuple[object, list[str]]:
    root, problems = parse_yaml(text, "f.yaml")
    return root, [str(p) for p in problems]


# --------------------------------------------------------------------------- nesting (item 1)

TOO_DEEP = (
    f"the data is nested too deeply (more than {MAX_DEPTH} levels of lists and fields); write it"
    " with fewer levels, and close each [ and { opened"
)


def _block_mappings(depth: int) -> str:
    return "".join(" " * level + "k:\n" for level in range(depth)) + " " * depth + "v\n"


@pytest.mark.parametrize(
    ("text", "where"),
    [
        pytest.param("a: " + "[" * 300 + "]" * 300 + "\n", "1:53", id="flow-lists"),
        pytest.param("a: " + "{b: " * 300 + "c" + "}" * 300 + "\n", "1:200", id="flow-fields"),
        pytest.param("a: " + "[" * 5000 + "\n", "1:53", id="flow-never-closed"),
        pytest.param(
            "a: " + "[" * 2000 + "]" * 2000 + "\n", "1:53", id="beyond-libyaml-s-own-limit"
        ),
        pytest.param(_block_mappings(400), "51:51", id="block-fields"),
        pytest.param("- " * 400 + "x\n", "1:101", id="block-list-items"),
    ],
)
def test_nesting_too_deep_is_refused_at_its_line(text: str, where: str) -> None:
    root, problems = _parse(text)
    assert root is None
    assert problems == [f"f.yaml:{where}: {TOO_DEEP}"]


def test_nesting_up_to_the_limit_is_read() -> None:
    root, problems = _parse(_block_mappings(MAX_DEPTH - 1))
    assert problems == []
    assert isinstance(root, SourceMap)


def test_the_real_data_is_far_from_the_limit() -> None:
    def depth(node: object) -> int:
        children = node.values() if isinstance(node, dict) else node
        if isinstance(node, dict | list):
            return 1 + max((depth(child) for child in children), default=0)
        return 0

    for path in sorted((PROJECT_ROOT / "data").rglob("*.yaml")):
        root, _ = parse_yaml(path.read_text(encoding="utf-8"), path.name)
        assert depth(root) <= MAX_DEPTH // 3, path.name


# --------------------------------------------------------------------------- characters (item 2)

CONTROL = "the file contains a control character ({code}) YAML does not allow; delete it"
LINE_BREAK = (
    "the file contains a {name} ({code}), which YAML reads as a line break; delete it, and type a"
    " plain line break if one is meant"
)
BIDI = (
    "the file contains a bidirectional control character ({code}), which can reorder the text"
    " readers see; delete it"
)
NBSP = (
    "the file contains a non-breaking space (U+00A0), which YAML does not read as a space; type"
    " a plain space, or write \\u00a0 inside double quotes to keep it in the text"
)
BOM = (
    "the file contains a byte-order mark (U+FEFF), an invisible character allowed only at the"
    " very start of a file; delete it"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("a: b\x00c\n", ["1:5", CONTROL.format(code="0x00")], id="nul"),
        pytest.param("a: b\x1bc\n", ["1:5", CONTROL.format(code="0x1b")], id="escape-char"),
        pytest.param("a: b\x7fc\n", ["1:5", CONTROL.format(code="0x7f")], id="delete"),
        pytest.param("a: b\x9bc\n", ["1:5", CONTROL.format(code="0x9b")], id="c1-csi"),
        pytest.param(
            "a: b\x85c\n",
            ["1:5", LINE_BREAK.format(name="next-line character", code="U+0085")],
            id="nel",
        ),
        pytest.param(
            "id: a\ntext: b\u2028c\n",
            ["2:8", LINE_BREAK.format(name="line separator", code="U+2028")],
            id="line-separator",
        ),
        pytest.param(
            "a: b\u2029\n",
            ["1:5", LINE_BREAK.format(name="paragraph separator", code="U+2029")],
            id="paragraph-separator",
        ),
        pytest.param('a: "abc\u202edef"\n', ["1:8", BIDI.format(code="U+202E")], id="rlo"),
        pytest.param("a: \u2066x\n", ["1:4", BIDI.format(code="U+2066")], id="lri"),
        pytest.param("a: x\u2069\n", ["1:5", BIDI.format(code="U+2069")], id="pdi"),
        pytest.param("a: x\u202a\n", ["1:5", BIDI.format(code="U+202A")], id="lre"),
        pytest.param("id: a\nname:\xa0Foo\nsummary: x\n", ["2:6", NBSP], id="nbsp-after-colon"),
        pytest.param("cite:\n  -\xa0a\n", ["2:4", NBSP], id="nbsp-after-dash"),
        pytest.param("\xa0 id: a\n", ["1:1", NBSP], id="nbsp-indenting"),
        pytest.param("id: a\n\ufeffname: Foo\n", ["2:1", BOM], id="bom-starting-a-line"),
        pytest.param("id: a\nname: Fo\ufeffo\n", ["2:9", BOM], id="bom-inside-text"),
    ],
)
def test_invisible_characters_are_refused_at_their_place(text: str, expected: list[str]) -> None:
    root, problems = _parse(text)
    assert root is None
    where, message = expected
    assert problems == [f"f.yaml:{where}: {message}"]


def test_every_invisible_character_is_reported() -> None:
    _, problems = _parse("a: b\x07\nc: \u202e\r\nd: \xa0e\n")
    assert problems == [
        f"f.yaml:1:5: {CONTROL.format(code='0x07')}",
        f"f.yaml:2:4: {BIDI.format(code='U+202E')}",
        f"f.yaml:3:4: {NBSP}",
    ]


def test_a_run_of_pasted_junk_is_one_message_per_line() -> None:
    _, problems = _parse("a: " + "\x07" * 5000 + "\nb: \x07\x07 \u202e\n")
    assert problems == [
        f"f.yaml:1:4: {CONTROL.format(code='0x07')}",
        f"f.yaml:2:4: {CONTROL.format(code='0x07')}",
        f"f.yaml:2:7: {BIDI.format(code='U+202E')}",
    ]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("\ufeffid: a\n", id="bom-opening-the-file"),
        pytest.param('a: "x\\u00a0y\\_z"\n', id="escaped-nbsp"),
        pytest.param("a: b\tc\r\nd: e\n", id="tab-and-crlf"),
        pytest.param("a: Sjögren’s “syndrome” ≤ 2.5 µg\n", id="typography"),
    ],
)
def test_visible_and_escaped_characters_are_read(text: str) -> None:
    _, problems = _parse(text)
    assert problems == []


ESCAPE = (
    "the escape '{escape}' in double quotes makes {what}; use single quotes around the value,"
    " where a backslash is just a backslash (or write \\\\ for one)"
)


@pytest.mark.parametrize(
    ("text", "where", "escape", "what"),
    [
        pytest.param('a: "C:\\new"\n', "1:7", "\\n", "a control character (U+000A)", id="C:new"),
        pytest.param('a: "C:\\temp"\n', "1:7", "\\t", "a control character (U+0009)", id="C:temp"),
        pytest.param('a: "x\\0"\n', "1:6", "\\0", "a control character (U+0000)", id="nul"),
        pytest.param('a: "\\x1b[0m"\n', "1:5", "\\x1b", "a control character (U+001B)", id="hex"),
        pytest.param('a: "\\x85"\n', "1:5", "\\x85", "a next-line character (U+0085)", id="nel"),
        pytest.param('a: "\\L"\n', "1:5", "\\L", "a line separator (U+2028)", id="ls"),
        pytest.param('a: "\\P"\n', "1:5", "\\P", "a paragraph separator (U+2029)", id="ps"),
        pytest.param(
            'a: "abc\\u202Edef"\n',
            "1:8",
            "\\u202E",
            "a bidirectional control character (U+202E)",
            id="rlo",
        ),
        pytest.param(
            'a: "\\U00002067"\n',
            "1:5",
            "\\U00002067",
            "a bidirectional control character (U+2067)",
            id="rli-long",
        ),
        pytest.param(
            'a: "a long\n  text, \\ufeff"\n',
            "2:9",
            "\\ufeff",
            "a byte-order mark (U+FEFF)",
            id="on-a-second-line",
        ),
    ],
)
def test_escape_making_a_refused_character_is_refused_at_the_escape(
    text: str, where: str, escape: str, what: str
) -> None:
    _, problems = _parse(text)
    assert problems == [f"f.yaml:{where}: {ESCAPE.format(escape=escape, what=what)}"]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("a: 'C:\\new'\n", id="single-quoted"),
        pytest.param("a: C:\\new\n", id="plain"),
        pytest.param('a: "C:\\\\new"\n', id="doubled-backslash"),
        pytest.param('a: "\\\\\\\\n"\n', id="two-doubled-backslashes"),
        pytest.param("# a comment with \\n in it\na: b\n", id="comment"),
        pytest.param('text: "a \\\\[sic\\\\] b"\n', id="escaped-bracket"),
    ],
)
def test_backslashes_that_make_no_control_character_are_read(text: str) -> None:
    _, problems = _parse(text)
    assert problems == []


# --------------------------------------------------------------------------- tags and anchors


def _indicator(indicator: str, got: str, meaning: str, fix: str = "") -> str:
    fix = fix or "put the whole value in quotes"
    return (
        f"a value cannot start with {indicator!r} unless it is quoted (got {got!r}); YAML reads"
        f" {indicator.strip()!r} there as {meaning}: {fix}"
    )


ANCHOR = "an anchor, which these files do not use"
TAG = "a tag, which these files do not use"
REMOVE = "remove it, or put the whole value in quotes"
NOT_USED = (
    "the YAML tag {tag} is not used in these files; remove it, and put the value in quotes if it"
    " should stay text"
)


@pytest.mark.parametrize(
    ("text", "value", "expected"),
    [
        pytest.param(
            "a: &x text\n", "text", ["1:4", _indicator("&", "&x text", ANCHOR, REMOVE)], id="anchor"
        ),
        pytest.param(
            "name: &Co partners\n",
            "partners",
            ["1:7", _indicator("&", "&Co partners", ANCHOR, REMOVE)],
            id="anchor-meant-as-text",
        ),
        pytest.param(
            "base: &b\n  x: 1\n",
            {"x": 1},
            ["1:7", _indicator("&", "&b", ANCHOR, REMOVE)],
            id="anchor-on-fields",
        ),
        pytest.param(
            "text: !important finding\n",
            "finding",
            ["1:7", _indicator("!", "!important finding", TAG, REMOVE)],
            id="local-tag",
        ),
        pytest.param(
            "text: ! finding\n",
            "finding",
            ["1:7", _indicator("!", "! finding", TAG, REMOVE)],
            id="non-specific-tag",
        ),
        pytest.param(
            "a: !!str 5\n", "5", ["1:4", NOT_USED.format(tag="!!str")], id="str-that-fits"
        ),
        pytest.param(
            "a: !!binary aGVsbG8=\n",
            "aGVsbG8=",
            ["1:4", NOT_USED.format(tag="!!binary")],
            id="binary",
        ),
        pytest.param(
            "a: !!set {x, y}\n",
            {"x": "", "y": ""},
            ["1:4", NOT_USED.format(tag="!!set")],
            id="set",
        ),
        pytest.param(
            "a: !!timestamp 2023-01-01\n",
            "2023-01-01",
            ["1:4", NOT_USED.format(tag="!!timestamp")],
            id="timestamp",
        ),
        pytest.param(
            "a: !!omap [x: 1]\n", [{"x": 1}], ["1:4", NOT_USED.format(tag="!!omap")], id="omap"
        ),
        pytest.param(
            "a: &x !!str 5\n",
            "5",
            ["1:4", _indicator("&", "&x !!str 5", ANCHOR, REMOVE)],
            id="anchor-and-tag",
        ),
    ],
)
def test_tags_and_anchors_are_refused_even_when_nothing_uses_them(
    text: str, value: object, expected: list[str]
) -> None:
    root, problems = _parse(text)
    assert isinstance(root, SourceMap)
    assert root["a" if "a" in root else next(iter(root))] == value
    where, message = expected
    assert f"f.yaml:{where}: {message}" in problems


def test_anchor_and_tag_on_one_value_give_two_messages() -> None:
    _, problems = _parse("a: &x !!str 5\n")
    assert problems == [
        f"f.yaml:1:4: {_indicator('&', '&x !!str 5', ANCHOR, REMOVE)}",
        f"f.yaml:1:7: {NOT_USED.format(tag='!!str')}",
    ]


@pytest.mark.parametrize(
    ("text", "value", "where"),
    [
        pytest.param("a: &x [1, *x]\n", [1], "1:11", id="list-holding-itself"),
        pytest.param("a: &x {b: *x, c: 1}\n", {"c": 1}, "1:11", id="fields-holding-themselves"),
        pytest.param("a: &x\n  - &y [*x, *y]\n", [[]], "2:9", id="nested"),
    ],
)
def test_self_referencing_alias_gets_the_anchors_message(
    text: str, value: object, where: str
) -> None:
    root, problems = _parse(text)
    assert isinstance(root, SourceMap)
    assert root["a"] == value
    assert f"f.yaml:{where}: {ALIAS_MESSAGE}" in problems
    assert all(ALIAS_MESSAGE in message for message in problems)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("a: R&D and A & B\n", id="ampersands-in-text"),
        pytest.param('a: "Wow! &x"\n', id="quoted"),
        pytest.param("a: Wow!\nb: '!x'\n", id="exclamation-marks"),
        pytest.param("a: [x&y, z!]\n", id="inside-flow-items"),
    ],
)
def test_ampersands_and_exclamation_marks_in_text_are_read(text: str) -> None:
    _, problems = _parse(text)
    assert problems == []


# ------------------------------------------------------------------- misread values (item 5)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "id: a\ntext: *important* finding\n",
            ["2:7", _indicator("*", "*important* finding", "an alias")],
            id="star",
        ),
        pytest.param(
            "id: a\ntext: *important finding\n",
            ["2:7", _indicator("*", "*important finding", "an alias")],
            id="star-undefined-alias",
        ),
        pytest.param(
            "id: a\ntext: & more\n", ["2:7", _indicator("&", "& more", ANCHOR, REMOVE)], id="amp"
        ),
        pytest.param(
            "id: a\ntext: %d of cases\n",
            ["2:7", _indicator("%", "%d of cases", "a directive")],
            id="percent",
        ),
        pytest.param(
            "id: a\ntext: @home\n",
            ["2:7", _indicator("@", "@home", "a reserved character")],
            id="at",
        ),
        pytest.param(
            "id: a\ntext: `x` y\n",
            ["2:7", _indicator("`", "`x` y", "a reserved character")],
            id="backtick",
        ),
        pytest.param(
            "id: a\ntext: [A fact]{x} is true.\nb: 1\n",
            ["2:7", _indicator("[", "[A fact]{x} is true.", "the start of a list")],
            id="bracket",
        ),
        pytest.param(
            "id: a\ntext: {A} fact\n",
            ["2:7", _indicator("{", "{A} fact", "the start of a set of fields")],
            id="brace",
        ),
        pytest.param(
            "id: a\ntext: > 5 mg/L is high\n",
            ["2:7", _indicator(">", "> 5 mg/L is high", "the start of a block of text")],
            id="greater-than",
        ),
        pytest.param(
            "id: a\ntext: | x\n",
            ["2:7", _indicator("|", "| x", "the start of a block of text")],
            id="pipe",
        ),
        pytest.param(
            "id: a\ntext: - item\n", ["2:7", _indicator("- ", "- item", "a list item")], id="dash"
        ),
        pytest.param(
            "id: a\ntext: ? what\n", ["2:7", _indicator("? ", "? what", "a key")], id="question"
        ),
        pytest.param(
            "id: a\nlist:\n  - @x # note\n",
            ["3:5", _indicator("@", "@x", "a reserved character")],
            id="list-item-with-comment",
        ),
    ],
)
def test_value_starting_with_an_indicator_says_to_quote_it(text: str, expected: list[str]) -> None:
    root, problems = _parse(text)
    assert root is None
    where, message = expected
    assert problems == [f"f.yaml:{where}: {message}"]


CURLY = (
    'curly quotes are not YAML quotes (got {got!r}); put straight quotes "..." around the whole'
    " value"
)


@pytest.mark.parametrize(
    ("text", "where", "got", "read"),
    [
        pytest.param("id: a\nname: “Foo”\n", "2:7", "“Foo”", True, id="double"),
        pytest.param("a:\n  - ‘Foo’\n", "2:5", "‘Foo’", True, id="single-in-a-list"),
        pytest.param("a: [„Foo“]\n", "1:5", "„Foo“", True, id="low-in-a-flow-list"),
        pytest.param("id: a\ntext: “Note: high”\n", "2:7", "“Note: high”", False, id="colon"),
        pytest.param("id: a\ntext: “a, b” c: d\n", "2:7", "“a, b” c: d", False, id="and-more"),
    ],
)
def test_curly_quotes_are_named_as_not_yaml_quotes(
    text: str, where: str, got: str, read: bool
) -> None:
    root, problems = _parse(text)
    assert problems == [f"f.yaml:{where}: {CURLY.format(got=got)}"]
    assert (root is not None) == read


def test_curly_quotes_inside_text_are_read() -> None:
    root, problems = _parse("a: 'He said “no”'\nb: Sjögren’s “x”\n")
    assert problems == []
    assert root == {"a": "He said “no”", "b": "Sjögren’s “x”"}


@pytest.mark.parametrize(
    ("text", "where", "got", "fix"),
    [
        pytest.param("aliases:\n  -B2M\nx: 1\n", "2:3", "-B2M", "B2M", id="text-item"),
        pytest.param("cite:\n  - a\n  -b\nc: 1\n", "3:3", "-b", "b", id="after-an-item"),
        pytest.param(
            "claims:\n  - id: a\n    type: x\n  -id: b\n    type: y\n",
            "4:3",
            "-id: b",
            "id: b",
            id="fields-after-an-item",
        ),
        pytest.param(
            "claims:\n  -id: b\n    type: y\n", "2:3", "-id: b", "id: b", id="first-fields"
        ),
        pytest.param("-id: b\nx: 1\n", "1:1", "-id", "id", id="at-the-top"),
    ],
)
def test_missing_space_after_a_list_dash_is_named_at_its_line(
    text: str, where: str, got: str, fix: str
) -> None:
    root, problems = _parse(text)
    assert root is None
    assert problems == [
        f"f.yaml:{where}: a list item needs a space after '-' (got {got!r}); write '- {fix}'"
    ]


def test_text_starting_with_a_dash_elsewhere_is_read() -> None:
    root, problems = _parse("suffix: -emia\nn: -5\nf: -0.5\nl: [-a]\nm:\n  - -x\n")
    assert problems == []
    assert root == {"suffix": "-emia", "n": -5, "f": -0.5, "l": ["-a"], "m": ["-x"]}


# --------------------------------------------------------------------------- the hot path


def test_a_file_with_nothing_suspect_needs_no_second_look() -> None:
    text = (PROJECT_ROOT / "data" / "biomarkers" / "b2m.yaml").read_text(encoding="utf-8")
    scan = scan_text(text, "b2m.yaml")
    assert (scan.problems, scan.needs_events) == ([], False)


def test_the_scan_is_one_fast_pass() -> None:
    text = (PROJECT_ROOT / "data" / "biomarkers" / "b2m.yaml").read_text(encoding="utf-8") * 40
    started = time.perf_counter()
    scan_text(text, "big.yaml")
    # About 4 ns a character here: 1.1 MB in well under the 0.25 s allowed on a busy machine.
    assert time.perf_counter() - started < 0.25


def test_scan_finds_nothing_in_a_large_clean_file() -> None:
    text = "items:\n" + '  - id: x\n    text: "A & B, C! ’s"\n' * 2000
    assert scan_text(text, "f.yaml").needs_events is False
