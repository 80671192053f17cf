"""The whole `mkdocs build` and the readers' first search, with Pagefind and with the theme's search.

    python benchmarks/bench.py --search-sizes 10000 100000

For each size, one synthetic corpus is built twice, in turn: as the site is
built today (the `briefings` plugin indexing the extracts with Pagefind, and
setting the pages' raw HTML aside while MkDocs converts their Markdown), and
with the configuration these replaced (the theme's search plugin, which
indexes every page's HTML, and the raw HTML parsed with the Markdown). Each build runs
in a fresh process; its peak memory is the largest resident size of that
process and of the processes it ran (Pagefind's). Then headless Chromium
opens a pair page of each built site on 127.0.0.1 and searches "trade":
the bytes the search transferred, and the seconds from typing (as soon as
the page has loaded) to the first result shown, by the page's own clock
(the browser driver's round trips are not the reader's wait).
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

#: The configuration the Pagefind search replaced: the theme's search plugin.
THEME_SEARCH = """  - search:
      separator: '[\\s\\u200b\\-]+'
"""


@dataclass
class SearchRow:
    """One configuration at one size."""

    extracts: int
    config: str
    build_s: float
    peak_gib: float
    search_bytes: int = 0
    first_result_s: float = float("nan")


def theme_search_project(project: Path, repo: Path) -> None:
    """Turn a project's configuration into the one this work replaced: the
    theme's search plugin, the theme's own header, which shows it, and the
    generated pages' raw HTML parsed by MkDocs and Python-Markdown."""
    theme = project / "theme-before"
    shutil.copytree(repo / "templates/theme", theme)
    (theme / "partials/header.html").unlink()
    config = (project / "mkdocs.yml").read_text()
    config = config.replace(f"custom_dir: {repo / 'templates/theme'}", f"custom_dir: {theme}")
    config = config.replace("      templates_dir:", "      search: false\n      set_aside_html: false\n"
                            "      templates_dir:", 1)
    config = config.replace("\nmarkdown_extensions:", "\n" + THEME_SEARCH + "\nmarkdown_extensions:", 1)
    (project / "mkdocs.yml").write_text(config)


def timed_build(project: Path) -> tuple[float, float]:
    """Seconds and peak GiB of `mkdocs build` in ``project``, in a fresh process."""
    code = ("import resource, subprocess, sys, time; start = time.perf_counter();"
            "subprocess.run([sys.executable, '-m', 'mkdocs', 'build', '-q'], check=True);"
            "print(time.perf_counter() - start,"
            " resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code], cwd=project, check=True, capture_output=True,
                         text=True, env={"SOURCE_DATE_EPOCH": "1770000000", "PATH": "/usr/bin:/bin",
                                         "HOME": str(project), "NO_MKDOCS_2_WARNING": "1"}).stdout
    seconds, kib = out.split()[-2:]
    return float(seconds), int(kib) / 1024 / 1024


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


#: In the page: the time of the first character typed into a search box, and
#: of the first result shown, by the page's own clock.
_STOPWATCH = """([box, result]) => {
  window.__typed = window.__shown = null;
  document.addEventListener("input", (event) => {
    if (window.__typed === null && event.target.matches(box)) window.__typed = performance.now();
  }, true);
  new MutationObserver((changes, observer) => {
    if (document.querySelector(result)) { window.__shown = performance.now(); observer.disconnect(); }
  }).observe(document.body, { subtree: true, childList: true });
}"""


def first_search(site: Path, theme: bool, page: str) -> tuple[int, float]:
    """Bytes a first search of "trade" transfers, and seconds from typing it,
    as soon as the page has loaded, to the first result shown, by the page's
    clock, in Chromium against ``site`` on 127.0.0.1."""
    from playwright.sync_api import sync_playwright

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sizes: dict[str, int] = {}
    box, result = ((".md-search__input", ".md-search-result__item") if theme else
                   ("#briefings-search-query", ".briefings-search__result"))
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
            tab = browser.new_page(viewport={"width": 1280, "height": 900})
            watched = ("search", "pagefind", "worker")
            # The size the server gives: reading a response's body into the
            # driver would hold the theme's whole index (148 MB at 100,000).
            tab.on("response", lambda r: sizes.__setitem__(r.url, int(r.header_value("content-length") or 0))
                   if any(w in r.url for w in watched) and r.ok else None)
            tab.goto(f"http://127.0.0.1:{server.server_address[1]}{page}", wait_until="load")
            tab.evaluate(_STOPWATCH, [box, result])
            if theme:
                tab.locator("label[for=__search]").first.dispatch_event("click")
            else:
                tab.keyboard.press("/")
            tab.locator(box).fill("trade")
            if theme:
                # The theme's search starts on a key's release.
                tab.locator(box).press("End")
            tab.wait_for_selector(result, timeout=300_000)
            tab.wait_for_function("window.__shown !== null")
            elapsed = tab.evaluate("(window.__shown - window.__typed) / 1000")
            browser.close()
    finally:
        server.shutdown()
    return sum(sizes.values()), float(elapsed)


def measure_search(size: int, work: Path, data: Path, write_project: Any, repo: Path) -> list[SearchRow]:
    """Both configurations at one size: builds in turn, then each one's first search."""
    rows: list[SearchRow] = []
    for config in ("Pagefind (today)", "theme's search (before)"):
        project = work / f"search-{size}-{len(rows)}"
        shutil.rmtree(project, ignore_errors=True)
        write_project(project, data, None)
        theme = config.startswith("theme")
        if theme:
            theme_search_project(project, repo)
        seconds, peak = timed_build(project)
        row = SearchRow(size, config, seconds, peak)
        if CHROMIUM is not None:
            pair = next(p.name for p in sorted((project / "site/pairs").iterdir()) if p.is_dir())
            try:
                row.search_bytes, row.first_result_s = first_search(project / "site", theme,
                                                                    f"/pairs/{pair}/")
            except Exception as exc:  # A browser that gives up is a result too.
                print(f"{config} at {size:,}: the first search failed: {exc}", file=sys.stderr)
        print(f"{row}", file=sys.stderr, flush=True)
        rows.append(row)
        shutil.rmtree(project / "site", ignore_errors=True)
    return rows


def search_report(rows: list[SearchRow]) -> str:
    """The table of builds and first searches, and the ratios to the targets."""
    lines = ["", "## Whole build and first search", "",
             "| extracts | search | mkdocs build s | peak GiB | first search bytes | typing to results s |",
             "| ---: | --- | ---: | ---: | ---: | ---: |"]
    for r in rows:
        lines.append(f"| {r.extracts:,} | {r.config} | {r.build_s:.1f} | {r.peak_gib:.2f} | "
                     f"{r.search_bytes:,} | {r.first_result_s:.2f} |")
    lines += ["", "| target | measured | bound | verdict |", "| --- | ---: | ---: | --- |"]
    for size in sorted({r.extracts for r in rows}):
        today, before = (next(r for r in rows if r.extracts == size and r.config.startswith(prefix))
                         for prefix in ("Pagefind", "theme"))
        ratio = today.build_s / before.build_s
        lines.append(f"| build time, today ÷ before, {size:,} | {ratio:.2f} | 0.75 | "
                     f"{'ok' if ratio <= 0.75 else 'MISSED'} |")
        lines.append(f"| first search bytes, {size:,} | {today.search_bytes:,} | 300,000 | "
                     f"{'ok' if today.search_bytes <= 300_000 else 'MISSED'} |")
        lines.append(f"| peak GiB, {size:,} | {today.peak_gib:.2f} | 2.00 | "
                     f"{'ok' if today.peak_gib <= 2 else 'MISSED'} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit("run it through benchmarks/bench.py --search-sizes")
