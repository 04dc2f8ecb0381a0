"""Validate stage, part 1: check each raw YAML file against its published JSON Schema.

Input: a ``YamlFile`` and the name of its schema. Output: Problems, each at the line and column
of the offending key or value. The same schema files drive editors' autocompletion, so the
validator and the editor can never disagree about what is allowed.
"""

from __future__ import annotations

import copy
import datetime
import difflib
import json
import re
from collections.abc import Mapping
from functools import cache, partial
from importlib import resources
from typing import TYPE_CHECKING, Any

import fastjsonschema

from biomarker_kb.compiled_cache import CompiledEntry, cached_entry
from biomarker_kb.load import SourceList, SourceMap, YamlFile
from biomarker_kb.problems import Location, Problem, did_you_mean

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

    import jsonschema
    from jsonschema.exceptions import ValidationError

# jsonschema words a missing field only in its message: "'name' is a required property".
_REQUIRED_MESSAGE = re.compile(r"^'(.+)' is a required property$")
_TYPE_WORDS = {
    "string": "text",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a set of fields (key: value lines)",
}


@cache
def load_schema(name: str) -> dict[str, Any]:
    """Return the parsed JSON Schema shipped as ``biomarker_kb/schema/<name>.schema.json``."""
    text = resources.files("biomarker_kb").joinpath(f"schema/{name}.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def _is_calendar_date(text: str) -> bool:
    """Return True for a real YYYY-MM-DD date, as jsonschema's "date" format checker does."""
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


_FORMATS = {"date": _is_calendar_date}
"""Formats checked by our functions; the generated code calls them by name, given at call time."""


# fastjsonschema names each list item for its error message with "[{i}]".format(**locals()),
# which copies every local variable for every item, valid or not: a fifth of the validation
# time. An f-string gives the same name; only error messages, which are never shown, use it.
_FORMAT_LOCALS = re.compile(r'("(?:[^"\\]|\\.)*")\.format\(\*\*locals\(\)\)')
_AS_F_STRING = r"f\1"
_FIRST_FUNCTION = re.compile(r"^def (\w+)\(", re.MULTILINE)


@cache
def _fast_validator(name: str) -> Callable[[Any], object]:
    """Return a compiled validator: about 20 times faster than jsonschema on valid files.

    It stops at the first error, so it only answers "valid or not"; jsonschema then finds and
    explains every error. The schema uses only keywords both implement the same way (draft-7
    keywords plus $defs pointers), and a test checks the two agree. The compiled code is kept
    between runs (``compiled_cache``), keyed by everything it is made from.
    """
    schema = {k: v for k, v in load_schema(name).items() if k != "$schema"}
    # Everything the code is made from: the generator, our rewrite of its code, the names of
    # the formats it calls (not the functions, which it is given at call time), the schema.
    rewrite = (_FORMAT_LOCALS.pattern, _AS_F_STRING)
    key = json.dumps([fastjsonschema.VERSION, rewrite, sorted(_FORMATS), schema])
    entry_name, code = cached_entry(key, lambda: _generate_validator(name, schema))
    namespace: dict[str, Any] = {}
    exec(code, namespace)
    validate: Callable[[Any], object] = partial(namespace[entry_name], custom_formats=_FORMATS)
    return validate


def _generate_validator(name: str, schema: dict[str, Any]) -> CompiledEntry:
    """Return fastjsonschema's validator for ``schema``, compiled, and its entry function's name."""
    # What fastjsonschema.compile does, with the item names made cheaper on the way; it
    # rewrites "$ref"s in place, so it is given a copy, not the cached schema.
    generated = fastjsonschema.compile_to_code(copy.deepcopy(schema), formats=_FORMATS)
    code = _FORMAT_LOCALS.sub(_AS_F_STRING, generated)
    entry = _FIRST_FUNCTION.search(code)
    assert entry, "bug: fastjsonschema generated no validation function"
    return entry.group(1), compile(code, f"<{name} schema validator>", "exec")


@cache
def _validator(name: str) -> jsonschema.protocols.Validator:
    """Return the validator that explains errors.

    jsonschema is imported only then: a build without errors would spend a twentieth of a
    second importing it.
    """
    import jsonschema  # noqa: PLC0415

    schema = load_schema(name)
    cls = jsonschema.validators.validator_for(schema)
    validator: jsonschema.protocols.Validator = cls(schema, format_checker=cls.FORMAT_CHECKER)
    return validator


def check_against_schema(document: YamlFile, schema_name: str) -> list[Problem]:
    """Return one Problem per schema violation in ``document``."""
    if document.root is None:
        return [Problem(Location(document.path, 1), _empty_message(schema_name))]
    instance: Any = document.root  # a SourceMap tree: JSON-shaped, with locations attached
    try:
        _fast_validator(schema_name)(instance)
    except fastjsonschema.JsonSchemaValueException:
        errors = _validator(schema_name).iter_errors(instance)
        problems = [
            problem for error in errors for problem in _explain(error, document, schema_name)
        ]
        assert problems, f"bug: the two validators disagree about {document.path}"
        return problems
    return []


def _first_line(schema_name: str) -> str:
    return "id: ..." if schema_name == "biomarker" else f"{schema_name}:"


def _empty_message(schema_name: str) -> str:
    return (
        f"the file is empty or could not be read; it should start with {_first_line(schema_name)!r}"
    )


def _explain(error: ValidationError, document: YamlFile, schema_name: str) -> Iterator[Problem]:
    """Turn one jsonschema error into messages an editor can act on."""
    path = list(error.absolute_path)
    parent, key = _parent_of(document.root, path)
    field = f"{key!r}" if isinstance(key, str) else "this item" if path else "the file"
    where = _value_location(parent, key, error.instance, document)
    schema: Mapping[str, Any] = error.schema if isinstance(error.schema, Mapping) else {}
    custom = schema.get("x-message")
    got = _shown(parent, key, error.instance)
    kind = error.validator
    if kind == "additionalProperties" and isinstance(error.instance, SourceMap):
        allowed = sorted(schema.get("properties", {}))
        for extra in sorted(set(error.instance) - set(allowed)):
            hint = did_you_mean(extra, allowed) or f"; allowed fields are {', '.join(allowed)}"
            yield Problem(error.instance.key_location(extra), f"unknown field {extra!r}{hint}")
    elif kind == "required":
        missing = _REQUIRED_MESSAGE.sub(r"\1", error.message)
        if not _misspelt_here(missing, error.instance, schema):  # the typo's message says it
            typo = _close_key(missing, error.instance)
            hint = f", or correct {typo!r} to {missing!r}" if typo else ""
            yield Problem(
                where, f"missing required field {missing!r}; add a line '{missing}: ...'{hint}"
            )
    elif custom and kind in {"pattern", "format", "minItems", "maxItems"}:
        yield Problem(where, f"{field} {custom.format(value=error.instance)}")
    elif kind == "anyOf" and "x-message-anyOf" in schema:
        yield Problem(where, f"this entry {schema['x-message-anyOf']}")
    elif kind in {"enum", "const"}:
        choices: list[Any] = list(schema.get("enum", [schema.get("const")]))
        shown = ", ".join(map(str, choices))
        hint = did_you_mean(str(error.instance), map(str, choices))
        yield Problem(where, f"{field} must be one of: {shown} (got {got}){hint}")
    elif kind == "type":
        message = _type_message(field, error.validator_value, error.instance, got)
        if not path:
            message += f"; the file should start with {_first_line(schema_name)!r}"
        yield Problem(where, message)
    elif kind == "minLength":
        yield Problem(where, f"{field} must not be empty; write the text or remove the line")
    elif kind == "minItems":
        yield Problem(where, f"{field} must list at least one entry")
    else:
        yield Problem(where, f"{field}: {error.message}")


def _misspelt_here(missing: str, instance: object, schema: Mapping[str, Any]) -> bool:
    """Return True when an unknown field next to it looks like a misspelling of ``missing``."""
    if not isinstance(instance, SourceMap):
        return False
    # Only where the schema reports unknown fields itself: else the typo's message never comes
    # (a claim's "type" is required before its kind, and its fields, are known).
    if schema.get("additionalProperties", True) is not False:
        return False
    unknown = [key for key in instance if key not in schema.get("properties", {})]
    return bool(did_you_mean(missing, unknown))


def _close_key(missing: str, instance: object) -> str | None:
    """Return a key of ``instance`` that looks like a misspelling of ``missing``, if any."""
    if not isinstance(instance, SourceMap):
        return None
    matches = difflib.get_close_matches(missing, [str(k) for k in instance], n=1, cutoff=0.75)
    return matches[0] if matches and matches[0] != missing else None


def _type_message(field: str, expected: object, instance: object, got: str) -> str:
    wanted = _TYPE_WORDS.get(str(expected), str(expected))
    message = f"{field} should be {wanted}, got {got}"
    if expected == "string" and isinstance(instance, bool | int | float):
        message += "; YAML read it as a number or true/false: put the value in quotes"
    elif expected == "string" and instance is None:
        message += "; write a value after the colon or remove the line"
    elif expected == "array":
        message += "; write it as a list, e.g. [a, b] or lines starting with '- '"
    elif expected == "boolean":
        message += "; write true or false (yes, no, on and off are not used)"
    elif expected in {"number", "integer"}:
        message += "; write a plain number such as 2.5 (no leading zeros, colons or units)"
    return message


def _parent_of(root: object, path: Sequence[str | int]) -> tuple[object, str | int | None]:
    """Return the container holding the value at ``path`` and the key or index within it."""
    if not path:
        return None, None
    node = root
    for step in path[:-1]:
        node = node[step]  # type: ignore[index]
    return node, path[-1]


def _value_location(
    parent: object, key: str | int | None, instance: object, document: YamlFile
) -> Location:
    if isinstance(instance, SourceMap | SourceList):
        return instance.location
    if isinstance(parent, SourceMap) and isinstance(key, str):
        return parent.value_location(key)
    if isinstance(parent, SourceList) and isinstance(key, int):
        return parent.item_locations[key]
    # The whole file is one plain value, e.g. a single word under the modeline comment.
    return Location(document.path, document.first_line, 1)


def _shown(parent: object, key: str | int | None, instance: object) -> str:
    """Return the value as the editor typed it: ``'3.10'`` rather than the float 3.1."""
    if isinstance(parent, SourceMap) and isinstance(key, str) and key in parent.raw_text:
        return repr(parent.raw_text[key])
    if isinstance(instance, SourceMap):
        return "a set of fields"
    if isinstance(instance, SourceList):
        return "a list"
    return repr(instance)
