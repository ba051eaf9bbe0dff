"""Tests for ``python -m nlp batch`` (nlp/batch/): inputs, outputs, errors, resume,
local worker processes and the Dask engine.

Every test compares against ``nlp.analyse`` on the same text, or against another run of the
batch command, so they hold whatever the lexicons find.
"""
from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any, Dict, List

import pandas as pd
import pytest

import nlp.batch as batch
from nlp import analyse
from nlp.cli import main
from nlp.inputs.readers import read_path
from tests.fixtures import make_docx, make_pdf

GOLD = Path(__file__).resolve().parents[2] / "sample_reports"
BOOLS = ("negated", "uncertain", "historical", "hypothetical")
OPTIONAL = ("section", "side", "severity")


def _gold(lang: str, n: int) -> List[Dict[str, Any]]:
    with (GOLD / f"{lang}_dev.jsonl").open(encoding="utf-8") as f:
        return [json.loads(line) for line in f][:n]


@pytest.fixture(scope="module")
def reports() -> List[Dict[str, Any]]:
    """Four English and four Dutch gold reports, interleaved (id, text, language)."""
    en, nl = _gold("en", 4), _gold("nl", 4)
    mixed = [r for pair in zip(en, nl) for r in pair]
    return [{"id": r["id"], "text": r["text"], "language": r["language"]} for r in mixed]


def _batch(*args: str) -> int:
    return main(["batch", *map(str, args)])


# --- reading outputs back in one canonical form -------------------------------------------


def _canonical(row: Dict[str, Any]) -> Dict[str, Any]:
    return {
        **row,
        "levels": list(row["levels"]),
        "start": int(row["start"]),
        "end": int(row["end"]),
    }


def _read_rows(path: Path) -> List[Dict[str, Any]]:
    """Rows of a findings or summary output in any format, as plain Python values."""
    suffix = path.suffix
    if suffix == ".csv":
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        for row in rows:
            for key, value in row.items():
                if value == "":
                    row[key] = None
                elif key in BOOLS:
                    row[key] = value == "True"
                elif key.startswith("n_") or key in ("start", "end"):
                    row[key] = int(value)
            if "levels" in row:
                row["levels"] = row["levels"].split(";") if row["levels"] else []
        return rows
    if suffix == ".jsonl":
        with path.open(encoding="utf-8") as f:
            return [json.loads(line) for line in f]
    frame = pd.read_parquet(path)
    rows = frame.astype(object).where(frame.notna(), None).to_dict("records")
    for row in rows:
        if "levels" in row:
            row["levels"] = list(row["levels"])
        for key in row:
            if key.startswith("n_") or key in ("start", "end"):
                row[key] = int(row[key])
            elif key in BOOLS:
                row[key] = bool(row[key])
    return rows


def _findings(out: Path) -> List[Dict[str, Any]]:
    rows = [_canonical(r) for r in _read_rows(out)]
    # a missing language (error rows) reads back as None in every format
    return sorted(rows, key=lambda r: (r["report_id"], r["start"], r["end"], r["concept"]))


def _summary(out: Path) -> List[Dict[str, Any]]:
    rows = _read_rows(batch.summary_path(out))
    for row in rows:
        row["language"] = row["language"] or None
    return rows


def _expected(report_id: str, source: str, text: str, lang: Any = None) -> List[Dict[str, Any]]:
    report = analyse(text, lang=lang)
    return [
        {"report_id": report_id, "source": source, "language": report.language, **f.to_dict()}
        for f in report.findings
    ]


def _sorted(rows: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    return sorted(
        (_canonical(r) for r in rows), key=lambda r: (r["report_id"], r["start"], r["end"], r["concept"])
    )


def _without_source(rows: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    return [{k: v for k, v in r.items() if k != "source"} for r in rows]


# --- inputs ---------------------------------------------------------------------------------


@pytest.fixture()
def folder(tmp_path: Path, reports: List[Dict[str, Any]]) -> Path:
    """Reports as .txt (one in a subfolder), a .docx, a .pdf and one damaged .pdf."""
    root = tmp_path / "reports"
    (root / "sub").mkdir(parents=True)
    for r in reports[:5]:
        where = root / "sub" if r["language"] == "nl" else root
        (where / f"{r['id']}.txt").write_text(r["text"], encoding="utf-8")
    (root / "sub" / f"{reports[5]['id']}.docx").write_bytes(make_docx(reports[5]["text"].split("\n")))
    (root / "scan.pdf").write_bytes(make_pdf(["Discushernia L4-L5 links.", "Geen spinale stenose."]))
    (root / "broken.pdf").write_bytes(b"%PDF-1.4\nthis is not a PDF body")
    (root / "notes.png").write_bytes(b"\x89PNG\r\n\x1a\n")  # not a report type: not listed
    return root


def _csv_input(path: Path, reports: List[Dict[str, Any]], with_id: bool = True) -> Path:
    frame = pd.DataFrame(reports)
    if not with_id:
        frame = frame.drop(columns=["id"])
    frame.to_csv(path, index=False)
    return path


def _jsonl_input(path: Path, reports: List[Dict[str, Any]]) -> Path:
    with path.open("w", encoding="utf-8") as f:
        for r in reports:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return path


def test_folder_of_txt_docx_and_pdf_with_an_unreadable_file(folder: Path, tmp_path: Path, capsys):
    out = tmp_path / "out" / "findings.csv"

    status = _batch(folder, "--out", out, "--quiet", "--chunk-size", "3")

    err = capsys.readouterr().err
    assert status == batch.EXIT_UNREADABLE
    files = sorted(
        (p for p in folder.rglob("*") if p.suffix in (".txt", ".docx", ".pdf")),
        key=lambda p: p.relative_to(folder).as_posix(),
    )
    summary = _summary(out)
    assert [r["report_id"] for r in summary] == [p.relative_to(folder).as_posix() for p in files]
    by_id = {r["report_id"]: r for r in summary}
    broken = by_id["broken.pdf"]
    assert (broken["status"], broken["error_code"], broken["n_findings"]) == ("error", "corrupt_pdf", 0)
    assert broken["error_message"]
    # the unreadable file is logged once, on one line, with its id and the reason
    lines = [line for line in err.splitlines() if "broken.pdf" in line]
    assert len(lines) == 1 and lines[0].startswith("broken.pdf: ") and "PDF" in lines[0]
    assert all(r["status"] == "ok" for r in summary if r["report_id"] != "broken.pdf")

    expected = []
    for p in files:
        if p.name != "broken.pdf":
            expected += _expected(p.relative_to(folder).as_posix(), str(p), read_path(p))
    assert _findings(out) == _sorted(expected)
    # the .docx and the .pdf were read and analysed
    assert any(r["report_id"].endswith(".docx") for r in _findings(out))
    assert by_id["scan.pdf"]["n_findings"] >= 1
    # summary counts agree with the finding rows
    for row in summary:
        found = [f for f in _findings(out) if f["report_id"] == row["report_id"]]
        assert row["n_findings"] == len(found)
        present = [f for f in found if not f["negated"]]  # a ruled-out finding is in no category count
        assert sum(v for k, v in row.items() if k.startswith("n_") and k != "n_findings") == len(present)


@pytest.mark.parametrize("fmt", [".csv", ".jsonl", ".parquet"])
def test_each_output_format_holds_the_same_rows(fmt: str, tmp_path: Path, reports, capsys):
    source = _csv_input(tmp_path / "in.csv", reports)
    out = tmp_path / f"findings{fmt}"

    assert _batch(source, "--out", out, "--quiet", "--chunk-size", "3") == batch.EXIT_OK

    expected = []
    for n, r in enumerate(reports, start=1):
        expected += _expected(r["id"], f"{source}:{n}", r["text"])
    assert _findings(out) == _sorted(expected)
    summary = _summary(out)
    assert [r["report_id"] for r in summary] == [r["id"] for r in reports]
    assert [r["language"] for r in summary] == [r["language"] for r in reports]
    assert {r["status"] for r in summary} == {"ok"}
    assert list(summary[0]) == batch.summary_columns()
    if fmt == ".parquet":
        assert out.is_dir() and sorted(p.name for p in out.iterdir())[0] == "part-000000.parquet"
        levels = pd.read_parquet(out)["levels"]
        assert all(not isinstance(v, str) for v in levels)  # a list, not a joined string
    elif fmt == ".csv":
        text = out.read_text(encoding="utf-8")
        assert text.splitlines()[0].split(",") == list(batch.FINDING_COLUMNS)


def test_jsonl_input_and_a_bad_line(tmp_path: Path, reports, capsys):
    source = _jsonl_input(tmp_path / "in.jsonl", reports[:3])
    with source.open("a", encoding="utf-8") as f:
        f.write("{not json\n")
        f.write(json.dumps({"id": "no-text", "body": "Discushernia"}) + "\n")
    out = tmp_path / "findings.jsonl"

    assert _batch(source, "--out", out, "--quiet", "--lang", "auto") == batch.EXIT_UNREADABLE

    expected = []
    for n, r in enumerate(reports[:3], start=1):
        expected += _expected(r["id"], f"{source}:{n}", r["text"])
    assert _findings(out) == _sorted(expected)
    summary = _summary(out)
    assert [(r["report_id"], r["status"], r["error_code"]) for r in summary[3:]] == [
        ("4", "error", batch.BAD_ROW),
        ("no-text", "error", batch.NO_TEXT),
    ]
    err = capsys.readouterr().err.splitlines()
    assert any(line.startswith("4: ") for line in err)
    assert any(line.startswith("no-text: ") for line in err)


def test_csv_without_id_column_numbers_the_rows_and_lang_can_be_forced(tmp_path: Path, reports):
    english = [r for r in reports if r["language"] == "en"]
    source = _csv_input(tmp_path / "in.csv", english, with_id=False)
    out = tmp_path / "findings.parquet"

    assert _batch(source, "--out", out, "--quiet", "--lang", "en") == batch.EXIT_OK

    assert [r["report_id"] for r in _summary(out)] == ["1", "2", "3", "4"]
    expected = []
    for n, r in enumerate(english, start=1):
        expected += _expected(str(n), f"{source}:{n}", r["text"], lang="en")
    assert _findings(out) == _sorted(expected)


def test_parquet_input_and_repeated_ids(tmp_path: Path, reports, capsys):
    rows = [dict(r, id="same" if i < 2 else r["id"]) for i, r in enumerate(reports[:4])]
    source = tmp_path / "in.parquet"
    pd.DataFrame(rows).to_parquet(source)
    out = tmp_path / "findings.csv"

    assert _batch(source, "--out", out, "--quiet") == batch.EXIT_OK

    ids = [r["report_id"] for r in _summary(out)]
    assert ids == ["same", "same#2", rows[2]["id"], rows[3]["id"]]
    assert "same: report id occurs more than once; this one is same#2" in capsys.readouterr().err


def test_a_report_the_pipeline_fails_on_is_recorded_and_the_run_goes_on(
    tmp_path: Path, reports, monkeypatch, capsys
):
    rows = [dict(r) for r in reports[:4]]
    rows[1]["text"] += "\nBOOM"
    source = _jsonl_input(tmp_path / "in.jsonl", rows)
    original = batch.items._findings_of

    def findings_of(doc):
        if "BOOM" in doc.text:
            raise RuntimeError("component crashed")
        return original(doc)

    monkeypatch.setattr(batch.items, "_findings_of", findings_of)
    out = tmp_path / "findings.csv"

    assert _batch(source, "--out", out, "--batch-size", "8") == batch.EXIT_UNREADABLE

    summary = _summary(out)
    assert [r["status"] for r in summary] == ["ok", "error", "ok", "ok"]
    assert summary[1]["error_code"] == batch.ANALYSIS_FAILED
    assert "component crashed" in summary[1]["error_message"]
    expected = []
    for n, r in enumerate(rows, start=1):
        if n != 2:
            expected += _expected(r["id"], f"{source}:{n}", r["text"])
    assert _findings(out) == _sorted(expected)
    err = capsys.readouterr()
    assert err.out == ""  # progress bar, errors and the closing line go to stderr
    assert f"{rows[1]['id']}: analysis failed" in err.err
    assert "4 reports done, 1 of them with an error, 0 done before" in err.err


def test_usage_errors(tmp_path: Path, reports, capsys):
    source = _csv_input(tmp_path / "in.csv", reports[:1])
    out = tmp_path / "findings.csv"
    assert _batch(source, "--out", out, "--quiet", "--text-column", "body") == batch.EXIT_USAGE
    assert "no column 'body'" in capsys.readouterr().err
    assert _batch(source, "--out", tmp_path / "findings.xlsx", "--quiet") == batch.EXIT_USAGE
    assert _batch(tmp_path / "missing", "--out", out, "--quiet") == batch.EXIT_USAGE
    assert _batch(source, "--out", tmp_path / "f.csv", "--engine", "dask", "--quiet") == batch.EXIT_USAGE

    assert _batch(source, "--out", out, "--quiet") == batch.EXIT_OK
    before = out.read_bytes()
    assert _batch(source, "--out", out, "--quiet") == batch.EXIT_USAGE  # never overwritten silently
    assert "--resume" in capsys.readouterr().err
    assert out.read_bytes() == before
    assert _batch(source, "--out", out, "--quiet", "--overwrite") == batch.EXIT_OK
    assert out.read_bytes() == before


# --- resume ---------------------------------------------------------------------------------


def _interrupt_after(monkeypatch, n_summary_rows: int) -> None:
    """Raise KeyboardInterrupt while summary row ``n_summary_rows + 1`` is being written.

    The finding rows of that chunk are already flushed then: the hardest moment to stop.
    """
    original = batch.Result.summary_row
    calls = {"n": 0}

    def summary_row(self, cats):
        calls["n"] += 1
        if calls["n"] > n_summary_rows:
            raise KeyboardInterrupt
        return original(self, cats)

    monkeypatch.setattr(batch.Result, "summary_row", summary_row)


@pytest.mark.parametrize("fmt", [".csv", ".jsonl", ".parquet"])
def test_resume_after_an_interruption_gives_the_uninterrupted_result(
    fmt: str, tmp_path: Path, reports, monkeypatch, capsys
):
    source = _jsonl_input(tmp_path / "in.jsonl", reports)
    whole = tmp_path / f"whole{fmt}"
    assert _batch(source, "--out", whole, "--quiet", "--chunk-size", "3") == batch.EXIT_OK

    out = tmp_path / f"resumed{fmt}"
    with monkeypatch.context() as m:
        _interrupt_after(m, 4)  # chunk 1 done, chunk 2 half recorded
        status = _batch(source, "--out", out, "--quiet", "--chunk-size", "3")
    assert status == batch.EXIT_INTERRUPTED
    assert "--resume" in capsys.readouterr().err
    done = [r["report_id"] for r in _summary(out)]
    assert 3 <= len(done) < len(reports)
    if fmt != ".parquet":  # a crash can also cut the last line of either file
        with out.open("a", encoding="utf-8") as f:
            f.write('x,"unfinished' if fmt == ".csv" else '{"report_id": "x')
        with batch.summary_path(out).open("a", encoding="utf-8") as f:
            f.write(f"{reports[-1]['id']},sour" if fmt == ".csv" else '{"report_id": "')
    else:  # and leave a temporary part behind
        (out / ".part-000099.parquet.tmp").write_bytes(b"half a part")

    assert _batch(source, "--out", out, "--quiet", "--chunk-size", "3", "--resume") == batch.EXIT_OK

    summary = _summary(out)
    assert [r["report_id"] for r in summary] == [r["id"] for r in reports]  # no duplicates
    assert summary == _summary(whole)
    assert _findings(out) == _findings(whole)
    assert len(_read_rows(out)) == len(_read_rows(whole))
    # resuming a finished run adds nothing
    assert _batch(source, "--out", out, "--quiet", "--resume") == batch.EXIT_OK
    assert _summary(out) == _summary(whole) and _findings(out) == _findings(whole)


# --- parallel -------------------------------------------------------------------------------


def test_two_workers_write_exactly_what_one_writes(tmp_path: Path, reports):
    source = _csv_input(tmp_path / "in.csv", reports)
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"

    assert _batch(source, "--out", one, "--quiet", "--chunk-size", "3", "--workers", "1") == 0
    assert _batch(source, "--out", two, "--quiet", "--chunk-size", "3", "--workers", "2") == 0

    assert two.read_bytes() == one.read_bytes()  # same rows in the same (input) order
    assert batch.summary_path(two).read_bytes() == batch.summary_path(one).read_bytes()


def test_dask_engine_on_a_two_worker_local_cluster_equals_the_local_run(
    folder: Path, tmp_path: Path, capsys
):
    local, dask_out = tmp_path / "local.parquet", tmp_path / "dask.parquet"
    assert _batch(folder, "--out", local, "--quiet", "--chunk-size", "3") == batch.EXIT_UNREADABLE
    capsys.readouterr()

    status = _batch(
        folder, "--out", dask_out, "--quiet", "--chunk-size", "3", "--engine", "dask", "--workers", "2"
    )

    assert status == batch.EXIT_UNREADABLE
    assert [line for line in capsys.readouterr().err.splitlines() if "broken.pdf" in line]
    assert _findings(dask_out) == _findings(local)
    assert _summary(dask_out) == _summary(local)  # parts numbered in input order
    assert sorted(p.name for p in dask_out.iterdir()) == sorted(p.name for p in local.iterdir())
    assert not batch.staging_path(dask_out).exists()
