"""Reading the data folder: nothing outside it is read, nothing but what the format reads."""

from __future__ import annotations

import os
import shutil
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import SOURCE

from generator import BriefingError, read_data_dir
from generator.errors import FileRefused
from generator.validate import validate_briefings

#: What a file outside the data folder holds, which no message may show.
OUTSIDE_TEXT = "CI_TOKEN=value-of-the-environment"
ARCHIVED = SOURCE.replace("  published: 2026-02-07\n", "  archive: archive/article.txt\n").replace(
    "kind: paraphrase\n    speaker: Xi Jinping", "kind: quote\n    speaker: Xi Jinping")


def check(data: Path) -> str:
    """The report of validating ``data`` as the build reads it ('' if it passes)."""
    folder = read_data_dir(data)
    try:
        briefings = validate_briefings(folder, "briefings", refused=folder.refused)
    except BriefingError as exc:
        return exc.report()
    return "\n".join(w.format() for w in briefings.warnings)


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "environ").write_text(f"{OUTSIDE_TEXT}\nTrade reached $228.1 billion in 2025.\n")
    return outside / "environ"


def test_a_linked_archive_is_refused_at_the_link_and_never_read(
        make_data: Callable[..., Path], secret_file: Path) -> None:
    data = make_data({"sources/example.yml": ARCHIVED})
    (data / "archive").mkdir()
    (data / "archive/article.txt").symlink_to(secret_file)
    report = check(data)
    assert "briefings/archive/article.txt:1:1: error: file is a symbolic link, which the build does not " \
           "follow\n    hint: put the file itself here, or remove the link" in report
    assert "briefings/sources/example.yml:5:12: error: archive file 'archive/article.txt' is not read\n" \
           "    hint: is a symbolic link, which the build does not follow" in report
    # Neither its content in a hint nor a verified quote (an oracle for guessing it).
    assert OUTSIDE_TEXT not in report and "228.1" not in report and "closest passage" not in report


def test_a_linked_source_or_folder_is_refused(make_data: Callable[..., Path], tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "planted.yml").write_text(SOURCE.replace("cn-", "zz-"))
    data = make_data()
    (data / "sources/planted.yml").symlink_to(elsewhere / "planted.yml")
    (data / "sources/2025").symlink_to(elsewhere, target_is_directory=True)
    (data / "sources/loop").symlink_to(data / "sources", target_is_directory=True)
    assert check(data).splitlines()[:-1] == [
        "briefings/sources/2025:1:1: error: file is a symbolic link, which the build does not follow",
        "    hint: put the file itself here, or remove the link",
        "briefings/sources/loop:1:1: error: file is a symbolic link, which the build does not follow",
        "    hint: put the file itself here, or remove the link",
        "briefings/sources/planted.yml:1:1: error: file is a symbolic link, which the build does not follow",
        "    hint: put the file itself here, or remove the link",
    ]


def test_a_named_pipe_is_refused_without_waiting_for_a_writer(make_data: Callable[..., Path]) -> None:
    data = make_data({"sources/example.yml": ARCHIVED})
    (data / "archive").mkdir()
    os.mkfifo(data / "archive/article.txt")
    os.mkfifo(data / "sources/pipe.yml")
    started = time.monotonic()
    report = check(data)
    assert time.monotonic() - started < 5
    assert "briefings/archive/article.txt:1:1: error: file is a named pipe, not a regular file" in report
    assert "briefings/sources/pipe.yml:1:1: error: file is a named pipe, not a regular file" in report


def test_a_folder_swapped_for_a_link_after_listing_is_refused(
        make_data: Callable[..., Path], secret_file: Path) -> None:
    data = make_data()
    folder = read_data_dir(data)
    shutil.rmtree(data / "sources")
    (data / "sources").symlink_to(secret_file.parent, target_is_directory=True)
    (secret_file.parent / "example.yml").write_text(SOURCE)
    with pytest.raises(FileRefused, match="reached through a symbolic link"):
        folder["sources/example.yml"]


def test_files_the_format_does_not_read_are_listed_never_read(make_data: Callable[..., Path]) -> None:
    data = make_data({"sources/example.yml": ARCHIVED, "archive/article.txt": (
        "He said: Trade reached $228.1 billion in 2025. Taiwan is the most important issue.")})
    with (data / "stray.bin").open("wb") as stray:
        stray.truncate(1536 * 1024 * 1024)  # 1.5 GB, sparse: no disk, but reading it would take the memory
    (data / "notes.YML").write_text("x: 1\n")
    (data / "sources/.draft.yml").write_text(SOURCE)
    (data / ".cache").mkdir()
    (data / ".cache/a.yml").write_text("x: 1\n")
    tracemalloc.start()
    report = check(data)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 50 * 1024 * 1024
    assert report.splitlines() == [
        "briefings/.cache/:1:1: warning: folder is not read",
        "    hint: hidden folders are not part of the data; move what it holds out of it",
        "briefings/notes.YML:1:1: warning: file is not read",
        "    hint: the data files are themes.yml, countries.yml, events.yml, groups.yml and the files under "
        "sources/ and "
        "pairs/, named .yml or .yaml, not hidden",
        "briefings/sources/.draft.yml:1:1: warning: file is not read",
        "    hint: the data files are themes.yml, countries.yml, events.yml, groups.yml and the files under "
        "sources/ and "
        "pairs/, named .yml or .yaml, not hidden",
        "briefings/stray.bin:1:1: warning: file is not read",
        "    hint: besides the YAML data files, the build reads only the archives that sources name with "
        "'archive:'",
    ]


def test_a_file_over_its_limit_is_refused_from_its_size(make_data: Callable[..., Path]) -> None:
    data = make_data({"sources/example.yml": ARCHIVED})
    (data / "archive").mkdir()
    with (data / "archive/article.txt").open("wb") as archive:
        archive.truncate(3 * 1024 * 1024)
    with (data / "sources/huge.yml").open("wb") as huge:
        huge.truncate(1024 * 1024 * 1024)
    report = check(data)
    assert "briefings/archive/article.txt:1:1: error: file is 3,145,728 bytes, over the limit of 1,048,576" \
        in report
    assert "briefings/sources/huge.yml:1:1: error: file is 1,073,741,824 bytes, over the limit of 2,097,152" \
        in report


def test_a_file_name_is_shown_with_its_control_characters_escaped(make_data: Callable[..., Path]) -> None:
    data = make_data()
    (data / "sources/\x1b[2Jevil.yml").write_text("source: [\n")
    report = check(data)
    assert "\x1b" not in report
    assert "briefings/sources/\\x1b[2Jevil.yml:2:1: error:" in report
