"""Twenty simultaneous visitors on a real server: every page is complete and their own.

A real ``streamlit run app.py`` (the repository's ``.streamlit/config.toml``) on a free
localhost port, started cold: the 20 sessions arrive together while the pipelines are
still to be built. Each is a browser-less websocket client speaking Streamlit's own
protocol (``tests/streamlit_client.py``; AppTest cannot run sessions side by side) and
opens a different example (``?sample=<stem>``, cycling through both languages; half send
no Accept-Language, so Dutch pages switch language with ``st.rerun()``).

Checked: every script run finishes, no page shows an exception or an error box, and each
page shows the analysis of its own report and no trace of another's (session isolation).
Negative controls show each check can fail. No timings are asserted here: speed is
measured by ``benchmarks/load_test.py``.
"""
from __future__ import annotations

import asyncio
import html
from typing import List, Tuple

import pytest
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.Element_pb2 import Element

from tests.streamlit_client import (
    PageRun,
    Sample,
    analysis_missing,
    open_page,
    open_pages,
    report_traces,
    samples,
    streamlit_server,
    visits,
)

pytestmark = pytest.mark.slow

SESSIONS = 20


@pytest.fixture(scope="module")
def server():
    """A real page server, ended after the module whatever happens."""
    with streamlit_server() as running:
        yield running


@pytest.fixture(scope="module")
def load(server) -> List[Tuple[Sample, PageRun]]:
    """The 20 sessions, released together on the cold server."""
    plan = visits(SESSIONS)
    runs, _ = asyncio.run(open_pages(
        server.port, [(sample.query_string, browser) for sample, browser in plan]))
    return [(sample, run) for (sample, _), run in zip(plan, runs)]


def test_the_examples_can_be_told_apart():
    """The isolation check relies on each example having its own title and fingerprint."""
    examples = samples()
    assert {s.lang for s in examples} == {"en", "nl"}
    assert len({s.digest for s in examples}) == len(examples)
    for a in examples:
        for b in examples:
            if a != b:
                assert html.escape(b.first_line, quote=False) not in html.escape(a.text), (a, b)


def test_twenty_simultaneous_sessions_all_succeed(load):
    assert len(load) == SESSIONS
    failed = [(run.query_string, run.status, run.error, run.exceptions)
              for _, run in load if not run.ok]
    assert not failed
    # Really simultaneous: every session had asked for its page before the first was done.
    assert max(run.started for _, run in load) < min(run.ended for _, run in load)
    # Both languages, and the page's own st.rerun() (Dutch report, no browser language).
    assert {sample.lang for sample, _ in load} == {"en", "nl"}
    assert any(run.script_runs == 2 for _, run in load)


def test_each_session_shows_the_analysis_of_its_own_report(load):
    examples = samples()
    for sample, run in load:
        assert analysis_missing(run, sample) == [], run.query_string
        for other in examples:
            if other != sample:
                assert report_traces(run, other) == [], (run.query_string, other.stem)
                assert analysis_missing(run, other), (run.query_string, other.stem)


def test_an_unknown_sample_shows_no_analysis(server):
    """Negative control: a finished page without a report fails the analysis check."""
    run = asyncio.run(open_page(server.port, "sample=does_not_exist",
                                accept_language="en-GB"))
    assert run.ok, (run.status, run.error, run.exceptions)
    for sample in samples():
        # No results heading, no annotated report, no question box.
        assert len(analysis_missing(run, sample)) == 3, sample.stem
        assert report_traces(run, sample) == []


def element(**fields) -> Element:
    out = Element()
    for kind, values in fields.items():
        for name, value in values.items():
            setattr(getattr(out, kind), name, value)
    return out


@pytest.mark.parametrize("run", [
    PageRun("sample=x", status="FINISHED_SUCCESSFULLY",
            elements=[element(exception={"type": "ValueError", "message": "boom"})]),
    PageRun("sample=x", status="FINISHED_SUCCESSFULLY",
            elements=[element(alert={"body": "Something went wrong", "format": Alert.ERROR})]),
    PageRun("sample=x", status="FINISHED_EARLY_FOR_RERUN"),
    PageRun("sample=x", status="FINISHED_WITH_COMPILE_ERROR"),
    PageRun("sample=x", status="FINISHED_SUCCESSFULLY", error="the server closed the connection"),
    PageRun("sample=x"),
], ids=["exception", "error box", "stopped for rerun", "compile error", "closed", "not run"])
def test_a_failed_page_is_not_ok(run):
    """Negative control: the success check rejects each way a page can fail."""
    assert not run.ok
    assert PageRun("sample=x", status="FINISHED_SUCCESSFULLY",
                   elements=[element(alert={"body": "fine", "format": Alert.WARNING})]).ok
