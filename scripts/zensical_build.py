"""Build the site with Zensical into .zensical/site/: `make zensical` (tools/zensical_build.py)."""

from __future__ import annotations

import sys
from pathlib import Path

# The developer tools live beside the package, in tools/ at the repository's root.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tools.zensical_build import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
