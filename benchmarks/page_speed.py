"""A warm, complete result in the browser: from pressing "Explain my report" to the last card.

Starts the page (``python -m nlp.page`` on a free port, via tests/streamlit_client.py),
opens it in the system Chromium (Playwright, ``/usr/bin/chromium``), pastes an example
report and clicks the button. The clock runs from the click until the page is complete:
the report is marked, the last finding card and the download buttons are drawn and
Streamlit no longer shows "Running", after the server said that a run after the click ended
(its ``script_finished`` message: the page may look complete before the click). The first
submit warms the server (pipelines built, caches filled); the next ``--runs`` submits are
timed, each in a new browser session with the same report (a person who reloads, or a
second visitor).

By default the text is committed (Ctrl+Enter) and the page is complete before the click, so
the click reruns a complete page: what every later click on the page costs too. With
``--first`` the text is pasted and the button clicked at once, as a person does: the click
commits the text and the results are drawn for the first time in that session.

Run::

    .venv/bin/python benchmarks/page_speed.py              # 5 warm runs per report
    .venv/bin/python benchmarks/page_speed.py --runs 10
    .venv/bin/python benchmarks/page_speed.py --first      # paste and click at once

Target (issue 12): median under 0.5 s.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Dict, List

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from tests.streamlit_client import streamlit_server  # noqa: E402  (after the path is set)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
REPORTS = ("en_lumbar_1.txt", "nl_lumbaal_1.txt", "en_cervical.txt")
TIMEOUT_MS = 180_000
# The page is done when Streamlit's status widget no longer says it is running.
IDLE_JS = ("() => { const s = document.querySelector('[data-testid=stStatusWidget]');"
           " return !s || !/Running|Bezig/i.test(s.innerText); }")
# Before the click the page may already look complete and idle (the default run): the clock
# stops only after the server said a run ended well. Each message the page receives is read
# for ForwardMsg field 6 (script_finished; 0 = FINISHED_SUCCESSFULLY, streamlit/proto).
FINISHED_JS = """
window.__finished = null;
const PageSocket = window.WebSocket;
window.WebSocket = function (...args) {
  const socket = new PageSocket(...args);
  socket.addEventListener('message', (event) => {
    if (!(event.data instanceof ArrayBuffer)) return;
    const bytes = new Uint8Array(event.data);
    let i = 0;
    const varint = () => { let x = 0, shift = 0, c;
      do { c = bytes[i++]; x += (c & 127) * 2 ** shift; shift += 7; } while (c & 128); return x; };
    while (i < bytes.length) {
      const tag = varint(), field = Math.floor(tag / 8), wire = tag & 7;
      if (wire === 0) { const value = varint(); if (field === 6) { window.__finished = value; return; } }
      else if (wire === 2) { const length = varint(); i += length; }
      else if (wire === 1) { i += 8; } else if (wire === 5) { i += 4; } else { return; }
    }
  });
  return socket;
};
window.WebSocket.prototype = PageSocket.prototype;
Object.assign(window.WebSocket, PageSocket);
"""


def submit_and_wait(browser, url: str, text: str, first: bool = False) -> float:
    """Seconds from the click on the explain button until the page is complete (``first``:
    the text is not committed before the click)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    context.add_init_script(FINISHED_JS)
    page = context.new_page()
    try:
        page.goto(url)
        box = page.get_by_label("Report text")
        box.fill(text)
        if not first:
            box.press("Control+Enter")  # commit the text: the page is complete before the click
        page.wait_for_function(IDLE_JS, timeout=TIMEOUT_MS, polling=20)
        button = page.get_by_role("button", name="Explain my report")
        page.evaluate("() => { window.__finished = null; }")
        start = time.perf_counter()
        button.click()
        page.wait_for_function("() => window.__finished === 0", timeout=TIMEOUT_MS, polling=20)
        page.locator(".sf-report mark.sf-mark").first.wait_for(timeout=TIMEOUT_MS)
        page.locator("[data-testid=stDownloadButton]").last.wait_for(timeout=TIMEOUT_MS)
        page.wait_for_function(IDLE_JS, timeout=TIMEOUT_MS, polling=20)
        return time.perf_counter() - start
    finally:
        context.close()


def timings(runs: int, first: bool = False) -> Dict[str, List[float]]:
    from playwright.sync_api import sync_playwright

    results: Dict[str, List[float]] = {}
    with streamlit_server() as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        url = f"http://127.0.0.1:{server.port}"
        for name in REPORTS:
            text = (REPO_ROOT / "sample_reports" / "examples" / name).read_text("utf-8")
            results["cold " + name] = [submit_and_wait(browser, url, text, first)]
            results["warm " + name] = [submit_and_wait(browser, url, text, first)
                                       for _ in range(runs)]
        browser.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="warm runs per report")
    parser.add_argument("--first", action="store_true",
                        help="paste and click at once (the first drawing of the results)")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        sys.exit(f"{CHROMIUM} is missing: install Debian's chromium")
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {REPO_ROOT}")
    how = "pasted, then clicked" if args.first else "committed, complete page, then clicked"
    print(f"Browser: click 'Explain my report' -> page complete (Chromium; text {how}); "
          f"load average {os.getloadavg()[0]:.2f}")
    for label, values in timings(args.runs, args.first).items():
        if len(values) == 1:
            print(f"  {label:<28} {values[0]:6.2f} s")
        else:
            print(f"  {label:<28} median {statistics.median(values):5.2f} s  "
                  f"(min {min(values):.2f}, max {max(values):.2f}, n={len(values)})")
    print(f"load average after: {os.getloadavg()[0]:.2f} (1 min), {os.getloadavg()[1]:.2f} (5 min)")


if __name__ == "__main__":
    main()
