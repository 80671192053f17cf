"""Reading the data folder: the one place the generator reads editors' files.

The folder arrives in pull requests from strangers, so reading it keeps
these promises:

* Nothing outside the folder is read. No symbolic link is followed: a link
  is refused at its own path, whatever it points to. A file is opened
  folder by folder from the data folder down, each step refusing a link,
  so a folder swapped for a link during the build is refused too.
* Only regular files are read. Named pipes, devices and sockets are
  refused, as are names that are not UTF-8.
* A file is opened only when the format reads it: the data files and the
  archived articles that sources name. Every other file is listed, so a
  misplaced file can be named in a warning, but never opened; hidden
  folders are not entered.
* A file's size is checked on the open file, before it is read: no file
  larger than its limit is read at all.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import BinaryIO

from .errors import FileRefused
from .loader import MAX_FILE_BYTES, size_problem
from .quotes import MAX_ARCHIVE_BYTES

#: Ways of opening that follow no link and never wait (a named pipe).
_NO_LINKS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
_FOLDER = _NO_LINKS | getattr(os, "O_DIRECTORY", 0)
_FILE = _NO_LINKS | getattr(os, "O_NONBLOCK", 0)
_YAML = (".yml", ".yaml")


def limit_of(rel: str) -> int:
    """The largest size, in bytes, of the file at ``rel``: a YAML data file's,
    or an archived article's."""
    return MAX_FILE_BYTES if rel.lower().endswith(_YAML) else MAX_ARCHIVE_BYTES


class DataFolder(Mapping[str, bytes]):
    """The regular files under a data folder, by POSIX path relative to it,
    each read when looked up.

    Iterating lists every file without opening any. ``refused`` names the
    entries that are never read and why; looking one of them up, or a file
    that cannot be read (gone, too large, swapped for a link), raises
    :class:`FileRefused`. Hidden folders are listed as ``name/`` and never
    entered.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.refused: dict[str, FileRefused] = {}
        self._paths: dict[str, None] = {}
        self._scan()

    def _scan(self) -> None:
        folders = [""]
        while folders:
            folder = folders.pop()
            try:
                with os.scandir(self.root / folder if folder else self.root) as entries:
                    found = sorted(entries, key=lambda entry: entry.name)
            except OSError as exc:
                if not folder:
                    raise
                self.refused[folder] = FileRefused(f"folder cannot be read: {exc.strerror}",
                                                   "check the folder's permissions")
                continue
            for entry in found:
                rel = f"{folder}/{entry.name}" if folder else entry.name
                kind = _kind(entry)
                if kind == "folder":
                    if entry.name.startswith("."):
                        self._paths[rel + "/"] = None
                    else:
                        folders.append(rel)
                elif kind == "file":
                    self._paths[rel] = None
                else:
                    self.refused[rel] = FileRefused(kind, _REFUSAL_HINTS.get(kind, "remove it"))
        self._paths = dict.fromkeys(sorted(self._paths))

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)

    def __contains__(self, rel: object) -> bool:
        return rel in self._paths

    def __getitem__(self, rel: str) -> bytes:
        if rel in self.refused:
            raise self.refused[rel]
        if rel not in self._paths or rel.endswith("/"):
            raise KeyError(rel)
        # Read anew each time rather than kept: what validation needs of a
        # file it keeps, and the rest is freed as soon as it is parsed.
        return read_beneath(self.root, rel, limit_of(rel))


def _kind(entry: os.DirEntry[str]) -> str:
    """``file``, ``folder``, or why the entry is refused."""
    try:
        entry.name.encode("utf-8")
    except UnicodeEncodeError:
        return "file name is not valid UTF-8"
    if entry.is_symlink():
        return "file is a symbolic link, which the build does not follow"
    if entry.is_dir(follow_symlinks=False):
        return "folder"
    if entry.is_file(follow_symlinks=False):
        return "file"
    try:
        mode = entry.stat(follow_symlinks=False).st_mode
    except OSError:
        return "file cannot be read"
    if stat.S_ISFIFO(mode):
        return "file is a named pipe, not a regular file"
    if stat.S_ISSOCK(mode):
        return "file is a socket, not a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "file is a device, not a regular file"
    return "file is not a regular file"


_LINK_HINT = "put the file itself here, or remove the link"
_REFUSAL_HINTS = {
    "file is a symbolic link, which the build does not follow": _LINK_HINT,
    "file name is not valid UTF-8": "rename it",
}


def read_beneath(root: Path, rel: str, limit: int) -> bytes:
    """The bytes of the regular file at ``rel`` under ``root``, opened one
    folder at a time without following any link, and at most ``limit``
    bytes long. Raises :class:`FileRefused` otherwise."""
    if os.open not in os.supports_dir_fd:  # pragma: no cover - not on Linux or macOS
        return _read_checked(root / rel, limit)
    parts = rel.split("/")
    try:
        folder = os.open(root, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError as exc:
        raise FileRefused(f"file cannot be read: {exc.strerror}") from None
    try:
        for part in parts[:-1]:
            inner = os.open(part, _FOLDER, dir_fd=folder)
            os.close(folder)
            folder = inner
        descriptor = os.open(parts[-1], _FILE, dir_fd=folder)
    except OSError as exc:
        raise _refusal(exc) from None
    finally:
        os.close(folder)
    with os.fdopen(descriptor, "rb") as file:
        return _read_open(file, limit)


def _read_checked(path: Path, limit: int) -> bytes:  # pragma: no cover - without dir_fd support
    if path.is_symlink():
        raise FileRefused("file is a symbolic link, which the build does not follow")
    with path.open("rb") as file:
        return _read_open(file, limit)


def _read_open(file: BinaryIO, limit: int) -> bytes:
    info = os.fstat(file.fileno())
    if not stat.S_ISREG(info.st_mode):
        raise FileRefused("file is not a regular file", "remove it")
    if info.st_size > limit:
        raise FileRefused(size_problem(info.st_size, limit), _SIZE_HINT)
    try:
        data = file.read(limit + 1)
    except OSError as exc:
        raise FileRefused(f"file cannot be read: {exc.strerror}") from None
    if len(data) > limit:  # it grew since it was opened
        raise FileRefused(size_problem(len(data), limit), _SIZE_HINT)
    return data


_SIZE_HINT = "a data file is at most a few hundred kilobytes; split it, or archive only the article's text"


def _refusal(exc: OSError) -> FileRefused:
    if exc.errno == errno.ELOOP or exc.errno == errno.ENOTDIR:
        return FileRefused("file is reached through a symbolic link, which the build does not follow",
                           "put the file itself here, or remove the link")
    if exc.errno == errno.ENOENT:
        return FileRefused("file was removed while the build read the folder", "build again")
    return FileRefused(f"file cannot be read: {exc.strerror}", "check the file's permissions")
