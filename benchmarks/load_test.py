"""Load test: many simultaneous browser-less sessions against a real ``streamlit run``.

Starts ``streamlit run app.py`` on a free localhost port (the repository's
``.streamlit/config.toml``, XSRF protection on), waits for ``/_stcore/health``, then:

1. *cold*: one session opens an example report; this first run builds both pipelines;
   then the same page once more, alone and warm, for comparison;
2. *simultaneous* (``--rounds`` times): ``--sessions`` websocket sessions connect, are
   released together by a barrier, and each opens a different example
   (``?sample=<stem>``, cycling through sample_reports/examples, both languages).

Each session speaks Streamlit's own websocket protocol (``tests/streamlit_client.py``). A
session succeeds when its script run finishes (``FINISHED_SUCCESSFULLY``), the page shows
no exception or error box, and it shows the analysis of *its* report and of no other.
Response time: from sending ``rerun_script`` until the last ``script_finished``, i.e. the
complete page. Half the visits send no Accept-Language; for a Dutch report the page then
switches itself to Dutch with ``st.rerun()`` and the time covers both script runs.

Server memory is read from /proc (VmRSS; VmHWM is the peak since start): before the cold
session, sampled every 20 ms during each round, and after the last round.

Run::

    .venv/bin/python benchmarks/load_test.py                  # 20 sessions, 1 round
    .venv/bin/python benchmarks/load_test.py --sessions 40 --rounds 3
"""
from __future__ import annotations

import argparse
import asyncio
import math
import os
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import List, Optional

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from tests.streamlit_client import (  # noqa: E402  (after the path is set)
    PageRun,
    analysis_missing,
    memory_mb,
    open_page,
    open_pages,
    report_traces,
    samples,
    streamlit_server,
    visits,
)

SAMPLE_EVERY = 0.02  # seconds between memory samples


class MemorySampler(threading.Thread):
    """Samples a process's resident memory in the background; keeps the highest."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = memory_mb(pid)[0]
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(SAMPLE_EVERY):
            self.peak = max(self.peak, memory_mb(self.pid)[0])

    def stop(self) -> float:
        self.done.set()
        self.join()
        return self.peak


def failures(run: PageRun, own, others) -> List[str]:
    """Why a session did not succeed (empty: it did)."""
    problems = [] if run.finished else [f"status {run.status}, {run.error}"]
    problems += run.exceptions
    problems += [f"missing {m}" for m in analysis_missing(run, own)]
    for other in others:
        problems += [f"shows {other.stem}: {trace}" for trace in report_traces(run, other)]
    return problems


def check(runs: List[PageRun], plan) -> int:
    """Print each failure; return how many sessions succeeded."""
    examples = samples()
    succeeded = 0
    for run, (sample, _) in zip(runs, plan):
        problems = failures(run, sample, [s for s in examples if s != sample])
        if problems:
            print(f"  FAILED {run.query_string}: {'; '.join(problems)}")
        else:
            succeeded += 1
    return succeeded


def percentile(values: List[float], share: float) -> float:
    """The nearest-rank percentile (no interpolation: a time one session really took)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=20, help="simultaneous sessions")
    parser.add_argument("--rounds", type=int, default=1, help="batches of simultaneous sessions")
    parser.add_argument("--port", type=int, default=None, help="default: a free port")
    args = parser.parse_args(argv)

    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs; "
          f"{args.sessions} sessions x {args.rounds} round(s)")
    with streamlit_server(args.port) as server:
        before = memory_mb(server.pid)[0]
        first, browser = visits(1)[0]
        cold = asyncio.run(open_page(server.port, first.query_string,
                                     accept_language=browser))
        cold_ok = check([cold], [(first, browser)])
        after_cold = memory_mb(server.pid)[0]
        print(f"cold first session ({first.stem}): {cold.seconds:.2f} s, "
              f"{'ok' if cold_ok else 'FAILED'}; server RSS {before:.0f} MB before, "
              f"{after_cold:.0f} MB after")
        alone = asyncio.run(open_page(server.port, first.query_string,
                                      accept_language=browser))
        cold_ok = check([alone], [(first, browser)]) and cold_ok
        print(f"the same page again, alone (warm): {alone.seconds:.2f} s")

        rows = []
        for number in range(1, args.rounds + 1):
            plan = visits(args.sessions)
            sampler = MemorySampler(server.pid)
            sampler.start()
            cpu = time.process_time()
            runs, wall = asyncio.run(open_pages(
                server.port, [(sample.query_string, browser) for sample, browser in plan]))
            cpu = time.process_time() - cpu
            peak = sampler.stop()
            succeeded = check(runs, plan)
            times = [run.seconds for run in runs if run.finished]
            rows.append((number, len(runs), succeeded, times, wall, peak,
                         memory_mb(server.pid)[0],
                         sum(run.script_runs for run in runs), cpu))
        time.sleep(1)  # let the closed sessions go
        after, high_water = memory_mb(server.pid)

    print(f"\n{'round':>5} {'sessions':>8} {'ok':>4} {'median s':>9} {'p90 s':>7} "
          f"{'worst s':>8} {'wall s':>7} {'runs':>5} {'RSS before':>11} {'RSS peak':>9} "
          f"{'RSS after':>10} {'client CPU s':>12}")
    for number, count, succeeded, times, wall, peak, end, script_runs, cpu in rows:
        print(f"{number:>5} {count:>8} {succeeded:>4} "
              f"{statistics.median(times) if times else float('nan'):>9.2f} "
              f"{percentile(times, 0.9) if times else float('nan'):>7.2f} "
              f"{max(times) if times else float('nan'):>8.2f} {wall:>7.2f} {script_runs:>5} "
              f"{before:>8.0f} MB {peak:>6.0f} MB {end:>7.0f} MB {cpu:>12.2f}")
    print(f"server RSS after all rounds {after:.0f} MB (1 s after the last session closed); "
          f"peak since start (VmHWM) {high_water:.0f} MB")
    print("times: from rerun_script to the last script_finished (page complete); "
          "'runs' = script runs in all (a Dutch report without Accept-Language takes 2); "
          "client CPU: this process (all websocket clients), on the same 2 cores")
    if not cold_ok or any(succeeded != count for _, count, succeeded, *_ in rows):
        sys.exit(1)


if __name__ == "__main__":
    main()
