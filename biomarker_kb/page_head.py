"""MkDocs glue: what the plugin adds to each built page's HTML head.

Input: a page's finished HTML, its JSON-LD (already safe inside ``<script>``, from
``structured_data``) and the feed's address relative to the page. Output: the HTML with a
``<script type="application/ld+json">`` and a ``<link rel="alternate">`` to the Atom feed just
before ``</head>``. Pure.
"""

from __future__ import annotations

import html

FEED_TYPE = "application/atom+xml"


def feed_link(href: str, site_name: str) -> str:
    """Return the head link that lets browsers and feed readers find the feed."""
    title = html.escape(f"{site_name} (Atom feed)", quote=True)
    return f'<link rel="alternate" type="{FEED_TYPE}" title="{title}" href="{html.escape(href)}">'


def json_ld(script_text: str) -> str:
    """Return the element holding a page's JSON-LD (``script_text`` is escaped already)."""
    return f'<script type="application/ld+json">{script_text}</script>'


def with_head_additions(output: str, additions: list[str]) -> str:
    """Return ``output`` with ``additions`` at the end of its head (unchanged if it has none)."""
    if not additions:
        return output
    head, end, tail = output.partition("</head>")
    if not end:
        return output
    return "".join([head, *(f"{line}\n" for line in additions), end, tail])
