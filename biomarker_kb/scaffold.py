"""Editor command: start a new biomarker article, its placeholders marked TODO.

Input: a project folder, a new biomarker id and today's date. Output: a commented
``data/biomarkers/<id>.yaml`` and, unless it exists, an ``<id>-post`` entry for the blog post
appended to ``data/references.bib``. Nothing is written when the id is refused. ``make check``
fails on each "TODO" value (biomarker_kb/placeholders.py) until an editor replaces it, so a
started article cannot be published by accident; the file is otherwise valid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from biomarker_kb.crossref import RESERVED_IDS
from biomarker_kb.load import SourceList, SourceMap, load_yaml_file, read_text
from biomarker_kb.schema_check import load_schema

if TYPE_CHECKING:
    from datetime import date
    from pathlib import Path

    from biomarker_kb.pipeline import ProjectPaths

# The schema's own slug pattern, so the scaffold accepts exactly the ids `make check` accepts.
_SLUG_SCHEMA = load_schema("biomarker")["$defs"]["slug"]
SLUG = re.compile(_SLUG_SCHEMA["pattern"])
SLUG_LENGTH = re.compile(_SLUG_SCHEMA["allOf"][0]["pattern"])
"""The schema's limit on an id's length: it also names a file."""
SCHEMA_MODELINE = "# yaml-language-server: $schema=../../biomarker_kb/schema/biomarker.schema.json"

BIOMARKER_TEMPLATE = """\
{modeline}
# Started by `make new-biomarker ID={id}`. Every value marked TODO is a placeholder:
# `make check` fails, naming each one, until you replace them all. The Editors' guide
# (content/editors.md) explains every field; data/biomarkers/b2m.yaml is a complete example.
id: {id}
# The biomarker's full name, e.g. C-reactive protein.
name: "TODO: full name of the biomarker"
# Optional: uncomment and fill in when they apply.
# abbreviation: TODO
# aliases: [TODO, TODO]
# One or two sentences saying what the article covers; shown in the biomarkers index.
summary: "TODO: one or two sentences saying what this article covers."
original_post:
  # The blog post this article reproduces: its entry in data/references.bib.
  cite: {post_key}
  title: "TODO: the post's title, exactly as published"
  # TODO: the post's publication date (today's date is only a placeholder), in quotes.
  published: "{today}"
# The date you last checked this article against its sources, in quotes.
last_reviewed: "{today}"

overview:
  # One entry per paragraph of the post, in reading order. A comment quoting the paragraph's
  # first words helps the next editor find it, like this:
  # "TODO: first words of the post's first paragraph ..."
  - cite:
      - {post_key}
    # The paragraph cites only the post: `make check` warns and `make check-strict` fails on
    # it. When you find a primary source, add it to data/references.bib, cite it here (or on
    # the sentence or claim it supports), and delete the next line. To publish the paragraph
    # on the post alone for now, add after that line: acknowledged: <the reason, in plain words>
    needs_primary_source: true
    sentences:
      # One entry per sentence of the paragraph, in the post's own words. Mark the words of
      # each claim as [words]{{claim-id}}: every claim under claims: has exactly one span in the
      # text, and every span names one of them. A sentence usually holds several claims:
      #   in those with [leukemia]{{prognosis-leukemia}} and [lymphoma]{{prognosis-lymphoma}}
      # and spans may nest:
      #   [Viral infections, especially [HIV]{{serum-up-hiv}}]{{serum-up-viral-infections}}
      # A bracket or brace that is not markup is written with a backslash: \\[ \\] \\{{ \\}}
      # (inside "double quotes" the backslash is doubled: "\\\\[sic\\\\]").
      - text: "[TODO: the post's first sentence, in its words]{{{claim_id}}}."
        # Each claim also gets a sentence of its own, for condition and specimen pages and
        # search: its words put into claim_text where {{words}} stands (here the default,
        # "{{words}}."). When the words do not stand alone, write the rest of the sentence, e.g.
        # claim_text: "Beta-2 microglobulin is found in {{words}}."
        claims:
          - id: {claim_id}
            type: statement
            topic: definition
            # Optional: the claim's words for that sentence, when its span's words do not
            # stand alone: in "active [B]{{b-id}} and [T lymphocytes]{{t-id}}" the first claim
            # has words: active B lymphocytes. A claim may set its own claim_text too.

# Then add levels:, reference_ranges: and takeaways: as in data/biomarkers/b2m.yaml.
"""

POST_ENTRY_TEMPLATE = """
% The blog post of data/biomarkers/{id}.yaml, started by make new-biomarker: replace each TODO.
@online{{{post_key},
  organization = {{TODO: the blog's name}},
  title        = {{TODO: the post's title}},
  date         = {{{today}}}
}}
"""


@dataclass(frozen=True)
class Scaffold:
    """What ``write_scaffold`` created, for the message to the editor."""

    biomarker_file: str
    """The new data file, relative to the project."""
    bibliography: str
    """The BibTeX file, relative to the project."""
    post_key: str
    """The citation key of the blog post the article reproduces."""
    post_entry_added: bool
    """False when the bibliography already had an entry with that key."""


def refusal_reasons(paths: ProjectPaths, biomarker_id: str) -> list[str]:
    """Return why ``biomarker_id`` cannot be created (empty when it can); writes nothing."""
    if not SLUG.fullmatch(biomarker_id):  # the whole id: "crp\n" must not pass
        example = _slugify(biomarker_id)
        hint = f", e.g. {example!r}" if example and example not in RESERVED_IDS else ""
        return [
            f"not a valid id (got {biomarker_id!r}); use lowercase letters, digits and single"
            f" hyphens{hint}"
        ]
    if not SLUG_LENGTH.fullmatch(biomarker_id):
        return [
            f"the id is too long to name a file (got {biomarker_id[:40]!r}..., over 100"
            " characters); shorten it to 100 characters or fewer"
        ]
    reasons = []
    if biomarker_id in RESERVED_IDS:
        names = ", ".join(sorted(RESERVED_IDS))
        reasons.append(
            f"the id {biomarker_id!r} is reserved by the site ({names}); choose another id"
        )
    for suffix in (".yaml", ".yml"):
        existing = paths.data_dir / "biomarkers" / f"{biomarker_id}{suffix}"
        if existing.exists():
            reasons.append(
                f"{_shown(existing, paths)} already exists; edit it, or choose another id"
            )
    folder = paths.data_dir / "biomarkers"
    if not folder.is_dir():
        reasons.append(f"{_shown(folder, paths)}/ is missing; run this in the project folder")
    bib = paths.data_dir / "references.bib"
    if not bib.is_file():
        reasons.append(f"{_shown(bib, paths)} is missing; run this in the project folder")
    elif read_text(bib, _shown(bib, paths))[0] is None:
        reasons.append(f"{_shown(bib, paths)} is not UTF-8 text; run `make check` and fix it first")
    return reasons


def write_scaffold(paths: ProjectPaths, biomarker_id: str, today: date) -> Scaffold:
    """Create the article and, if missing, the post's entry; the id must have no refusal."""
    assert not refusal_reasons(paths, biomarker_id), "bug: write_scaffold on a refused id"
    post_key = f"{biomarker_id}-post"
    target = paths.data_dir / "biomarkers" / f"{biomarker_id}.yaml"
    bib = paths.data_dir / "references.bib"
    bib_text = bib.read_text(encoding="utf-8")
    text = BIOMARKER_TEMPLATE.format(
        modeline=SCHEMA_MODELINE,
        id=biomarker_id,
        post_key=post_key,
        claim_id=_unused_id(f"{biomarker_id}-definition", _taken_ids(paths)),
        today=today.isoformat(),
    )
    # "x": never overwrite, even a file created since the checks ran.
    with target.open("x", encoding="utf-8", newline="\n") as out:
        out.write(text)
    add_entry = not _has_entry(bib_text, post_key)
    if add_entry:
        entry = POST_ENTRY_TEMPLATE.format(
            id=biomarker_id, post_key=post_key, today=today.isoformat()
        )
        with bib.open("a", encoding="utf-8", newline="\n") as out:
            out.write(entry if bib_text.endswith("\n") or not bib_text else "\n" + entry)
    return Scaffold(_shown(target, paths), _shown(bib, paths), post_key, add_entry)


def next_steps(scaffold: Scaffold, biomarker_id: str) -> str:
    """Return the message telling the editor what was created and what to edit next."""
    entry = (
        f"added the entry '{scaffold.post_key}' for the blog post to {scaffold.bibliography}"
        if scaffold.post_entry_added
        else f"{scaffold.bibliography} already has '{scaffold.post_key}'; it is cited as the post"
    )
    return "\n".join(
        [
            f"created {scaffold.biomarker_file}",
            entry,
            "next:",
            f"  1. in {scaffold.biomarker_file}, replace every TODO: the name, summary, the"
            " post's title and date, and the first sentence",
            f"  2. in {scaffold.bibliography}, replace the TODOs of '{scaffold.post_key}' with"
            " the post's details (blog name, title, date, url)",
            "  3. add the post's paragraphs, levels, reference ranges and takeaways, citing"
            " primary sources where you can",
            f"  4. make check, then make serve: the article is at biomarkers/{biomarker_id}/",
        ]
    )


def _shown(path: Path, paths: ProjectPaths) -> str:
    return path.relative_to(paths.root).as_posix()


def _slugify(text: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))


def _has_entry(bib_text: str, key: str) -> bool:
    return re.search(rf"@\s*\w+\s*[{{(]\s*{re.escape(key)}\s*,", bib_text) is not None


def _taken_ids(paths: ProjectPaths) -> set[str]:
    """Return every ``id`` written in the biomarker files; unreadable files are skipped."""
    taken: set[str] = set()
    for path in (paths.data_dir / "biomarkers").glob("*.yaml"):
        document, _ = load_yaml_file(path, path.name)
        _collect_ids(document.root, taken)
    return taken


def _collect_ids(node: object, taken: set[str]) -> None:
    if isinstance(node, SourceMap):
        if isinstance(node.get("id"), str):
            taken.add(node["id"])
        for value in node.values():
            _collect_ids(value, taken)
    elif isinstance(node, SourceList):
        for item in node:
            _collect_ids(item, taken)


def _unused_id(base: str, taken: set[str]) -> str:
    """Return ``base``, or ``base-2``, ``base-3``... : claim ids must be unique across files."""
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    return candidate
