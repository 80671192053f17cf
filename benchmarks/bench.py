"""Benchmark the generator and the MkDocs build on synthetic corpora.

    python benchmarks/bench.py                     # 1,000 and 10,000 extracts
    python benchmarks/bench.py --sizes 1000 10000 100000 --runs 3

Everything is measured in one run on one machine and reported as ratios,
which travel between machines better than seconds do:

1. generator (load + validate + group + render, in memory) ÷ parsing the
   same files with PyYAML's C loader in a process that imports PyYAML alone;
2. `mkdocs build` with the plugin ÷ `mkdocs build` of the same pages
   pre-written as plain Markdown;
3. build seconds per page and HTML bytes per page, largest size ÷ smallest;
4. generator peak memory (largest size);
5. warm rebuild after one source file changed ÷ cold generator run;
6. search index bytes per extract;
7. with --search-sizes, the whole `mkdocs build` (time and peak memory) and
   a reader's first search (bytes, and seconds to the first results), with
   Pagefind and with the theme's search it replaced
   (benchmarks/search_bench.py).

Ratios 1 and 5 are medians over runs that take turns; the table also gives
the lowest and highest ratio of single runs, which shows how much the
machine's speed moved during the measurement.

The table is printed and written to benchmarks/results/latest.md.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import random
import select
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pycountry

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.search_bench import SearchRow, measure_search, search_report  # noqa: E402
from generator import BuildCache, build_site, gc_paused, read_data_dir  # noqa: E402

THEMES = ["trade", "security", "culture", "energy", "diplomacy", "arms-control", "migration",
          "climate", "health", "technology", "finance", "agriculture", "maritime", "space",
          "education", "sanctions", "human-rights", "infrastructure", "tourism", "cyber"]
KINDS = ["quote", "paraphrase", "figure", "analysis"]
WORDS = ["minister", "said", "talks", "trade", "cooperation", "security", "border", "agreement",
         "summit", "visit", "investment", "energy", "pipeline", "sanctions", "treaty", "exports",
         "imports", "growth", "dialogue", "tension", "navy", "exercise", "grain", "tariffs",
         "bilateral", "strategic", "partnership", "delegation", "forum"]
#: The targets of the ratios; the warm rebuild is reported without one: what
#: an editor waits for is the whole save to reload of `mkdocs serve`, of
#: which the generator's share is at most SERVE_SHARE.
TARGETS = {"generator_vs_parse": 2.0, "plugin_vs_plain": 1.15, "time_per_page_growth": 1.2,
           "bytes_per_page_growth": 1.2, "peak_memory_gib": 1.0}
SERVE_SHARE = 0.10


# --------------------------------------------------------------------------
# Synthetic corpora in the editors' format
# --------------------------------------------------------------------------

def make_corpus(root: Path, extracts: int, seed: int = 1) -> None:
    """Write a realistic data folder: ~200 countries with aliases, ~20 themes,
    ~50 extracts per source file, 20% multi-pair extracts, figures, events."""
    rng = random.Random(seed)
    countries = sorted(pycountry.countries, key=lambda c: c.alpha_2)[:200]
    # A few countries are in most of the news: weights fall off like Zipf's law.
    weights = [1 / (i + 1) ** 1.3 for i in range(len(countries))]
    rng.shuffle(weights)
    (root / "sources").mkdir(parents=True)
    (root / "themes.yml").write_text("".join(
        f"{t}: {{title: {t.replace('-', ' ').title()}, description: Synthetic theme {t}.}}\n"
        for t in THEMES))
    lines = ["countries:\n"]
    for c in countries:
        name = getattr(c, "common_name", None) or c.name
        lines.append(f"  {c.alpha_2}: {{name: {json.dumps(name, ensure_ascii=False)}, aliases: "
                     f"[{json.dumps(name + ' (state)', ensure_ascii=False)}]}}\n")
    (root / "countries.yml").write_text("".join(lines))
    events = max(1, extracts // 100)
    (root / "events.yml").write_text("".join(
        f"event-{i:05d}: {{title: Synthetic event {i}}}\n" for i in range(events)))

    def spell(c: object) -> str:
        # Editors write names, ISO codes and aliases.
        name = getattr(c, "common_name", None) or c.name  # type: ignore[attr-defined]
        choice = rng.random()
        if choice < 0.6:
            return json.dumps(name, ensure_ascii=False)
        if choice < 0.8:
            return str(c.alpha_3)  # type: ignore[attr-defined]
        return json.dumps(name + " (state)", ensure_ascii=False)

    first_pair: list[str] = ["", ""]

    def pair() -> str:
        a, b = rng.choices(countries, weights, k=2)
        while b is a:
            b = rng.choices(countries, weights)[0]
        first_pair[:] = [a.alpha_2, b.alpha_2]
        return f"[{spell(a)}, {spell(b)}]"

    used_events: set[int] = set()
    for s in range((extracts + 49) // 50):
        # Published early in 2026, after every extract it reports (2020 to 2025).
        out = [f"# yaml-language-server: $schema=../schema.json\nsource:\n"
               f"  title: Synthetic article {s}\n  publisher: outlet{s % 37}.example\n"
               f"  url: https://outlet{s % 37}.example/articles/{s}\n"
               f"  published: 2026-{1 + s % 2:02d}-{1 + s % 28:02d}\nextracts:\n"]
        for i in range(min(50, extracts - s * 50)):
            n = s * 50 + i
            event = rng.randrange(events) if rng.random() < 0.2 else None
            if event is None:
                day = f"20{20 + n % 6}-{1 + rng.randrange(12):02d}-{1 + rng.randrange(28):02d}"
            else:
                # Sources mostly agree on an event's date; one in ten is a day off.
                shift = 1 if rng.random() < 0.1 else 0
                day = f"20{20 + event % 6}-{1 + event % 12:02d}-{1 + event % 27 + shift:02d}"
            if rng.random() < 0.2:
                several = [pair() for _ in range(rng.randint(2, 4))]
                where = f"    pairs: [{', '.join(several)}]\n"
            else:
                where = f"    countries: {pair()}\n"
            themes = ", ".join(rng.sample(THEMES, rng.randint(1, 3)))
            text = " ".join(rng.choices(WORDS, k=rng.randint(15, 45)))
            out.append(f"  - id: x{n:06d}\n    date: {day}\n{where}    themes: [{themes}]\n"
                       f"    kind: {rng.choice(KINDS)}\n    speaker: Speaker {n % 500}\n"
                       f"    text: >-\n      {text}\n")
            if event is not None:
                used_events.add(event)
                out.append(f"    event: event-{event:05d}\n")
            if rng.random() < 0.3:
                # Figures about the extract's first pair; one report in twenty
                # gives a different value, so some "sources disagree" notes appear.
                label = f"Indicator {n % 7} of {first_pair[0]}–{first_pair[1]}"
                period = 2020 + n % 6
                value = (hash_value(label, period) + (rng.randint(1, 9) if rng.random() < 0.05 else 0))
                quoted = json.dumps(label, ensure_ascii=False)
                out.append(f"    figures:\n      - {{label: {quoted}, value: {value}, "
                           f"unit: USD billion, period: \"{period}\"}}\n")
        (root / "sources" / f"source-{s:05d}.yml").write_text("".join(out))
    # Every event is reported at least once (an unused event is a warning).
    missing = sorted(set(range(events)) - used_events)
    if missing:
        extra = ["# yaml-language-server: $schema=../schema.json\nsource:\n"
                 "  title: Event roundup\n  publisher: roundup.example\n"
                 "  url: https://roundup.example/all\nextracts:\n"]
        for event in missing:
            extra.append(f"  - id: roundup-{event:05d}\n    date: 2025-06-01\n"
                         f"    countries: [China, Russia]\n    themes: [diplomacy]\n"
                         f"    kind: paraphrase\n    event: event-{event:05d}\n"
                         f"    text: Roundup of event {event}.\n")
        (root / "sources" / "roundup.yml").write_text("".join(extra))


def hash_value(label: str, period: int) -> float:
    """A stable value for a figure, the same in every source that reports it."""
    return (sum(map(ord, label)) * 7 + period) % 900 + 0.5


# --------------------------------------------------------------------------
# Measurements
# --------------------------------------------------------------------------

def seconds(fn: Callable[[], object]) -> float:
    """How long one call of ``fn`` takes."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def generate(data: Path, cache: BuildCache | None = None) -> dict[str, bytes]:
    """The generator, as the plugin runs it: with the garbage collector
    paused, and a cache only on rebuilds."""
    cache = cache or BuildCache.one_off()
    renderer = cache.renderer(REPO / "templates", "")
    folder = read_data_dir(data)
    with gc_paused():
        return build_site(folder, renderer, root="briefings", cache=cache, refused=folder.refused).files


def write_project(dest: Path, data: Path, plain_pages: dict[str, bytes] | None) -> None:
    """An MkDocs project: with the plugin, or with the pages pre-written as Markdown."""
    dest.mkdir(parents=True)
    shutil.copytree(REPO / "docs", dest / "docs")
    shutil.copy(REPO / "README.md", dest / "README.md")
    config = (REPO / "mkdocs.yml").read_text()
    config = config.replace("templates_dir: templates", f"templates_dir: {REPO / 'templates'}")
    config = config.replace("custom_dir: templates/theme", f"custom_dir: {REPO / 'templates/theme'}")
    if plain_pages is None:
        config = config.replace("data_dir: briefings", f"data_dir: {data}")
    else:
        start = config.index("plugins:")
        end = config.index("\nmarkdown_extensions:")
        config = config[:start] + "plugins: []\n" + config[end:]
        for rel, text in plain_pages.items():
            target = dest / "docs" / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(text)
    (dest / "mkdocs.yml").write_text(config)


def mkdocs_build(project: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=project, check=True,
                   capture_output=True, env={**os.environ, "SOURCE_DATE_EPOCH": "1770000000"})
    return time.perf_counter() - start


def html_bytes(site: Path) -> tuple[int, int]:
    pages = [p for p in site.rglob("*.html") if p.name != "404.html"]
    return len(pages), sum(p.stat().st_size for p in pages)


def peak_memory(data: Path) -> float:
    """Peak resident memory (GiB) of a fresh process running the generator once.

    Read from VmHWM in /proc, which starts afresh with the new program;
    getrusage's ru_maxrss would include the benchmark process itself, whose
    memory the child shares between fork and exec.
    """
    code = ("import re, sys; from pathlib import Path; sys.path.insert(0, sys.argv[2]);"
            "from benchmarks.bench import generate; generate(Path(sys.argv[1]));"
            "print(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1))")
    out = subprocess.run([sys.executable, "-c", code, str(data), str(REPO)], check=True,
                         capture_output=True, text=True).stdout
    return int(out.split()[-1]) / 1024 / 1024


@dataclass
class Row:
    extracts: int
    files: int
    pages: int
    parse_s: float
    generator_s: float
    warm_s: float
    plugin_build_s: float
    plain_build_s: float
    html_bytes: int
    index_bytes: int
    peak_gib: float
    #: Each run's generator ÷ parse and warm ÷ cold, from the runs that took
    #: turns: their spread shows how far the machine moved the medians.
    parse_ratios: tuple[float, ...] = ()
    warm_ratios: tuple[float, ...] = ()


def measure(size: int, work: Path, runs: int, memory: bool) -> tuple[Row, dict[str, bytes]]:
    """The generator's figures for one size, and its pages (for the plain build).

    The parse and the warm rebuilds each run in a process of their own.
    The parse runs with the garbage collector on, as any program runs it,
    and what else a process holds changes its speed: every full collection
    scans every object alive, and this process has loaded the generator's
    libraries (three times the objects PyYAML alone makes). The parse
    therefore runs in a process that imports PyYAML alone, as a plain
    script would. The rebuilds run where a kept cache lives, as under
    `mkdocs serve`; the cache freezes the objects alive after each build
    out of the collector's reach, which would change this process too.
    """
    data = work / f"data-{size}"
    make_corpus(data, size)
    # One run of each first (files in the page cache, templates compiled,
    # the rebuild's cache filled), then the three in turn: a change in the
    # machine's speed during the measurement then weighs on both sides of
    # each ratio alike.
    pages = generate(data)
    parse_times, generator_times, warm_times = [], [], []
    with Worker(PARSE_CODE, data) as parser, Worker(REBUILD_CODE, data) as rebuilder:
        for _ in range(runs):
            parse_times.append(parser.run())
            generator_times.append(seconds(lambda: generate(data)))
            warm_times.append(rebuilder.run())
    nan = float("nan")
    row = Row(size, len(list(data.rglob("*.yml"))), len([p for p in pages if p.endswith(".md")]),
              statistics.median(parse_times), statistics.median(generator_times),
              statistics.median(warm_times), nan, nan, 0, 0, peak_memory(data) if memory else nan,
              tuple(g / p for g, p in zip(generator_times, parse_times, strict=True)),
              tuple(w / g for w, g in zip(warm_times, generator_times, strict=True)))
    return row, pages


#: The floor: read and parse every YAML file with PyYAML's C loader, in a
#: process that imports nothing else. Runs once, then once per line read.
PARSE_CODE = """
import sys, time
from pathlib import Path
import yaml

def parse(data):
    for path in sorted(data.rglob("*.yml")):
        loader = yaml.CSafeLoader(path.read_bytes())  # what safe loading with libyaml does
        try:
            loader.get_single_data()
        finally:
            loader.dispose()

data = Path(sys.argv[1])
parse(data)
print("ready", flush=True)
for _ in sys.stdin:
    start = time.perf_counter()
    parse(data)
    print(time.perf_counter() - start, flush=True)
"""

#: A rebuild cache filled, then for each line read: a source's title
#: changed, a rebuild, and its time. The file is restored at the end.
REBUILD_CODE = """
import sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from benchmarks.bench import generate
from generator import BuildCache

data = Path(sys.argv[1])
changed = data / "sources/source-00000.yml"
original = changed.read_text()
cache = BuildCache()
generate(data, cache)
print("ready", flush=True)
try:
    for _ in sys.stdin:
        start = time.perf_counter()
        changed.write_text(original.replace("Synthetic article 0", f"Edited {start}"))
        generate(data, cache)
        print(time.perf_counter() - start, flush=True)
finally:
    changed.write_text(original)
"""


class Worker:
    """A Python process running ``code`` on a data folder: it prints "ready",
    then, for each line it is sent, the seconds one run took."""

    #: Longest wait for a reply; a process that takes longer has hung.
    TIMEOUT_S = 900

    def __init__(self, code: str, data: Path) -> None:
        process = subprocess.Popen([sys.executable, "-c", code, str(data), str(REPO)],
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        if process.stdin is None or process.stdout is None:  # pragma: no cover - both are pipes
            raise RuntimeError("no pipes to the worker process")
        self.process, self.requests, self.replies = process, process.stdin, process.stdout
        try:
            if self._read() != "ready":
                raise RuntimeError("the worker process did not start as expected")
        except BaseException:
            with contextlib.suppress(RuntimeError):
                self.close()
            raise

    def _read(self) -> str:
        ready, _, _ = select.select([self.replies], [], [], self.TIMEOUT_S)
        line = self.replies.readline() if ready else ""
        if not line:
            raise RuntimeError(f"the worker process failed or hung (exit code {self.process.poll()})")
        return line.strip()

    def run(self) -> float:
        """Seconds one run took in the worker process."""
        self.requests.write("run\n")
        self.requests.flush()
        return float(self._read())

    def close(self) -> None:
        """Let the process finish (the rebuilder restores the changed file) and end."""
        self.requests.close()
        try:
            code = self.process.wait(self.TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        self.replies.close()
        if code != 0:
            raise RuntimeError(f"the worker process failed (exit code {code})")

    def __enter__(self) -> Worker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def measure_builds(rows: list[Row], pages: dict[int, dict[str, bytes]], work: Path, builds: int) -> None:
    """`mkdocs build` of each size, with the plugin and of the plain pages.

    The builds take turns across sizes as well: ratio 3 compares the sizes,
    and builds a few minutes apart can differ by a tenth when the machine's
    load changes.
    """
    projects = {}
    for row in rows:
        plugin, plain = work / f"plugin-{row.extracts}", work / f"plain-{row.extracts}"
        write_project(plugin, work / f"data-{row.extracts}", None)
        write_project(plain, work / f"data-{row.extracts}", pages[row.extracts])
        projects[row.extracts] = (plugin, plain)
    times: dict[Path, list[float]] = {project: [] for pair in projects.values() for project in pair}
    for _ in range(builds):
        for project in times:
            times[project].append(mkdocs_build(project))
    for row in rows:
        plugin, plain = projects[row.extracts]
        row.plugin_build_s = statistics.median(times[plugin])
        row.plain_build_s = statistics.median(times[plain])
        row.pages, row.html_bytes = html_bytes(plugin / "site")
        row.index_bytes = sum(f.stat().st_size for f in (plugin / "site/pagefind").rglob("*") if f.is_file())
        shutil.rmtree(plugin)
        shutil.rmtree(plain)


def report(rows: list[Row]) -> str:
    built = [r for r in rows if r.plugin_build_s == r.plugin_build_s]  # not NaN
    small, large = (built[0], built[-1]) if built else (rows[0], rows[-1])
    biggest = rows[-1]
    lines = [
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}",
        "",
        "| extracts | YAML files | HTML pages | C-loader parse s | generator s | warm rebuild s "
        "| mkdocs build s (plugin) | mkdocs build s (plain) | HTML bytes/page | search bytes/extract "
        "| peak GiB |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        built_cells = (f"{r.plugin_build_s:.1f} | {r.plain_build_s:.1f} | {r.html_bytes / r.pages:,.0f} "
                       f"| {r.index_bytes / r.extracts:,.0f}") if r.html_bytes else "— | — | — | —"
        memory = f"{r.peak_gib:.2f}" if r.peak_gib == r.peak_gib else "—"
        lines.append(f"| {r.extracts:,} | {r.files:,} | {r.pages:,} | {r.parse_s:.2f} | "
                     f"{r.generator_s:.2f} | {r.warm_s:.3f} | {built_cells} | {memory} |")
    ten = next((r for r in rows if r.extracts == 10_000), large)
    nan = float("nan")
    ratios = {
        "generator_vs_parse": ten.generator_s / ten.parse_s,
        "plugin_vs_plain": ten.plugin_build_s / ten.plain_build_s,
        "time_per_page_growth": (large.plugin_build_s / large.pages) / (small.plugin_build_s / small.pages)
        if built else nan,
        "bytes_per_page_growth": (large.html_bytes / large.pages) / (small.html_bytes / small.pages)
        if built else nan,
        "peak_memory_gib": biggest.peak_gib,
        "warm_vs_cold": ten.warm_s / ten.generator_s,
    }
    names = {
        "generator_vs_parse": f"1. generator ÷ C-loader parse at {ten.extracts:,}",
        "plugin_vs_plain": f"2. mkdocs build with plugin ÷ plain Markdown at {ten.extracts:,}",
        "time_per_page_growth": f"3a. build s/page at {large.extracts:,} ÷ at {small.extracts:,}",
        "bytes_per_page_growth": f"3b. HTML bytes/page at {large.extracts:,} ÷ at {small.extracts:,}",
        "peak_memory_gib": f"4. generator peak memory at {biggest.extracts:,} (GiB)",
        "warm_vs_cold": f"5. warm rebuild ÷ cold generator at {ten.extracts:,}",
    }
    # The ratios of single runs, for those measured in runs that took turns.
    spreads = {"generator_vs_parse": ten.parse_ratios, "warm_vs_cold": ten.warm_ratios}
    lines += ["", "| ratio | measured | single runs | target | |", "| --- | ---: | ---: | ---: | --- |"]
    for key, value in ratios.items():
        target = TARGETS.get(key)
        verdict = "" if target is None else "n/a" if value != value else "ok" if value <= target else "MISSED"
        runs = spreads.get(key, ())
        spread = f"{min(runs):.2f}–{max(runs):.2f}" if len(runs) > 1 else ""
        bound = "reported" if target is None else f"≤ {target:g}"
        lines.append(f"| {names[key]} | {value:.2f} | {spread} | {bound} | {verdict} |")
    lines.append(f"| 6. search index bytes per extract at {large.extracts:,} "
                 f"| {large.index_bytes / large.extracts:,.0f} | | reported | |")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------
# What an editor waits for: a save, until the preview shows it
# --------------------------------------------------------------------------

def serve_reload(project: Path, dirty: bool, edits: int) -> list[float]:
    """Seconds from saving an edited source file to the page of ``mkdocs serve``
    (``--dirty --no-strict`` when ``dirty``) showing the edit, for each edit."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/sources/source-00001/"
    changed = Path(_data_folder(project)) / "sources/source-00001.yml"
    original = changed.read_text(encoding="utf-8")
    extra = ["--dirty", "--no-strict"] if dirty else []
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}", *extra],
                              cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times = []
    try:
        _wait_for(url, "Synthetic article 1", 1200)
        for n in range(edits):
            title = f"Edited article {n}"
            start = time.perf_counter()
            changed.write_text(original.replace("Synthetic article 1", title), encoding="utf-8")
            _wait_for(url, title, 600)
            times.append(time.perf_counter() - start)
    finally:
        server.terminate()
        server.wait(30)
        changed.write_text(original, encoding="utf-8")
    return times


def _data_folder(project: Path) -> str:
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    return config.split("data_dir: ", 1)[1].split("\n", 1)[0].strip()


def _wait_for(url: str, text: str, timeout: float) -> None:
    """Poll ``url`` until its page holds ``text``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
            if text in response.read().decode("utf-8"):
                return
        time.sleep(0.05)
    raise RuntimeError(f"{url} did not show {text!r} within {timeout:.0f} s")


def measure_serve(data: Path, work: Path, edits: int) -> dict[str, float]:
    """Median save-to-reload seconds of ``mkdocs serve``, full and dirty, and
    the generator's warm rebuild after the same edit."""
    project = work / "serve-project"
    write_project(project, data, None)
    full = serve_reload(project, dirty=False, edits=edits)
    dirty = serve_reload(project, dirty=True, edits=edits)
    with Worker(REBUILD_CODE.replace("source-00000", "source-00001").replace("article 0", "article 1"),
                data) as rebuilder:
        warm = [rebuilder.run() for _ in range(edits)]
    shutil.rmtree(project)
    return {"full": statistics.median(full), "dirty": statistics.median(dirty),
            "warm": statistics.median(warm)}


def serve_report(size: int, measured: dict[str, float]) -> str:
    full, dirty, warm = measured["full"], measured["dirty"], measured["warm"]
    rows = [(label, total, warm / total) for label, total in (("full rebuild", full),
                                                              ("`--dirty --no-strict`", dirty))]
    return "\n".join([
        "", f"Save to reload in `mkdocs serve` at {size:,} extracts (median seconds):", "",
        "| | save to reload s | generator s | generator share | target | |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
        *(f"| {label} | {total:.1f} | {warm:.2f} | {share:.1%} | < {SERVE_SHARE:.0%} | "
          f"{'ok' if share < SERVE_SHARE else 'MISSED'} |" for label, total, share in rows), ""])


# --------------------------------------------------------------------------
# Inputs built to stall the build
# --------------------------------------------------------------------------

_BASE_THEMES = "trade: {title: Trade, description: Trade.}\n"
_HEAD = ("source:\n  title: Attack\n  publisher: attacker.example\n  url: https://attacker.example/a\n"
         "  archive: archive/a.txt\nextracts:\n")


def _extract(i: int, text: str, countries: str = "[China, Russia]", kind: str = "quote") -> str:
    return (f"  - id: a{i}\n    date: 2026-01-01\n    countries: {countries}\n    themes: [trade]\n"
            f"    kind: {kind}\n    text: \"{text}\"\n")


def _article(words: int, vocabulary: int, seed: int) -> str:
    rng = random.Random(seed)
    pool = ["".join(rng.choice("abcdefghijklmnoprstuvwy") for _ in range(6)) for _ in range(vocabulary)]
    return " ".join(rng.choice(pool) + ("." if i % 12 == 11 else "") for i in range(words))


#: Each kind of attack: the files it adds to a minimal data folder, at a scale.
ATTACKS: dict[str, Callable[[int], dict[str, str]]] = {
    "duplicate keys": lambda n: {"themes.yml": _BASE_THEMES * n},
    "unknown countries": lambda n: {"sources/a.yml": _HEAD + "".join(
        _extract(i, "x", f"[China, Nowhere{i}]", "paraphrase") for i in range(n))},
    "quotes not in the archive": lambda n: {
        "archive/a.txt": _article(140_000, 5_000, 1),
        "sources/a.yml": _HEAD + "".join(_extract(i, f"words nobody wrote {i} at all") for i in range(n))},
    "quotes of common words": lambda n: {
        "archive/a.txt": _article(140_000, 20, 2),
        "sources/a.yml": _HEAD + "".join(_extract(i, f"x{i} y") for i in range(n))},
    "unwanted characters": lambda n: {"sources/a.yml": _HEAD + "".join(
        _extract(i, "\\u202e\\uFFFE\\x00") for i in range(n))},
}


def adversarial(scale: int, work: Path) -> list[tuple[str, int, float, int, float]]:
    """Validation time of each attack at ``scale`` and four times it: a
    linear time makes the second about four times the first."""
    from generator import BriefingError
    from generator.pipeline import gc_paused
    from generator.validate import validate_briefings

    rows = []
    for name, files in ATTACKS.items():
        measured = []
        for n in (scale, 4 * scale):
            folder = {"themes.yml": _BASE_THEMES, "countries.yml": "countries: {}\n", **files(n)}
            data = {path: text.encode() for path, text in folder.items()}
            start = time.perf_counter()
            # As a build validates: with the garbage collector paused.
            with contextlib.suppress(BriefingError), gc_paused():
                validate_briefings(data)
            measured.append((sum(map(len, data.values())), time.perf_counter() - start))
        rows.append((name, measured[0][0], measured[0][1], measured[1][0], measured[1][1]))
    return rows


def adversarial_report(rows: list[tuple[str, int, float, int, float]]) -> str:
    lines = ["", "Inputs built to stall validation, at two sizes (time linear in size: ratio about 4):", "",
             "| input | bytes | s | bytes | s | time ratio |", "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for name, small_bytes, small_s, large_bytes, large_s in rows:
        lines.append(f"| {name} | {small_bytes:,} | {small_s:.3f} | {large_bytes:,} | {large_s:.3f} "
                     f"| {large_s / small_s:.1f} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000],
                        help="corpus sizes in extracts (default: 1000 10000)")
    parser.add_argument("--runs", type=int, default=3, help="runs per generator measurement")
    parser.add_argument("--builds", type=int, default=1, help="runs per mkdocs build")
    parser.add_argument("--max-build", type=int, default=10_000,
                        help="largest size also built with mkdocs (default: 10000)")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks/results/latest.md")
    parser.add_argument("--adversarial-scale", type=int, default=2_000,
                        help="size of the inputs built to stall validation (default: 2000)")
    parser.add_argument("--serve-edits", type=int, default=0,
                        help="edits timed in mkdocs serve at the largest size built (default: none)")
    parser.add_argument("--search-sizes", type=int, nargs="*", default=[],
                        help="sizes whose whole build and first search are measured with Pagefind and "
                             "with the theme's search (default: none)")
    args = parser.parse_args(argv)
    sizes = sorted(args.sizes)
    with tempfile.TemporaryDirectory(prefix="briefings-bench-") as tmp:
        rows, pages = [], {}
        for size in sizes:
            row, made = measure(size, Path(tmp), args.runs, memory=size == sizes[-1])
            rows.append(row)
            if size <= args.max_build:
                pages[size] = made
            del made
        measure_builds([row for row in rows if row.extracts in pages], pages, Path(tmp), args.builds)
        attacks = adversarial(args.adversarial_scale, Path(tmp))
        served = ""
        if args.serve_edits and pages:
            size = max(pages)
            timed = measure_serve(Path(tmp) / f"data-{size}", Path(tmp), args.serve_edits)
            served = serve_report(size, timed)
        searched: list[SearchRow] = []
        for size in sorted(args.search_sizes):
            data = Path(tmp) / f"data-{size}"
            if not data.exists():
                make_corpus(data, size)
            searched += measure_search(size, Path(tmp), data, write_project, REPO)
    text = report(rows) + adversarial_report(attacks) + served
    text += search_report(searched) if searched else ""
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
