"""Findings of the page scan become messages that say which page, which line and what to do."""

from __future__ import annotations

from biomarker_kb.page_findings import PageOrigin, findings_messages

HAND_WRITTEN = PageOrigin(
    "about.md", None, "content/about.md", "# About\n\nSee this.[^2]\n\n[^1]: A source.\n"
)
GENERATED = PageOrigin("biomarkers/b2m.md", "data/biomarkers/b2m.yaml", "content/x", "")


def test_a_hand_written_page_is_told_to_remove_the_markup_from_its_file() -> None:
    assert findings_messages(HAND_WRITTEN, ("a <script> element",), ()) == [
        "about.md: page content contains a <script> element;"
        " remove it from content/about.md: pages may not contain it"
    ]


def test_a_hand_written_footnote_mark_is_placed_at_its_line() -> None:
    (message,) = findings_messages(HAND_WRITTEN, (), ("[^2]",))
    assert message.startswith("content/about.md:3: footnote [^2] has no definition;")
    assert "add a line '[^2]: <the source>'" in message


def test_a_mark_not_in_the_markdown_names_the_page_without_a_line() -> None:
    (message,) = findings_messages(HAND_WRITTEN, (), ("[^9]",))
    assert message.startswith("content/about.md: footnote [^9] has no definition;")


def test_a_generated_page_names_its_data_file_and_calls_it_a_bug() -> None:
    markup, footnote = findings_messages(GENERATED, ("an onclick attribute",), ("[^x]",))
    assert markup.startswith("biomarkers/b2m.md: page content contains an onclick attribute;")
    assert "text from data/biomarkers/b2m.yaml reached the page unescaped" in markup
    assert "this is a bug, report it to the developers" in markup
    assert footnote.startswith("biomarkers/b2m.md: the page shows the footnote mark [^x]")
    assert "data/biomarkers/b2m.yaml" in footnote


def test_one_message_per_kind_of_markup_however_often_it_occurs() -> None:
    twice = ("a <script> element", "a <script> element", "an iframe")
    assert len(findings_messages(HAND_WRITTEN, twice, ())) == 2
