"""Benchmark the build: ``scripts/bench.py --sizes 10 100 [--repeat 3] [--serve-latency]``."""

from __future__ import annotations

import sys

from biomarker_kb.benchmark import main

if __name__ == "__main__":
    sys.exit(main())
