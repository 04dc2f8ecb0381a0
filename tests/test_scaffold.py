"""`new-biomarker ID`: a commented starter file whose placeholders fail `make check` until
they are replaced, or a refusal."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import date
from typing import TYPE_CHECKING

import pytest

from biomarker_kb.pipeline import ProjectPaths, check
from biomarker_kb.scaffold import SCHEMA_MODELINE, write_scaffold
from biomarker_kb.spans import parse_spans, plain_text, walk_spans
from tests.helpers import (
    PROJECT_ROOT,
    REFERENCES_BIB,
    biomarker_yaml,
    make_project,
    minimal_files,
    mkdocs_build,
    run_cli,
    statement_yaml,
    tree_digest,
    write_files,
)

if TYPE_CHECKING:
    from pathlib import Path

NEXT_STEPS = """\
created data/biomarkers/crp.yaml
added the entry 'crp-post' for the blog post to data/references.bib
next:
  1. in data/biomarkers/crp.yaml, replace every TODO: the name, summary, the post's title and\
 date, and the first sentence
  2. in data/references.bib, replace the TODOs of 'crp-post' with the post's details (blog\
 name, title, date, url)
  3. add the post's paragraphs, levels, reference ranges and takeaways, citing primary sources\
 where you can
  4. make check, then make serve: the article is at biomarkers/crp/
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A valid fixture project (no warnings) with one biomarker, alpha."""
    return make_project(tmp_path, files=minimal_files(alpha=biomarker_yaml(body=statement_yaml())))


def _line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


def _starter_warning(project: Path) -> str:
    """Return the warning for the starter paragraph, which cites only the post."""
    line = _line_of(project / "data/biomarkers/crp.yaml", "  - cite:")
    return (
        f"data/biomarkers/crp.yaml:{line}:5: warning: 1 claim of this paragraph cites only the"
        " original post; find a primary source, or acknowledge it with acknowledged: <reason>"
    )


def _value_at(path: Path, key: str) -> str:
    """Return ``line:column`` of the value of the first ``key: "TODO...`` line of a YAML file."""
    written = f'{key}: "'
    line = _line_of(path, written)
    column = path.read_text(encoding="utf-8").splitlines()[line - 1].index(written) + len(key) + 3
    return f"{line}:{column}"


def _placeholder(where: str, what: str, value: str) -> str:
    return (
        f"{where}: {what} still holds a placeholder left by make new-biomarker (got {value!r});"
        " replace it with the real text"
    )


def _placeholder_errors(project: Path, claim_id: str = "crp-definition") -> list[str]:
    """Return the errors of a fresh scaffold: each TODO value, where it is written."""
    path = project / "data/biomarkers/crp.yaml"
    errors = [
        _placeholder(f"data/biomarkers/crp.yaml:{_value_at(path, key)}", repr(key), value)
        for key, value in [
            ("name", "TODO: full name of the biomarker"),
            ("summary", "TODO: one or two sentences saying what this article covers."),
            ("title", "TODO: the post's title, exactly as published"),
        ]
    ]
    sentence = f"[TODO: the post's first sentence, in its words]{{{claim_id}}}."
    at = f"data/biomarkers/crp.yaml:{_value_at(path, '- text')}"
    return [*errors, _placeholder(at, "'text'", sentence), *_bib_placeholder_errors(project)]


def _bib_placeholder_errors(project: Path) -> list[str]:
    """Return the errors of the post's new entry in the bibliography, if the scaffold wrote it."""
    bib = project / "data/references.bib"
    if "TODO" not in bib.read_text(encoding="utf-8"):
        return []
    return [
        _placeholder(
            f"data/references.bib:{_line_of(bib, f'{field} = {{TODO')}",
            f"field {field.strip()!r} of entry 'crp-post'",
            value,
        )
        for field, value in [
            ("organization", "TODO: the blog's name"),
            ("title       ", "TODO: the post's title"),
        ]
    ]


# What an editor writes in place of the placeholders (the post's date is already a date).
FILLED_IN = {
    "data/biomarkers/crp.yaml": [
        ('"TODO: full name of the biomarker"', "C-reactive protein"),
        ('"TODO: one or two sentences saying what this article covers."', "About CRP."),
        ('"TODO: the post\'s title, exactly as published"', '"CRP: An Overview"'),
        ("[TODO: the post's first sentence, in its words]", "[CRP is a protein]"),
    ],
    "data/references.bib": [
        ("{TODO: the blog's name}", "{Example Blog}"),
        ("{TODO: the post's title}", "{CRP: An Overview}"),
    ],
}


def _fill_in(project: Path) -> None:
    """Replace every placeholder of the scaffold, as the editor is told to."""
    for relative, replacements in FILLED_IN.items():
        path = project / relative
        text = path.read_text(encoding="utf-8")
        for placeholder, real in replacements:
            text = text.replace(placeholder, real)
        path.write_text(text, encoding="utf-8", newline="\n")


# --------------------------------------------------------------------------- a start to fill in


def test_a_fresh_scaffold_fails_check_on_exactly_its_placeholders(project: Path) -> None:
    created = run_cli("new-biomarker", "crp", cwd=project)

    assert (created.returncode, created.stderr) == (0, "")
    assert created.stdout == NEXT_STEPS
    checked = run_cli("check", cwd=project)
    assert (checked.returncode, checked.stdout) == (1, "")
    lines = checked.stderr.splitlines()
    errors = [line for line in lines[:-1] if ": warning: " not in line]
    assert errors == _placeholder_errors(project)
    assert lines == [
        *sorted(errors + [_starter_warning(project)], key=_line_order),
        "6 errors, 1 warning found",
    ]


def _line_order(message: str) -> tuple[str, int]:
    path, line = message.split(":")[:2]
    return path, int(line)


def test_the_scaffold_passes_check_once_its_placeholders_are_replaced(project: Path) -> None:
    run_cli("new-biomarker", "crp", cwd=project)
    _fill_in(project)
    text = (project / "data/biomarkers/crp.yaml").read_text(encoding="utf-8")
    values = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    assert [line for line in values if "TODO" in line] == []  # comments may still say TODO
    checked = run_cli("check", cwd=project)
    assert checked.returncode == 0, checked.stderr
    assert checked.stderr == f"{_starter_warning(project)}\n0 errors, 1 warning found\n"
    assert checked.stdout.startswith("ok: checked 2 biomarker file(s), 2 claims, 3 references")


def test_the_starter_sentence_marks_its_claim_once(project: Path) -> None:
    run_cli("new-biomarker", "crp", cwd=project)
    _fill_in(project)
    result = check(ProjectPaths.at(project))
    assert result.kb is not None
    crp = next(b for b in result.kb.biomarkers if b.id == "crp")
    [paragraph] = crp.overview
    [sentence] = paragraph.sentences
    [claim] = sentence.claims
    assert plain_text(sentence.parts) == "CRP is a protein."
    assert claim.id == "crp-definition"
    assert claim.text == "CRP is a protein."
    assert (claim.needs_primary_source, paragraph.needs_primary_source) == (True, True)


def test_the_comments_teach_spans_claim_text_and_words(project: Path) -> None:
    run_cli("new-biomarker", "crp", cwd=project)
    text = (project / "data/biomarkers/crp.yaml").read_text(encoding="utf-8")
    for taught in ("[words]{claim-id}", "claim_text:", "{words}", "words:", "may nest"):
        assert taught in text, taught
    # The markup examples in the comments are themselves correct markup.
    examples = [
        line.strip().removeprefix("#").strip()
        for line in text.splitlines()
        if line.strip().startswith("#   ")
    ]
    assert len(examples) == 2
    for example in examples:
        parts, mistakes = parse_spans(example)
        assert mistakes == ()
        assert list(walk_spans(parts))


def test_the_filled_in_start_fails_a_strict_check_until_acknowledged(project: Path) -> None:
    assert run_cli("new-biomarker", "crp", cwd=project).returncode == 0
    _fill_in(project)
    assert run_cli("check", "--strict", cwd=project).returncode == 1
    path = project / "data/biomarkers/crp.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "    needs_primary_source: true\n",
        "    needs_primary_source: true\n    acknowledged: No source found yet.\n",
    )
    path.write_text(text, encoding="utf-8", newline="\n")
    strict = run_cli("check", "--strict", cwd=project)
    assert (strict.returncode, strict.stderr) == (0, "")


def test_the_new_file_starts_with_the_schema_modeline(project: Path) -> None:
    run_cli("new-biomarker", "crp", cwd=project)
    text = (project / "data/biomarkers/crp.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[0] == SCHEMA_MODELINE
    schema = SCHEMA_MODELINE.split("$schema=")[1]
    assert (PROJECT_ROOT / "data/biomarkers" / schema).resolve().is_file()
    assert "id: crp\n" in text
    assert "TODO" in text


def test_the_post_entry_is_appended_and_nothing_else_changes(project: Path) -> None:
    run_cli("new-biomarker", "crp", cwd=project)
    bib = (project / "data/references.bib").read_text(encoding="utf-8")
    assert bib.startswith(REFERENCES_BIB)
    assert bib.count("@online{crp-post,") == 1


def test_write_scaffold_dates_the_placeholders_with_the_given_day(project: Path) -> None:
    scaffold = write_scaffold(ProjectPaths.at(project), "crp", date(2024, 1, 2))
    text = (project / scaffold.biomarker_file).read_text(encoding="utf-8")
    assert 'published: "2024-01-02"' in text
    assert 'last_reviewed: "2024-01-02"' in text
    assert "date         = {2024-01-02}" in (project / scaffold.bibliography).read_text("utf-8")


def test_an_existing_post_entry_is_reused_not_duplicated(tmp_path: Path) -> None:
    files = minimal_files(alpha=biomarker_yaml(body=statement_yaml()))
    files["data/references.bib"] = (
        f"{REFERENCES_BIB}\n@online{{crp-post,\n  organization = {{Blog}},\n  title = {{CRP}}\n}}\n"
    )
    project = make_project(tmp_path, files=files)
    created = run_cli("new-biomarker", "crp", cwd=project)

    assert created.returncode == 0
    assert "data/references.bib already has 'crp-post'; it is cited as the post" in created.stdout
    assert (project / "data/references.bib").read_text(encoding="utf-8") == files[
        "data/references.bib"
    ]
    checked = run_cli("check", cwd=project)
    errors = [line for line in checked.stderr.splitlines() if ": warning: " not in line]
    assert errors == [*_placeholder_errors(project)[:4], "4 errors, 1 warning found"]


def test_a_bibliography_without_final_newline_stays_readable(tmp_path: Path) -> None:
    files = minimal_files(alpha=biomarker_yaml(body=statement_yaml()))
    files["data/references.bib"] = REFERENCES_BIB.rstrip("\n")
    project = make_project(tmp_path, files=files)
    assert run_cli("new-biomarker", "crp", cwd=project).returncode == 0
    _fill_in(project)
    checked = run_cli("check", cwd=project)
    assert checked.returncode == 0, checked.stderr
    assert checked.stderr == f"{_starter_warning(project)}\n0 errors, 1 warning found\n"


def test_a_taken_claim_id_gets_a_number(tmp_path: Path) -> None:
    files = minimal_files(alpha=biomarker_yaml(body=statement_yaml("crp-definition")))
    project = make_project(tmp_path, files=files)
    assert run_cli("new-biomarker", "crp", cwd=project).returncode == 0
    lines = run_cli("check", cwd=project).stderr.splitlines()[:-1]
    errors = [line for line in lines if ": warning: " not in line]
    assert errors == _placeholder_errors(project, "crp-definition-2")
    _fill_in(project)
    checked = run_cli("check", cwd=project)
    assert checked.returncode == 0, checked.stderr
    assert "crp-definition-2" in (project / "data/biomarkers/crp.yaml").read_text("utf-8")


@pytest.mark.slow
def test_the_new_article_builds_strictly(project: Path, tmp_path: Path) -> None:
    run_cli("new-biomarker", "crp", cwd=project)
    _fill_in(project)
    completed = mkdocs_build(project, tmp_path / "site")
    assert completed.returncode == 0, completed.stderr
    assert (tmp_path / "site/biomarkers/crp/index.html").is_file()


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("biomarker_id", "message"),
    [
        pytest.param(
            "../etc",
            "not a valid id (got '../etc'); use lowercase letters, digits and single hyphens,"
            " e.g. 'etc'",
            id="path-traversal",
        ),
        pytest.param(
            "CRP",
            "not a valid id (got 'CRP'); use lowercase letters, digits and single hyphens,"
            " e.g. 'crp'",
            id="uppercase",
        ),
        pytest.param(
            "c-reactive protein",
            "not a valid id (got 'c-reactive protein'); use lowercase letters, digits and single"
            " hyphens, e.g. 'c-reactive-protein'",
            id="space",
        ),
        pytest.param(
            "crp--x",
            "not a valid id (got 'crp--x'); use lowercase letters, digits and single hyphens,"
            " e.g. 'crp-x'",
            id="double-hyphen",
        ),
        pytest.param(
            "-crp",
            "not a valid id (got '-crp'); use lowercase letters, digits and single hyphens,"
            " e.g. 'crp'",
            id="leading-hyphen",
        ),
        pytest.param(
            "crp\n",
            "not a valid id (got 'crp\\n'); use lowercase letters, digits and single hyphens,"
            " e.g. 'crp'",
            id="trailing-newline",
        ),
        pytest.param(
            "",
            "not a valid id (got ''); use lowercase letters, digits and single hyphens",
            id="empty",
        ),
        pytest.param(
            "index",
            "the id 'index' is reserved by the site (404, assets, index, javascripts, search,"
            " stylesheets); choose another id",
            id="reserved-index",
        ),
        pytest.param(
            "Index",
            "not a valid id (got 'Index'); use lowercase letters, digits and single hyphens",
            id="reserved-after-lowercasing",
        ),
        pytest.param(
            "alpha",
            "data/biomarkers/alpha.yaml already exists; edit it, or choose another id",
            id="exists",
        ),
    ],
)
def test_a_refused_id_writes_nothing(project: Path, biomarker_id: str, message: str) -> None:
    before = tree_digest(project)
    refused = run_cli("new-biomarker", "--", biomarker_id, cwd=project)

    assert refused.returncode == 1
    assert refused.stderr == f"error: {message}\nnothing was written\n"
    assert refused.stdout == ""
    assert tree_digest(project) == before


def test_an_existing_yml_file_is_refused(project: Path) -> None:
    write_files(project, {"data/biomarkers/crp.yml": biomarker_yaml("crp")})
    before = tree_digest(project)
    refused = run_cli("new-biomarker", "crp", cwd=project)
    assert refused.returncode == 1
    assert "error: data/biomarkers/crp.yml already exists" in refused.stderr
    assert tree_digest(project) == before


def test_outside_a_project_it_says_so(tmp_path: Path) -> None:
    refused = run_cli("new-biomarker", "crp", cwd=tmp_path)
    assert refused.returncode == 1
    assert refused.stderr == (
        "error: data/biomarkers/ is missing; run this in the project folder\n"
        "error: data/references.bib is missing; run this in the project folder\n"
        "nothing was written\n"
    )
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- make target


@pytest.fixture
def make_project_with_venv(project: Path, tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """The fixture project with the real Makefile, and a stand-in venv that runs this Python."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    for name in ("Makefile", "pyproject.toml", "requirements.lock"):
        shutil.copy2(PROJECT_ROOT / name, project / name)
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    python = venv / "bin" / "python"
    python.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n', encoding="utf-8")
    python.chmod(0o755)
    (venv / ".installed").touch()  # newer than the copied pyproject.toml: nothing to install
    env = {k: v for k, v in os.environ.items() if k not in {"ID", "MAKEFLAGS", "MAKELEVEL"}}
    env["VENV"] = str(venv)
    return project, env


def test_make_new_biomarker_without_id_explains_itself(
    make_project_with_venv: tuple[Path, dict[str, str]],
) -> None:
    project, env = make_project_with_venv
    before = tree_digest(project)
    completed = subprocess.run(
        ["make", "new-biomarker"], cwd=project, env=env, capture_output=True, text=True
    )
    assert completed.returncode == 2
    assert "say which biomarker, e.g. make new-biomarker ID=crp" in completed.stderr
    assert tree_digest(project) == before


def test_make_new_biomarker_creates_the_file(
    make_project_with_venv: tuple[Path, dict[str, str]],
) -> None:
    project, env = make_project_with_venv
    completed = subprocess.run(
        ["make", "new-biomarker", "ID=crp"], cwd=project, env=env, capture_output=True, text=True
    )
    assert completed.returncode == 0, completed.stderr
    assert "created data/biomarkers/crp.yaml" in completed.stdout
    assert (project / "data/biomarkers/crp.yaml").is_file()


def test_an_id_too_long_for_a_file_name_is_refused_without_writing(project: Path) -> None:
    completed = run_cli("new-biomarker", "a" * 300, cwd=project)
    assert completed.returncode != 0
    assert "too long to name a file" in completed.stderr
    assert "Traceback" not in completed.stderr
    assert not list((project / "data" / "biomarkers").glob("aaaa*"))
