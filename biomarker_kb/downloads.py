"""Export stage: the site's download files, made from the checked records.

Input: a checked ``KnowledgeBase``, each biomarker's data file and the text of references.bib.
Output: the files under ``downloads/`` as ``RenderedPage`` records (path, bytes, source):
the knowledge base as JSON and its JSON Schema, the claims and reference ranges as CSV, the
bibliography as BibTeX and as CSL-JSON. ``DownloadMemo`` keeps each biomarker's part between
the builds of `mkdocs serve`, so an edit re-exports one article, not all of them; the bytes
are the same as exporting everything afresh (a test checks it).
"""

from __future__ import annotations

import json
from importlib import resources
from typing import TYPE_CHECKING

from biomarker_kb import urls
from biomarker_kb.csl_json import csl_items
from biomarker_kb.open_data import (
    CLAIM_COLUMNS,
    FORMAT_VERSION,
    RANGE_COLUMNS,
    biomarker_claim_rows,
    biomarker_document,
    biomarker_range_rows,
    table,
    vocabularies,
)
from biomarker_kb.render import RenderedPage

if TYPE_CHECKING:
    from collections.abc import Mapping

    from biomarker_kb.model import Biomarker, KnowledgeBase

PATHS = tuple(path for path, _ in urls.DOWNLOADS)
KNOWLEDGE_BASE, SCHEMA, CLAIMS, RANGES, BIBTEX, CSL = PATHS


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class DownloadMemo:
    """Each biomarker's JSON and CSV parts, kept while its record is the same object."""

    def __init__(self) -> None:
        self._parts: dict[str, tuple[Biomarker, str, str, str]] = {}

    def parts(self, biomarker: Biomarker, source: str) -> tuple[str, str, str]:
        """Return the biomarker's JSON object and its claims and ranges rows, as text."""
        kept = self._parts.get(biomarker.id)
        if kept is not None and kept[0] is biomarker:
            return kept[1], kept[2], kept[3]
        made = (
            _json(biomarker_document(biomarker, source)),
            table(CLAIM_COLUMNS, biomarker_claim_rows(biomarker), header=False),
            table(RANGE_COLUMNS, biomarker_range_rows(biomarker), header=False),
        )
        self._parts[biomarker.id] = (biomarker, *made)
        return made

    def keep_only(self, biomarkers: tuple[Biomarker, ...]) -> None:
        """Forget the biomarkers that are gone."""
        ids = {b.id for b in biomarkers}
        self._parts = {i: kept for i, kept in self._parts.items() if i in ids}


def download_files(
    kb: KnowledgeBase, sources: Mapping[str, str], bibtex: str, memo: DownloadMemo | None = None
) -> list[RenderedPage]:
    """Return every download file."""
    memo = memo or DownloadMemo()
    memo.keep_only(kb.biomarkers)
    parts = [memo.parts(b, sources[b.id]) for b in kb.biomarkers]
    shared = vocabularies(kb)
    document = (
        f'{{"format_version":{_json(FORMAT_VERSION)},'
        f'"biomarkers":[{",".join(p[0] for p in parts)}],'
        f'"conditions":{_json(shared["conditions"])},'
        f'"specimens":{_json(shared["specimens"])},'
        f'"references":{_json(shared["references"])}}}\n'
    )
    claims = table(CLAIM_COLUMNS, [], header=True) + "".join(p[1] for p in parts)
    ranges = table(RANGE_COLUMNS, [], header=True) + "".join(p[2] for p in parts)
    schema = resources.files("biomarker_kb").joinpath("schema/knowledge-base.schema.json")
    csl = json.dumps(csl_items(kb.references.values()), ensure_ascii=False, indent=1) + "\n"
    files = {
        KNOWLEDGE_BASE: (document, "data/"),
        SCHEMA: (schema.read_text(encoding="utf-8"), "biomarker_kb/schema/"),
        CLAIMS: (claims, "data/biomarkers/"),
        RANGES: (ranges, "data/biomarkers/"),
        BIBTEX: (bibtex, "data/references.bib"),
        CSL: (csl, "data/references.bib"),
    }
    return [
        RenderedPage(path, text.encode("utf-8"), source) for path, (text, source) in files.items()
    ]
