"""Run the command line: ``python -m biomarker_kb``."""

from __future__ import annotations

from biomarker_kb.cli import main

raise SystemExit(main())
