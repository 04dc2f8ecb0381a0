"""Build a cited biomarker knowledge base from YAML facts and BibTeX into MkDocs pages."""

from __future__ import annotations

__version__ = "0.1.0"
