"""Render helper: every page path, link and anchor of the generated site, in one place.

Input: record ids (biomarker, condition, specimen, claim, reference keys). Output: paths inside
the docs dir (``biomarkers/b2m.md``), relative Markdown link targets between pages, and element
ids. Ids come from validated slugs and citation keys; nothing here escapes. Pure.
"""

from __future__ import annotations

import functools

HOME = "index.md"
REFERENCES = "references.md"
BIOMARKERS_INDEX = "biomarkers/index.md"
CONDITIONS_INDEX = "conditions/index.md"
SPECIMENS_INDEX = "specimens/index.md"
FEED = "feed.xml"
"""The Atom feed of the articles, at the site's root."""


def article(biomarker_id: str) -> str:
    """Return the docs path of a biomarker's article."""
    return f"biomarkers/{biomarker_id}.md"


def condition(condition_id: str) -> str:
    """Return the docs path of a condition's page."""
    return f"conditions/{condition_id}.md"


def specimen(specimen_id: str) -> str:
    """Return the docs path of a specimen's page."""
    return f"specimens/{specimen_id}.md"


def claim_anchor(claim_id: str) -> str:
    """Return the element id of a claim, on its article and wherever it is listed."""
    return f"claim-{claim_id}"


def sentence_anchor(first_claim_id: str) -> str:
    """Return the element id of a sentence, named after its first claim."""
    return f"sentence-{first_claim_id}"


def note_anchor(first_claim_id: str) -> str:
    """Return the element id of the editor's note on a sentence, range or takeaway."""
    return f"note-{first_claim_id}"


def reference_anchor(key: str) -> str:
    """Return the element id of a reference on the references page."""
    return f"ref-{key}"


def footnote_anchor(key: str) -> str:
    """Return the element id of a source's footnote on a page (Material's tooltips need fn:)."""
    return f"fn:{key}"


def footnote_ref_anchor(key: str, occurrence: int) -> str:
    """Return the element id of the ``occurrence``-th mark citing ``key`` on a page (1-based)."""
    return f"fnref{occurrence}:{key}" if occurrence > 1 else f"fnref:{key}"


def chart_anchor(biomarker_id: str, specimen_id: str, index: int) -> str:
    """Return the element id of a range chart (its title and description hang off it)."""
    return f"chart-{biomarker_id}-{specimen_id}-{index}"


LEAF_PAGE = "_leaf/_.md"
"""Stands for any page one folder deep (articles, condition and specimen pages): links made once
from it ("../conditions/x.md") are right on all of them."""

CONTESTED_ANCHOR = "contested-findings"
NOTES_ANCHOR = "editors-notes"


@functools.lru_cache(maxsize=1 << 16)  # the same few targets are linked from thousands of rows
def link(from_page: str, to_page: str, anchor: str | None = None) -> str:
    """Return the relative Markdown link target from one docs page to another (or its anchor).

    Every generated page sits at the top of the docs dir or one folder below it.
    """
    from_dir, _, _ = from_page.rpartition("/")
    to_dir, _, to_name = to_page.rpartition("/")
    if from_dir == to_dir:
        target = to_name
    elif from_dir:
        target = f"../{to_page}"
    else:
        target = to_page
    return f"{target}#{anchor}" if anchor else target


def page_url(path: str) -> str:
    """Return the address of a docs page relative to the site's root (directory URLs).

    ``biomarkers/b2m.md`` → ``biomarkers/b2m/``; ``biomarkers/index.md`` → ``biomarkers/``.
    """
    stem = path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return f"{stem}/"


DOWNLOADS = (
    ("downloads/knowledge-base.json", "the whole knowledge base (JSON)"),
    ("downloads/knowledge-base.schema.json", "its JSON Schema"),
    ("downloads/claims.csv", "every claim (CSV)"),
    ("downloads/reference-ranges.csv", "every reference range (CSV)"),
    ("downloads/references.bib", "the references (BibTeX)"),
    ("downloads/references.json", "the references (CSL-JSON)"),
)
"""The open-data files (path in the site, what it holds), in the order pages list them."""


def download_links(from_page: str) -> str:
    """Return the download files as Markdown links from ``from_page``, separated by commas."""
    return ", ".join(f"[{what}]({link(from_page, path)})" for path, what in DOWNLOADS)
