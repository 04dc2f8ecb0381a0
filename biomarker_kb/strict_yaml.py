"""Load stage, part 1: YAML text → ``SourceMap``/``SourceList`` trees, strictly.

Input: one file's text. Output: its tree, plus Problems for duplicate keys, merge keys, values
cut short by a `` #`` comment, curly quotes and a list dash without its space; aliases and
nesting too deep are only noted (``load`` reports them). YAML 1.1's surprises (yes/no booleans,
1:30, dates, 0123) stay text. Only libyaml's loader is used, so every machine reads alike.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from biomarker_kb.problems import Location, Problem
from biomarker_kb.source_tree import COLUMN_BITS, SourceList, SourceMap, mark_location

if TYPE_CHECKING:
    from collections.abc import Callable

LIBYAML_MISSING = (
    "biomarker_kb needs PyYAML built with libyaml (yaml.CSafeLoader is missing), so that every"
    " machine reads the data files alike; reinstall it from a wheel:"
    " python -m pip install --force-reinstall --only-binary=:all: PyYAML"
)
# libyaml, not PyYAML's pure-Python loader: it parses about 3.5 times faster, and the two word
# their syntax errors differently (and disagree on a few inputs), so a message or a result
# would depend on how PyYAML happened to be installed.
try:
    from yaml import CSafeLoader
except ImportError as missing:  # pragma: no cover - tested in a subprocess
    raise ImportError(LIBYAML_MISSING) from missing

BaseLoader = CSafeLoader
"""The parser every file is read with; ``tests/test_yaml_loader.py`` checks that it runs."""

MAX_DEPTH = 50
"""Lists and sets of fields nested deeper than this are refused; the real data needs about 10.

Fixed here, not left to Python's recursion limit, so that the limit is the same whichever
loader reads the file and however deep the caller's stack is.
"""


# YAML 1.2 core schema, minus surprises: no yes/no/on/off booleans, no sexagesimal 1:30,
# no dates (they stay text and are checked as ISO dates), and 0123 stays text.
_IMPLICIT = [
    ("tag:yaml.org,2002:null", r"~|null|Null|NULL|", "~nN"),
    ("tag:yaml.org,2002:bool", r"true|True|TRUE|false|False|FALSE", "tTfF"),
    ("tag:yaml.org,2002:int", r"[-+]?(0|[1-9][0-9]*)", "-+0123456789"),
    (
        "tag:yaml.org,2002:float",
        r"[-+]?(\.[0-9]+|(0|[1-9][0-9]*)(\.[0-9]*)?)([eE][-+]?[0-9]+)?",
        "-+0123456789.",
    ),
]
_RESOLVERS: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
"""First character → (tag, pattern) pairs; filled below."""
_STR = "tag:yaml.org,2002:str"
# Plain text YAML reads, but hardly as the editor meant: the resolvers below give it one of
# these tags, so the check costs nothing for text that starts otherwise.
DASH_TAG = "tag:biomarker-kb,2025:dash"
"""Plain text such as ``-B2M`` at the start of a line: a list item missing its space."""
CURLY_TAG = "tag:biomarker-kb,2025:curly"
"""Plain text starting with a curly quote: meant as a quoted value."""
_MISREAD = [
    (DASH_TAG, r"-\S[\s\S]*", "-"),
    (CURLY_TAG, r"[\s\S]*", "\u201c\u201d\u2018\u201e"),
]
_DEFAULT_TAGS = {
    ScalarNode: _STR,
    SequenceNode: "tag:yaml.org,2002:seq",
    MappingNode: "tag:yaml.org,2002:map",
}
_TRAILING_COMMENT = re.compile(r"^[ \t]+#")
_MERGE_MESSAGE = "merge keys (<<) are not allowed; write the fields out in full"


def curly_quotes_message(got: str) -> str:
    """Return the message for a value written in curly quotes, which YAML reads as text."""
    return (
        f'curly quotes are not YAML quotes (got {got!r}); put straight quotes "..." around the'
        " whole value"
    )


def dash_message(got: str) -> str:
    """Return the message for a list item written without the space after its dash."""
    return f"a list item needs a space after '-' (got {got!r}); write '- {got[1:]}'"


def _line_before(text: str, index: int) -> str:
    """Return the text of the line holding ``index``, up to it."""
    return text[max(text.rfind("\n", 0, index), text.rfind("\r", 0, index)) + 1 : index]


def plain_tag(value: str) -> str:
    """Return the tag ``value`` gets when written without quotes (``StrictLoader.resolve``)."""
    for tag, regexp in _RESOLVERS.get(value[:1], ()):
        if regexp.match(value):
            return tag
    return _STR


class NestedTooDeeply(Exception):
    """Raised while building a tree deeper than ``MAX_DEPTH``; ``load`` reports where."""


def _blank_before_hash(text: str) -> bool:
    """Return whether a blank or a tab comes right before a '#': one fast scan, for the rare '#'."""
    at = text.find("#")
    while at != -1:
        if at and text[at - 1] in " \t":
            return True
        at = text.find("#", at + 1)
    return False


class StrictConstruction(SafeConstructor):
    """How a strict loader builds trees; mixed into a PyYAML loader class (``StrictLoader``).

    Building the tree runs once per node (a million for a thousand articles), so the loops
    below do inline what ``construct_object`` does for plain text, the common case, and hand
    every other node to it; ``constructed_objects`` stays the record of what was built, so an
    alias (a node met again) is recognised exactly as PyYAML would. Kept apart from the parser
    so that tests can check the pure-Python loader would read files the same way.
    """

    yaml_implicit_resolvers = _RESOLVERS

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # What ``add_constructor`` does, for every loader class this is mixed into.
        cls.yaml_constructors = {
            **cls.yaml_constructors,
            "tag:yaml.org,2002:map": cls.construct_source_map,
            "tag:yaml.org,2002:seq": cls.construct_source_list,
            DASH_TAG: cls.construct_misread_text,
            CURLY_TAG: cls.construct_misread_text,
        }

    def __init__(self, text: str, path: str) -> None:
        super().__init__(text)  # type: ignore[call-arg]  # the parser's, which takes the text
        self.text = text
        self.path = path
        self.problems: list[Problem] = []
        self.saw_alias = False
        self.misread = False
        """True when the tree is not what the editor meant (a list item read as text)."""
        self.tagged: frozenset[int] = frozenset()
        """Where nodes with an explicit tag start (``yaml_lint`` reports them): read untagged."""
        self.depth = 1
        # A node is met twice only through an alias, and an alias needs an anchor (&name): in
        # a file without '&', no node needs remembering.
        self.may_share = "&" in text
        # Only a line with a blank before a '#' can end in a comment that cuts a value short;
        # most files have none, and then no value needs the check.
        self.lines = text.splitlines() if _blank_before_hash(text) else []
        self.comment_lines = frozenset(
            i for i, line in enumerate(self.lines) if " #" in line or "\t#" in line
        )

    # The composer calls these three for every node. PyYAML's versions also serve path
    # resolvers, which these files never register.
    def resolve(self, kind: type[yaml.Node], value: str | None, implicit: Any) -> str:
        """Return the tag of a node without an explicit one, as ``BaseResolver.resolve`` does."""
        if kind is ScalarNode:
            if implicit[0]:  # plain, untagged: look at the resolvers for its first character
                assert value is not None, "bug: the composer passed a scalar without its text"
                resolvers = _RESOLVERS.get(value[:1])
                if resolvers is not None:
                    for tag, regexp in resolvers:
                        if regexp.match(value):
                            return tag
            return _STR
        return _DEFAULT_TAGS[kind]

    def descend_resolver(self, current_node: object, current_index: object) -> None:
        """Do nothing: there are no path resolvers to track."""

    def ascend_resolver(self) -> None:
        """Do nothing: there are no path resolvers to track."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """Build a node PyYAML's way; a standard tag that does not fit its value is a problem.

        PyYAML raises a bare ValueError or TypeError for ``!!int Cancer`` or ``!!seq {b: c}``;
        editors never need a tag, so such a value is reported and read as if it had none.
        Checked only after a failure: a tag test on every number cost 4 % of loading. A tag
        ``yaml_lint`` has already reported is dropped before building, so ``!!binary``,
        ``!!set`` or ``!x`` never make a value of a kind the later stages do not expect.
        """
        if self.tagged and node.start_mark.index in self.tagged:
            node.tag = self._untagged(node)
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, TypeError, AttributeError, KeyError):
            untagged = self._untagged(node)
            if node.tag == untagged or node.tag not in self.yaml_constructors:
                raise  # not a misplaced tag: a bug
        self.recursive_objects.pop(node, None)  # PyYAML leaves the failed node marked
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        message = f"the YAML tag {tag} does not fit this value; remove the tag"
        self.problems.append(Problem(mark_location(self.path, node.start_mark), message))
        node.tag = untagged
        return super().construct_object(node, deep=deep)

    def _untagged(self, node: yaml.Node) -> str:
        """Return the tag ``node`` would have without an explicit one."""
        if node.__class__ is ScalarNode:
            return self.resolve(ScalarNode, node.value, (not node.style, False))
        return _DEFAULT_TAGS[node.__class__]

    def construct_misread_text(self, node: yaml.Node) -> str:
        """Build text that YAML read, but not as meant: report it where it starts."""
        assert isinstance(node, ScalarNode), "bug: a misread-text tag on a collection"
        text: str = node.value
        mark = node.start_mark
        at = mark_location(self.path, mark)
        if node.tag == CURLY_TAG:
            message = curly_quotes_message(text)
        elif _line_before(self.text, mark.index).strip(" \t"):
            return text  # after a key or a dash on its line: text that starts with '-'
        else:
            self.misread = True
            message = dash_message(text)
        self.problems.append(Problem(at, message))
        return text

    def _value(self, node: yaml.Node) -> Any:
        """Build any value but plain text: ``construct_object``, minus its lookups for the rest."""
        depth = self.depth = self.depth + 1
        if depth > MAX_DEPTH:
            raise NestedTooDeeply
        build: Callable[[yaml.Node], Any]
        if node.__class__ is MappingNode and node.tag == "tag:yaml.org,2002:map":
            build = self.construct_source_map
        elif node.__class__ is SequenceNode and node.tag == "tag:yaml.org,2002:seq":
            build = self.construct_source_list
        else:
            data = self.construct_object(node, deep=True)
            self.depth = depth - 1
            return data
        if not self.may_share:
            data = build(node)
            self.depth = depth - 1
            return data
        self.recursive_objects[node] = None
        data = build(node)
        del self.recursive_objects[node]
        self.constructed_objects[node] = data
        self.depth = depth - 1
        return data

    def _shared(self, node: yaml.Node) -> bool:
        """Return whether ``node`` was met before: an alias, to the node or one it is inside."""
        if node in self.constructed_objects or node in self.recursive_objects:
            self.saw_alias = True
            return True
        return False

    def construct_source_map(self, node: yaml.Node) -> SourceMap:
        """Build a mapping; registered for ``!!map`` and called directly for nested ones."""
        path, problems = self.path, self.problems
        built, share, comments = self.constructed_objects, self.may_share, self.comment_lines
        result = SourceMap(path, node.start_mark)
        key_marks, value_at, raw_text = result.key_marks, result.value_positions, result.raw_text
        bits, scalar, text_tag = COLUMN_BITS, ScalarNode, _STR  # locals: a million lookups
        for key_node, value_node in node.value:
            if key_node.__class__ is not scalar:  # a composed scalar's value is always text
                at = mark_location(path, key_node.start_mark)
                problems.append(Problem(at, "a key must be a plain word"))
                continue
            key = key_node.value
            if key_node.tag != text_tag and key_node.tag in _MISREAD_TAGS:
                self.construct_misread_text(key_node)
            if key in result:
                message = (
                    f"duplicate key {key!r} (first at line {result.key_location(key).line});"
                    " YAML would silently keep only the last one, remove one of them"
                )
                problems.append(Problem(mark_location(path, key_node.start_mark), message))
                continue
            if key == "<<":
                problems.append(Problem(mark_location(path, key_node.start_mark), _MERGE_MESSAGE))
                continue
            if share and self._shared(value_node):
                continue
            if value_node.__class__ is scalar:
                if comments and not value_node.style:
                    self.check_not_cut_by_comment(value_node)
                if value_node.tag == text_tag:  # what construct_yaml_str returns
                    result[key] = value_node.value
                    if share:
                        built[value_node] = value_node.value
                else:
                    built_value = result[key] = self.construct_object(value_node, deep=True)
                    if built_value.__class__ is not str:  # not '-emia', which stays text
                        raw_text[key] = value_node.value
            else:
                value = result[key] = self._value(value_node)
                if isinstance(value, SourceList):
                    result.list_positions[key] = value.item_positions
            key_marks[key] = key_node.start_mark
            mark = value_node.start_mark
            value_at[key] = mark.line << bits | mark.column
        return result

    def check_not_cut_by_comment(self, node: yaml.ScalarNode) -> None:
        """Report unquoted text followed by `` #``: YAML drops the rest of the line silently.

        A comment after a value is almost always a value cut short (``text: Dose #2 ...``);
        comments belong on their own line in these files. Called for plain scalars only.
        """
        end = node.end_mark
        if end is None or end.line not in self.comment_lines:
            return
        line, column = end.line, end.column
        rest = self.lines[line][column:]
        if _TRAILING_COMMENT.match(rest):
            at = Location(self.path, line + 1, column + 1 + rest.index("#"))
            message = (
                f"the text after ' #' was read as a comment and left out (got {node.value!r});"
                " put the whole value in quotes, or move the comment to its own line"
            )
            self.problems.append(Problem(at, message))

    def construct_source_list(self, node: yaml.Node) -> SourceList:
        """Build a sequence; registered for ``!!seq`` and called directly for nested ones."""
        built, share, comments = self.constructed_objects, self.may_share, self.comment_lines
        result = SourceList(self.path, node.start_mark)
        item_at = result.item_positions
        bits, scalar, text_tag = COLUMN_BITS, ScalarNode, _STR
        for item in node.value:
            if share and self._shared(item):
                continue
            if item.__class__ is scalar:
                if comments and not item.style:
                    self.check_not_cut_by_comment(item)
                if item.tag == text_tag:
                    result.append(item.value)
                    if share:
                        built[item] = item.value
                else:
                    result.append(self.construct_object(item, deep=True))
            else:
                result.append(self._value(item))
            mark = item.start_mark
            item_at.append(mark.line << bits | mark.column)
        return result


_MISREAD_TAGS = frozenset({DASH_TAG, CURLY_TAG})

# What ``add_implicit_resolver`` does, into the table ``resolve`` reads; after the standard
# tags, so that -5 stays a number and only other text starting with '-' is checked.
for _tag, _regexp, _first in [*_IMPLICIT, *_MISREAD]:
    for _char in _first:
        _RESOLVERS.setdefault(_char, []).append((_tag, re.compile(f"^(?:{_regexp})$")))


class StrictLoader(StrictConstruction, CSafeLoader):
    """A safe libyaml loader that records positions and reports what YAML reads silently."""
