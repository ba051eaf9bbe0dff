"""The page when reading or analysing an input runs past its deadline (nlp/page/guard.py):
a short message in the page language, no traceback, and the next report works."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import app
import nlp.page.guard as guard_module
from nlp.page.guard import Guard, GuardError, Limits
from nlp.present.ui_text import t

APP_FILE = str(Path(__file__).resolve().parents[2] / "app.py")


class _Expired:
    """A guard whose every call ran past its deadline."""

    def run(self, fn, *args, **kwargs):
        raise GuardError("too_slow")


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_a_report_past_its_deadline_gets_a_short_message(monkeypatch, lang):
    monkeypatch.setattr(guard_module, "_shared", _Expired())
    page = AppTest.from_file(APP_FILE, default_timeout=60)
    page.session_state["page_lang"] = lang
    page.run()
    page.text_area(key="paste_text").input("No fracture. Disc protrusion at L4-L5.")
    page.button(key="explain").click()
    page.run()
    assert not page.exception
    assert [e.value for e in page.error] == [t("errors.too_slow", lang)]
    assert not any('class="sf-report"' in h.proto.body for h in page.get("html"))


@pytest.mark.parametrize("code", ["too_slow", "too_much_memory", "worker_failed"])
def test_an_upload_past_its_limits_gets_a_short_message(monkeypatch, code):
    class Failing:
        def run(self, fn, *args, **kwargs):
            raise GuardError(code)

        def run_within(self, seconds, fn, *args, **kwargs):
            raise GuardError(code)

    monkeypatch.setattr(guard_module, "_shared", Failing())
    result = app.read_upload(b"No fracture.", "report.txt", "nl")
    assert result.text is None and result.error == t(f"errors.{code}", "nl")


@pytest.mark.slow
def test_a_real_deadline_ends_the_upload_read(monkeypatch):
    import time

    running = Guard(workers=1, limits=Limits(seconds=0.5), warm=())
    monkeypatch.setattr(guard_module, "_shared", running)
    monkeypatch.setattr(app, "read_document", _slow_read)  # module-level, so it can be pickled
    monkeypatch.setattr(app, "READ_SECONDS", 0.5)  # reading has its own deadline (OCR)
    try:
        started = time.monotonic()
        result = app.read_upload(b"No fracture.", "report.txt", "en")
        assert result.error == t("errors.too_slow", "en")
        assert time.monotonic() - started < 10
    finally:
        running.close()


def _slow_read(data: bytes, filename: str) -> str:
    import time

    time.sleep(30)
    return data.decode()
