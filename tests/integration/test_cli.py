"""The command line of interface.md: ``python -m nlp analyse|context|evaluate``.

Most tests call ``nlp.cli.main`` in-process (the pipelines are built once per session);
one runs the real ``python -m nlp`` in a subprocess.
"""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from nlp.cli import main
from nlp.inputs.readers import read_path
from tests.fixtures import make_docx, make_pdf

REPO_ROOT = Path(__file__).resolve().parents[2]

# interface.md, in its order: these names may not change.
REPORT_FIELDS = ["source", "language", "findings"]
FINDING_FIELDS = [
    "concept", "category", "text", "start", "end", "section", "levels", "side", "severity",
    "negated", "uncertain", "historical",
]
CONCEPT_CATEGORIES = {
    "disc_herniation": "context",
    "disc_protrusion": "common",
    "spinal_canal_stenosis": "context",
    "haemangioma": "variant",
    "vertebral_fracture": "attention",
}

TXT = "Discushernia L4-L5 links.\nGeen kanaalstenose.\n"
DOCX = ["FINDINGS:", "Right paracentral disc protrusion at L5-S1.", "No canal stenosis."]
PDF = ["Geen fractuur.", "Hemangioom in L2."]


@pytest.fixture()
def inputs(tmp_path):
    """A .txt, a .docx and a .pdf report, in that order."""
    txt = tmp_path / "verslag.txt"
    txt.write_text(TXT, encoding="utf-8")
    docx_path = tmp_path / "report.docx"
    docx_path.write_bytes(make_docx(DOCX))
    pdf = tmp_path / "verslag.pdf"
    pdf.write_bytes(make_pdf(PDF))
    return [str(txt), str(docx_path), str(pdf)]


def _run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def _states(report):
    return {(f["concept"], f["negated"]) for f in report["findings"]}


def _check_finding_fields(finding, text):
    assert list(finding)[: len(FINDING_FIELDS)] == FINDING_FIELDS
    assert isinstance(finding["concept"], str) and isinstance(finding["text"], str)
    assert finding["category"] == CONCEPT_CATEGORIES.get(finding["concept"], finding["category"])
    assert isinstance(finding["start"], int) and isinstance(finding["end"], int)
    assert isinstance(finding["levels"], list)
    for key in ("negated", "uncertain", "historical"):
        assert isinstance(finding[key], bool)
    assert finding["side"] in {None, "left", "right", "bilateral", "central"}
    assert finding["severity"] in {None, "mild", "moderate", "severe"}
    assert text[finding["start"]:finding["end"]] == finding["text"]


# --- analyse ---------------------------------------------------------------------------


def test_cli_analyse_txt_docx_pdf_as_json(capsys, inputs):
    status, out, err = _run(capsys, "analyse", *inputs, "--format", "json")
    assert status == 0
    assert err == ""
    reports = json.loads(out)
    assert [r["source"] for r in reports] == inputs  # input order
    assert [r["language"] for r in reports] == ["nl", "en", "nl"]
    for report, path in zip(reports, inputs):
        assert list(report)[:3] == REPORT_FIELDS  # interface.md fields first; extra fields welcome
        for finding in report["findings"]:
            _check_finding_fields(finding, read_path(path))

    txt, docx_report, pdf = reports
    assert _states(txt) == {("disc_herniation", False), ("spinal_canal_stenosis", True)}
    hernia = next(f for f in txt["findings"] if f["concept"] == "disc_herniation")
    assert (hernia["levels"], hernia["side"], hernia["text"]) == (["L4-L5"], "left", "Discushernia")
    assert _states(docx_report) == {("disc_protrusion", False), ("spinal_canal_stenosis", True)}
    protrusion = next(f for f in docx_report["findings"] if f["concept"] == "disc_protrusion")
    assert (protrusion["levels"], protrusion["side"], protrusion["section"]) == (["L5-S1"], "right", "findings")
    assert _states(pdf) == {("vertebral_fracture", True), ("haemangioma", False)}
    assert next(f for f in pdf["findings"] if f["concept"] == "haemangioma")["levels"] == ["L2"]


def test_cli_analyse_default_format_is_json(capsys, inputs):
    status, out, _ = _run(capsys, "analyse", inputs[0])
    assert status == 0
    assert [r["source"] for r in json.loads(out)] == [inputs[0]]


def test_cli_analyse_jsonl_has_one_line_per_input(capsys, inputs):
    _, as_json, _ = _run(capsys, "analyse", *inputs, "--format", "json")
    status, out, _ = _run(capsys, "analyse", *inputs, "--format", "jsonl")
    assert status == 0
    lines = out.splitlines()
    assert len(lines) == 3
    assert [json.loads(line) for line in lines] == json.loads(as_json)


def test_cli_analyse_csv(capsys, inputs):
    status, out, _ = _run(capsys, "analyse", *inputs, "--format", "csv")
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    header = next(csv.reader(io.StringIO(out)))
    assert header[:2] == ["source", "language"]
    assert header[2:2 + len(FINDING_FIELDS)] == FINDING_FIELDS
    assert len(rows) == 6  # two findings per report
    hernia = next(r for r in rows if r["concept"] == "disc_herniation")
    assert hernia["source"] == inputs[0]
    assert (hernia["levels"], hernia["side"], hernia["negated"]) == ("L4-L5", "left", "False")
    assert {r["source"] for r in rows} == set(inputs)


def test_cli_analyse_csv_joins_several_levels(capsys, tmp_path):
    path = tmp_path / "multi.txt"
    path.write_text("Disc bulges at L3-L4, L4-L5 and L5-S1.", encoding="utf-8")
    _, out, _ = _run(capsys, "analyse", str(path), "--format", "csv")
    (row,) = list(csv.DictReader(io.StringIO(out)))
    assert row["levels"].split(";") == ["L3-L4", "L4-L5", "L5-S1"]


def test_cli_analyse_stdin(capsys, monkeypatch):
    text = "No canal or foraminal stenosis.\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8")), encoding="utf-8"))
    status, out, err = _run(capsys, "analyse", "-")
    assert status == 0 and err == ""
    (report,) = json.loads(out)
    assert report["source"] == "-"
    assert report["language"] == "en"
    assert _states(report) == {("spinal_canal_stenosis", True), ("foraminal_stenosis", True)}
    for finding in report["findings"]:
        _check_finding_fields(finding, text)


def test_cli_analyse_lang_option_overrides_detection(capsys, tmp_path):
    path = tmp_path / "short.txt"
    path.write_text("Hernia L4-L5.", encoding="utf-8")
    _, out, _ = _run(capsys, "analyse", str(path), "--lang", "nl")
    assert json.loads(out)[0]["language"] == "nl"


@pytest.mark.parametrize("age", ["-1", "121", "forty"])
def test_cli_analyse_rejects_an_impossible_age(capsys, inputs, age):
    with pytest.raises(SystemExit) as info:
        main(["analyse", inputs[0], "--age", age])
    assert info.value.code != 0
    assert "age" in capsys.readouterr().err


def _unreadable(tmp_path, kind):
    if kind == "missing":
        return tmp_path / "does-not-exist.txt"
    path = tmp_path / {"empty": "empty.txt", "scan": "scan.pdf", "binary": "image.txt"}[kind]
    data = {"empty": b"", "scan": make_pdf([]), "binary": bytes(range(256)) * 8}[kind]
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("kind", ["missing", "empty", "scan", "binary"])
def test_cli_analyse_unreadable_input_exit_2_and_the_rest_is_printed(capsys, inputs, tmp_path, kind):
    bad = str(_unreadable(tmp_path, kind))
    status, out, err = _run(capsys, "analyse", inputs[0], bad, inputs[2])
    assert status == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert bad in lines[0]
    assert "Traceback" not in err
    reports = json.loads(out)
    assert [r["source"] for r in reports] == [inputs[0], inputs[2]]
    assert all(r["findings"] for r in reports)


# --- context ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "lang,target,sentence,expected",
    [
        ("nl", "hernia", "Geen hernia.", {"negated": True, "uncertain": False, "historical": False}),
        ("en", "fracture", "A fracture cannot be excluded.", {"negated": False, "uncertain": True, "historical": False}),
        ("en", "laminectomy", "Status post laminectomy.", {"negated": False, "uncertain": False, "historical": True}),
        # any phrase, also one outside the finding catalogue
        ("en", "pleural effusion", "No pleural effusion.", {"negated": True, "uncertain": False, "historical": False}),
        ("nl", "stenose", "Stenose L4-L5 links.", {"negated": False, "uncertain": False, "historical": False}),
    ],
)
def test_cli_context_prints_the_dict(capsys, lang, target, sentence, expected):
    status, out, _ = _run(capsys, "context", "--lang", lang, "--target", target, sentence)
    assert status == 0
    assert json.loads(out) == expected


def test_cli_context_target_not_in_sentence(capsys):
    status, out, err = _run(capsys, "context", "--lang", "en", "--target", "xyz", "No hernia.")
    assert status != 0
    assert out == ""
    assert "xyz" in err and "Traceback" not in err


# --- evaluate --------------------------------------------------------------------------


def _gold(tmp_path):
    records = [
        {
            "id": "en_1",
            "language": "en",
            "text": "Disc protrusion at L4-L5. No canal stenosis.",
            "findings": [
                {"concept": "disc_protrusion", "levels": ["L4-L5"], "negated": False},
                {"concept": "spinal_canal_stenosis", "negated": True},
                # not in the text: a miss for the analyser
                {"concept": "scoliosis", "negated": False},
            ],
        },
        {
            "id": "nl_1",
            "language": "nl",
            "text": "Discushernia L5-S1 rechts. Geen kanaalstenose.",
            "findings": [
                {"concept": "disc_herniation", "levels": ["L5-S1"], "negated": False},
                {"concept": "spinal_canal_stenosis", "negated": True},
            ],
        },
    ]
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_cli_evaluate_prints_per_concept_rows_and_micro_f1(capsys, tmp_path):
    status, out, _ = _run(capsys, "evaluate", str(_gold(tmp_path)))
    assert status == 0
    tables = out.strip().split("\n\n")
    assert [t.splitlines()[0].split()[1] for t in tables] == ["en", "nl"]
    en = {line.split()[0]: line.split()[1:] for line in tables[0].splitlines()[2:] if line.strip()}
    nl = {line.split()[0]: line.split()[1:] for line in tables[1].splitlines()[2:] if line.strip()}
    # English: 2 of 3 gold findings found, nothing spurious: P 1, R 2/3, F1 0.8.
    assert en["micro"] == ["1.000", "0.667", "0.800", "2", "0", "1"]
    assert en["scoliosis"] == ["1.000", "0.000", "0.000", "0", "0", "1"]
    assert en["disc_protrusion"][3:] == ["1", "0", "0"]
    assert en["spinal_canal_stenosis"][3:] == ["1", "0", "0"]
    # Dutch: everything found.
    assert nl["micro"] == ["1.000", "1.000", "1.000", "2", "0", "0"]
    assert "negation" in tables[0] and "accuracy" in tables[0]


def test_cli_evaluate_errors_lists_the_miss(capsys, tmp_path):
    _, out, _ = _run(capsys, "evaluate", str(_gold(tmp_path)), "--errors")
    errors = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    assert [(e["id"], e["kind"], e["concept"]) for e in errors] == [("en_1", "missed", "scoliosis")]


# --- the real command --------------------------------------------------------------------


def test_cli_subprocess_python_m_nlp(tmp_path):
    missing = tmp_path / "missing.pdf"
    result = subprocess.run(
        [sys.executable, "-m", "nlp", "analyse", "-", str(missing), "--format", "json"],
        input="L4-L5:\nMild disc bulge.\nNo stenosis.\n".encode("utf-8"),
        capture_output=True,
        cwd=REPO_ROOT,
        timeout=300,
    )
    assert result.returncode == 2
    err = result.stderr.decode("utf-8")
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and str(missing) in lines[0]
    (report,) = json.loads(result.stdout.decode("utf-8"))
    assert report["source"] == "-"
    assert [(f["concept"], f["levels"], f["negated"]) for f in report["findings"]] == [
        ("disc_bulge", ["L4-L5"], False),
        ("spinal_canal_stenosis", ["L4-L5"], True),
    ]
