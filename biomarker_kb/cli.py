"""Command line: ``python -m biomarker_kb check | build | render | new-biomarker ID``.

Input: arguments and the project in the current directory. Output: messages on stderr and an
exit code (0 fine, 1 problems found, 2 usage). Problems are printed, never raised as tracebacks.
Only ``new-biomarker`` writes into ``data/``, and only when an editor asks for it.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from biomarker_kb.downloads import download_files
from biomarker_kb.feed import feed_file
from biomarker_kb.pipeline import CheckResult, ProjectPaths, check, render_pages
from biomarker_kb.primary_source import post_only_claims
from biomarker_kb.problems import KbError
from biomarker_kb.render import SiteRenderer
from biomarker_kb.scaffold import next_steps, refusal_reasons, write_scaffold
from biomarker_kb.structured_data import Site, site_of

if TYPE_CHECKING:
    from collections.abc import Sequence


def _summary(result: CheckResult) -> str:
    assert result.kb is not None
    kb = result.kb
    claims = sum(len(b.claims) for b in kb.biomarkers)
    summary = (
        f"checked {len(kb.biomarkers)} biomarker file(s), {claims} claims,"
        f" {len(kb.references)} references, {len(kb.conditions)} conditions,"
        f" {len(kb.specimens)} specimens"
    )
    # Acknowledged claims give no warning; counted here, the gap stays in sight of editors.
    post_only = post_only_claims(kb)
    if post_only:
        acknowledged = sum(1 for claim in post_only if claim.acknowledged)
        summary += (
            f"; {len(post_only)} claim(s) cite only the original post ({acknowledged} acknowledged)"
        )
    return summary


def run_check(paths: ProjectPaths, strict: bool) -> int:
    """Print every problem; return 1 on errors (or, with ``strict``, on warnings too)."""
    result = check(paths, fork=True)
    failing = result.errors + (result.warnings if strict else [])
    if result.problems:
        print(KbError(result.problems).report(), file=sys.stderr)
    if failing or result.kb is None:
        return 1
    count = len(result.warnings)
    note = f"; {count} warning(s), fail with --strict" if count else ""
    print(f"ok: {_summary(result)}{note}")
    return 0


def run_render(paths: ProjectPaths, out_dir: Path) -> int:
    """Write the generated Markdown and the open-data files into ``out_dir``.

    For other engines (which run no plugin) or for review.
    """
    result = check(paths, fork=True)
    if result.errors:
        print(KbError(result.problems).report(), file=sys.stderr)
        return 1
    site = _site(paths)
    try:
        pages = render_pages(result, SiteRenderer(paths.templates_dir, site))
    except KbError as error:
        print(error.report(), file=sys.stderr)
        return 1
    assert result.kb is not None, "bug: rendered data with errors"
    bibtex = (paths.data_dir / "references.bib").read_text(encoding="utf-8")
    feed = feed_file(result.kb.biomarkers, site)
    for page in [*pages, *download_files(result.kb, bibtex), *([feed] if feed else [])]:
        target = out_dir / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(page.utf8)
    print(f"wrote the generated pages and downloads/ to {out_dir}/")
    return 0


def _site(paths: ProjectPaths) -> Site | None:
    """Return the site as the project's mkdocs.yml describes it (for the feed's addresses)."""
    config_file = paths.root / "mkdocs.yml"
    if not config_file.is_file():
        return None
    from mkdocs.config import load_config  # noqa: PLC0415 - only this command reads it
    from mkdocs.exceptions import ConfigurationError  # noqa: PLC0415

    try:
        with contextlib.redirect_stderr(io.StringIO()):  # the theme's notices are not ours
            return site_of(load_config(str(config_file)))
    except ConfigurationError as error:
        print(f"mkdocs.yml: {error}; writing no feed", file=sys.stderr)
        return None


def run_build(paths: ProjectPaths, site_dir: Path, engine: str = "properdocs") -> int:
    """Build strictly into a new folder; replace ``site_dir`` with it only on success.

    ``engine``: ``properdocs`` (the default) or ``mkdocs``; both build the same pages.
    """
    staging = Path(tempfile.mkdtemp(prefix=".site-", dir=paths.root))
    # ProperDocs' own name for the file first; mkdocs.yml works with both engines.
    config = next(
        (name for name in ("properdocs.yml", "mkdocs.yml") if (paths.root / name).is_file()),
        "mkdocs.yml",
    )
    command = [sys.executable, "-m", engine, "build", "--strict", "--config-file", config]
    command += ["--site-dir", str(staging)]
    completed = subprocess.run(command, cwd=paths.root, check=False)
    if completed.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        print(f"build failed; {site_dir}/ was left as it was", file=sys.stderr)
        return 1
    retired = paths.root / f"{staging.name}-old"
    if site_dir.exists():
        site_dir.rename(retired)
    staging.rename(site_dir)
    shutil.rmtree(retired, ignore_errors=True)
    print(f"built the site into {site_dir}/")
    return 0


def run_new_biomarker(paths: ProjectPaths, biomarker_id: str) -> int:
    """Start ``data/biomarkers/<id>.yaml``; refuse, writing nothing, when the id cannot be used."""
    reasons = refusal_reasons(paths, biomarker_id)
    if reasons:
        for reason in reasons:
            print(f"error: {reason}", file=sys.stderr)
        print("nothing was written", file=sys.stderr)
        return 1
    scaffold = write_scaffold(paths, biomarker_id, date.today())
    print(next_steps(scaffold, biomarker_id))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments and run one command."""
    parser = argparse.ArgumentParser(prog="biomarker-kb", description=__doc__)
    parser.add_argument("--project", type=Path, default=Path.cwd(), help="project folder")
    commands = parser.add_subparsers(dest="command", required=True)
    check_cmd = commands.add_parser("check", help="validate data/ and report every problem")
    check_cmd.add_argument("--strict", action="store_true", help="treat warnings as errors")
    build_cmd = commands.add_parser("build", help="build the site; keep the old one on failure")
    build_cmd.add_argument("--site-dir", type=Path, default=Path("site"))
    build_cmd.add_argument(
        "--engine",
        choices=["properdocs", "mkdocs"],
        default="properdocs",
        help="the site generator (default: properdocs; both build the same pages)",
    )
    render_cmd = commands.add_parser("render", help="write the generated Markdown to a folder")
    render_cmd.add_argument("out_dir", type=Path)
    new_cmd = commands.add_parser(
        "new-biomarker", help="start data/biomarkers/ID.yaml: a commented file of TODOs to replace"
    )
    new_cmd.add_argument("id", help="the new biomarker's id, e.g. crp (also its file name)")
    args = parser.parse_args(argv)
    paths = ProjectPaths.at(args.project.resolve())
    if args.command == "check":
        return run_check(paths, args.strict)
    if args.command == "render":
        return run_render(paths, args.out_dir)
    if args.command == "new-biomarker":
        return run_new_biomarker(paths, args.id)
    return run_build(paths, paths.root / args.site_dir, args.engine)
