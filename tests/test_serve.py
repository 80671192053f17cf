"""The editing loop: a real `mkdocs serve` survives a broken file and recovers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import REPO, SOURCE


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, ""
    except OSError:  # not listening yet
        return 0, ""


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def served(make_data: Callable[..., Path], tmp_path: Path) -> Iterator[tuple[Path, str, Path]]:
    data = make_data()
    (tmp_path / "docs").mkdir()
    for name in ("about.md", "editing.md"):
        (tmp_path / "docs" / name).write_text((REPO / "docs" / name).read_text(encoding="utf-8"))
    (tmp_path / "README.md").write_text((REPO / "README.md").read_text(encoding="utf-8"))
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("templates_dir: templates", f"templates_dir: {REPO / 'templates'}")
    config = config.replace("custom_dir: templates/theme", f"custom_dir: {REPO / 'templates/theme'}")
    (tmp_path / "mkdocs.yml").write_text(config)
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
            cwd=tmp_path, stdout=sink, stderr=subprocess.STDOUT, env={**os.environ})
        try:
            yield data, f"http://127.0.0.1:{port}", log
        finally:
            process.terminate()
            process.wait(timeout=10)


def test_serve_rebuilds_reports_errors_and_recovers(served: tuple[Path, str, Path]) -> None:
    data, url, log = served
    page = f"{url}/pairs/china-russia/"
    wait_for(lambda: fetch(page)[0] == 200, "the first build")
    assert "228.1" in fetch(page)[1]

    source = data / "sources/example.yml"
    source.write_text(SOURCE.replace("[China, Russia]", "[China, Rusia]"))
    wait_for(lambda: "unknown country 'Rusia'" in log.read_text(), "the error report")
    assert "example.yml:9:24: error: unknown country 'Rusia'" in log.read_text()
    assert "Traceback" not in log.read_text()

    source.write_text(SOURCE.replace("$228.1 billion", "$300.5 billion"))
    wait_for(lambda: "300.5" in fetch(page)[1], "the fixed build")
    assert fetch(page)[0] == 200
