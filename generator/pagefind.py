"""The search index: the records of :mod:`generator.search` written as a Pagefind bundle.

Pagefind (https://pagefind.app) is a static search engine: its bundle, in
``pagefind/`` under the site, is fetched by readers' browsers a small part
at a time, so the first search of a large archive transfers a few hundred
kilobytes rather than the whole index. Its binary comes with the
``pagefind[bin]`` package. The records go to the binary's service mode
(the JSON-over-stdio protocol its own Python and Node packages speak),
written at once and answered by a reader thread; Pagefind's Python package
waits a tenth of a second for each answer, which is hours for 100,000
records.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import subprocess
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from .errors import BriefingError, Diagnostic, Location
from .search import SearchRecord

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
                                  or bool(self.errors))
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
        with self.arrived:
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


class SearchIndexer:
    """The search index of one build, made while MkDocs builds the pages:
    ``start`` hands the records to Pagefind from a thread, ``finish`` writes
    the bundle into the built site.

    With ``keep`` (``mkdocs serve``), the bundle is kept in memory with the
    hash of its records: a rebuild whose records are the same (a template
    changed, say) writes it again without indexing, and so does a rebuild
    while the data has errors, which has no records of its own.
    """

    def __init__(self, keep: bool = False) -> None:
        self.keep = keep
        self.kept: dict[str, bytes] = {}
        self.kept_digest = ""
        self._thread: threading.Thread | None = None
        self._service: _Service | None = None
        self._digest = ""
        self._failure: BriefingError | None = None
        self._index_id = 0

    def start(self, records: Callable[[], Iterable[SearchRecord]]) -> None:
        """Index ``records()`` in the background."""
        self._failure, self._service = None, None
        self._thread = threading.Thread(target=self._index, args=(records,), daemon=True)
        self._thread.start()

    def _index(self, records: Callable[[], Iterable[SearchRecord]]) -> None:
        try:
            made = list(records())
            self._digest = digest = _digest(made)
            if self.keep and digest == self.kept_digest:
                return
            service = self._service = _Service.start()
            index = service.ask({"type": "NewIndex", "config": {"include_characters": INCLUDE_CHARACTERS}})
            for record in made:
                service.tell(_add(index["index_id"], record))
            self._index_id = index["index_id"]
        except BriefingError as exc:
            self._failure = exc

    def finish(self, site_dir: Path) -> None:
        """Write the bundle into ``site_dir/pagefind``: this build's, or the
        last one kept. Raises :class:`BriefingError` when indexing failed."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self._failure is not None:
            raise self._failure
        bundle = site_dir / BUNDLE
        service, self._service = self._service, None
        if service is None:
            _write_files(bundle, self.kept)
            return
        with service:
            service.ask({"type": "WriteFiles", "index_id": self._index_id,
                         "output_path": str(bundle.resolve())})
        if not (bundle / "pagefind.js").is_file() or not (bundle / "pagefind.js").stat().st_size:
            raise _failure("Pagefind did not write the search bundle", f"check that {bundle} can be written")
        if self.keep:
            self.kept, self.kept_digest = _read_files(bundle), self._digest


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
