"""Benchmark the build: ``scripts/bench.py --sizes 10 100 [--repeat 3] [--serve-latency]``."""

from __future__ import annotations

import sys
from pathlib import Path

# The developer tools live beside the package, in tools/ at the repository's root.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tools.benchmark import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
