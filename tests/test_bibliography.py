"""Bibliography: BibTeX text → References with LaTeX decoded, and located problems."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from biomarker_kb.bibliography import parse_bibliography
from biomarker_kb.citation_style import (
    format_reference,
    reference_note,
    sentence_case,
    short_citation,
)
from biomarker_kb.load import BibFile
from tests.helpers import PROJECT_ROOT

if TYPE_CHECKING:
    from biomarker_kb.model import Reference

BIB = "data/references.bib"


def _parse(text: str) -> tuple[dict[str, Reference], list[str]]:
    bibliography = parse_bibliography(BibFile(BIB, text))
    return bibliography.references, [str(p) for p in bibliography.problems]


def _one(text: str) -> Reference:
    references, problems = _parse(text)
    assert problems == []
    (reference,) = references.values()
    return reference


def _book(*fields: str, key: str = "a") -> str:
    lines = ["author = {Smith, Jane}", "title = {Lab Tests}", "publisher = {Press}"]
    lines += ["year = {2020}", *fields]
    return f"@book{{{key},\n" + ",\n".join(f"  {line}" for line in lines) + "\n}\n"


# --------------------------------------------------------------------------- LaTeX → Unicode


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        pytest.param(r"M{\"u}ller", "Müller", id="umlaut-braced"),
        pytest.param(r"M\"uller", "Müller", id="umlaut-bare"),
        pytest.param(r"{\'E}mile", "Émile", id="acute"),
        pytest.param(r"{DNA} repair", "DNA repair", id="case-protection"),
        pytest.param(r"{{Mosby's}} Guide", "Mosby's Guide", id="double-braces"),
        pytest.param(r"50\% of cases", "50% of cases", id="percent"),
        pytest.param("two\n    lines", "two lines", id="line-break"),
        pytest.param(r"A~B", "A B", id="tie"),
    ],
)
def test_latex_is_decoded_in_text_fields(latex: str, text: str) -> None:
    reference = _one(_book(f"note = {{{latex}}}"))
    assert reference.note == text


def test_author_list_is_split_and_decoded() -> None:
    reference = _one(
        "@article{a,\n"
        "  author = {M{\\\"u}ller, Hans and Ng, Yue-Harn and {\\'E}mile Zola},\n"
        "  title = {{DNA} Repair},\n"
        "  journal = {J},\n"
        "  year = {2020}\n"
        "}\n"
    )
    assert reference.authors == ("Müller, Hans", "Ng, Yue-Harn", "Émile Zola")
    assert reference.title == "DNA Repair"


def test_braced_name_keeps_its_and_and_latex_is_decoded_per_name() -> None:
    reference = _one(
        "@book{a,\n"
        "  author = {{Barnes and Noble} and Smith, Jane and {\\v{C}}apek, Karel},\n"
        "  title = {T},\n"
        "  publisher = {P},\n"
        "  year = {2020}\n"
        "}\n"
    )
    assert reference.authors == ("{Barnes and Noble}", "Smith, Jane", "Čapek, Karel")
    assert format_reference(reference).startswith("Barnes and Noble, Smith J, Čapek K. ")


def test_doi_and_url_are_kept_verbatim() -> None:
    reference = _one(_book("doi = {10.1000/a_b{c}}", "url = {https://example.com/a_b?x=1&y=%7E}"))
    assert reference.doi == "10.1000/a_b{c}"
    assert reference.url == "https://example.com/a_b?x=1&y=%7E"


def test_string_macros_and_month_names_are_expanded() -> None:
    reference = _one(
        "@string{fm = {Frontiers in Medicine}}\n"
        "@article{a,\n"
        "  author = {Smith, Jane},\n"
        "  title = {T},\n"
        "  journal = fm,\n"
        "  year = 2017,\n"
        "  month = JUN\n"
        "}\n"
    )
    assert (reference.journal, reference.year, reference.month) == (
        "Frontiers in Medicine",
        "2017",
        "jun",
    )


def test_reference_location_is_the_entry_line() -> None:
    references, _ = _parse("\n\n" + _book(key="a") + "\n" + _book(key="b"))
    assert [str(r.location) for r in references.values()] == [f"{BIB}:3", f"{BIB}:10"]


# ------------------------------------------------------------------ titles: braces keep their case


def _article(title: str, *fields: str) -> str:
    lines = ["author = {Smith, Jane}", f"title = {{{title}}}", "journal = {J}", "year = {2020}"]
    return "@article{a,\n" + ",\n".join(f"  {line}" for line in [*lines, *fields]) + "\n}\n"


@pytest.mark.parametrize(
    ("latex", "title", "protected"),
    [
        pytest.param(
            r"Rediscovering {Beta-2 Microglobulin} As a Biomarker",
            "Rediscovering Beta-2 Microglobulin As a Biomarker",
            ((14, 34),),
            id="braced-words",
        ),
        pytest.param(r"{{Mosby's}} Guide", "Mosby's Guide", ((0, 7),), id="double-braces"),
        pytest.param(r"{Whole Title}", "Whole Title", ((0, 11),), id="whole-title"),
        pytest.param(r"{A}{B} c", "AB c", ((0, 2),), id="adjacent-groups-merge"),
        pytest.param(r"M{\"u}ller Cells", "Müller Cells", (), id="accent-group-is-a-letter"),
        pytest.param(r"{M{\"u}ller} Cells", "Müller Cells", ((0, 6),), id="braced-accented-name"),
        pytest.param(r"\"{U}ber", "Über", ((0, 1),), id="braced-accent-argument"),
        pytest.param(r"\emph{In Vivo} Studies", "In Vivo Studies", ((0, 7),), id="macro-argument"),
        pytest.param(r"Serum $\beta_2$ Level", "Serum β_2 Level", ((6, 9),), id="math"),
        pytest.param(r"50\% of {DNA}", "50% of DNA", ((7, 10),), id="escaped-percent"),
        pytest.param("two\n    {Lines}  here", "two Lines here", ((4, 9),), id="spaces-collapse"),
        pytest.param("50% of Cases", "50% of Cases", (), id="plain-text"),
    ],
)
def test_title_keeps_the_ranges_its_braces_protect(
    latex: str, title: str, protected: tuple[tuple[int, int], ...]
) -> None:
    reference = _one(_article(latex))
    assert (reference.title, reference.title_protected) == (title, protected)


@pytest.mark.parametrize(
    ("latex", "shown"),
    [
        pytest.param(
            r"M{\"u}ller Cells in the Retina", "Müller cells in the retina", id="accent-first-word"
        ),
        pytest.param(r"The {M{\"u}ller} Cell", "The Müller cell", id="braced-accented-name"),
        pytest.param(
            r"Cells Described by M{\"u}ller",
            "Cells described by müller",
            id="unbraced-name-is-lowercased-as-in-bibtex",
        ),
        pytest.param(r"{\'E}mile's Method", "Émile's method", id="accent-initial"),
        pytest.param(r"The {DNA} Repair", "The DNA repair", id="braced-acronym"),
        pytest.param(r"{{Mosby's}} Guide For Nurses", "Mosby's guide for nurses", id="double"),
        pytest.param(r"\emph{In Vivo} Studies", "In Vivo studies", id="macro-argument"),
        pytest.param(r"Serum $\beta_2$ Level", "Serum β_2 level", id="math"),
        pytest.param(
            r"{Beta-2 Microglobulin}: An Overview",
            "Beta-2 Microglobulin: an overview",
            id="colon-after-braces",
        ),
    ],
)
def test_article_title_in_sentence_case_from_latex(latex: str, shown: str) -> None:
    reference = _one(_article(latex))
    assert sentence_case(reference.title, reference.title_protected) == shown


_LATEX_PIECES = [
    *"aZ é{}\\$%~^_&#:-?'\"\n",
    r"\emph",
    r"\'",
    r"{\'E}",
    r"\begin{x}",
    r"\end{x}",
    r"\\",
    "DNA",
    " As ",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_LATEX_PIECES), max_size=24).map("".join))
def test_any_title_is_a_reference_or_a_located_problem(latex: str) -> None:
    bibliography = parse_bibliography(BibFile(BIB, _article(latex, f"note = {{{latex}}}")))
    if "a" not in bibliography.references:
        assert bibliography.problems
        assert all(str(p).startswith(f"{BIB}:") for p in bibliography.problems)
        return
    reference = bibliography.references["a"]
    assert reference.title == reference.note  # the same text as every other decoded field
    spans = reference.title_protected
    assert all(0 <= start < end <= len(reference.title) for start, end in spans)
    assert all(left[1] < right[0] for left, right in zip(spans, spans[1:], strict=False))
    assert format_reference(reference)


# --------------------------------------------------------------------------- the real references

REAL_REFERENCES = {
    "argyropoulos2017": (
        "Argyropoulos CP, Chen SS, Ng YH, et al. Rediscovering Beta-2 Microglobulin as a"
        " biomarker across the spectrum of kidney diseases. *Frontiers in Medicine*."
        " &#50;017;4:73. PMID: 28664159."
        " doi:[&#49;0.3389/fmed.2017.00073](https://doi.org/10.3389/fmed.2017.00073)"
    ),
    "pagana2022": (
        "Pagana KD, Pagana TJ, Pagana TN. *Mosby's Diagnostic and Laboratory Test Reference.*"
        " &#49;6th ed. Mosby; 2022."
    ),
    "labcorp-b2m-serum": "Labcorp. Beta-2 Microglobulin, serum.",
    "quest-b2m-serum": "Quest Diagnostics. Beta-2-Microglobulin, serum.",
    "researchblog2023-b2m": (
        "Research Blog. Beta-2 Microglobulin: an overview. Published September 7, 2023."
    ),
}
REAL_NOTES = {
    "argyropoulos2017": (
        "Open-access article distributed under the terms of the Creative Commons Attribution"
        " License &#40;CC BY&#41;."
    ),
    "labcorp-b2m-serum": "Test catalog entry.",
    "quest-b2m-serum": "Test directory entry.",
}


@pytest.fixture(scope="module")
def real_references() -> dict[str, Reference]:
    text = (PROJECT_ROOT / BIB).read_text(encoding="utf-8")
    references, problems = _parse(text)
    assert problems == []
    return references


def test_every_real_reference_is_checked_here(real_references: dict[str, Reference]) -> None:
    assert sorted(real_references) == sorted(REAL_REFERENCES)


@pytest.mark.parametrize(
    ("key", "expected"), list(REAL_REFERENCES.items()), ids=list(REAL_REFERENCES)
)
def test_real_reference_in_ama_style(
    real_references: dict[str, Reference], key: str, expected: str
) -> None:
    assert format_reference(real_references[key]) == expected


@pytest.mark.parametrize("key", list(REAL_REFERENCES), ids=list(REAL_REFERENCES))
def test_real_reference_note_is_shown_apart(
    real_references: dict[str, Reference], key: str
) -> None:
    assert reference_note(real_references[key]) == REAL_NOTES.get(key, "")


# --------------------------------------------------------------------------- problems


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            _book(key="a") + "\n" + _book(key="a"),
            [f"{BIB}:8: duplicate entry key 'a' (first at line 1); give each its own key"],
            id="duplicate-key",
        ),
        pytest.param(
            _book("title = {Other}"),
            [f"{BIB}:1: entry 'a' has a field written twice (title); keep only one"],
            id="duplicate-field",
        ),
        pytest.param(
            "@book{a,\n  author = {X, Y},\n  title = {T,\n  publisher = {P},\n  year = 2020\n}\n"
            "\n" + _book(key="b"),
            [
                f"{BIB}:1: BibTeX syntax error in entry 'a': Unexpected block start: '@book'. Was"
                " still looking for field-value closing ',' or '}'; check for an unbalanced brace"
                " or a missing comma between fields"
            ],
            id="unbalanced-brace",
        ),
        pytest.param(
            _book("month = foo"),
            [
                f"{BIB}:6: field 'month' uses 'foo', which is not a defined @string macro;"
                " put the value in braces: month = {foo}"
            ],
            id="undefined-macro",
        ),
        pytest.param(
            "@article{a,\n  author = {X, Y},\n  title = {T},\n  year = 2020\n}\n",
            [f"{BIB}:1: entry 'a' is missing the field 'journal'; add it"],
            id="article-without-journal",
        ),
        pytest.param(
            "@book{a,\n  title = {T},\n  publisher = {P}\n}\n",
            [
                f"{BIB}:1: entry 'a' is missing the field 'author'; add it",
                f"{BIB}:1: entry 'a' is missing the field 'year'; add it",
            ],
            id="book-without-author-and-year",
        ),
        pytest.param(
            "@online{a,\n  title = {T}\n}\n",
            [f"{BIB}:1: entry 'a' is missing the field 'author or organization'; add it"],
            id="online-without-author",
        ),
        pytest.param(
            "@online{a,\n  organization = {O},\n  title = {T},\n  url = {javascript:alert(1)}\n}\n",
            [
                f"{BIB}:4: unsafe or invalid URL (got 'javascript:alert(1)'); use a full"
                " https:// address"
            ],
            id="javascript-url",
        ),
        pytest.param(
            "@online{a,\n  organization = {O},\n  title = {T},\n  url = {www.example.com}\n}\n",
            [
                f"{BIB}:4: unsafe or invalid URL (got 'www.example.com'); use a full https://"
                " address"
            ],
            id="relative-url",
        ),
        pytest.param(
            _book("doi = {https://doi.org/10.3389/fmed.2017.00073}"),
            [
                f"{BIB}:6: not a DOI (got 'https://doi.org/10.3389/fmed.2017.00073'); write it"
                " bare, like 10.3389/fmed.2017.00073"
            ],
            id="doi-as-url",
        ),
        pytest.param(
            _book("doi = {doi:10.1/x}"),
            [f"{BIB}:6: not a DOI (got 'doi:10.1/x'); write it bare, like 10.3389/fmed.2017.00073"],
            id="doi-with-prefix",
        ),
        pytest.param(
            _book("pmid = {PMC123}"),
            [f"{BIB}:6: a PMID is digits only (got 'PMC123'); write only the number"],
            id="pmid-not-digits",
        ),
        pytest.param(
            _book("yaer = {2020}"),
            [f"{BIB}:6: unknown field 'yaer' in entry 'a'; did you mean 'year'?"],
            id="unknown-field",
        ),
        pytest.param(
            "@inproceedings{a,\n  author = {X, Y},\n  title = {T}\n}\n",
            [
                f"{BIB}:1: unsupported entry type @inproceedings; use @article, @book, @online,"
                " @misc"
            ],
            id="unsupported-type",
        ),
    ],
)
def test_problem_message(text: str, expected: list[str]) -> None:
    references, problems = _parse(text)
    assert problems == expected
    assert "a" not in references or "duplicate entry key" in expected[0]


def test_a_broken_entry_does_not_hide_the_next_one() -> None:
    text = "@book{a,\n  author = {X, Y},\n  title = {T,\n  publisher = {P},\n  year = 2020\n}\n"
    references, problems = _parse(text + "\n" + _book(key="b"))
    assert list(references) == ["b"]
    assert len(problems) == 1
    assert problems[0].startswith(f"{BIB}:1: BibTeX syntax error in entry 'a': ")


def test_unbalanced_brace_at_the_end_of_the_file_is_reported() -> None:
    references, problems = _parse("@book{a,\n  title = {T,\n  year = 2020\n}\n")
    assert references == {}
    assert len(problems) == 1
    assert problems[0].startswith(f"{BIB}:1: BibTeX syntax error in entry 'a': ")
    assert problems[0].endswith("check for an unbalanced brace or a missing comma between fields")
    assert problems == [
        f"{BIB}:1: BibTeX syntax error in entry 'a': Unexpectedly reached end of file; check for"
        " an unbalanced brace or a missing comma between fields"
    ]


def test_every_problem_of_every_entry_is_reported() -> None:
    text = _book("doi = {x}", "pmid = {y}", key="a") + "\n" + _book("url = {ftp://x}", key="b")
    _, problems = _parse(text)
    assert [p.split(": ", 1)[0] for p in problems] == [f"{BIB}:6", f"{BIB}:7", f"{BIB}:15"]


def test_plain_http_url_is_rejected() -> None:
    _, problems = _parse(
        "@online{a,\n  organization = {O},\n  title = {T},\n  url = {http://example.com/}\n}\n"
    )
    assert problems == [
        f"{BIB}:4: unsafe or invalid URL (got 'http://example.com/'); use a full https:// address"
    ]


def test_braced_corporate_author_stays_one_name() -> None:
    reference = _one(
        "@online{a,\n  author = {{World Health Organization}},\n"
        "  title = {T},\n  year = {2020}\n}\n"
    )
    assert reference.authors == ("{World Health Organization}",)
    assert format_reference(reference).startswith("World Health Organization.")
    assert short_citation(reference) == "World Health Organization 2020"


def test_online_entry_dated_by_the_date_field_shows_its_date() -> None:
    reference = _one(
        "@online{a,\n  organization = {O},\n  title = {T},\n  date = {2023-09-07}\n}\n"
    )
    assert (reference.year, reference.month, reference.day) == ("2023", "sep", "7")
    assert "Published September 7, 2023." in format_reference(reference)


# --------------------------------------------------------------------------- broken entries


def test_keys_of_broken_entries_are_kept_apart() -> None:
    """Claims citing a broken entry must not also be told its key is unknown (see crossref)."""
    text = "\n".join(
        [
            _book(key="good"),
            "@book{incomplete,\n  title = {T}\n}\n",
            "@inproceedings{wrongtype,\n  author = {X, Y},\n  title = {T}\n}\n",
            "@book{unclosed,\n  title = {T,\n  year = 2020\n}\n",
        ]
    )
    bibliography = parse_bibliography(BibFile(BIB, text))
    assert list(bibliography.references) == ["good"]
    assert bibliography.broken_keys == {"incomplete", "wrongtype", "unclosed"}
    located = {str(p).split(": ", 1)[0] for p in bibliography.problems}
    assert located == {f"{BIB}:8", f"{BIB}:12", f"{BIB}:17"}


MISSING_COMMA = (
    "@book{a,\n"
    "  author = {Smith, Jane},\n"
    "  title = {Lab Tests}\n"  # line 3: no comma
    "  year = {2020},\n"
    "  publisher = {Press}\n"
    "}\n"
)
RUN_ON = (
    f"{BIB}:3: field 'title' runs into 'year': a comma is missing after the value of 'title';"
    " add ',' at the end of that line"
)


def test_missing_comma_is_reported_at_the_field_before_it() -> None:
    bibliography = parse_bibliography(BibFile(BIB, MISSING_COMMA))
    assert RUN_ON in [str(p) for p in bibliography.problems]
    assert bibliography.references == {}
    assert bibliography.broken_keys == {"a"}


def test_missing_comma_is_reported_once() -> None:
    _, problems = _parse(MISSING_COMMA)
    assert problems == [RUN_ON]


# --------------------------------------------------------------------------- the date field


def _online_dated(*fields: str) -> str:
    lines = ["organization = {O}", "title = {T}", *fields]
    return "@online{a,\n" + ",\n".join(f"  {line}" for line in lines) + "\n}\n"


def test_month_only_date_fills_year_and_month() -> None:
    reference = _one(_online_dated("date = {2021-03}"))
    assert (reference.year, reference.month, reference.day) == ("2021", "mar", None)
    assert format_reference(reference) == "O. T. Published March 2021."


def test_year_only_date_fills_the_year() -> None:
    reference = _one(_online_dated("date = {2021}"))
    assert (reference.year, reference.month, reference.day) == ("2021", None, None)
    assert format_reference(reference) == "O. T. Published 2021."


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param(("year = {2021}", "date = {2021-03-05}"), id="month-and-day-from-date"),
        pytest.param(("year = {2021}", "month = mar", "date = {2021-03-05}"), id="day-from-date"),
        pytest.param(("year = {2021}", "day = {5}", "date = {2021-03}"), id="month-from-date"),
    ],
)
def test_date_agreeing_with_the_year_fills_only_the_missing_month_and_day(
    fields: tuple[str, ...],
) -> None:
    reference = _one(_online_dated(*fields))
    assert (reference.year, reference.month, reference.day) == ("2021", "mar", "5")


def test_date_disagreeing_with_the_written_year_is_reported_and_the_entry_not_used() -> None:
    text = _online_dated("year = {2020}", "month = jun", "day = {1}", "date = {2021-03-05}")
    bibliography = parse_bibliography(BibFile(BIB, text))
    assert [str(p) for p in bibliography.problems] == [
        f"{BIB}:1: fields 'year' (2020), 'month' (jun), 'day' (1) and 'date' (2021-03-05)"
        " disagree; keep one of them"
    ]
    assert bibliography.references == {}
    assert bibliography.broken_keys == {"a"}


def test_date_disagreeing_with_the_written_month_is_reported() -> None:
    references, problems = _parse(
        _online_dated("year = {2021}", "month = jun", "date = {2021-03-05}")
    )
    assert problems == [
        f"{BIB}:1: fields 'month' (jun) and 'date' (2021-03-05) disagree; keep one of them"
    ]
    assert references == {}


def test_article_dated_only_by_the_date_field_is_not_missing_its_year() -> None:
    reference = _one(
        "@article{a,\n  author = {X, Y},\n  title = {T},\n  journal = {J},\n"
        "  date = {2021-03-05}\n}\n"
    )
    assert (reference.year, reference.month, reference.day) == ("2021", "mar", "5")


@pytest.mark.parametrize("date", ["2021/03/05", "March 2021", "2021-13"])
def test_malformed_date_is_reported(date: str) -> None:
    bibliography = parse_bibliography(BibFile(BIB, _online_dated(f"date = {{{date}}}")))
    assert [str(p) for p in bibliography.problems] == [
        f"{BIB}:4: not a date in ISO form (got '{date}'); write 2021-03-05, 2021-03 or 2021"
    ]
    assert bibliography.references == {}
    assert bibliography.broken_keys == {"a"}


# --------------------------------------------------------------------------- issue 13


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            _book("note = {A} # { note}"),
            [
                f"{BIB}:6: field 'note' joins values with '#' (got '{{A}} # {{ note}}'); '#'"
                " concatenation is not supported: write the whole value in one pair of braces"
            ],
            id="braces",
        ),
        pytest.param(
            _book().replace("title = {Lab Tests}", 'title = "Lab" #\n    " Tests"'),
            [
                f"{BIB}:3: field 'title' joins values with '#' (got '\"Lab\" # \" Tests\"'); '#'"
                " concatenation is not supported: write the whole value in one pair of braces"
            ],
            id="quotes-over-two-lines",
        ),
        pytest.param(
            _book().replace("year = {2020}", "year = 2020 # 1"),
            [
                f"{BIB}:5: field 'year' joins values with '#' (got '2020 # 1'); '#'"
                " concatenation is not supported: write the whole value in one pair of braces"
            ],
            id="numbers",
        ),
        pytest.param(
            "@string{pub = {Example} # { Press}}\n"
            + _book().replace("publisher = {Press}", "publisher = pub"),
            [
                f"{BIB}:1: @string 'pub' joins values with '#' (got '{{Example}} # {{ Press}}');"
                " '#' concatenation is not supported: write the whole value in one pair of"
                " braces"
            ],
            id="string-macro-and-no-more-for-its-entry",
        ),
    ],
)
def test_concatenation_is_refused_never_joined(text: str, expected: list[str]) -> None:
    references, problems = _parse(text)
    assert problems == expected
    assert references == {}


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("{Issue #1 of 2}", id="hash-in-braces"),
        pytest.param('"Issue #1"', id="hash-in-quotes"),
        pytest.param('{A "quoted # word"}', id="hash-in-quotes-in-braces"),
    ],
)
def test_a_hash_inside_a_value_is_text(value: str) -> None:
    reference = _one(_book(f"note = {value}"))
    assert "#" in (reference.note or "")


def test_the_later_of_two_keys_differing_only_in_case_is_refused() -> None:
    text = _book(key="smith2020") + "\n" + _book(key="Smith2020") + "\n" + _book(key="SMITH2020")
    bibliography = parse_bibliography(BibFile(BIB, text))
    assert [str(p) for p in bibliography.problems] == [
        f"{BIB}:8: entry key 'Smith2020' differs only in letter case from 'smith2020' (first at"
        " line 1); rename one of them",
        f"{BIB}:15: entry key 'SMITH2020' differs only in letter case from 'smith2020' (first at"
        " line 1); rename one of them",
    ]
    assert list(bibliography.references) == ["smith2020"]
    assert bibliography.broken_keys == {"Smith2020", "SMITH2020"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            _book(key="\u0440agana2022"),
            f"{BIB}:1: not a valid citation key (got '\\u0440agana2022'); use letters, digits"
            " and - _ : . starting with a letter or digit",
            id="cyrillic-er-key",
        ),
        pytest.param(
            _book("not\u00a0e = {x}"),
            f"{BIB}:6: unknown field 'not\\xa0e' in entry 'a'; did you mean 'note'?",
            id="nbsp-in-a-field-name",
        ),
        pytest.param(
            "@b\u043eok{b,\n  title = {T}\n}\n",
            f"{BIB}:1: unsupported entry type @b\\u043eok; did you mean 'book'?; use @article,"
            " @book, @online, @misc",
            id="cyrillic-o-in-an-entry-type",
        ),
    ],
)
def test_look_alike_letters_in_keys_and_field_names_are_escaped(text: str, expected: str) -> None:
    _, problems = _parse(text)
    assert expected in problems


@pytest.mark.parametrize(
    ("authors", "expected"),
    [
        pytest.param(
            "Smith, Jane and Doe,",
            "(got 'Doe,': trailing comma at end of name)",
            id="trailing-comma",
        ),
        pytest.param(
            "Smith, Jane, Jr, Extra",
            "(got 'Smith, Jane, Jr, Extra': too many commas)",
            id="too-many-commas",
        ),
        pytest.param("Smith, Jane and , Jo", "(got ', Jo': no family name)", id="no-family-name"),
    ],
)
def test_an_author_name_the_style_cannot_split_is_refused(authors: str, expected: str) -> None:
    references, problems = _parse(_book().replace("Smith, Jane", authors))
    assert problems == [
        f"{BIB}:2: field 'author' has a name that cannot be read {expected}; write each name"
        " as 'Family, Given', and put ' and ' between names"
    ]
    assert references == {}


DATED = "date = {2020-01-02}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            _book(DATED).replace("year = {2020}", "year = {20x3}"),
            f"{BIB}:5: not a year (got '20x3'); write its four digits, like 2021",
            id="year-letters-beside-a-date",
        ),
        pytest.param(
            _book().replace("year = {2020}", "year = {\uff12\uff10\uff12\uff13}"),
            f"{BIB}:5: not a year (got '\uff12\uff10\uff12\uff13'); write its four digits,"
            " like 2021",
            id="year-fullwidth-digits",
        ),
        pytest.param(
            _book("day = {x1}", DATED),
            f"{BIB}:6: not a day of the month (got 'x1'); write a number, 1 to 31",
            id="day-letters-beside-a-date",
        ),
        pytest.param(
            _book("day = {32}"),
            f"{BIB}:6: not a day of the month (got '32'); write a number, 1 to 31",
            id="day-32",
        ),
        pytest.param(
            _book("month = {foo}"),
            f"{BIB}:6: not a month (got 'foo'); write its name, or jan, feb, ... dec",
            id="month-word",
        ),
        pytest.param(
            _book("month = 3"),
            f"{BIB}:6: not a month (got '3'); write its name, or jan, feb, ... dec",
            id="month-number",
        ),
    ],
)
def test_a_date_part_that_would_be_dropped_or_crash_is_refused(text: str, expected: str) -> None:
    # Found by tests/test_fuzz.py: a year that is not a number, beside a 'date', crashed.
    references, problems = _parse(text)
    assert problems == [expected]
    assert references == {}


@pytest.mark.parametrize(
    ("char", "named"),
    [
        pytest.param("\x00", "a control character (U+0000)", id="nul"),
        pytest.param("\x85", "a next-line character (U+0085)", id="nel"),
        pytest.param("\u2028", "a line separator (U+2028)", id="line-separator"),
        pytest.param("\u202e", "a bidirectional control character (U+202E)", id="bidi"),
        pytest.param("\ufeff", "a byte-order mark (U+FEFF)", id="bom-inside"),
    ],
)
def test_characters_readers_would_not_see_are_refused_where_they_stand(
    char: str, named: str
) -> None:
    text = (
        "@book{smith2020,\n"
        f"  author = {{Smith, Ja{char}ne}},\n"
        "  title = {Lab Tests},\n"
        "  year = {2020}\n"
        "}\n"
    )
    _, problems = _parse(text)
    expected = f"the file contains {named}, which readers would not see; delete it"
    assert f"data/references.bib:2:22: {expected}" in problems
