"""``pip install .`` gives a working analyser outside the checkout (pyproject.toml, issue 10).

The repository is copied (tracked files only) so that the build writes nothing here, installed
with ``pip install --no-deps --target`` (the dependencies are this environment's), and
``python -m nlp analyse`` runs from another folder with only the installed copy on the path:
it must find its lexicons as package data.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_installed_package_analyses_a_report_outside_the_checkout(tmp_path):
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True)
    if not files.stdout.strip():
        pytest.skip("not a git checkout")
    source = tmp_path / "source"
    for name in files.stdout.splitlines():
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    target = tmp_path / "site"
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(source)],
        capture_output=True, text=True, timeout=600,
    )
    assert install.returncode == 0, install.stderr[-2000:]
    assert (target / "nlp" / "_data" / "lexicons" / "en" / "findings.json").is_file()
    report = tmp_path / "report.txt"
    report.write_text("L4-L5: left paracentral disc protrusion. No fracture.", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(target)
    run = subprocess.run(
        [sys.executable, "-c", "import nlp, sys; print(nlp.__file__); sys.exit(0)"],
        cwd=elsewhere, env=env, capture_output=True, text=True, timeout=120,
    )
    assert run.stdout.strip().startswith(str(target)), run.stdout + run.stderr
    run = subprocess.run(
        [sys.executable, "-m", "nlp", "analyse", "--lang", "en", str(report)],
        cwd=elsewhere, env=env, capture_output=True, text=True, timeout=300,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    (result,) = json.loads(run.stdout)
    assert {f["concept"] for f in result["findings"]} >= {"disc_protrusion", "vertebral_fracture"}
