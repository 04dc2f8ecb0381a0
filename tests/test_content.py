"""Completeness over the real data: every claim is sourced, every source is used, and every
sentence is the original post's sentence."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from biomarker_kb.model import Association, Claim, Pattern, Range, Sentence, Statement
from biomarker_kb.pipeline import CheckResult, ProjectPaths, check
from biomarker_kb.primary_source import post_only_claims
from biomarker_kb.spans import plain_text
from tests.helpers import PROJECT_ROOT

# Collected at import time so that each claim and each reference gets its own test id.
REAL = check(ProjectPaths.at(PROJECT_ROOT))
KB = REAL.kb
BIOMARKERS = list(KB.biomarkers) if KB else []
CLAIMS: list[tuple[Claim, str]] = [
    (claim, b.original_post.cite) for b in BIOMARKERS for claim in b.claims
]
REFERENCE_KEYS = sorted(KB.references) if KB else []
POST_ONLY_WARNING = "only the original post; find a primary source"
SENTENCES: list[Sentence] = [
    *(s for b in BIOMARKERS for p in b.overview for s in p.sentences),
    *(s for b in BIOMARKERS for lst in b.levels for s in lst.items),
    *(s for b in BIOMARKERS for p in b.range_paragraphs for s in p.sentences),
]
SENTENCE_CLAIMS = [claim for sentence in SENTENCES for claim in sentence.claims]
# The post the real article was written from (issue 11: "sentence for sentence"), as published.
ORIGINAL_POST = Path(__file__).parent / "source" / "b2m-overview-blog-post.txt"
SENTENCE_END = (".", "?", "!")


def _vocabulary_links(claim: Claim) -> list[tuple[str, str]]:
    """Return the (kind, id) pairs of every condition and specimen a claim refers to."""
    links: list[tuple[str, str | None]] = []
    if isinstance(claim, Statement):
        links += [("condition", c) for c in claim.conditions]
        links += [("specimen", s) for s in claim.specimens]
    elif isinstance(claim, Association):
        links += [("condition", claim.condition), ("specimen", claim.specimen)]
        links += [("condition", claim.population)]
    elif isinstance(claim, Pattern):
        links += [("condition", claim.condition)]
        links += [("specimen", f.specimen) for f in claim.findings]
    elif isinstance(claim, Range):
        links += [("specimen", claim.specimen)]
    return [(kind, ref) for kind, ref in links if ref is not None]


LINKS = [
    pytest.param(kind, ref, id=f"{claim.id}-{kind}-{ref}")
    for claim, _ in CLAIMS
    for kind, ref in _vocabulary_links(claim)
]
BROADER = [
    pytest.param(broader, id=f"{condition.id}-broader-{broader}")
    for condition in (KB.conditions.values() if KB else [])
    for broader in condition.broader
]
TEST_SPECIMENS = [
    pytest.param(test.specimen, id=f"{b.id}-test-{test.specimen}")
    for b in BIOMARKERS
    for test in b.tests
]


def test_real_data_has_no_errors(real_check: CheckResult) -> None:
    assert [str(p) for p in real_check.errors] == []
    assert real_check.kb is not None


def test_real_data_has_claims_and_references() -> None:
    assert BIOMARKERS, "no biomarker was loaded from data/biomarkers/"
    assert CLAIMS
    assert REFERENCE_KEYS


@pytest.mark.parametrize(("claim", "post_key"), CLAIMS, ids=[c.id for c, _ in CLAIMS])
def test_claim_has_a_citation(claim: Claim, post_key: str) -> None:
    assert len(claim.citations) >= 1


@pytest.mark.parametrize(("claim", "post_key"), CLAIMS, ids=[c.id for c, _ in CLAIMS])
def test_claim_citation_keys_are_in_the_bibliography(claim: Claim, post_key: str) -> None:
    assert KB is not None
    missing = [key for key in claim.citation_keys if key not in KB.references]
    assert missing == []


@pytest.mark.parametrize(("claim", "post_key"), CLAIMS, ids=[c.id for c, _ in CLAIMS])
def test_claim_is_flagged_exactly_when_it_cites_only_the_post(claim: Claim, post_key: str) -> None:
    cites_only_post = set(claim.citation_keys) == {post_key}
    assert claim.needs_primary_source == cites_only_post


@pytest.mark.parametrize("key", REFERENCE_KEYS)
def test_reference_is_cited_by_a_claim(key: str) -> None:
    citing = [claim.id for claim, _ in CLAIMS if key in claim.citation_keys]
    assert citing, f"{key} is in data/references.bib but no claim cites it"


def test_claim_ids_are_unique_across_biomarkers() -> None:
    ids = [claim.id for claim, _ in CLAIMS]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(("kind", "ref"), LINKS)
def test_claim_refers_to_a_known_condition_or_specimen(kind: str, ref: str) -> None:
    assert KB is not None
    known = KB.conditions if kind == "condition" else KB.specimens
    assert ref in known


@pytest.mark.parametrize("broader", BROADER)
def test_broader_condition_exists(broader: str) -> None:
    assert KB is not None
    assert broader in KB.conditions


@pytest.mark.parametrize("specimen", TEST_SPECIMENS)
def test_measured_test_specimen_exists(specimen: str) -> None:
    assert KB is not None
    assert specimen in KB.specimens


def test_every_claim_citing_only_the_post_is_acknowledged(real_check: CheckResult) -> None:
    """The publishing gate: a claim resting on the post alone is published knowingly."""
    assert real_check.kb is not None
    post_only = post_only_claims(real_check.kb)
    assert [claim.id for claim in post_only if not claim.acknowledged] == []
    assert [str(p) for p in real_check.warnings if POST_ONLY_WARNING in p.message] == []


# --------------------------------------------------------------------------- sentence for sentence


@pytest.mark.parametrize("claim", SENTENCE_CLAIMS, ids=[c.id for c in SENTENCE_CLAIMS])
def test_stand_alone_text_is_a_sentence_or_a_list_entry(claim: Claim) -> None:
    """A claim shown alone (condition pages, search, exports) reads as a whole sentence."""
    in_list = isinstance(claim, Association) and claim.in_list
    assert in_list or claim.text.endswith(SENTENCE_END), claim.text


def _normalised(text: str) -> str:
    """Return ``text`` with each run of whitespace (the post has non-breaking spaces) as a space."""
    return " ".join(text.split())


# The post cites in the text, "... urine B2M (Argyropoulos 2017)."; the data gives that source as
# a paragraph's or list's cite (shown as its footnote), so the sentence is compared without it.
PRINTED_CITATION = re.compile(r" \((?:[A-Z][A-Za-z-]+ \d{4})(?:, [A-Z][A-Za-z-]+ \d{4})*\)")


@pytest.fixture(scope="module")
def original_post() -> str:
    return PRINTED_CITATION.sub("", _normalised(ORIGINAL_POST.read_text(encoding="utf-8")))


@pytest.mark.parametrize("sentence", SENTENCES, ids=[s.claims[0].id for s in SENTENCES])
def test_sentence_is_the_original_posts_sentence(sentence: Sentence, original_post: str) -> None:
    """Each sentence is the post's, word for word, unless it records what the post printed."""
    printed = sentence.as_printed
    expected = plain_text(sentence.parts) if printed is None else printed
    assert _normalised(expected) in original_post
