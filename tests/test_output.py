"""`build --out` replaces only a folder it wrote, and survives kills, races and failing disks."""

from __future__ import annotations

import errno
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPO, copy_project
from test_cli import build, run, tree

from generator import cli, outdir
from generator.outdir import MARKER


@pytest.fixture
def project(tmp_path: Path, make_data: Callable[..., Path]) -> Path:
    """A copy of the site's sources with the minimal data, in a repository."""
    folder = copy_project(tmp_path / "project", make_data())
    (folder / ".git").mkdir()
    (folder / ".git/HEAD").write_text("ref: refs/heads/main\n")
    return folder


def build_in(project: Path, out: str) -> subprocess.CompletedProcess[str]:
    return run("build", "--out", out, cwd=project)


def arguments(data: Path, out: Path) -> list[str]:
    """The command line of a build of ``data`` into ``out``, after the program."""
    return ["build", "--out", str(out), "--data-dir", str(data), "--templates-dir", str(REPO / "templates")]


@pytest.mark.parametrize(("out", "message"), [
    (".", "error: . holds the data (briefings); build --out replaces the whole folder"),
    ("..", "error: .. holds the data (briefings); build --out replaces the whole folder"),
    ("briefings", "error: briefings holds the data (briefings); build --out replaces the whole folder"),
    ("docs", "error: docs holds the docs ("),
    ("templates", "error: templates holds the templates (templates); build --out replaces the whole folder"),
    ("briefings/site", "error: briefings/site lies inside the data (briefings)"),
])
def test_folders_it_must_not_replace_are_refused_untouched(project: Path, out: str, message: str) -> None:
    before = tree(project)
    result = build_in(project, out)
    assert result.returncode == 1
    assert result.stderr.startswith(message), result.stderr
    assert "Traceback" not in result.stderr
    assert tree(project) == before


def test_a_repository_or_a_folder_it_did_not_write_is_refused(project: Path, tmp_path: Path) -> None:
    mine = project / "notes"
    mine.mkdir()
    (mine / "draft.md").write_text("mine")
    result = build_in(project, "notes")
    assert result.returncode == 1
    assert result.stderr == ("error: notes is not empty and was not written by build --out\n"
                             "    hint: give a new or empty folder; the build replaces its whole content\n")
    assert (mine / "draft.md").read_text() == "mine"
    # A folder it wrote, in which a repository was then made.
    assert build_in(project, "site-pages").returncode == 0
    (project / "site-pages/.git").mkdir()
    assert build_in(project, "site-pages").stderr.startswith("error: site-pages holds a repository (.git)")


def test_an_empty_folder_or_its_own_is_replaced(project: Path) -> None:
    (project / "pages").mkdir()
    assert build_in(project, "pages").returncode == 0
    assert (project / "pages" / MARKER).is_file()
    (project / "pages/stale.md").write_text("from an earlier build")
    assert build_in(project, "pages").returncode == 0
    assert not (project / "pages/stale.md").exists()
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".pages")) == []


def test_what_killed_builds_left_is_removed_by_the_next(project: Path) -> None:
    assert build_in(project, "pages").returncode == 0
    # A staging tree and an old tree of killed builds: marked as the tool's.
    for name in (".pages.new-x1", ".pages.old-x2"):
        (project / name / "pairs").mkdir(parents=True)
        (project / name / MARKER).write_text("")
    (project / ".pages.new-x3").mkdir()  # killed before it was marked
    (project / ".pages.new-mine").mkdir()
    (project / ".pages.new-mine/keep.txt").write_text("not the tool's")
    assert build_in(project, "pages").returncode == 0
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".pages")) == [".pages.new-mine"]


def test_random_kills_leave_the_last_output_whole_and_no_leftovers(tmp_path: Path) -> None:
    data = tmp_path / "data"
    sys.path.insert(0, str(REPO))
    from benchmarks.bench import make_corpus

    make_corpus(data, 1500)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "generator", *arguments(data, out)]
    assert subprocess.run(command, capture_output=True, cwd=REPO).returncode == 0
    whole = tree(out)
    chance = random.Random(7)
    for _ in range(8):
        process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(chance.uniform(0.3, 2.5))
        process.send_signal(signal.SIGKILL)
        process.wait()
        # The output is there and whole after every kill: the old tree or the new.
        assert tree(out) == whole
    assert subprocess.run(command, capture_output=True, cwd=REPO).returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "out"]


def test_two_builds_into_one_folder_take_turns(make_data: Callable[..., Path], tmp_path: Path) -> None:
    data = make_data()
    out = tmp_path / "out"
    command = [sys.executable, "-m", "generator", *arguments(data, out)]
    processes = [subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True) for _ in range(4)]
    results = [(p.wait(timeout=120), p.stderr.read() if p.stderr else "") for p in processes]
    assert [code for code, _ in results] == [0, 0, 0, 0], results
    assert not any("Traceback" in err for _, err in results)
    assert (out / "pairs/china-russia.md").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["briefings", "out"]


@pytest.mark.parametrize("failure", [errno.ENOSPC, errno.EROFS, errno.EACCES])
def test_a_failing_disk_is_one_line_and_leaves_the_output_as_it_was(
        make_data: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        failure: int) -> None:
    out = tmp_path / "out"
    command = arguments(make_data(), out)
    assert CliRunner().invoke(cli.main, command).exit_code == 0
    before = tree(out)
    written = 0

    def write_bytes(self: Path, content: bytes) -> int:
        nonlocal written
        written += 1
        if written > 3:
            raise OSError(failure, os.strerror(failure), str(self))
        return len(content)

    monkeypatch.setattr(Path, "write_bytes", write_bytes)
    result = CliRunner().invoke(cli.main, command)
    assert result.exit_code == 1
    assert result.output == (f"error: cannot write {out}: {os.strerror(failure)}\n"
                             "    hint: check the disk's free space and that the folder is writable\n")
    monkeypatch.undo()
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["briefings", "out"]


def test_a_read_only_file_system_is_one_line(make_data: Callable[..., Path]) -> None:
    result = build(make_data(), Path("/proc/briefings-out"))
    assert result.returncode == 1
    assert result.stderr.startswith("error: cannot write /proc/briefings-out: ")
    assert len(result.stderr.splitlines()) == 2
    assert "Traceback" not in result.stderr


def test_without_an_atomic_exchange_the_old_tree_moves_aside_marked(
        make_data: Callable[..., Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(outdir, "_exchange", lambda a, b: False)
    out = tmp_path / "out"
    command = arguments(make_data(), out)
    assert CliRunner().invoke(cli.main, command).exit_code == 0
    assert CliRunner().invoke(cli.main, command).exit_code == 0
    assert (out / "pairs/china-russia.md").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["briefings", "out"]


@pytest.mark.parametrize(("edit", "message"), [
    ("[China, Rusia]", "unknown country 'Rusia'"),
    # A warning, which strict mode makes an error, after MkDocs cleans site/.
    ("themes: [security]", "theme 'trade' has no extracts"),
])
def test_a_failed_mkdocs_build_leaves_the_last_good_site(project: Path, edit: str, message: str) -> None:
    shutil.rmtree(project / ".git")
    assert subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project,
                          capture_output=True).returncode == 0
    before = tree(project / "site")
    source = project / "briefings/sources/example.yml"
    text = source.read_text()
    source.write_text(text.replace("[China, Russia]", edit) if "Rusia" in edit
                      else text.replace("themes: [trade]", edit))
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project,
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert message in result.stderr
    assert tree(project / "site") == before


def test_the_output_is_readable_by_others_and_a_path_through_a_file_is_refused(
        project: Path, tmp_path: Path) -> None:
    assert build_in(project, "pages").returncode == 0
    assert (project / "pages").stat().st_mode & 0o755 == 0o755
    (tmp_path / "a-file").write_text("")
    result = build_in(project, str(tmp_path / "a-file/out"))
    assert result.returncode == 1
    assert result.stderr.startswith(f"error: {tmp_path / 'a-file/out'} cannot be made: {tmp_path / 'a-file'}"
                                    " is a file")
