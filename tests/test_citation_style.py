"""AMA citation style: authors, books, articles and online sources as Markdown."""

from __future__ import annotations

import markdown
import pytest
from bs4 import BeautifulSoup

from biomarker_kb.citation_style import (
    ama_author,
    family_name,
    format_reference,
    reference_note,
    sentence_case,
    short_citation,
    shown_title,
)
from tests.helpers import make_reference


def _shown(markdown_text: str) -> BeautifulSoup:
    """Return the citation as a reader sees it (entities decoded, links as <a>)."""
    return BeautifulSoup(markdown.markdown(markdown_text), "html.parser")


def _text(markdown_text: str) -> str:
    return _shown(markdown_text).get_text()


# --------------------------------------------------------------------------- authors


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param("Argyropoulos, Christos P.", "Argyropoulos CP", id="last-first-initial"),
        pytest.param("Christos P. Argyropoulos", "Argyropoulos CP", id="first-last"),
        pytest.param("Ng, Yue-Harn", "Ng YH", id="hyphenated-given"),
        pytest.param("Roumelioti, Maria-Eleni", "Roumelioti ME", id="hyphenated-given-2"),
        pytest.param("Pagana, Kathleen Deska", "Pagana KD", id="two-given-names"),
        pytest.param("Smith, J. R.", "Smith JR", id="initials-only"),
        pytest.param("van der Berg, Jan", "van der Berg J", id="particle-last-first"),
        pytest.param("Plato", "Plato", id="single-name"),
        pytest.param("{World Health Organization}", "World Health Organization", id="organization"),
        pytest.param("{Müller & Co}", "Müller & Co", id="organization-with-symbols"),
    ],
)
def test_ama_author(name: str, expected: str) -> None:
    assert ama_author(name) == expected


def test_ama_author_with_suffix() -> None:
    assert ama_author("King, Jr, Martin Luther") == "King ML Jr"


def test_ama_author_particle_in_first_last_form() -> None:
    assert ama_author("Jan van der Berg") == "van der Berg J"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param("Argyropoulos, Christos P.", "Argyropoulos", id="last-first"),
        pytest.param("Christos P. Argyropoulos", "Argyropoulos", id="first-last"),
        pytest.param("van der Berg, Jan", "van der Berg", id="particle-last-first"),
        pytest.param("Jan van der Berg", "van der Berg", id="particle-first-last"),
        pytest.param("King, Jr, Martin Luther", "King", id="last-jr-first"),
        pytest.param("{World Health Organization}", "World Health Organization", id="organization"),
        pytest.param("Plato", "Plato", id="single-name"),
    ],
)
def test_family_name(name: str, expected: str) -> None:
    assert family_name(name) == expected


def test_organization_author_is_cited_whole_among_people() -> None:
    reference = make_reference(authors=("{World Health Organization}", "Smith, Jane"))
    assert _text(format_reference(reference)).startswith("World Health Organization, Smith J. ")


def _authors(count: int) -> tuple[str, ...]:
    return tuple(f"Author{i}, Given" for i in range(1, count + 1))


def test_up_to_six_authors_are_all_listed() -> None:
    reference = make_reference(authors=_authors(6))
    expected = "Author1 G, Author2 G, Author3 G, Author4 G, Author5 G, Author6 G."
    assert _text(format_reference(reference)).startswith(expected + " ")


def test_more_than_six_authors_are_cut_to_three_and_et_al() -> None:
    reference = make_reference(authors=_authors(7))
    assert _text(format_reference(reference)).startswith("Author1 G, Author2 G, Author3 G, et al. ")


def test_organization_stands_in_for_missing_authors() -> None:
    reference = make_reference(entry_type="online", authors=(), organization="Labcorp", title="T")
    assert _text(format_reference(reference)).startswith("Labcorp. T.")


# --------------------------------------------------------------------------- sentence case


@pytest.mark.parametrize(
    ("title", "protected", "expected"),
    [
        pytest.param(
            "Rediscovering Beta As a Biomarker",
            (),
            "Rediscovering beta as a biomarker",
            id="first-word-only",
        ),
        pytest.param(
            "rediscovering the marker", (), "Rediscovering the marker", id="first-word-capitalized"
        ),
        pytest.param(
            "Rediscovering Beta-2 Microglobulin As a Biomarker",
            ((14, 34),),
            "Rediscovering Beta-2 Microglobulin as a biomarker",
            id="protected-words",
        ),
        pytest.param("mRNA Levels", ((0, 4),), "mRNA levels", id="protected-first-word"),
        pytest.param("Whole Title Kept", ((0, 16),), "Whole Title Kept", id="protected-all"),
        pytest.param("Ab Cd", ((0, 1), (4, 5)), "Ab cd", id="protected-letters-in-words"),
        pytest.param("Ab Cd", ((-5, 1), (4, 99)), "Ab cd", id="ranges-beyond-the-title"),
        pytest.param("DNA Repair in CKD", (), "DNA repair in CKD", id="acronyms"),
        pytest.param(
            "HbA1c And eGFR In Diabetes", (), "HbA1c and eGFR in diabetes", id="inner-capitals"
        ),
        pytest.param("Is B2M Useful", (), "Is B2M useful", id="letters-and-digits"),
        pytest.param("Vitamin A Deficiency", (), "Vitamin A deficiency", id="single-capital"),
        pytest.param("Type II Diabetes", (), "Type II diabetes", id="roman-numeral"),
        pytest.param("O'Brien's Test", (), "O'Brien's test", id="apostrophe-in-a-name"),
        pytest.param("Patients' Views", (), "Patients' views", id="apostrophe-at-the-end"),
        pytest.param(
            "Beta-2 Microglobulin: An Overview",
            (),
            "Beta-2 microglobulin: an overview",
            id="colon-subtitle-lowercase",
        ),
        pytest.param(
            "Prenatal Diagnosis: Down Syndrome or More?",
            ((20, 24),),
            "Prenatal diagnosis: Down syndrome or more?",
            id="colon-protected-name",
        ),
        pytest.param(
            "Beta-2 Microglobulin: An Overview",
            ((0, 20),),
            "Beta-2 Microglobulin: an overview",
            id="colon-after-protected",
        ),
        pytest.param(
            "What Is The Outcome? Results From a Cohort",
            (),
            "What is the outcome? results from a cohort",
            id="question-mark-subtitle",
        ),
        pytest.param("Long-Term Follow-Up", (), "Long-term follow-up", id="hyphenated"),
        pytest.param(
            "Beta-2-Microglobulin Levels",
            (),
            "Beta-2-microglobulin levels",
            id="hyphenated-first-word",
        ),
        pytest.param(
            "Non-HDL Cholesterol And B-Cell Counts",
            (),
            "Non-HDL cholesterol and B-cell counts",
            id="hyphenated-with-acronym",
        ),
        pytest.param("Serum/Plasma Ratio", (), "Serum/plasma ratio", id="slash"),
        pytest.param("Émile's Method Revisited", (), "Émile's method revisited", id="accented"),
        pytest.param(
            "Cells Described By Müller", (), "Cells described by müller", id="unbraced-name"
        ),
        pytest.param("2 Cases Of CKD", (), "2 cases of CKD", id="number-first"),
        pytest.param("BETA-2 MICROGLOBULIN", (), "BETA-2 MICROGLOBULIN", id="all-capitals"),
        pytest.param("", (), "", id="empty"),
    ],
)
def test_sentence_case(title: str, protected: tuple[tuple[int, int], ...], expected: str) -> None:
    assert sentence_case(title, protected) == expected


@pytest.mark.parametrize(
    ("entry_type", "title", "expected"),
    [
        pytest.param(
            "article",
            "Beta-2 microglobulin in CKD",
            "Smith J. Beta-2 microglobulin in CKD. *J*.",
            id="article",
        ),
        pytest.param(
            "online",
            "Beta-2 microglobulin in CKD",
            "Smith J. Beta-2 microglobulin in CKD.",
            id="online",
        ),
        pytest.param(
            "misc",
            "Beta-2 microglobulin in CKD",
            "Smith J. Beta-2 microglobulin in CKD.",
            id="misc",
        ),
        pytest.param(
            "book",
            "Beta-2 Microglobulin In CKD",
            "Smith J. *Beta-2 Microglobulin In CKD.*",
            id="book-keeps-its-case",
        ),
    ],
)
def test_which_titles_are_sentence_cased(entry_type: str, title: str, expected: str) -> None:
    reference = make_reference(
        entry_type=entry_type,
        title="Beta-2 Microglobulin In CKD",
        journal="J",
        year=None,
        publisher=None,
    )
    assert shown_title(reference) == title
    assert format_reference(reference).startswith(expected)


def test_braced_words_keep_their_case_in_an_article_title() -> None:
    reference = make_reference(
        entry_type="article",
        title="Rediscovering Beta-2 Microglobulin As a Biomarker",
        title_protected=((14, 34),),
        journal="J",
    )
    assert "Rediscovering Beta-2 Microglobulin as a biomarker. *J*." in format_reference(reference)


# --------------------------------------------------------------------------- books and articles


@pytest.mark.parametrize(
    ("edition", "shown"),
    [
        ("1", "1st ed."),
        ("2", "2nd ed."),
        ("3", "3rd ed."),
        ("4", "4th ed."),
        ("11", "11th ed."),
        ("12", "12th ed."),
        ("13", "13th ed."),
        ("16", "16th ed."),
        ("21", "21st ed."),
        ("22", "22nd ed."),
        ("101", "101st ed."),
        ("111", "111th ed."),
        ("Revised", "Revised ed."),
    ],
)
def test_book_edition_is_an_ordinal(edition: str, shown: str) -> None:
    reference = make_reference(
        authors=("Pagana, Kathleen Deska", "Pagana, Timothy J."),
        title="Mosby's Diagnostic and Laboratory Test Reference",
        edition=edition,
        publisher="Mosby",
        year="2022",
    )
    assert _text(format_reference(reference)) == (
        f"Pagana KD, Pagana TJ. Mosby's Diagnostic and Laboratory Test Reference. {shown}"
        " Mosby; 2022."
    )


def test_book_title_is_italic() -> None:
    soup = _shown(format_reference(make_reference(title="Lab Tests")))
    emphasis = soup.find("em")
    assert emphasis is not None
    assert emphasis.get_text() == "Lab Tests."


def test_article_in_ama_style_with_doi_link() -> None:
    reference = make_reference(
        entry_type="article",
        authors=("Argyropoulos, Christos P.", "Chen, Shan Shan"),
        title="Rediscovering Beta-2 Microglobulin",
        journal="Frontiers in Medicine",
        year="2017",
        volume="4",
        number="2",
        pages="73",
        pmid="28664159",
        doi="10.3389/fmed.2017.00073",
        publisher=None,
    )
    soup = _shown(format_reference(reference))
    assert soup.get_text() == (
        "Argyropoulos CP, Chen SS. Rediscovering beta-2 microglobulin. Frontiers in Medicine."
        " 2017;4(2):73. PMID: 28664159. doi:10.3389/fmed.2017.00073"
    )
    assert [e.get_text() for e in soup.find_all("em")] == ["Frontiers in Medicine"]
    links = soup.find_all("a")
    assert [(a.get_text(), a["href"]) for a in links] == [
        ("10.3389/fmed.2017.00073", "https://doi.org/10.3389/fmed.2017.00073")
    ]


def test_doi_with_markdown_characters_stays_one_link() -> None:
    reference = make_reference(doi="10.1002/(SICI)1097-0258[x]_y")
    links = _shown(format_reference(reference)).find_all("a")
    assert len(links) == 1
    assert links[0].get_text() == "10.1002/(SICI)1097-0258[x]_y"
    assert links[0]["href"] == "https://doi.org/10.1002/%28SICI%291097-0258%5Bx%5D_y"


@pytest.mark.parametrize(
    ("fields", "ending"),
    [
        pytest.param(
            {"entry_type": "article", "pmid": "123", "doi": "10.1000/x"},
            "2020. PMID: 123. doi:10.1000/x",
            id="article-pmid-then-doi",
        ),
        pytest.param(
            {"entry_type": "article", "doi": "10.1000/x", "url": "https://example.com/a"},
            "2020. doi:10.1000/x",
            id="article-doi-not-url",
        ),
        pytest.param(
            {"entry_type": "article", "pmid": "123", "url": "https://example.com/a"},
            "2020. PMID: 123. https://example.com/a",
            id="article-pmid-then-url",
        ),
        pytest.param(
            {"entry_type": "online", "pmid": "123", "url": "https://example.com/a"},
            "Published 2020. PMID: 123. https://example.com/a",
            id="online-pmid-then-url",
        ),
        pytest.param({"entry_type": "article", "pmid": "123"}, "2020. PMID: 123.", id="pmid-last"),
    ],
)
def test_pmid_comes_before_the_doi_or_url_which_is_last(
    fields: dict[str, object], ending: str
) -> None:
    reference = make_reference(title="T", journal="J", note="A note.", **fields)
    shown = _text(format_reference(reference))
    assert shown.endswith(ending)
    assert "A note" not in shown


# --------------------------------------------------------------------------- notes


@pytest.mark.parametrize(
    "entry_type", [pytest.param(t, id=t) for t in ("article", "book", "online", "misc")]
)
def test_note_is_kept_out_of_the_reference(entry_type: str) -> None:
    reference = make_reference(entry_type=entry_type, note="Test catalog entry", journal="J")
    assert "catalog" not in format_reference(reference)
    assert reference_note(reference) == "Test catalog entry."


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        pytest.param(None, "", id="none"),
        pytest.param("", "", id="empty"),
        pytest.param("Licensed CC BY", "Licensed CC BY.", id="full-stop-added"),
        pytest.param("Is it open?", "Is it open?", id="own-punctuation"),
        pytest.param("(CC BY)", "&#40;CC BY&#41;.", id="escaped"),
    ],
)
def test_reference_note(note: str | None, expected: str) -> None:
    assert reference_note(make_reference(note=note)) == expected


def test_hostile_note_is_inert() -> None:
    note = "{{ 7*7 }} [^post-h] | pipe <script>alert(1)</script> [x](javascript:alert(1))"
    soup = _shown(reference_note(make_reference(note=note)))
    assert soup.find_all(["script", "sup", "em", "a"]) == []
    assert soup.get_text() == note + "."


def test_title_ending_in_punctuation_gets_no_extra_full_stop() -> None:
    reference = make_reference(entry_type="article", title="Is B2M useful?", journal="J")
    assert "Is B2M useful? J." in _text(format_reference(reference))


# --------------------------------------------------------------------------- online sources


def test_online_entry_with_url_and_full_date() -> None:
    reference = make_reference(
        entry_type="online",
        authors=(),
        organization="Research Blog",
        title="Beta-2 Microglobulin: An Overview",
        title_protected=((0, 20),),
        year="2023",
        month="sep",
        day="7",
        url="https://example.com/b2m?x=1",
        publisher=None,
    )
    soup = _shown(format_reference(reference))
    assert soup.get_text() == (
        "Research Blog. Beta-2 Microglobulin: an overview. Published September 7, 2023."
        " https://example.com/b2m?x=1"
    )
    assert [a["href"] for a in soup.find_all("a")] == ["https://example.com/b2m?x=1"]


def test_online_entry_with_year_only() -> None:
    reference = make_reference(
        entry_type="online", authors=(), organization="O", title="T", year="2023", publisher=None
    )
    assert _text(format_reference(reference)) == "O. T. Published 2023."


def test_online_entry_with_month_and_year() -> None:
    reference = make_reference(
        entry_type="online",
        authors=(),
        organization="O",
        title="T",
        year="2023",
        month="sep",
        publisher=None,
    )
    assert _text(format_reference(reference)) == "O. T. Published September 2023."


def test_hostile_fields_are_escaped() -> None:
    reference = make_reference(
        entry_type="online",
        authors=(),
        organization="<script>alert(1)</script>",
        title="[^x] {{ 7*7 }} | *a*",
        publisher=None,
        year=None,
    )
    soup = _shown(format_reference(reference))
    assert soup.find_all(["script", "sup", "em", "a"]) == []
    assert soup.get_text() == "<script>alert(1)</script>. [^X] {{ 7*7 }} | *a*."


@pytest.mark.parametrize(
    ("title", "shown"),
    [
        pytest.param(
            "<SCRIPT>Alert(1)</SCRIPT> Is Safe", "<SCRIPT>alert(1)</SCRIPT> is safe", id="script"
        ),
        pytest.param(
            "[Click Here](javascript:Alert(1)) Now",
            "[Click here](javascript:alert(1)) now",
            id="link",
        ),
        pytest.param(
            "*Bold* And _Em_ And `Code` And [^Note]",
            "*Bold* and _em_ and `code` and [^note]",
            id="emphasis-code-and-footnote",
        ),
        pytest.param(
            "<IMG SRC=x ONERROR=Alert(1)> Title", "<IMG SRC=x ONERROR=alert(1)> title", id="image"
        ),
        pytest.param("{{ Seven*Seven }} | Pipe", "{{ Seven*seven }} | pipe", id="template-pipe"),
    ],
)
def test_hostile_sentence_cased_title_is_still_inert(title: str, shown: str) -> None:
    reference = make_reference(entry_type="article", title=title, journal="J", year="2020")
    soup = _shown(format_reference(reference))
    active = soup.find_all(["script", "sup", "em", "a", "img", "code", "strong"])
    assert [(tag.name, tag.get_text()) for tag in active] == [("em", "J")]
    assert soup.get_text() == f"Smith J. {shown}. J. 2020."


# --------------------------------------------------------------------------- short form


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"authors": ("Pagana, Kathleen",), "year": "2022"}, "Pagana 2022"),
        ({"authors": ("Kathleen Pagana",), "year": None}, "Pagana"),
        ({"authors": (), "organization": "Labcorp"}, "Labcorp"),
        ({"authors": (), "organization": None, "title": "Only a title"}, "Only a title"),
        ({"authors": ("Jan van der Berg",), "year": "2019"}, "van der Berg 2019"),
        (
            {"authors": ("{World Health Organization}",), "year": "2020"},
            "World Health Organization 2020",
        ),
    ],
)
def test_short_citation(fields: dict[str, object], expected: str) -> None:
    assert short_citation(make_reference(**fields)) == expected
