"""``python -m nlp match REPORT --complaints COMPLAINTS.json`` (interface.md "Complaints
against findings"): one JSON object; exit 2 with one clear line for unknown values."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from nlp.cli import main

REPO_ROOT = Path(__file__).resolve().parents[2]
REPORT = "L5-S1: right paracentral disc extrusion compressing the right S1 nerve root.\n"
RAPPORT = "Op niveau L4-L5 een links foraminale discushernia met contact met de L4-wortel.\n"


@pytest.fixture()
def files(tmp_path):
    def write(report: str, complaints) -> tuple:
        r, c = tmp_path / "report.txt", tmp_path / "complaints.json"
        r.write_text(report, encoding="utf-8")
        c.write_text(complaints if isinstance(complaints, str) else json.dumps(complaints), encoding="utf-8")
        return str(r), str(c)
    return write


def test_match_cli_prints_the_json_object(files, capsys):
    report, complaints = files(REPORT, {"side": "right", "pain": ["calf"], "red_flags": ["bladder"]})
    assert main(["match", report, "--complaints", complaints]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["urgency"] == "today" and out["urgency_reasons"] == ["bladder"]
    assert [(r["root"], r["side"], r["match"]) for r in out["roots"]] == [("S1", "right", "fits")]
    assert out["language"] == "en"


def test_match_cli_dutch_report_with_lang_and_age(files, capsys):
    report, complaints = files(RAPPORT, {"side": "left", "pain": ["shin_inner"]})
    assert main(["match", report, "--complaints", complaints, "--lang", "nl", "--age", "45"]) == 0
    out = json.loads(capsys.readouterr().out)
    root = out["roots"][0]
    assert (root["root"], root["side"], root["match"]) == ("L4", "left", "fits")
    assert root["why"].startswith("Uw pijn aan de binnenkant van het onderbeen (links) hoort bij de L4-wortel.")


def test_match_cli_unknown_values_exit_2_in_a_real_process(tmp_path):
    report, complaints = tmp_path / "r.txt", tmp_path / "c.json"
    report.write_text(REPORT, encoding="utf-8")
    complaints.write_text(json.dumps({"side": "left", "pain": ["foot"]}), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "nlp", "match", str(report), "--complaints", str(complaints)],
                          capture_output=True, text=True, cwd=REPO_ROOT, timeout=120)
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr
    assert "'foot'" in lines[0] and "allowed:" in lines[0] and "foot_top_big_toe" in lines[0]


@pytest.mark.parametrize("complaints, named", [
    ({"weakness": ["jump"]}, "'jump'"),
    ({"red_flags": ["headache"]}, "'headache'"),
    ({"side": "up"}, "'up'"),
    ("{not json", "cannot be read as JSON"),
    ('["calf"]', "must be a JSON object"),
])
def test_match_cli_bad_complaints_exit_2_with_one_line(files, capsys, complaints, named):
    report, path = files(REPORT, complaints)
    assert main(["match", report, "--complaints", path]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert named in captured.err and len(captured.err.strip().splitlines()) == 1


def test_match_cli_missing_report_exits_2_naming_it(files, capsys, tmp_path):
    _, complaints = files(REPORT, {})
    missing = str(tmp_path / "nowhere.txt")
    assert main(["match", missing, "--complaints", complaints]) == 2
    assert captured_line(capsys).startswith(missing)


def captured_line(capsys) -> str:
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    return err
