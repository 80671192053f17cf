"""The GitHub Pages workflow builds the site as the README says, with its public address."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from conftest import REPO, copy_project

WORKFLOW = REPO / ".github/workflows/pages.yml"


def _steps() -> list[dict[str, Any]]:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    steps: list[dict[str, Any]] = workflow["jobs"]["build"]["steps"]
    return steps


def test_the_workflow_runs_the_readmes_build_command_and_deploys_its_output() -> None:
    steps = _steps()
    build = next(step for step in steps if step.get("name") == "Build the site")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert build["run"] == "pip install -e . && mkdocs build"
    assert f"{build['run']}                 # the site, in site/" in readme
    assert build["env"]["SITE_URL"] == "${{ steps.pages.outputs.base_url }}/"
    upload = next(step for step in steps
                  if str(step.get("uses", "")).startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "site"


def test_the_workflows_build_gives_a_site_for_its_address(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    command = next(step for step in _steps() if step.get("name") == "Build the site")["run"]
    build = command.split(" && ")[-1].split()
    assert build == ["mkdocs", "build"]
    address = "https://example.github.io/briefings/"
    result = subprocess.run([sys.executable, "-m", *build], cwd=project, capture_output=True, text=True,
                            env={"SITE_URL": address, "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    site = project / "site"
    assert f"<id>{address}feed.xml</id>" in (site / "feed.xml").read_text(encoding="utf-8")
    assert f"<loc>{address}pairs/china-russia/</loc>" in (site / "sitemap.xml").read_text(encoding="utf-8")
    assert (site / "pagefind/pagefind.js").is_file()
