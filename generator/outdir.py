"""Writing ``build --out``: replacing a folder the tool made, and nothing else.

The folder is replaced as a whole, so no stale page survives a build, and
atomically, so a reader (or a web server) sees the old tree or the new one,
never half of each. Deleting a folder is only safe when the tool made it:

* a folder ``build --out`` writes holds a marker file, :data:`MARKER`;
* an existing folder without the marker is replaced only when empty;
* a folder that holds, or lies within, the data or the templates, or that
  holds the docs or a repository, is refused whatever it holds;
* a lock on the folder the output is in keeps two builds from writing it
  at once: the second waits for the first;
* a build killed half-way leaves hidden ``.NAME.new-*`` or ``.NAME.old-*``
  folders beside the output, marked as the tool's: the next build into the
  same folder removes them.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import shutil
import tempfile
import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

#: Seconds a build waits for another one writing beside it to finish.
LOCK_WAIT = 120
#: The file that marks a folder as written by ``build --out``.
MARKER = ".briefings-build"
_MARKER_TEXT = b"Written by 'python -m generator build'; the next build replaces this folder.\n"


class OutputRefused(Exception):
    """The output folder cannot be written; nothing was touched."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def check_target(out: Path, protected: Mapping[str, Path]) -> None:
    """Refuse an output folder the build must not replace.

    ``protected`` names folders (the data, the templates, the docs, a
    repository) by what they are; ``out`` may not be one of them or lie
    above one, nor lie inside the data or the templates.
    """
    if out.is_symlink():
        raise OutputRefused(f"{out} is a symbolic link", "give the folder itself")
    existing = next((p for p in (out.absolute(), *out.absolute().parents) if p.exists()), None)
    if existing is not None and existing != out.absolute() and not existing.is_dir():
        raise OutputRefused(f"{out} cannot be made: {existing} is a file", "give a folder's path")
    target = out.resolve()
    for what, folder in protected.items():
        place = folder.resolve()
        if target == place or target in place.parents:
            raise OutputRefused(f"{out} holds {what} ({folder}); build --out replaces the whole folder",
                                "give a folder of its own, e.g. --out build/pages")
        if what in ("the data", "the templates") and place in target.parents:
            raise OutputRefused(f"{out} lies inside {what} ({folder})",
                                "give a folder outside it, e.g. --out build/pages")
    if out.exists():
        _check_existing(out)


def _check_existing(out: Path) -> None:
    if not out.is_dir():
        raise OutputRefused(f"{out} is a file, not a folder", "give a folder")
    entries = {entry.name for entry in os.scandir(out)}
    if entries and MARKER not in entries:
        raise OutputRefused(f"{out} is not empty and was not written by build --out",
                            "give a new or empty folder; the build replaces its whole content")
    if ".git" in entries:
        raise OutputRefused(f"{out} holds a repository (.git)", "give a folder of its own")


def protected_folders(data_dir: Path, templates_dir: Path, start: Path) -> dict[str, Path]:
    """What ``build --out`` must never replace: the data, the templates, the
    docs next to ``mkdocs.yml`` and every repository above ``start`` or the data."""
    found = {"the data": data_dir, "the templates": templates_dir}
    if (start / "mkdocs.yml").is_file():
        found["the docs"] = start / _docs_dir(start / "mkdocs.yml")
    for where in (start, data_dir):
        root = _repository(where.resolve())
        if root is not None:
            found.setdefault("a repository", root)
    return found


def _docs_dir(config: Path) -> str:
    # MkDocs' own loader would need the whole configuration to load (plugins,
    # theme); the setting is one plain line.
    for line in config.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith("docs_dir:"):
            return line.split(":", 1)[1].split("#", 1)[0].strip().strip("'\"") or "docs"
    return "docs"


def _repository(folder: Path) -> Path | None:
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


def write_tree(out: Path, files: Mapping[str, bytes], protected: Mapping[str, Path]) -> None:
    """Replace folder ``out`` with exactly ``files``, all or nothing.

    Raises :class:`OutputRefused` when the folder must not be replaced or
    another build is writing it, and :class:`OSError` when the disk fails
    (nothing of the build is left behind then).
    """
    check_target(out, protected)
    parent = out.absolute().parent
    parent.mkdir(parents=True, exist_ok=True)
    with _locked(parent, out):
        _remove_leftovers(parent, out.name)
        check_target(out, protected)  # again: it may have changed while waiting
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=parent))
        try:
            # As a folder made with mkdir would be (mkdtemp's is the user's alone),
            # so that a web server running as another user can read the pages.
            os.chmod(staging, 0o777 & ~_umask())
            _write_files(staging, files)
            _swap_in(staging, out.absolute())
        finally:
            if staging.exists():
                _remove_marked(staging)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _write_files(folder: Path, files: Mapping[str, bytes]) -> None:
    (folder / MARKER).write_bytes(_MARKER_TEXT)
    made: set[Path] = set()
    for rel, content in files.items():
        target = folder / rel
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        target.write_bytes(content)


def _swap_in(staging: Path, out: Path) -> None:
    """Put ``staging`` at ``out``; the old tree ends up at ``staging``, or is removed."""
    if not out.exists():
        os.rename(staging, out)
        return
    if _exchange(staging, out):
        return
    # Without an atomic exchange: the old tree moves aside (marked, so the
    # next build removes it if this one is killed now), and the new one in.
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    (old / MARKER).write_bytes(_MARKER_TEXT)
    os.rename(out, old / out.name)
    os.rename(staging, out)
    _remove_marked(old)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux's renameat2 with RENAME_EXCHANGE);
    False where the system cannot."""
    libc = _libc()
    rename = getattr(libc, "renameat2", None) if libc is not None else None
    if rename is None:
        return False
    at_cwd, exchange = -100, 2
    if rename(at_cwd, os.fsencode(a), at_cwd, os.fsencode(b), exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _libc() -> ctypes.CDLL | None:
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:  # pragma: no cover - no C library to load
        return None


def _remove_leftovers(parent: Path, name: str) -> None:
    """Remove the staging and old folders of killed builds into ``name``:
    only those the tool marked as its own."""
    for entry in _entries(parent, (f".{name}.new-", f".{name}.old-")):
        path = Path(entry.path)
        with os.scandir(path) as inside:
            empty = not any(inside)
        if empty or (path / MARKER).is_file():
            _remove_marked(path)


def _remove_marked(folder: Path) -> None:
    """Remove a folder of the tool's, its marker last: a build killed while
    removing it leaves a folder still marked, which the next one removes."""
    with os.scandir(folder) as entries:
        inside = [entry for entry in entries if entry.name != MARKER]
    for entry in inside:
        if entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(folder / MARKER)
    with contextlib.suppress(OSError):
        os.rmdir(folder)


def _entries(parent: Path, prefixes: Iterable[str]) -> list[os.DirEntry[str]]:
    starts = tuple(prefixes)
    with os.scandir(parent) as entries:
        return [e for e in entries if e.name.startswith(starts) and e.is_dir(follow_symlinks=False)]


@contextlib.contextmanager
def _locked(parent: Path, out: Path) -> Iterator[None]:
    """Hold the lock of the folder ``out`` is written in for the block,
    waiting up to LOCK_WAIT seconds for another build to release it.

    The lock is taken on the folder itself, so no lock file is left behind;
    builds into two folders side by side take turns.
    """
    if fcntl is None:  # pragma: no cover - Windows
        yield
        return
    descriptor = os.open(parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        deadline = time.monotonic() + LOCK_WAIT
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise OutputRefused(f"another build has been writing beside {out} for "
                                        f"{LOCK_WAIT} seconds", "wait for it to finish, then build again"
                                        ) from None
                time.sleep(0.1)
        yield
    finally:
        os.close(descriptor)
