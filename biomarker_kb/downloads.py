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
from biomarker_kb.record_memo import PerBiomarker
from biomarker_kb.render import RenderedPage

if TYPE_CHECKING:
    from biomarker_kb.model import Biomarker, KnowledgeBase

KNOWLEDGE_BASE, SCHEMA, CLAIMS, RANGES, BIBTEX, CSL = (path for path, _ in urls.DOWNLOADS)
SOURCES = {
    KNOWLEDGE_BASE: "data/",
    SCHEMA: "biomarker_kb/schema/",
    CLAIMS: "data/biomarkers/",
    RANGES: "data/biomarkers/",
    BIBTEX: "data/references.bib",
    CSL: "data/references.bib",
}
"""Each download file → what it is made from."""


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _parts(biomarker: Biomarker) -> tuple[str, str, str]:
    """Return the biomarker's JSON object and its claims and ranges rows, as text."""
    return (
        _json(biomarker_document(biomarker, biomarker.location.path)),
        table(CLAIM_COLUMNS, biomarker_claim_rows(biomarker), header=False),
        table(RANGE_COLUMNS, biomarker_range_rows(biomarker), header=False),
    )


class DownloadMemo(PerBiomarker[tuple[str, str, str]]):
    """Each biomarker's JSON and CSV parts, kept while its record is the same object."""

    def __init__(self) -> None:
        super().__init__(_parts)
        self._shared: tuple[object, dict[str, str]] | None = None

    def shared(self, kb: KnowledgeBase) -> dict[str, str]:
        """Return the vocabularies and references as JSON text, and the CSL-JSON file.

        Kept while the records are equal (the same objects, when their files did not change):
        at N=1000 they are 5,000 records, made again on every edit otherwise.
        """
        key = tuple(
            tuple(records.values()) for records in (kb.conditions, kb.specimens, kb.references)
        )
        if self._shared is None or self._shared[0] != key:
            texts = {name: _json(records) for name, records in vocabularies(kb).items()}
            items = csl_items(kb.references.values())
            texts["csl"] = json.dumps(items, ensure_ascii=False, indent=1) + "\n"
            self._shared = (key, texts)
        return self._shared[1]


def download_files(
    kb: KnowledgeBase, bibtex: str, memo: DownloadMemo | None = None
) -> list[RenderedPage]:
    """Return every download file (each biomarker's data file is where its record was read)."""
    memo = memo or DownloadMemo()
    memo.keep_only(kb.biomarkers)
    parts = [memo(b) for b in kb.biomarkers]
    shared = memo.shared(kb)
    document = (
        f'{{"format_version":{_json(FORMAT_VERSION)},'
        f'"biomarkers":[{",".join(p[0] for p in parts)}],'
        f'"conditions":{shared["conditions"]},'
        f'"specimens":{shared["specimens"]},'
        f'"references":{shared["references"]}}}\n'
    )
    claims = table(CLAIM_COLUMNS, [], header=True) + "".join(p[1] for p in parts)
    ranges = table(RANGE_COLUMNS, [], header=True) + "".join(p[2] for p in parts)
    schema = resources.files("biomarker_kb").joinpath("schema/knowledge-base.schema.json")
    files = {
        KNOWLEDGE_BASE: document,
        SCHEMA: schema.read_text(encoding="utf-8"),
        CLAIMS: claims,
        RANGES: ranges,
        BIBTEX: bibtex,
        CSL: shared["csl"],
    }
    return [RenderedPage(path, text.encode("utf-8"), SOURCES[path]) for path, text in files.items()]
