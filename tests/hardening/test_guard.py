"""The page's guard (nlp/page/guard.py): no call can hold a worker past its deadline or memory
limit, the work really stops, and the other workers keep serving (issue 16)."""
from __future__ import annotations

import os
import threading
import time

import pytest

import nlp
from nlp.page.guard import Guard, GuardError, Limits
from nlp.inputs.readers import ReadError, read_bytes


@pytest.fixture(scope="module")
def guard():
    # No pipelines to build: these tests are about the mechanics, and start in a second.
    running = Guard(workers=2, limits=Limits(seconds=2.0, memory_mb=1024), warm=())
    yield running
    running.close()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()[0] != "Z"


def test_a_result_and_an_exception_come_back(guard):
    assert guard.run(sorted, [3, 1, 2]) == [1, 2, 3]
    with pytest.raises(ReadError) as caught:
        guard.run(read_bytes, b"", "report.txt")
    assert caught.value.code == "empty" and "leeg" in caught.value.message("nl")


def test_past_the_deadline_the_work_stops_and_the_worker_is_replaced(guard):
    before = set(guard.worker_pids())
    started = time.monotonic()
    with pytest.raises(GuardError) as caught:
        guard.run(time.sleep, 30)
    assert caught.value.code == "too_slow"
    assert time.monotonic() - started < 2.0 + 3.0
    after = set(guard.worker_pids())
    gone = before - after
    assert len(gone) == 1 and not any(_alive(pid) for pid in gone)
    assert guard.run(sum, [1, 2]) == 3  # the pool still serves


def test_past_the_memory_limit_only_that_call_fails(guard):
    with pytest.raises(GuardError) as caught:
        guard.run(bytearray, 3 * 1024 ** 3)
    assert caught.value.code == "too_much_memory"
    assert guard.run(len, "abc") == 3


def test_a_stuck_call_does_not_hold_up_another(guard):
    stuck = threading.Thread(target=lambda: pytest.raises(GuardError, guard.run, time.sleep, 30))
    stuck.start()
    time.sleep(0.2)
    started = time.monotonic()
    assert guard.run(sorted, "cba") == ["a", "b", "c"]
    assert time.monotonic() - started < 1.0
    stuck.join()


def test_a_dead_worker_is_reported_and_replaced(guard):
    with pytest.raises(GuardError) as caught:
        guard.run(os._exit, 3)
    assert caught.value.code == "worker_failed"
    assert guard.run(max, [1, 5]) == 5


@pytest.mark.slow
def test_the_analyser_runs_in_a_guarded_worker():
    running = Guard(workers=1, limits=Limits(seconds=60.0), warm=("en",))
    try:
        text = "No fracture. Left paracentral disc protrusion at L5-S1."
        report = running.run(nlp.analyse, text, lang="en")
        assert report.to_dict() == nlp.analyse(text, lang="en").to_dict()
    finally:
        running.close()


def test_every_guard_error_has_a_message_in_both_languages():
    from nlp.page.guard import GUARD_ERRORS
    from nlp.present.ui_text import t

    for code in GUARD_ERRORS:
        for lang in ("en", "nl"):
            message = t(f"errors.{code}", lang)
            assert message and message != f"errors.{code}" and len(message) > 20, (code, lang)


def test_a_call_can_have_a_deadline_of_its_own(guard):
    """Reading a photo by OCR gets longer than the default deadline; the deadline still holds."""
    assert guard.run_within(guard.limits.seconds + 5, abs, -3) == 3
    started = time.monotonic()
    with pytest.raises(GuardError) as err:
        guard.run_within(0.5, time.sleep, 30)
    assert err.value.code == "too_slow" and time.monotonic() - started < 10
