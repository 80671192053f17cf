"""The search index: the records of :mod:`generator.search` written as a Pagefind bundle.

Pagefind (https://pagefind.app) is a static search engine: its bundle, in
``pagefind/`` under the site, is fetched by readers' browsers a small part
at a time, so the first search of a large archive transfers a few hundred
kilobytes rather than the whole index. But every search loads a list of
all the records the bundle holds, which grows with the archive: so the
records, bottom lines first and then the extracts newest first, are split
into parts of at most :data:`PART_RECORDS`, each a bundle of its own. The
first part is at ``pagefind/``, where a first search loads it; the others
are under ``pagefind/parts/``, listed in ``pagefind/parts.json`` with the
dates and years they hold, and the search script adds them (Pagefind's
``mergeIndex``) when a reader asks for older extracts or a year they hold.

Its binary comes with the
``pagefind[bin]`` package. The records go to the binary's service mode
(the JSON-over-stdio protocol its own Python and Node packages speak),
written at once and answered by a reader thread; Pagefind's Python package
waits a tenth of a second for each answer, which is hours for 100,000
records.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from .errors import BriefingError, Diagnostic, Location
from .search import SearchRecord, vocabulary_record
from .when import When, long_when

#: The folder of the bundle under the site, which the theme's search script loads.
BUNDLE = "pagefind"
#: Characters that are part of words when indexing and searching ("$228.1").
INCLUDE_CHARACTERS = "$€£¥%"


@dataclass
class _Service:
    """A running ``pagefind --service``: requests are written as they come, and
    its answers read by a thread; an error in any answer fails the build."""

    process: subprocess.Popen[bytes]
    answers: dict[int, dict[str, Any]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    arrived: threading.Condition = field(default_factory=threading.Condition)
    sent: int = 0
    #: Whether its answers have ended (it stopped, or answered what cannot be read).
    closed: bool = False

    @staticmethod
    def start() -> _Service:
        try:
            from pagefind.service import get_executable

            binary = get_executable()
        except ImportError:
            binary = None
        if binary is None:
            raise _failure("Pagefind is not installed", "pip install 'pagefind[bin]' (see pyproject.toml)")
        try:
            process = subprocess.Popen([str(binary), "--service"], stdin=subprocess.PIPE,  # noqa: S603
                                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        except OSError as exc:
            raise _failure(f"Pagefind could not start: {exc.strerror or exc}", "") from None
        service = _Service(process)
        threading.Thread(target=service._read, daemon=True).start()
        return service

    def __enter__(self) -> _Service:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def tell(self, payload: dict[str, Any]) -> int:
        """Send a request without waiting for its answer; its message id."""
        self.sent += 1
        message = json.dumps({"message_id": self.sent, "payload": payload}, ensure_ascii=False)
        try:
            self._stdin().write(base64.b64encode(message.encode("utf-8")) + b",")
        except OSError:
            raise self._stopped() from None
        return self.sent

    def ask(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Send a request and wait for its answer (and every earlier one's)."""
        message_id = self.tell(payload)
        try:
            self._stdin().flush()
        except OSError:
            raise self._stopped() from None
        with self.arrived:
            self.arrived.wait_for(lambda: message_id in self.answers or self.process.poll() is not None
                                  or bool(self.errors) or self.closed)
        if self.errors:
            raise _failure(f"Pagefind could not index the site: {self.errors[0]}", "")
        if message_id not in self.answers:
            raise self._stopped()
        return self.answers[message_id]

    def _stdin(self) -> IO[bytes]:
        if self.process.stdin is None:
            raise self._stopped()
        return self.process.stdin

    def _read(self) -> None:
        try:
            self._read_answers()
        except (ValueError, KeyError) as exc:  # Not Pagefind's protocol: stop waiting for it.
            self.errors.append(f"an answer could not be read ({exc})")
        finally:
            with self.arrived:
                self.closed = True
                self.arrived.notify_all()

    def _read_answers(self) -> None:
        if self.process.stdout is None:
            return
        out = self.process.stdout.fileno()
        pending = b""
        while chunk := os.read(out, 1 << 16):
            pending += chunk
            *messages, pending = pending.split(b",")
            with self.arrived:
                for message in messages:
                    self._take(json.loads(base64.b64decode(message)))
                self.arrived.notify_all()

    def _take(self, answer: dict[str, Any]) -> None:
        payload = answer.get("payload") or {}
        if payload.get("type") == "Error":
            self.errors.append(str(payload.get("message", "unknown error")))
        elif payload.get("type") in ("NewIndex", "WriteFiles"):
            self.answers[answer["message_id"]] = payload

    def _stopped(self) -> BriefingError:
        return _failure(f"Pagefind stopped (exit status {self.process.poll()})", "")


def _failure(message: str, hint: str) -> BriefingError:
    return BriefingError([Diagnostic(Location("search index"), message, hint)])


@dataclass
class _Run:
    """One build's indexing: its thread, its own folder of indexed parts, and
    what it found."""

    thread: threading.Thread | None = None
    work: Path | None = None
    #: Each part's hash of its records, in order, and what the manifest says of each.
    parts: list[str] = field(default_factory=list)
    described: list[dict[str, Any]] = field(default_factory=list)
    #: The parts this run indexed (the others are kept from earlier builds),
    #: each with the result id of its record of every word.
    indexed: dict[int, str] = field(default_factory=dict)
    failure: BriefingError | None = None

    def join(self) -> None:
        """Wait for the thread."""
        if self.thread is not None:
            self.thread.join()
            self.thread = None

    def discard(self) -> None:
        """Remove the run's folder, once its parts are moved or not wanted."""
        if self.work is not None:
            shutil.rmtree(self.work, ignore_errors=True)
            self.work = None


class SearchIndexer:
    """The search index of one build, made while MkDocs builds the pages:
    ``start`` hands the records to Pagefind from a thread, a part at a time
    (see :func:`partition`), each part's bundle written into a folder of the
    build's own outside the site; ``finish`` moves them into the built site,
    and ``abandon`` drops them when the build stops on the way.

    Each part is indexed by a Pagefind process of its own, so the memory
    indexing takes is one part's, however large the archive.

    With ``keep`` (``mkdocs serve``), each part's bundle is kept in memory
    with the hash of its records: a rebuild writes a part whose records are
    the same (a template changed, say, or a change in another part) without
    indexing it again, and so does a rebuild while the data has errors,
    which has no records of its own. Every part holds the record of every
    word (:func:`generator.search.vocabulary_record`), so an edit that
    brings a word new to the archive, or takes its last use away, indexes
    every part again.
    """

    def __init__(self, keep: bool = False, part_records: int = 0) -> None:
        self.keep = keep
        self.part_records = part_records or PART_RECORDS
        #: Each kept part's bundle by the hash of its records, and the last build's parts.
        self.kept: dict[str, _Kept] = {}
        self.kept_parts: list[str] = []
        self.kept_described: list[dict[str, Any]] = []
        self._run: _Run | None = None

    def start(self, records: Callable[[], Iterable[SearchRecord]]) -> None:
        """Index ``records()`` in the background."""
        self.abandon()
        run = self._run = _Run()
        run.thread = threading.Thread(target=self._index, args=(run, records), daemon=True)
        run.thread.start()

    def abandon(self) -> None:
        """Drop a build's indexing that will not be finished (the build stopped)."""
        run, self._run = self._run, None
        if run is not None:
            run.join()
            run.discard()

    def _index(self, run: _Run, records: Callable[[], Iterable[SearchRecord]]) -> None:
        try:
            made = list(records())
            vocabulary = vocabulary_record(made)
            parts = partition(made, self.part_records)
            del made
            run.described = describe_parts(parts)
            run.parts = [_digest([*part, vocabulary]) for part in parts]
            for number, digest in enumerate(run.parts):
                # Each part is let go once indexed: the records are most of what this holds.
                part, parts[number] = parts[number], []
                if not (self.keep and digest in self.kept):
                    folder = _work_folder(run) / str(number)
                    self._index_part([*part, vocabulary], folder)
                    run.indexed[number] = vocabulary_page(folder)
        except BriefingError as exc:
            run.failure = exc
        except OSError as exc:
            run.failure = _failure(f"the search index could not be written: {exc.strerror or exc}",
                                   "check that the system's temporary folder can be written and has room")
        except Exception as exc:
            # Reported as the build's error, not lost with the thread; by its
            # kind only, as its message may quote the data.
            run.failure = _failure(f"the search index could not be made ({type(exc).__name__})", "")

    def _index_part(self, part: list[SearchRecord], folder: Path) -> None:
        with _Service.start() as service:
            index = service.ask({"type": "NewIndex", "config": {"include_characters": INCLUDE_CHARACTERS}})
            for record in part:
                service.tell(_add(index["index_id"], record))
            service.ask({"type": "WriteFiles", "index_id": index["index_id"], "output_path": str(folder)})
        if not (folder / "pagefind.js").is_file() or not (folder / "pagefind.js").stat().st_size:
            raise _failure("Pagefind did not write the search bundle", f"check that {folder} can be written")

    def finish(self, site_dir: Path) -> None:
        """Write the bundle into ``site_dir/pagefind``, its older parts under
        ``parts/``: this build's, or without one (the data has errors), the
        last one kept. Raises :class:`BriefingError` when indexing failed."""
        run, self._run = self._run, None
        if run is None:
            run = _Run(parts=self.kept_parts, described=self.kept_described)
        try:
            run.join()
            if run.failure is not None:
                raise run.failure
            if run.parts:
                self._place(run, site_dir / BUNDLE)
        except OSError as exc:
            raise _failure(f"the search index could not be written: {exc.strerror or exc}",
                           f"check that {site_dir} can be written and has room") from None
        finally:
            run.discard()

    def _place(self, run: _Run, bundle: Path) -> None:
        """Move the parts this run indexed into ``bundle``, write the others
        from those kept, and keep them all when asked to."""
        _clear_bundle(bundle)
        kept: dict[str, _Kept] = {}
        hidden: list[str] = []
        for number, digest in enumerate(run.parts):
            target = bundle if number == 0 else bundle / part_path(number)
            target.parent.mkdir(parents=True, exist_ok=True)
            if number in run.indexed and run.work is not None:
                made = run.work / str(number)
                if number:
                    _drop_runtime(made)
                shutil.move(made, target)
                if self.keep:
                    kept[digest] = _Kept(_read_files(target), run.indexed[number])
                hidden.append(run.indexed[number])
            elif digest in self.kept:
                kept[digest] = self.kept[digest]
                _write_files(target, kept[digest].files)
                hidden.append(kept[digest].hidden)
            else:
                raise _failure("a part of the search index was neither made nor kept", "build again")
        (bundle / MANIFEST).write_bytes(parts_manifest(run.described, hidden))
        if self.keep:
            self.kept, self.kept_parts, self.kept_described = kept, run.parts, run.described


@dataclass(frozen=True)
class _Kept:
    """A part's bundle kept between the builds of ``mkdocs serve``."""

    files: dict[str, bytes]
    #: The result id of its record of every word.
    hidden: str


def _work_folder(run: _Run) -> Path:
    """The run's own folder for the parts it indexes, made when first needed."""
    if run.work is None:
        run.work = Path(tempfile.mkdtemp(prefix="briefings-search-"))
    return run.work


#: What a part other than the first keeps of its bundle: the search script
#: adds it to the first part's Pagefind, which brings the scripts and wasm.
_PART_FILES = ("pagefind-entry.json", "index", "fragment", "filter")


def _drop_runtime(folder: Path) -> None:
    """Remove Pagefind's scripts, styles and wasm from a part this run made."""
    for entry in folder.iterdir():
        if entry.name not in _PART_FILES and not entry.name.endswith(".pf_meta"):
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()


#: Records in a part of the index. A first search loads only the first part,
#: the bottom lines and the newest extracts; a reader asks for older ones.
PART_RECORDS = 8000
#: The parts of the index and what each holds, in the bundle.
MANIFEST = "parts.json"


def partition(records: list[SearchRecord], size: int = PART_RECORDS) -> list[list[SearchRecord]]:
    """The records, in the order given, in parts of at most ``size``; always one part."""
    return [records[at:at + size] for at in range(0, len(records), size)] or [[]]


def part_path(number: int) -> str:
    """Where a part other than the first is, under the bundle."""
    return f"parts/{number}/"


def describe_parts(parts: list[list[SearchRecord]]) -> list[dict[str, Any]]:
    """For each part: where it is under the bundle, how many extracts it
    holds, the newest and oldest of their dates, and the years of the year
    filter it has records of."""
    entries: list[dict[str, Any]] = []
    for number, part in enumerate(parts):
        dated = [r.when for r in part if r.when is not None]
        years = sorted({year for r in part for year in r.filters.get("year", [])}, reverse=True)
        entries.append({"path": part_path(number) if number else "", "extracts": len(dated),
                        "newest": long_when(max(dated, key=_rank)) if dated else "",
                        "oldest": long_when(min(dated, key=_rank)) if dated else "", "years": years})
    return entries


def parts_manifest(described: list[dict[str, Any]], hidden: list[str]) -> bytes:
    """``parts.json``: each part as :func:`describe_parts` gives it, with the
    result the search never shows (its record of every word)."""
    entries = [{**entry, "hidden": page} for entry, page in zip(described, hidden, strict=True)]
    return (json.dumps({"parts": entries}, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


def vocabulary_page(folder: Path) -> str:
    """The result id Pagefind gave the record of every word in the part
    written to ``folder``: the name of its fragment, found from the largest."""
    fragments = sorted((folder / "fragment").iterdir(), key=lambda f: (-f.stat().st_size, f.name))
    for fragment in fragments:
        if _VOCABULARY_MARK in gzip.decompress(fragment.read_bytes()):
            return fragment.name.removesuffix(".pf_fragment")
    raise _failure("Pagefind did not write the search's record of every word", "build again")


#: How the record of every word shows in its fragment (its meta, as Pagefind writes JSON).
_VOCABULARY_MARK = b'"vocabulary":"1"'


def _rank(when: When) -> int:
    return when.rank


def _clear_bundle(bundle: Path) -> None:
    """Remove the bundle an earlier build of the same site folder wrote (a
    dirty build's), and nothing else: a folder by that name without
    Pagefind's entry file was not made by this tool."""
    if not bundle.exists():
        return
    if not (bundle / "pagefind-entry.json").is_file():
        raise _failure(f"{bundle} is in the way of the search index",
                       "it was not made by this tool: move it, or rename the page that makes it")
    shutil.rmtree(bundle)


def _digest(records: list[SearchRecord]) -> str:
    every = json.dumps([[r.url, r.content, r.meta, r.filters] for r in records], ensure_ascii=False)
    return hashlib.blake2b(every.encode(), digest_size=16).hexdigest()


def _add(index_id: int, record: SearchRecord) -> dict[str, Any]:
    # The filters are words of the content (see generator.search): Pagefind's
    # own filter files come out in a different order each run. No sort: the
    # records are given newest first, the order results of equal weight keep,
    # and a sort would add to what every first search downloads.
    return {"type": "AddRecord", "index_id": index_id, "url": record.url, "content": record.content,
            "language": "en", "meta": record.meta, "filters": {}, "sort": {}}


def _read_files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _write_files(folder: Path, files: dict[str, bytes]) -> None:
    for rel, content in files.items():
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
