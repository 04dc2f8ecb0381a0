"""No file silently ignored (issue 13, item 3): every entry of data/biomarkers/ is accounted for.

A biomarker file is ``<id>.yaml``; any other name is an error naming the fix. What an editor or
the system leaves beside the data (lock, swap, backup files) is a warning saying what it is,
never "file is missing"; a file that cannot be read is a problem, not a traceback.
"""

from __future__ import annotations

import os
import pathlib
from typing import TYPE_CHECKING

import pytest

from biomarker_kb.load import load_data
from biomarker_kb.problems import Severity
from tests.helpers import biomarker_yaml, make_project, minimal_files, run_cli, write_files

if TYPE_CHECKING:
    from pathlib import Path

FOLDER = "data/biomarkers"


def _load(tmp_path: Path, extra: dict[str, str | bytes]) -> list[str]:
    files = minimal_files(alpha=biomarker_yaml())
    write_files(tmp_path, {**files, **extra})
    raw = load_data(tmp_path / "data", tmp_path)
    assert [b.path for b in raw.biomarkers] == [f"{FOLDER}/alpha.yaml"]
    return [str(p) for p in raw.problems]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param(
            "beta.yml",
            "a biomarker file name must end in .yaml (got 'beta.yml'); rename it beta.yaml",
            id="yml",
        ),
        pytest.param(
            "beta.YAML",
            "a biomarker file name must end in .yaml (got 'beta.YAML'); rename it beta.yaml",
            id="upper-case-extension",
        ),
        pytest.param(
            "beta.Yml",
            "a biomarker file name must end in .yaml (got 'beta.Yml'); rename it beta.yaml",
            id="mixed-case-yml",
        ),
        pytest.param(
            "notes.txt",
            "only biomarker files named <id>.yaml belong in data/biomarkers/ (got the file"
            " 'notes.txt'); move it out of data/biomarkers/, or rename it <id>.yaml if it is one",
            id="other-extension",
        ),
        pytest.param(
            "beta.json",
            "only biomarker files named <id>.yaml belong in data/biomarkers/ (got the file"
            " 'beta.json'); move it out of data/biomarkers/, or rename it <id>.yaml if it is one",
            id="json",
        ),
        pytest.param(
            "README",
            "only biomarker files named <id>.yaml belong in data/biomarkers/ (got the file"
            " 'README'); move it out of data/biomarkers/, or rename it <id>.yaml if it is one",
            id="no-extension",
        ),
        pytest.param(
            ".yaml",
            "only biomarker files named <id>.yaml belong in data/biomarkers/ (got the file"
            " '.yaml'); move it out of data/biomarkers/, or rename it <id>.yaml if it is one",
            id="no-name",
        ),
    ],
)
def test_a_file_not_named_id_yaml_is_an_error(tmp_path: Path, name: str, expected: str) -> None:
    assert _load(tmp_path, {f"{FOLDER}/{name}": "id: beta\n"}) == [f"{FOLDER}/{name}: {expected}"]


def test_a_folder_is_an_error(tmp_path: Path) -> None:
    (tmp_path / FOLDER / "old").mkdir(parents=True)
    assert _load(tmp_path, {}) == [
        f"{FOLDER}/old: only biomarker files named <id>.yaml belong in data/biomarkers/ (got the"
        " folder 'old'); move it out of data/biomarkers/, or rename it <id>.yaml if it is one"
    ]


def test_a_folder_named_like_a_biomarker_file_is_an_error(tmp_path: Path) -> None:
    (tmp_path / FOLDER / "beta.yaml").mkdir(parents=True)
    assert _load(tmp_path, {}) == [
        f"{FOLDER}/beta.yaml: a folder stands where a data file should (got 'beta.yaml'); move it"
        " out of data/biomarkers/"
    ]


def test_a_broken_link_is_not_a_missing_file(tmp_path: Path) -> None:
    (tmp_path / FOLDER).mkdir(parents=True)
    os.symlink(tmp_path / "nowhere.yaml", tmp_path / FOLDER / "beta.yaml")
    assert _load(tmp_path, {}) == [
        f"{FOLDER}/beta.yaml: the file is a link to a file that does not exist; replace it with"
        " the file"
    ]


def test_a_pipe_named_like_a_biomarker_file_is_not_read(tmp_path: Path) -> None:
    """Reading a named pipe would wait for a writer forever."""
    (tmp_path / FOLDER).mkdir(parents=True)
    os.mkfifo(tmp_path / FOLDER / "beta.yaml")
    assert _load(tmp_path, {}) == [
        f"{FOLDER}/beta.yaml: not a regular file (a pipe or a device?); replace it with a text file"
    ]


LEFT_BY_TOOLS = [
    pytest.param(
        ".#alpha.yaml",
        "an Emacs lock file (got '.#alpha.yaml') is not read; save alpha.yaml in Emacs, where it"
        " has unsaved changes, and the lock file goes away",
        id="emacs-lock",
    ),
    pytest.param(
        "#alpha.yaml#",
        "an Emacs auto-save file (got '#alpha.yaml#') is not read; save alpha.yaml in Emacs,"
        " where it has unsaved changes, and this file goes away",
        id="emacs-auto-save",
    ),
    pytest.param(
        ".alpha.yaml.swp",
        "a Vim swap file (got '.alpha.yaml.swp') is not read; close alpha.yaml in Vim, where it is"
        " open (after a crash, recover it with vim -r alpha.yaml), then delete this file if it"
        " stays",
        id="vim-swap",
    ),
    pytest.param(
        ".alpha.yaml.swo",
        "a Vim swap file (got '.alpha.yaml.swo') is not read; close alpha.yaml in Vim, where it is"
        " open (after a crash, recover it with vim -r alpha.yaml), then delete this file if it"
        " stays",
        id="vim-second-swap",
    ),
    pytest.param(
        "alpha.yaml~",
        "a backup copy (got 'alpha.yaml~') is not read; an editor or a merge tool made this copy"
        " of alpha.yaml: delete it once you no longer need it",
        id="tilde-backup",
    ),
    pytest.param(
        "alpha.yaml.orig",
        "a backup copy (got 'alpha.yaml.orig') is not read; an editor or a merge tool made this"
        " copy of alpha.yaml: delete it once you no longer need it",
        id="merge-leftover",
    ),
    pytest.param(
        ".DS_Store",
        "a file the operating system made (got '.DS_Store') is not read; macOS or Windows keeps"
        " details about the folder in it: delete it",
        id="finder",
    ),
    pytest.param(
        "._alpha.yaml",
        "a file the operating system made (got '._alpha.yaml') is not read; macOS or Windows"
        " keeps details about the folder in it: delete it",
        id="apple-double",
    ),
]


@pytest.mark.parametrize(("name", "expected"), LEFT_BY_TOOLS)
def test_editor_and_system_files_are_named_in_a_warning(
    tmp_path: Path, name: str, expected: str
) -> None:
    files = minimal_files(alpha=biomarker_yaml())
    write_files(tmp_path, {**files, f"{FOLDER}/{name}": b"\x00\xff not YAML"})
    raw = load_data(tmp_path / "data", tmp_path)
    assert [(str(p), p.severity) for p in raw.problems] == [
        (f"{FOLDER}/{name}: warning: {expected}", Severity.WARNING)
    ]
    assert [b.path for b in raw.biomarkers] == [f"{FOLDER}/alpha.yaml"]


def test_an_emacs_lock_link_is_not_reported_as_missing(tmp_path: Path) -> None:
    """Emacs makes its lock file a link to 'user@host.pid', which does not exist."""
    (tmp_path / FOLDER).mkdir(parents=True)
    os.symlink("editor@host.4242:1700000000", tmp_path / FOLDER / ".#alpha.yaml")
    problems = _load(tmp_path, {})
    assert len(problems) == 1
    assert "file is missing" not in problems[0]
    assert problems[0].startswith(f"{FOLDER}/.#alpha.yaml: warning: an Emacs lock file")


def test_a_lock_file_does_not_fail_make_check_but_fails_check_strict(tmp_path: Path) -> None:
    files = minimal_files(alpha=biomarker_yaml(body=""))
    project = make_project(tmp_path, files={**files, f"{FOLDER}/alpha.yaml~": "old"})
    checked = run_cli("check", cwd=project)
    assert checked.returncode == 0, checked.stderr
    assert "data/biomarkers/alpha.yaml~: warning: a backup copy" in checked.stderr
    assert run_cli("check", "--strict", cwd=project).returncode == 1


@pytest.mark.parametrize(
    ("present", "expected"),
    [
        pytest.param(
            "conditions.yml",
            "file is missing; rename 'conditions.yml' to conditions.yaml",
            id="yml",
        ),
        pytest.param(
            "Conditions.yaml",
            "file is missing; rename 'Conditions.yaml' to conditions.yaml",
            id="letter-case",
        ),
    ],
)
def test_a_missing_file_names_its_look_alike(tmp_path: Path, present: str, expected: str) -> None:
    files = minimal_files(alpha=biomarker_yaml())
    files[f"data/{present}"] = files.pop("data/conditions.yaml")
    write_files(tmp_path, files)
    raw = load_data(tmp_path / "data", tmp_path)
    assert [str(p) for p in raw.problems] == [f"data/conditions.yaml: {expected}"]


def test_a_folder_in_place_of_a_data_file_is_named(tmp_path: Path) -> None:
    files = minimal_files(alpha=biomarker_yaml())
    del files["data/specimens.yaml"]
    write_files(tmp_path, files)
    (tmp_path / "data" / "specimens.yaml").mkdir()
    raw = load_data(tmp_path / "data", tmp_path)
    assert [str(p) for p in raw.problems] == [
        "data/specimens.yaml: a folder stands where a data file should (got 'specimens.yaml');"
        " replace it with the file specimens.yaml"
    ]


def test_an_unreadable_file_is_a_problem_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(tmp_path, minimal_files(alpha=biomarker_yaml()))
    read_bytes = pathlib.Path.read_bytes

    def refuse_alpha(path: pathlib.Path) -> bytes:
        if path.name == "alpha.yaml":  # as chmod 0 would, for anyone but root
            raise PermissionError(13, "Permission denied", str(path))
        return read_bytes(path)

    monkeypatch.setattr(pathlib.Path, "read_bytes", refuse_alpha)
    raw = load_data(tmp_path / "data", tmp_path)
    assert [str(p) for p in raw.problems] == [
        f"{FOLDER}/alpha.yaml: the file cannot be read (Permission denied); check that it is a"
        " readable file"
    ]


def test_a_file_where_the_biomarker_folder_should_be_is_named(tmp_path: Path) -> None:
    files = minimal_files()
    write_files(tmp_path, {**files, "data/biomarkers": "not a folder"})
    raw = load_data(tmp_path / "data", tmp_path)
    assert [str(p) for p in raw.problems] == [
        "data/biomarkers: data/biomarkers/ should be a folder, holding one <id>.yaml file per"
        " biomarker; make it one"
    ]
