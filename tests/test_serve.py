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


Served = tuple[Path, str, Path, "subprocess.Popen[bytes]"]


@pytest.fixture
def serve(make_data: Callable[..., Path], tmp_path: Path) -> Iterator[Callable[..., Served]]:
    """Start `mkdocs serve` on a copy of the site with the minimal data (with
    overrides); gives the data folder, the server's URL, its log and process."""
    processes: list[subprocess.Popen[bytes]] = []

    def start(overrides: dict[str, str | None] | None = None,
              prepare: Callable[[Path], None] = lambda data: None) -> Served:
        data = make_data(overrides)
        prepare(data)
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
        processes.append(process)
        return data, f"http://127.0.0.1:{port}", log, process

    yield start
    for process in processes:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def served(serve: Callable[..., Served]) -> tuple[Path, str, Path]:
    data, url, log, _ = serve()
    return data, url, log


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


BANNER = '<div id="briefings-errors" role="alert"'


def test_while_the_data_has_errors_every_page_shows_them(served: tuple[Path, str, Path]) -> None:
    data, url, _ = served
    page = f"{url}/pairs/china-russia/"
    wait_for(lambda: fetch(page)[0] == 200, "the first build")
    source = data / "sources/example.yml"
    source.write_text(SOURCE.replace("[China, Russia]", "[China, <b>Rusia</b>]"))
    wait_for(lambda: BANNER in fetch(page)[1], "the error banner")
    for address in (page, f"{url}/", f"{url}/about/", f"{url}/sources/example/"):
        status, html = fetch(address)
        assert status == 200
        assert BANNER in html
        assert "example.yml:9:24: error: unknown country &#x27;&lt;b&gt;Rusia&lt;/b&gt;&#x27;" in html
        assert "<b>Rusia" not in html
    # The last good pages stay readable under it.
    assert "228.1" in fetch(page)[1]
    source.write_text(SOURCE)
    wait_for(lambda: BANNER not in fetch(page)[1], "the banner to clear")
    assert BANNER not in fetch(f"{url}/about/")[1]


def test_a_preview_started_on_broken_data_serves_the_errors(serve: Callable[..., Served]) -> None:
    data, url, log, _ = serve({"sources/example.yml": SOURCE.replace("[China, Russia]", "[China, Rusia]")})
    wait_for(lambda: fetch(f"{url}/")[0] == 200, "the error pages")
    home = fetch(f"{url}/")[1]
    assert BANNER in home and "The briefings data has errors" in home
    assert "unknown country &#x27;Rusia&#x27;" in home
    assert "example.yml:9:24: error: unknown country 'Rusia'" in log.read_text()
    (data / "sources/example.yml").write_text(SOURCE)
    wait_for(lambda: fetch(f"{url}/pairs/china-russia/")[0] == 200, "the first good build")
    assert BANNER not in fetch(f"{url}/")[1]


def test_links_in_the_data_folder_do_not_stall_the_preview(serve: Callable[..., Served]) -> None:
    def loops(data: Path) -> None:
        (data / "sources/loop-a").symlink_to(data / "sources", target_is_directory=True)
        (data / "sources/loop-b").symlink_to(data, target_is_directory=True)

    data, url, _, process = serve(prepare=loops)
    wait_for(lambda: fetch(f"{url}/")[0] == 200, "the preview", timeout=60)
    assert "sources/loop-a:1:1: error: file is a symbolic link" in fetch(f"{url}/")[1]
    rss = int(next(line.split()[1] for line in Path(f"/proc/{process.pid}/status").read_text().splitlines()
                   if line.startswith("VmRSS:")))
    assert rss < 1024 * 1024  # kB: under 1 GiB
    # Files are still watched: removing the links rebuilds without errors.
    (data / "sources/loop-a").unlink()
    (data / "sources/loop-b").unlink()
    wait_for(lambda: BANNER not in fetch(f"{url}/")[1], "the rebuild without the links")
