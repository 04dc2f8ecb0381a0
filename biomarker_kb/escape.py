"""Escape untrusted text for the exact Markdown or HTML context it is placed in.

Input: any text from YAML or BibTeX. Output: text that Markdown and the browser show literally.
Templates never print data without one of these filters, and data is never a template.
"""

from __future__ import annotations

import functools
import html
import re
from urllib.parse import quote, urlsplit

# Characters that Markdown or a pymdown extension gives meaning to anywhere in a line.
_ACTIVE = frozenset("\\`*_{}[]()<>!|~^=$&")
# These mean something only at the start of a line (lists, headings, "1." items, ": "
# definitions); text is
# flattened to one line first, so only its first character can be at a line start.
_AT_START = frozenset("#+-.:0123456789")
# Line breaks and tabs fold to one space; a no-break space stays, as sources print them.
_WHITESPACE = re.compile(r"[ \t\r\n\f\v\x1c-\x1f\x85\u2028\u2029]+")


def _entity(char: str) -> str:
    return f"&#{ord(char)};"


_ACTIVE_TO_ENTITY = str.maketrans({char: _entity(char) for char in _ACTIVE})


# Names, labels and claim texts repeat across thousands of pages; the cache holds every text of
# a large site, so a claim escaped for its article is still cached when its condition page comes.
@functools.lru_cache(maxsize=1 << 18)
def md_inline(text: str) -> str:
    """Escape text for Markdown inline content (paragraph, list item, table cell, link text).

    Every character with a meaning becomes a numeric HTML entity, which Python-Markdown passes
    through untouched and the browser shows as the character itself. Newlines become spaces so
    the text can never end a list item or a table row early.
    """
    flat = _WHITESPACE.sub(" ", text).strip()
    escaped = flat.translate(_ACTIVE_TO_ENTITY)
    if flat and flat[0] in _AT_START:
        return _entity(flat[0]) + escaped[1:]
    return escaped


def md_fragment(text: str) -> str:
    """Escape a piece of a line of Markdown text (between claim spans), keeping its spaces.

    Unlike ``md_inline`` it neither strips the ends nor guards the first character: a fragment
    is never at the start of a line (the sentence markup opens every line it is on).
    """
    return _WHITESPACE.sub(" ", text).translate(_ACTIVE_TO_ENTITY)


@functools.lru_cache(maxsize=1 << 16)  # page titles and tags repeat on every page
def html_text(text: str) -> str:
    """Escape text for HTML element content (not attributes): ``& < >`` only."""
    return html.escape(_WHITESPACE.sub(" ", text).strip(), quote=False)


@functools.lru_cache(maxsize=1 << 18)  # claim ids are written twice on every page they are on
def html_attr(text: str) -> str:
    """Escape text for a double-quoted HTML attribute value."""
    return html.escape(_WHITESPACE.sub(" ", text).strip(), quote=True)


SAFE_URL_SCHEMES = frozenset({"https"})


def is_safe_url(url: str) -> bool:
    """Return True for an absolute https URL with a host: never javascript:, data:, http:."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in SAFE_URL_SCHEMES and bool(parts.netloc) and "\n" not in url


def md_url(url: str) -> str:
    """Return ``url`` made safe as a Markdown link destination; unsafe URLs are a bug here."""
    if not is_safe_url(url):
        raise ValueError(f"bug: unsafe URL {url!r} reached rendering; validation must reject it")
    return quote(url.strip(), safe=":/?#@!$&*+,;=%~-._")
