"""Escaping: data placed in Markdown or HTML attributes is shown literally and stays inert."""

from __future__ import annotations

import html

import markdown
import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from biomarker_kb.escape import html_attr, html_text, is_safe_url, md_inline, md_url

EXTENSIONS = ["footnotes", "md_in_html", "attr_list", "tables", "admonition"]


def _to_html(markdown_text: str) -> str:
    return markdown.Markdown(extensions=EXTENSIONS).convert(markdown_text)


def _collapsed(text: str) -> str:
    return " ".join(text.split())


def _assert_shown_literally(text: str) -> None:
    """The escaped text, as a paragraph, a list item and a table cell, shows exactly ``text``."""
    escaped = md_inline(text)
    contexts = {
        "paragraph": (escaped, "p"),
        "list item": (f"- {escaped}\n", "li"),
        "table cell": (f"| h |\n| --- |\n| {escaped} |\n", "td"),
    }
    for name, (source, element) in contexts.items():
        soup = BeautifulSoup(_to_html(source), "html.parser")
        assert soup.find_all(["script", "a", "sup", "img", "h1", "h2", "ol", "code"]) == [], name
        assert all(not k.startswith("on") for tag in soup.find_all(True) for k in tag.attrs)
        shown = soup.find(element)
        if _collapsed(text):
            assert shown is not None, f"{name}: {soup}"
            assert _collapsed(shown.get_text()) == _collapsed(text), name
        if element == "li":
            assert len(soup.find_all("li")) == 1
        if element == "td":
            assert len(soup.find_all("td")) == 1


HOSTILE = [
    pytest.param("<script>alert(1)</script>", id="script"),
    pytest.param('<img src=x onerror="alert(1)">', id="onerror"),
    pytest.param("[^x]", id="footnote"),
    pytest.param("[t](javascript:alert(1))", id="link"),
    pytest.param("![i](https://example.com/x.png)", id="image"),
    pytest.param("<https://example.com>", id="autolink"),
    pytest.param("{{ 7*7 }}", id="jinja"),
    pytest.param("{% raw %}x{% endraw %}", id="jinja-block"),
    pytest.param("{: onclick=alert(1) }", id="attr-list"),
    pytest.param("| pipe | in | cell", id="pipe"),
    pytest.param("# heading", id="heading"),
    pytest.param("- item", id="bullet"),
    pytest.param("+ item", id="plus-bullet"),
    pytest.param("1. item", id="numbered"),
    pytest.param("1) item", id="numbered-paren"),
    pytest.param("> quote", id="quote"),
    pytest.param("!!! note", id="admonition"),
    pytest.param("    indented code", id="indented"),
    pytest.param("`code`", id="backticks"),
    pytest.param("*em* __strong__", id="emphasis"),
    pytest.param("a\\*b", id="backslash"),
    pytest.param("&lt;b&gt; &#60;", id="entities"),
    pytest.param("line one\n\n# two\n- three\n1. four", id="newlines"),
    pytest.param("text\n===", id="setext"),
    pytest.param("a <!-- c --> b", id="comment"),
    pytest.param('<div markdown="1">x</div>', id="md-in-html"),
]


@pytest.mark.parametrize("text", HOSTILE)
def test_md_inline_makes_markup_inert(text: str) -> None:
    _assert_shown_literally(text)


def test_md_inline_flattens_newlines() -> None:
    assert "\n" not in md_inline("a\nb\r\nc")


PRINTABLE = st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\t\n\r ")


@settings(max_examples=200, deadline=None)
@given(st.text(PRINTABLE))
def test_md_inline_shows_any_text_literally(text: str) -> None:
    # Control characters are left out: YAML files cannot carry them raw, and Python-Markdown
    # deletes its own placeholder characters (STX, ETX) from any input.
    _assert_shown_literally(text)


def test_md_inline_keeps_non_breaking_spaces() -> None:
    assert "\u00a0\u00a0" in md_inline("Range\u00a0\u00a0Adults")


def test_md_inline_still_folds_other_whitespace() -> None:
    assert md_inline("a \t\r\n\u2028 b") == "a b"


# --------------------------------------------------------------------------- attributes


@pytest.mark.parametrize(
    "text",
    ['" onmouseover="alert(1)', "a'b", "<tag>&amp;", "two\nlines"],
)
def test_html_attr_round_trips_through_a_double_quoted_attribute(text: str) -> None:
    soup = BeautifulSoup(f'<span title="{html_attr(text)}">x</span>', "html.parser")
    span = soup.find("span")
    assert span is not None
    assert list(span.attrs) == ["title"]
    assert span["title"] == _collapsed(text)


def test_html_attr_escapes_quotes_and_markup() -> None:
    assert html_attr("\"<&>'") == html.escape("\"<&>'", quote=True)


# --------------------------------------------------------------------------- element text


def test_html_text_escapes_markup_but_keeps_quotes_readable() -> None:
    assert html_text("<script>alert('x')</script> & \"y\"") == (
        "&lt;script&gt;alert('x')&lt;/script&gt; &amp; \"y\""
    )


def test_html_text_flattens_whitespace() -> None:
    assert html_text("  two\n  lines\t") == "two lines"


@pytest.mark.parametrize("text", [p.values[0] for p in HOSTILE])
def test_html_text_is_shown_literally_as_element_content(text: str) -> None:
    soup = BeautifulSoup(f"<h1>{html_text(text)}</h1>", "html.parser")
    heading = soup.find("h1")
    assert heading is not None
    assert heading.find_all(True) == []
    assert heading.get_text() == _collapsed(text)


# --------------------------------------------------------------------------- URLs


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        pytest.param("https://example.com/a?b=c#d", True, id="https"),
        pytest.param("HTTPS://EXAMPLE.COM", True, id="https-upper"),
        pytest.param("http://example.com/", False, id="http"),
        pytest.param("HTTP://EXAMPLE.COM", False, id="http-upper"),
        pytest.param("ftp://example.com/x", False, id="ftp"),
        pytest.param("javascript:alert(1)", False, id="javascript"),
        pytest.param("JavaScript:alert(1)", False, id="javascript-mixed-case"),
        pytest.param(" javascript:alert(1)", False, id="javascript-leading-space"),
        pytest.param("data:text/html,<script>alert(1)</script>", False, id="data"),
        pytest.param("file:///etc/passwd", False, id="file"),
        pytest.param("/relative/path", False, id="relative"),
        pytest.param("//example.com/x", False, id="protocol-relative"),
        pytest.param("www.example.com", False, id="no-scheme"),
        pytest.param("https:example.com", False, id="no-host"),
        pytest.param("https://exa\nmple.com", False, id="newline"),
        pytest.param("https://[::1", False, id="unparsable"),
    ],
)
def test_is_safe_url(url: str, safe: bool) -> None:
    assert is_safe_url(url) is safe


def test_md_url_percent_encodes_what_could_end_a_markdown_link() -> None:
    url = md_url("https://example.com/a b(c)<d>\"e'")
    assert not set(url) & set(" ()<>\"'")
    soup = BeautifulSoup(_to_html(f"[x]({url})"), "html.parser")
    link = soup.find("a")
    assert link is not None
    assert link["href"] == url


def test_md_url_refuses_unsafe_urls() -> None:
    with pytest.raises(ValueError, match="unsafe URL"):
        md_url("javascript:alert(1)")
