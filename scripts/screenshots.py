"""Retake the README's screenshots: `make screenshots`.

Builds the site strictly into a temporary folder, serves it on 127.0.0.1, and saves the top of
the B2M article and of the multiple-myeloma condition page, 1280 px wide, into
content/assets/screenshots/ with Debian's Chromium (see tools/screenshots.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

# The developer tools live beside the package, in tools/ at the repository's root.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tools.screenshots import save_readme_screenshots  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    for path in save_readme_screenshots(ROOT, ROOT / "content" / "assets" / "screenshots"):
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
