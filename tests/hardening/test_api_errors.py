"""Small inputs get an InputError with a human message, never another exception (issue 16)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import nlp

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("lang", ["de", "EN", "", 3])
def test_unknown_language_is_an_input_error(lang):
    with pytest.raises(nlp.InputError, match="choose one of en, nl"):
        nlp.analyse("No fracture.", lang=lang)


@pytest.mark.parametrize("target", [" ", "", "\n\t"])
def test_blank_context_target_is_an_input_error(target):
    with pytest.raises(nlp.InputError, match="target is empty"):
        nlp.context("No fracture.", target, lang="en")


def test_context_with_a_blank_target_gives_one_line_on_the_command_line():
    run = subprocess.run(
        [sys.executable, "-m", "nlp", "context", "--lang", "en", "--target", " ", "No fracture."],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert run.returncode != 0
    assert "Traceback" not in run.stderr and run.stderr.strip().count("\n") == 0
    assert "target is empty" in run.stderr


def test_analyse_csv_output_defuses_formula_cells(tmp_path):
    (tmp_path / "=cmd.txt").write_text("Disc protrusion at L4-L5.", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "nlp", "analyse", "--lang", "en", "--format", "csv", "=cmd.txt"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert run.returncode == 0, run.stderr
    import csv as csv_module

    rows = list(csv_module.reader(run.stdout.splitlines()))
    assert len(rows) >= 2 and rows[1][0] == "'=cmd.txt"  # shown as text, not run as a formula
