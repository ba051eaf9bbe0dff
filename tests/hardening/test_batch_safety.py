"""``python -m nlp batch`` never destroys data and stops with one clear line (issue 16).

Each test fails on the batch command as it was before: ``--overwrite`` removed any folder
named by ``--out``, an output equal to the input deleted the input, CSV cells were cut at a
NUL and ragged rows silently filled, ids starting with ``=`` were written raw, negated
findings were counted per category, a full disk gave a traceback, and SIGTERM left local
workers running.
"""
from __future__ import annotations

import csv
import json
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import List

import pytest

import nlp.batch as batch
from nlp.present.cells import defuse, restore
from nlp.cli import main

ROOT = Path(__file__).resolve().parents[2]
REPORT = "MRI lumbar spine. L4-L5: disc protrusion. No fracture. No cauda equina compression."


def _batch(*args: object) -> int:
    return main(["batch", *map(str, args)])


def _csv(path: Path, rows: List[List[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def _jsonl(path: Path, n: int = 3) -> Path:
    path.write_text(
        "".join(json.dumps({"id": f"r{i}", "text": REPORT}) + "\n" for i in range(n)),
        encoding="utf-8",
    )
    return path


# --- nothing the user has is removed ------------------------------------------------------


def test_overwrite_refuses_a_folder_with_other_files(tmp_path, capsys):
    source = _jsonl(tmp_path / "in.jsonl")
    precious = tmp_path / "results.parquet"
    precious.mkdir()
    (precious / "notes.txt").write_text("mine", encoding="utf-8")
    assert _batch(source, "--out", precious, "--overwrite", "--quiet") == batch.EXIT_USAGE
    assert (precious / "notes.txt").read_text(encoding="utf-8") == "mine"
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "other files" in err


def test_overwrite_replaces_a_parquet_output_batch_wrote(tmp_path):
    source = _jsonl(tmp_path / "in.jsonl")
    out = tmp_path / "results.parquet"
    assert _batch(source, "--out", out, "--quiet") == batch.EXIT_OK
    assert _batch(source, "--out", out, "--overwrite", "--quiet") == batch.EXIT_OK


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_a_folder_is_never_a_line_output(tmp_path, suffix):
    source = _jsonl(tmp_path / "in.jsonl")
    folder = tmp_path / f"out{suffix}"
    folder.mkdir()
    (folder / "keep.txt").write_text("x", encoding="utf-8")
    assert _batch(source, "--out", folder, "--overwrite", "--quiet") == batch.EXIT_USAGE
    assert (folder / "keep.txt").exists()


@pytest.mark.parametrize("flag", ["--overwrite", "--resume"])
def test_output_equal_to_input_is_refused(tmp_path, flag, capsys):
    source = _jsonl(tmp_path / "in.jsonl")
    before = source.read_bytes()
    # The same file under another spelling of its path.
    alias = tmp_path / "sub" / ".." / "in.jsonl"
    (tmp_path / "sub").mkdir()
    assert _batch(source, "--out", alias, flag, "--quiet") == batch.EXIT_USAGE
    assert source.read_bytes() == before
    assert "input" in capsys.readouterr().err


def test_parquet_output_equal_to_parquet_input_is_refused(tmp_path):
    pd = pytest.importorskip("pandas")
    source = tmp_path / "in.parquet"
    pd.DataFrame({"id": ["a"], "text": [REPORT]}).to_parquet(source)
    before = source.read_bytes()
    assert _batch(source, "--out", source, "--overwrite", "--quiet") == batch.EXIT_USAGE
    assert source.read_bytes() == before


def test_summary_path_equal_to_input_is_refused(tmp_path):
    # results.csv writes its summary to results.summary.csv: that is the input here.
    source = _csv(tmp_path / "results.summary.csv", [["id", "text"], ["a", REPORT]])
    before = source.read_bytes()
    assert _batch(source, "--out", tmp_path / "results.csv", "--overwrite", "--quiet") == batch.EXIT_USAGE
    assert source.read_bytes() == before


def test_output_folder_holding_the_input_is_refused(tmp_path):
    out = tmp_path / "results.parquet"
    inner = out / "reports"
    inner.mkdir(parents=True)
    source = inner / "a.txt"
    source.write_text(REPORT, encoding="utf-8")
    assert _batch(inner, "--out", out, "--overwrite", "--quiet") == batch.EXIT_USAGE
    assert source.read_text(encoding="utf-8") == REPORT


# --- CSV input is read as written -----------------------------------------------------------


def test_nul_inside_a_cell_does_not_cut_the_report(tmp_path):
    text = "Disc protrusion at L4-L5.\x00 Severe spinal canal stenosis at L3-L4."
    source = _csv(tmp_path / "in.csv", [["id", "text"], ["a", text]])
    out = tmp_path / "out.jsonl"
    assert _batch(source, "--out", out, "--lang", "en", "--quiet") in (batch.EXIT_OK,)
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert "spinal_canal_stenosis" in {r["concept"] for r in rows}


def test_ragged_rows_are_errors_not_merged(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text(
        f"id,text\na,{REPORT}\nb,{REPORT},extra cell\nc\nd,{REPORT}\n", encoding="utf-8"
    )
    out = tmp_path / "out.jsonl"
    assert _batch(source, "--out", out, "--quiet") == batch.EXIT_UNREADABLE
    summary = [
        json.loads(line)
        for line in batch.summary_path(out).read_text(encoding="utf-8").splitlines()
    ]
    status = {r["report_id"]: (r["status"], r["error_code"]) for r in summary}
    assert status["a"] == ("ok", None) and status["d"] == ("ok", None)
    assert status["2"] == ("error", batch.BAD_ROW) and status["3"] == ("error", batch.BAD_ROW)


def test_unclosed_quote_is_reported_not_swallowed(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text(f'id,text\na,{REPORT}\nb,"{REPORT}\nc,{REPORT}\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert _batch(source, "--out", out, "--quiet") == batch.EXIT_UNREADABLE
    summary = batch.summary_path(out).read_text(encoding="utf-8")
    assert "never closed" in summary


# --- CSV output is safe to open -------------------------------------------------------------


@pytest.mark.parametrize("value", ["=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)", "'=x", "plain"])
def test_defuse_round_trips(value):
    assert restore(defuse(value)) == value
    # A plain value is written as it is (an always-quoting defuse passed the round trip too).
    assert defuse(value) == ("plain" if value == "plain" else "'" + value)


def test_formula_ids_are_defused_and_resume_reads_them_back(tmp_path):
    source = _csv(tmp_path / "in.csv", [["id", "text"], ["=1+1", REPORT], ["@cmd", REPORT]])
    out = tmp_path / "out.csv"
    assert _batch(source, "--out", out, "--quiet") == batch.EXIT_OK
    cells = [row[0] for row in csv.reader(out.read_text(encoding="utf-8").splitlines()[1:])]
    assert cells and all(c.startswith("'") for c in cells)
    # Resume knows these reports are done: nothing is analysed twice.
    before = out.read_text(encoding="utf-8")
    assert _batch(source, "--out", out, "--resume", "--quiet") == batch.EXIT_OK
    assert out.read_text(encoding="utf-8") == before


def test_summary_counts_only_present_findings_per_category(tmp_path):
    source = _jsonl(tmp_path / "in.jsonl", n=1)
    out = tmp_path / "out.jsonl"
    assert _batch(source, "--out", out, "--lang", "en", "--quiet") == batch.EXIT_OK
    findings = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    (summary,) = [
        json.loads(line) for line in batch.summary_path(out).read_text(encoding="utf-8").splitlines()
    ]
    negated_attention = [f for f in findings if f["category"] == "attention" and f["negated"]]
    assert negated_attention, "the report rules out a fracture and a cauda equina compression"
    present_attention = [f for f in findings if f["category"] == "attention" and not f["negated"]]
    assert summary["n_attention"] == len(present_attention)
    assert summary["n_findings"] == len(findings)


def test_text_limit_is_in_characters(tmp_path, monkeypatch):
    monkeypatch.setattr(batch.items, "MAX_CHARS", 50)
    source = _csv(tmp_path / "in.csv", [["id", "text"], ["long", "é" * 40 + " " + REPORT]])
    out = tmp_path / "out.jsonl"
    assert _batch(source, "--out", out, "--quiet") == batch.EXIT_UNREADABLE
    (row,) = [json.loads(x) for x in batch.summary_path(out).read_text(encoding="utf-8").splitlines()]
    assert row["error_code"] == "too_long" and "characters" in row["error_message"]


# --- one clear line when the run cannot go on ----------------------------------------------


def test_unwritable_output_gives_one_line(tmp_path, monkeypatch, capsys):
    source = _jsonl(tmp_path / "in.jsonl")

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device", str(tmp_path / "out.jsonl"))

    monkeypatch.setattr(batch.sinks, "_fsync", full)
    assert _batch(source, "--out", tmp_path / "out.jsonl", "--quiet") == batch.EXIT_IO
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "No space left on device" in err and "Traceback" not in err


def _children(pid: int) -> List[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to see the processes")
def test_sigterm_ends_local_workers(tmp_path):
    source = _jsonl(tmp_path / "in.jsonl", n=50_000)  # far more than it can do before the signal
    out = tmp_path / "out.jsonl"
    proc = subprocess.Popen(
        [sys.executable, "-m", "nlp", "batch", str(source), "--out", str(out), "--workers", "2",
         "--chunk-size", "16", "--quiet"],
        cwd=ROOT, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.monotonic() + 90
    workers: List[int] = []
    while time.monotonic() < deadline and proc.poll() is None:
        workers = _children(proc.pid)
        if len(workers) >= 2 and batch.summary_path(out).exists():
            break
        time.sleep(0.2)
    if proc.poll() is not None:
        pytest.fail(f"the run ended before the signal: {proc.returncode} {proc.stderr.read()}")
    assert len(workers) >= 2, "the run should be under way with its workers"
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == batch.EXIT_INTERRUPTED, err
    assert "Traceback" not in err and "--resume" in err
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(p) for p in workers):
        time.sleep(0.2)
    assert not any(_alive(p) for p in workers), "workers outlived the batch command"
