"""The batch command's size limit: one limit (``nlp.limits.MAX_CHARS``, in characters), one
check, one error code for a text and a file alike (issue 10).

A 3.15-million-character text was reported as "analysis failed" (spaCy's own length limit
raised inside the pipeline) instead of "too long".
"""
import json
from pathlib import Path

import nlp.batch as batch
from nlp.cli import main
from nlp.limits import MAX_CHARS

REPORT = "MRI lumbar spine. L4-L5: disc protrusion. No fracture."
HUGE = ("Disc protrusion at L4-L5. " * (3_150_000 // 26 + 1))[:3_150_000]


def _run(tmp_path: Path, source: Path) -> list:
    out = tmp_path / "out.jsonl"
    assert main(["batch", str(source), "--out", str(out), "--quiet", "--lang", "en"]) == batch.EXIT_UNREADABLE
    return [json.loads(line) for line in batch.summary_path(out).read_text(encoding="utf-8").splitlines()]


def test_a_text_over_the_limit_is_too_long_not_a_failed_analysis(tmp_path):
    assert len(HUGE) == 3_150_000 > MAX_CHARS
    source = tmp_path / "in.jsonl"
    rows = [{"id": "huge", "text": HUGE}, {"id": "fine", "text": REPORT}]
    source.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    huge, fine = _run(tmp_path, source)
    assert (huge["report_id"], huge["status"], huge["error_code"]) == ("huge", "error", "too_long")
    assert f"{MAX_CHARS:,} characters" in huge["error_message"]
    assert (fine["status"], fine["n_findings"]) == ("ok", 2)  # the protrusion, the ruled-out fracture


def test_a_file_over_the_limit_gets_the_same_code(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "huge.txt").write_text(HUGE, encoding="utf-8")
    (folder / "fine.txt").write_text(REPORT, encoding="utf-8")
    rows = {row["report_id"]: row for row in _run(tmp_path, folder)}
    assert rows["huge.txt"]["error_code"] == "too_long"
    assert rows["fine.txt"]["status"] == "ok"
