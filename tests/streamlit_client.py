"""A browser-less client for the page: Streamlit's own websocket protocol, no browser.

Shared by ``benchmarks/load_test.py`` (timings, memory) and ``tests/hardening/test_load.py``
(correctness under load). AppTest cannot serve here: its Runtime is a process singleton
and cannot run sessions side by side, so each session is a real websocket to a real
``streamlit run app.py`` on localhost, speaking what the browser speaks (checked against
Streamlit 1.40.2):

- connect to ``ws://HOST:PORT/_stcore/stream`` with the subprotocol ``streamlit`` (the
  server picks the first one offered) and the browser's ``Origin`` and ``Accept-Language``;
- send a ``BackMsg`` with ``rerun_script`` = ``ClientState(query_string=...)``: the page's
  first run, as when a browser opens ``/?sample=en_lumbar_1``;
- read ``ForwardMsg``s until ``script_finished`` says the run is over. A run the script
  ends itself with ``st.rerun()`` ends ``FINISHED_EARLY_FOR_RERUN`` and is followed by a new
  run (``new_session``); the client waits for that one, as a browser would, and keeps only
  the last run's elements. Large messages the session has already received come as a
  ``ref_hash``; they are looked up in the session's own cache of earlier messages.

XSRF protection (on in ``.streamlit/config.toml``) guards uploads only, not the websocket.
"""
from __future__ import annotations

import asyncio
import hashlib
import html
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Sequence, Tuple

from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

from nlp.present.ui_text import t

REPO_ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = REPO_ROOT / "sample_reports" / "examples"
# What a browser of each language sends; the page takes its language from it.
ACCEPT_LANGUAGE = {"en": "en-GB,en;q=0.9", "nl": "nl-NL,nl;q=0.9,en;q=0.5"}
STARTUP_SECONDS = 90
# Streamlit's status names, for messages.
FINISHED = {value: name for name, value in ForwardMsg.ScriptFinishedStatus.items()}


# ----------------------------------------------------------------------------- server ----


@dataclass
class Server:
    """A running ``streamlit run app.py``: its port and process."""

    port: int
    process: subprocess.Popen

    @property
    def pid(self) -> int:
        return self.process.pid


def free_port() -> int:
    """A TCP port nobody listens on now (the kernel's choice)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def streamlit_server(port: Optional[int] = None) -> Iterator[Server]:
    """Run the page as it is served (``python -m nlp.page``, ``.streamlit/config.toml``), on
    localhost only.

    The server's output goes to a temporary file outside the repository and is shown
    only if it does not start. The process is always ended on the way out.
    """
    port = port or free_port()
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "nlp.page",
             "--server.port", str(port), "--server.address", "127.0.0.1"],
            cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        try:
            wait_until_healthy(port, process, log)
            yield Server(port, process)
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=15)


def wait_until_healthy(port: int, process: subprocess.Popen, log) -> None:
    """Poll ``/_stcore/health`` until the server answers (or fail with its output)."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    log.seek(0)
    output = log.read().decode("utf-8", "replace")[-3000:]
    raise RuntimeError(f"streamlit did not start on port {port}:\n{output}")


def memory_mb(pid: int) -> Tuple[float, float]:
    """The process's resident memory now and its peak so far (VmRSS, VmHWM; Linux), MB."""
    values = {}
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0]) / 1024  # kB
    return values["VmRSS"], values["VmHWM"]


# ---------------------------------------------------------------------------- session ----


URGENT_ICON = ":material/emergency:"  # nlp/present/complaints.py: the today tier


@dataclass
class PageRun:
    """What one session saw: the last script run's elements and how the run ended."""

    query_string: str
    status: str = "not run"
    started: float = float("nan")  # time.perf_counter() when rerun_script was sent
    ended: float = float("nan")  # ... and when the last run's script_finished came
    script_runs: int = 0
    elements: List[Element] = field(default_factory=list)
    error: Optional[str] = None

    @property
    def seconds(self) -> float:
        """Response time: from asking for the page until it is complete."""
        return self.ended - self.started

    @property
    def finished(self) -> bool:
        """The script ran to its end (after any reruns it asked for itself)."""
        return self.status == "FINISHED_SUCCESSFULLY" and self.error is None

    def of_type(self, kind: str) -> List[Element]:
        """The elements of one kind (``"markdown"``, ``"html"``, ``"alert"``, ...)."""
        return [e for e in self.elements if e.WhichOneof("type") == kind]

    @property
    def exceptions(self) -> List[str]:
        """Exception elements (an uncaught error in the script) and error boxes (st.error)."""
        shown = [f"exception: {e.exception.type}: {e.exception.message}"
                 for e in self.of_type("exception")]
        # The red "get help today" box of the urgency tiers is a message, not a failure.
        shown += [f"error box: {e.alert.body}" for e in self.of_type("alert")
                  if e.alert.format == Alert.ERROR and e.alert.icon != URGENT_ICON]
        return shown

    @property
    def ok(self) -> bool:
        """Finished and shows no exception or error box."""
        return self.finished and not self.exceptions

    def texts(self) -> List[str]:
        """Every text the page shows: headings, markdown, captions, alerts and HTML."""
        out = []
        for element in self.elements:
            kind = element.WhichOneof("type")
            if kind in ("heading", "markdown", "alert", "html", "text"):
                out.append(getattr(element, kind).body)
        return out

    def widget_ids(self) -> List[str]:
        """The ids of the widgets on the page (a keyed widget's id ends with its key)."""
        return [getattr(e, e.WhichOneof("type")).id for e in self.elements
                if hasattr(getattr(e, e.WhichOneof("type")), "id")]


async def open_page(
    port: int,
    query_string: str = "",
    *,
    accept_language: Optional[str] = None,
    barrier: Optional[asyncio.Barrier] = None,
    timeout: float = 180.0,
) -> PageRun:
    """One browser-less visit: connect, wait at ``barrier``, run the page, read it.

    ``seconds`` runs from sending ``rerun_script`` until ``script_finished`` of the last
    run: the page is complete. Sessions connect before the barrier, so the ones released
    together begin their script runs together.
    """
    run = PageRun(query_string)
    headers = {"Origin": f"http://127.0.0.1:{port}"}
    if accept_language:
        headers["Accept-Language"] = accept_language
    request = HTTPRequest(f"ws://127.0.0.1:{port}/_stcore/stream", headers=headers,
                          connect_timeout=30, request_timeout=30)
    try:
        connection = await websocket_connect(request, subprotocols=["streamlit"])
    except Exception as err:  # noqa: BLE001  (reported as this session's failure)
        run.error = f"could not connect: {err!r}"
        if barrier is not None:
            await barrier.wait()  # the others must not wait for this one forever
        return run
    try:
        if barrier is not None:
            await barrier.wait()
        run.started = time.perf_counter()
        back = BackMsg()
        back.rerun_script.query_string = query_string
        back.rerun_script.page_script_hash = ""
        await connection.write_message(back.SerializeToString(), binary=True)
        await asyncio.wait_for(read_run(connection, run), timeout)
        run.ended = time.perf_counter()
    except asyncio.TimeoutError:
        run.error = f"no script_finished within {timeout:.0f} s"
    finally:
        connection.close()
    return run


async def read_run(connection, run: PageRun) -> None:
    """Read ForwardMsgs into ``run`` until the script's last run has finished."""
    seen: Dict[str, ForwardMsg] = {}
    elements: Dict[Tuple[int, ...], Element] = {}
    while True:
        payload = await connection.read_message()
        if payload is None:
            run.error = "the server closed the connection"
            return
        msg = ForwardMsg()
        msg.ParseFromString(payload)
        if msg.WhichOneof("type") == "ref_hash":
            if msg.ref_hash not in seen:
                run.error = f"reference to a message never received ({msg.ref_hash})"
                return
            original = ForwardMsg()
            original.CopyFrom(seen[msg.ref_hash])
            original.metadata.CopyFrom(msg.metadata)
            msg = original
        elif msg.hash:
            seen[msg.hash] = msg
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            run.script_runs += 1
            elements = {}
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            elements[tuple(msg.metadata.delta_path)] = msg.delta.new_element
        elif kind == "session_event" and msg.session_event.HasField(
                "script_compilation_exception"):
            run.error = f"compile error: {msg.session_event.script_compilation_exception}"
        elif kind == "script_finished":
            run.status = FINISHED.get(msg.script_finished, str(msg.script_finished))
            if msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                run.elements = [elements[path] for path in sorted(elements)]
                return


async def open_pages(
    port: int, visits: Sequence[Tuple[str, Optional[str]]], timeout: float = 180.0
) -> Tuple[List[PageRun], float]:
    """Many visits at once: all connect first, then a barrier releases them together.

    ``visits`` are (query string, Accept-Language) pairs. Returns the runs in the same
    order and the wall time from the first request until the last page was complete.
    """
    barrier = asyncio.Barrier(len(visits))
    runs = await asyncio.gather(*(
        open_page(port, query, accept_language=language, barrier=barrier, timeout=timeout)
        for query, language in visits))
    timed = [run for run in runs if run.ended == run.ended]  # not NaN
    wall = (max(r.ended for r in timed) - min(r.started for r in timed)) if timed else 0.0
    return list(runs), wall


# ------------------------------------------------------------- the page's own content ----


@dataclass(frozen=True)
class Sample:
    """An example report the page opens with ``?sample=<stem>``."""

    stem: str
    text: str

    @property
    def lang(self) -> str:
        return self.stem.split("_")[0]

    @property
    def query_string(self) -> str:
        return f"sample={self.stem}"

    @property
    def digest(self) -> str:
        """The page's fingerprint of the report text (``ReportInput.digest`` in app.py)."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:16]

    @property
    def first_line(self) -> str:
        """The report's first line (its title), as the annotated report shows it."""
        return next(line.strip() for line in self.text.splitlines() if line.strip())


def samples() -> List[Sample]:
    """The example reports (both languages), in a fixed order."""
    return [Sample(path.stem, path.read_text(encoding="utf-8"))
            for path in sorted(EXAMPLES.glob("*.txt"))]


def visits(count: int) -> List[Tuple[Sample, Optional[str]]]:
    """``count`` visits cycling through the examples (both languages).

    Each visit's browser asks for the report's language, except every other round of the
    examples, which sends no Accept-Language: then the page follows the report's language
    and a Dutch report takes two script runs (the page calls ``st.rerun()`` to switch).
    """
    examples = samples()
    plan = []
    for i in range(count):
        sample = examples[i % len(examples)]
        browser = ACCEPT_LANGUAGE[sample.lang] if (i // len(examples)) % 2 == 0 else None
        plan.append((sample, browser))
    return plan


def annotated_reports(run: PageRun) -> List[str]:
    """The HTML of the annotated report(s) on the page (findings marked ``sf-mark``)."""
    return [e.html.body for e in run.of_type("html") if "sf-mark" in e.html.body]


def analysis_missing(run: PageRun, sample: Sample) -> List[str]:
    """What the page lacks to show the analysis of ``sample``; empty when it is all there.

    Only an analysed report brings all three: the results heading in the report's language
    (the page follows it), the report as written with its findings marked, and the
    question box of this very text (its widget key holds the text's fingerprint).
    """
    missing = []
    heading = t("results.heading", sample.lang)
    if heading not in run.texts():
        missing.append(f"heading {heading!r}")
    if not any(html.escape(sample.first_line, quote=False) in body
               for body in annotated_reports(run)):
        missing.append(f"annotated report starting {sample.first_line!r}")
    if not any(wid.endswith(f"-questions_{sample.digest}") for wid in run.widget_ids()):
        missing.append(f"question box of report {sample.digest}")
    return missing


def report_traces(run: PageRun, sample: Sample) -> List[str]:
    """Traces of ``sample`` on the page: its marked text or its widgets (for isolation)."""
    traces = []
    if any(html.escape(sample.first_line, quote=False) in body
           for body in annotated_reports(run)):
        traces.append(f"annotated report starting {sample.first_line!r}")
    traces += [wid for wid in run.widget_ids() if sample.digest in wid]
    return traces
