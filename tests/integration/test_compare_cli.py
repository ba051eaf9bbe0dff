"""``python -m nlp compare OLD NEW [--lang] [--format json|md]`` (interface.md, "Comparing two
reports"): the JSON contract, the Markdown table, unreadable inputs."""
from __future__ import annotations

import json

import pytest

from nlp.cli import main
from tests.fixtures import make_pdf

ENTRY_FIELDS = ["concept", "levels", "old", "new", "change"]
CHANGES = {"new", "resolved", "unchanged", "larger", "smaller", "worse", "better", "reworded"}
OLD_NL = ("MRI lumbale wervelkolom.\nL4-L5: kleine linkszijdige discusprotrusie. Lichte "
          "kanaalstenose.\nL5-S1: discusbulging. Geen foramenstenose.\n")
NEW_EN = ("MRI lumbar spine.\nL4-L5: left paracentral disc herniation. Moderate spinal canal "
          "stenosis.\nL5-S1: new right foraminal stenosis. No disc bulge.\n")
EXPECTED = [
    ("disc_herniation", ["L4-L5"], "reworded"),
    ("spinal_canal_stenosis", ["L4-L5"], "worse"),
    ("disc_bulge", ["L5-S1"], "resolved"),
    ("foraminal_stenosis", ["L5-S1"], "new"),
]


@pytest.fixture()
def reports(tmp_path):
    old, new = tmp_path / "old.txt", tmp_path / "new.pdf"
    old.write_text(OLD_NL, encoding="utf-8")
    new.write_bytes(make_pdf(NEW_EN.splitlines()))
    return str(old), str(new)


def test_compare_json_contract(reports, capsys):
    assert main(["compare", *reports]) == 0
    result = json.loads(capsys.readouterr().out)
    assert [(e["concept"], e["levels"], e["change"]) for e in result] == EXPECTED
    for entry in result:
        assert list(entry)[:5] == ENTRY_FIELDS and entry["change"] in CHANGES
    reworded = result[0]
    assert (reworded["old"]["text"], reworded["new"]["text"]) == ("discusprotrusie", "disc herniation")
    assert reworded["old"]["concept"] == "disc_protrusion"
    assert result[3]["old"]["negated"] is True and result[3]["new"]["negated"] is False


def test_compare_markdown_in_the_later_report_language(reports, capsys):
    assert main(["compare", *reports, "--format", "md"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# What changed between the two reports")
    rows = [line for line in out.splitlines() if line.startswith(("| L4", "| L5"))]
    assert len(rows) == 4
    assert "The same, in other words" in rows[0] and "discusprotrusie" in rows[0]
    assert "More severe" in rows[1] and "New" in rows[3]


def test_compare_with_lang_forced(tmp_path, capsys):
    old, new = tmp_path / "a.txt", tmp_path / "b.txt"
    old.write_text("L4-L5: discusprotrusie.", encoding="utf-8")
    new.write_text("L4-L5: discusprotrusie, toegenomen.", encoding="utf-8")
    assert main(["compare", str(old), str(new), "--lang", "nl"]) == 0
    [entry] = json.loads(capsys.readouterr().out)
    assert (entry["change"], entry["cue"]) == ("larger", "toegenomen")


def test_compare_unreadable_input_one_line_exit_2(reports, tmp_path, capsys):
    missing = tmp_path / "missing.txt"
    assert main(["compare", reports[0], str(missing)]) == 2
    captured = capsys.readouterr()
    err = captured.err.strip().splitlines()
    assert len(err) == 1 and str(missing) in err[0] and "Traceback" not in err[0]
    assert captured.out == ""


def test_compare_empty_input_exit_2(tmp_path, capsys):
    empty, other = tmp_path / "empty.txt", tmp_path / "other.txt"
    empty.write_text("", encoding="utf-8")
    other.write_text("L4-L5: disc bulge.", encoding="utf-8")
    assert main(["compare", str(empty), str(other)]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and len(captured.err.strip().splitlines()) == 1
