"""Privacy: analysing a report needs no network and writes nothing to disk.

(a) No network at run time: ``socket.socket.connect``, ``socket.socket.connect_ex``,
    ``socket.create_connection`` (and ``socket.getaddrinfo``) raise and record every
    attempt; then fresh pipelines are built (``nlp.pipeline.build``), reports analysed and
    explained, every export made and the command line run. A second check runs
    ``python -m nlp analyse -`` in a new interpreter whose sockets are blocked before the
    first import, so import-time access is caught too.

(b) Nothing written to disk: the analyser, the readers (on bytes, as the page uses them),
    ``explain_report``, every ``nlp.present.export`` function, ``nlp.present.render`` and the command line
    with stdin input run

    - with ``builtins.open`` / ``io.open`` failing on any write mode,
    - under an audit hook that records every file this process opens for writing, creates,
      renames or removes (``__pycache__`` ignored),
    - while the repository, the temporary directory (``tempfile.gettempdir()``) and the home
      directory are snapshotted (mtime and size of every file; ``__pycache__``,
      ``.pytest_cache`` and ``.hypothesis`` ignored).

    Other engineers and tools write to these directories at the same time, so a changed
    file counts as the analyser's only if this process wrote it (audit hook), or if it
    changes again when everything is run a second time but not while nothing runs.
"""
from __future__ import annotations

import builtins
import io
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Dict, List, Tuple

import pytest

import nlp
from nlp.api import analyse
from nlp.cli import main
from nlp.explain import explain_report
from nlp.present.export import (
    findings_csv,
    findings_json,
    findings_table,
    grouped_findings,
    parse_questions,
    prevalence_table,
    questions_markdown,
    quotes_text,
    suggested_questions,
    where_text,
)
from nlp.present.printing import printable_html
from nlp.inputs.readers import read_bytes
from nlp.present.render import annotated_html, legend_html
from nlp.report import Report
from tests.fixtures import make_docx, make_pdf

REPO_ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = REPO_ROOT / "sample_reports" / "examples"
REPORTS = {
    "en": (EXAMPLES / "en_lumbar_1.txt").read_text(encoding="utf-8"),
    "nl": (EXAMPLES / "nl_lumbaal_1.txt").read_text(encoding="utf-8"),
}
UPLOADS = {
    "verslag.pdf": make_pdf(["Discushernia L4-L5 links.", "Geen kanaalstenose."]),
    "report.docx": make_docx(["FINDINGS:", "Disc bulge at L4-L5.", "No canal stenosis."]),
    "verslag.txt": "Discushernia L4-L5 links. Geen fractuur.\n".encode("cp1252"),
}
IGNORED_DIRS = {"__pycache__", ".pytest_cache", ".hypothesis"}
WATCHED = {
    "repository": REPO_ROOT,
    "temporary directory": Path(tempfile.gettempdir()),
    "home directory": Path.home(),
}
WRITE_MODE_CHARS = set("wax+")
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
CHANGING_EVENTS = {
    "os.mkdir", "os.rename", "os.remove", "os.rmdir", "os.truncate", "os.symlink", "os.link",
    "os.chmod", "os.utime", "shutil.copyfile", "shutil.copymode", "shutil.copystat",
    "shutil.copytree", "shutil.move", "shutil.rmtree", "tempfile.mkstemp", "tempfile.mkdtemp",
}


@pytest.fixture(scope="module", autouse=True)
def pipelines(nlp_en, nlp_nl):
    return nlp_en, nlp_nl


def _stdin(data: bytes):
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")


def run_everything(monkeypatch, capsys) -> List[object]:
    """Everything the page and the command line do with a report, in memory."""
    produced: List[object] = []
    for lang, text in REPORTS.items():
        other = "nl" if lang == "en" else "en"
        report = analyse(text, age=52, source="pasted")
        assert report.language == lang and report.findings
        for ui_lang in (lang, other):
            explanation = explain_report(report, lang=ui_lang)
            starters, more = suggested_questions(explanation)
            questions = parse_questions("\n".join(f"- [ ] {q}" for q in starters + more[:1]))
            produced.append(questions_markdown(questions, lang=ui_lang, explanation=explanation))
            produced.append(printable_html(report, explanation, questions, lang=ui_lang))
            for _group, shown in grouped_findings(explanation):
                produced.append(prevalence_table(shown))
                for entry in shown:
                    produced.append(quotes_text(entry.mentions, ui_lang))
                    produced.append(where_text(entry.item.finding, ui_lang))
            table = findings_table(report, explanation)
            produced.append(findings_csv(table))
            produced.append(findings_json(table, report))
            produced.append(annotated_html(report.text, explanation.all_findings(), lang=ui_lang))
            produced.append(legend_html(ui_lang))
    for filename, data in UPLOADS.items():
        produced.append(analyse(read_bytes(data, filename)).to_dict())
    for lang, text in REPORTS.items():
        for fmt in ("json", "jsonl", "csv"):
            monkeypatch.setattr(sys, "stdin", _stdin(text.encode("utf-8")))
            status = main(["analyse", "--format", fmt, "--age", "52", "-"])
            out, err = capsys.readouterr()
            assert (status, err) == (0, ""), err
            produced.append(out)
    return produced


# ------------------------------------------------------------------------ (a) network ----


@pytest.fixture()
def network_attempts(monkeypatch):
    """Block outgoing connections and DNS; every attempt is recorded (even if swallowed)."""
    attempts: List[Tuple[str, tuple]] = []

    def blocker(name: str, method: bool):
        def blocked(*args, **kwargs):
            attempts.append((name, args[1:] if method else args))
            raise OSError(f"network access is blocked in this test ({name})")

        return blocked

    monkeypatch.setattr(socket.socket, "connect", blocker("socket.socket.connect", True))
    monkeypatch.setattr(socket.socket, "connect_ex", blocker("socket.socket.connect_ex", True))
    monkeypatch.setattr(socket, "create_connection", blocker("socket.create_connection", False))
    monkeypatch.setattr(socket, "getaddrinfo", blocker("socket.getaddrinfo", False))
    return attempts


def test_blocker_blocks(network_attempts):
    with pytest.raises(OSError, match="blocked"):
        socket.create_connection(("example.org", 443), timeout=1)
    with socket.socket() as s:
        with pytest.raises(OSError, match="blocked"):
            s.connect(("127.0.0.1", 9))
        with pytest.raises(OSError, match="blocked"):
            s.connect_ex(("127.0.0.1", 9))
    assert [name for name, _ in network_attempts] == [
        "socket.create_connection", "socket.socket.connect", "socket.socket.connect_ex"]


def test_no_network_to_build_analyse_explain_export_and_run_the_cli(
    network_attempts, monkeypatch, capsys, tmp_path
):
    for lang, text in REPORTS.items():
        fresh = nlp.pipeline.build(lang)
        report = Report.from_doc(fresh(text))
        assert report.findings
        assert report.to_dict() == analyse(text, lang=lang).to_dict()
        explain_report(report)
    assert run_everything(monkeypatch, capsys)
    path = tmp_path / "report.txt"
    path.write_text(REPORTS["nl"], encoding="utf-8")
    assert main(["analyse", str(path)]) == 0
    assert json.loads(capsys.readouterr().out)[0]["language"] == "nl"
    assert network_attempts == []


BLOCKED_INTERPRETER = r"""
import socket, sys

def blocked(*args, **kwargs):
    sys.stderr.write("NETWORK ATTEMPT %r\n" % (args,))
    raise OSError("network access is blocked")

socket.socket.connect = blocked
socket.socket.connect_ex = blocked
socket.create_connection = blocked
socket.getaddrinfo = blocked
import runpy
sys.argv = ["nlp", *sys.argv[1:]]
runpy.run_module("nlp", run_name="__main__", alter_sys=True)
"""


def test_no_network_from_a_fresh_interpreter():
    """Sockets blocked before the first import: importing and building need no network."""
    result = subprocess.run(
        [sys.executable, "-c", BLOCKED_INTERPRETER, "analyse", "-"],
        input=REPORTS["en"].encode("utf-8"), cwd=REPO_ROOT, capture_output=True, timeout=300,
    )
    stderr = result.stderr.decode("utf-8", "replace")
    assert "NETWORK ATTEMPT" not in stderr
    assert result.returncode == 0, stderr
    [report] = json.loads(result.stdout)
    assert report["language"] == "en" and report["findings"]


# ------------------------------------------------------------------------ (b) no writes ----

_audit_log: List[Tuple[str, str]] | None = None
_audit_installed = False


def _audit(event: str, args: tuple) -> None:
    log = _audit_log
    if log is None:
        return
    try:
        if event == "open":
            path, mode, flags = args
            if isinstance(mode, str):
                writing = bool(set(mode) & WRITE_MODE_CHARS)
            else:
                writing = bool((flags or 0) & WRITE_FLAGS)
            if not writing:
                return
        elif event in CHANGING_EVENTS and args:
            path = args[0]
        else:
            return
        if path is None or isinstance(path, int):
            return  # a file descriptor: the file was opened (and recorded) before
        name = os.path.abspath(os.fsdecode(path))
        if IGNORED_DIRS.isdisjoint(Path(name).parts):
            log.append((event, name))
    except Exception as e:  # an audit hook must never break the audited call
        log.append((event, f"<unreadable audit arguments: {e!r}>"))


@contextmanager
def recording_writes():
    """Record the files this process writes to (an audit hook cannot be removed, so it is
    added once and only records inside this block)."""
    global _audit_log, _audit_installed
    if not _audit_installed:
        sys.addaudithook(_audit)
        _audit_installed = True
    log: List[Tuple[str, str]] = []
    _audit_log = log
    try:
        yield log
    finally:
        _audit_log = None


@contextmanager
def open_refuses_writing(monkeypatch):
    """``open`` (builtins and io, used by pathlib) fails on any write mode."""
    real_open = builtins.open
    refused: List[str] = []

    def guarded_open(file, mode="r", *args, **kwargs):
        if set(mode) & WRITE_MODE_CHARS:
            refused.append(f"{file!r} mode {mode!r}")
            raise PermissionError(f"writing is not allowed in this test: open({file!r}, {mode!r})")
        return real_open(file, mode, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(builtins, "open", guarded_open)
        patch.setattr(io, "open", guarded_open)
        yield refused


def _walk(root: Path) -> Dict[str, Tuple[int, int]]:
    files: Dict[str, Tuple[int, int]] = {}
    stack = [str(root)]
    while stack:
        folder = stack.pop()
        try:
            entries = os.scandir(folder)
        except OSError:
            continue
        with entries:
            for entry in entries:
                try:
                    if entry.is_dir(follow_symlinks=False):
                        if entry.name not in IGNORED_DIRS:
                            stack.append(entry.path)
                    else:
                        info = entry.stat(follow_symlinks=False)
                        files[entry.path] = (info.st_mtime_ns, info.st_size)
                except OSError:
                    continue
    return files


def snapshot() -> Dict[str, Tuple[int, int]]:
    """mtime and size of every file under the watched directories."""
    with ThreadPoolExecutor(len(WATCHED)) as pool:
        parts = list(pool.map(_walk, WATCHED.values()))
    merged: Dict[str, Tuple[int, int]] = {}
    for part in parts:
        merged.update(part)
    return merged


def changed(before: Dict[str, Tuple[int, int]], after: Dict[str, Tuple[int, int]]) -> set:
    """Files created, modified or removed between two snapshots."""
    return {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}


def guarded_run(monkeypatch, capsys) -> Tuple[set, List[Tuple[str, str]], List[str]]:
    """Run everything between two snapshots; (changed files, own writes, refused opens)."""
    before = snapshot()
    with recording_writes() as writes, open_refuses_writing(monkeypatch) as refused:
        run_everything(monkeypatch, capsys)
    return changed(before, snapshot()), writes, refused


def confirm_not_ours(files: set, seconds: float, run_again) -> None:
    """Files changed during a run, while others may be writing too (their tests, editors).

    A file counts as written by the analyser if it changes again on a second run and not
    while nothing runs for as long as a run takes.
    """
    if not files:
        return
    files_again = run_again()
    idle_before = snapshot()
    time.sleep(max(seconds, 1.0))
    idle = changed(idle_before, snapshot())
    suspicious = (files & files_again) - idle
    assert not suspicious, f"files changed on both runs and not while idle: {sorted(suspicious)[:20]}"


def test_nothing_is_written_to_disk(monkeypatch, capsys):
    started = time.monotonic()
    files, writes, refused = guarded_run(monkeypatch, capsys)
    seconds = time.monotonic() - started
    assert refused == [], "open() in a write mode"
    assert writes == [], "files written by this process"

    def run_again() -> set:
        files_again, writes_again, refused_again = guarded_run(monkeypatch, capsys)
        assert (refused_again, writes_again) == ([], [])
        return files_again

    confirm_not_ours(files, seconds, run_again)


def test_cli_subprocess_with_stdin_writes_nothing():
    """The real command line reading stdin: no new or changed files."""
    command = [sys.executable, "-m", "nlp", "analyse", "--format", "jsonl", "-"]

    def run() -> set:
        before = snapshot()
        result = subprocess.run(command, input=REPORTS["nl"].encode("utf-8"), cwd=REPO_ROOT,
                                capture_output=True, timeout=300)
        assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
        assert json.loads(result.stdout)["language"] == "nl"
        return changed(before, snapshot())

    started = time.monotonic()
    files = run()
    confirm_not_ours(files, time.monotonic() - started, run)


def test_the_write_detectors_see_a_write(monkeypatch, tmp_path):
    """The three detectors work: a refused open, an audited os.open, a changed snapshot."""
    with open_refuses_writing(monkeypatch) as refused:
        with pytest.raises(PermissionError):
            open(tmp_path / "a.txt", "w")
        with pytest.raises(PermissionError):
            (tmp_path / "b.txt").write_text("x")
        with open(REPO_ROOT / "pytest.ini", "rb") as f:  # reading is fine
            assert f.read(1)
    assert len(refused) == 2
    before = _walk(tmp_path)
    with recording_writes() as writes:
        fd = os.open(tmp_path / "c.txt", os.O_WRONLY | os.O_CREAT)
        os.close(fd)
        os.rename(tmp_path / "c.txt", tmp_path / "d.txt")
    assert [event for event, _path in writes] == ["open", "os.rename"]
    assert writes[0][1] == str(tmp_path / "c.txt")
    assert changed(before, _walk(tmp_path)) == {str(tmp_path / "d.txt")}
