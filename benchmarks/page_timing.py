"""How long the page takes from upload to fully rendered, with the pipelines cold and warm.

Two figures:

1. Browser (the real thing): a fresh ``streamlit run app.py`` on a free port, driven by
   Playwright in the system Chromium. The clock starts when the PDF is handed to the
   upload widget and stops when the page is complete: the report is marked, the finding
   groups and the chart are drawn, the download buttons are there and Streamlit no
   longer shows "Running". *Cold* is the first upload after the server started (it
   builds the English and Dutch pipelines); *warm* is later uploads in new sessions.
2. AppTest (no browser): one script run of the page with a report, in this process;
   cold is the first run (pipelines built), warm the later ones.

Run::

    .venv/bin/python benchmarks/page_timing.py            # 5 warm runs per report
    .venv/bin/python benchmarks/page_timing.py --runs 10 --skip-apptest

Needs /usr/bin/chromium and the ``playwright`` package (no Playwright browsers).
"""
from __future__ import annotations

import argparse
import logging
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import warnings
from pathlib import Path
from typing import Dict, List

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from tests.fixtures import make_pdf  # noqa: E402  (after the path is set)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
REPORTS = {
    "en_lumbar_1 (PDF, English)": "en_lumbar_1.txt",
    "nl_lumbaal_1 (PDF, Dutch)": "nl_lumbaal_1.txt",
}
TIMEOUT_MS = 180_000


def report_pdf(name: str) -> bytes:
    """A one-page PDF of an example report (its non-empty lines)."""
    text = (REPO_ROOT / "sample_reports" / "examples" / name).read_text(encoding="utf-8")
    return make_pdf([line for line in text.splitlines() if line.strip()])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int, log) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1"],
        cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("streamlit exited early; see its log")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("streamlit did not start within 60 s")


def upload_and_wait(browser, url: str, pdf: bytes) -> float:
    """Seconds from handing the PDF to the uploader until the page is complete."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    try:
        page.goto(url)
        page.get_by_text("Upload a file", exact=True).click()
        chooser = page.locator('input[type="file"]')
        chooser.wait_for(state="attached")
        start = time.perf_counter()
        chooser.set_input_files(files=[{"name": "report.pdf", "mimeType": "application/pdf",
                                        "buffer": pdf}])
        page.locator(".sf-report mark.sf-mark").first.wait_for(timeout=TIMEOUT_MS)
        page.locator("[data-testid=stDownloadButton]").nth(3).wait_for(timeout=TIMEOUT_MS)
        page.locator(".vega-embed").first.wait_for(timeout=TIMEOUT_MS)
        page.wait_for_function(
            "() => !document.querySelector('[data-testid=stStatusWidget]')"
            " || !document.querySelector('[data-testid=stStatusWidget]').innerText"
            ".match(/Running/i)",
            timeout=TIMEOUT_MS, polling=20,
        )
        return time.perf_counter() - start
    finally:
        context.close()


def browser_timings(runs: int) -> Dict[str, List[float]]:
    from playwright.sync_api import sync_playwright

    results: Dict[str, List[float]] = {}
    port = free_port()
    with tempfile.TemporaryFile() as log:
        server = start_server(port, log)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                                     args=CHROMIUM_ARGS)
                url = f"http://127.0.0.1:{port}"
                first_label, first_file = next(iter(REPORTS.items()))
                results["cold: " + first_label] = [
                    upload_and_wait(browser, url, report_pdf(first_file))]
                for label, name in REPORTS.items():
                    pdf = report_pdf(name)
                    results["warm: " + label] = [
                        upload_and_wait(browser, url, pdf) for _ in range(runs)]
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=15)
    return results


def apptest_timings(runs: int) -> Dict[str, List[float]]:
    from streamlit.testing.v1 import AppTest

    # Quiet output: bare-mode notices of Streamlit and Altair's theme deprecation notice.
    for name in list(logging.root.manager.loggerDict):
        if name.startswith("streamlit"):
            logging.getLogger(name).setLevel(logging.ERROR)
    warnings.simplefilter("ignore", DeprecationWarning)

    def one_run(name: str) -> float:
        page = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=300)
        page.run()
        page.radio(key="source").set_value("sample")
        page.run()
        page.selectbox(key="sample").set_value(Path(name).stem)
        start = time.perf_counter()
        page.run()
        elapsed = time.perf_counter() - start
        if page.exception or not page.get("html"):
            raise RuntimeError(f"the page did not render {name}")
        return elapsed

    results: Dict[str, List[float]] = {}
    first_label, first_file = next(iter(REPORTS.items()))
    results["cold: " + first_label.replace("PDF", "text")] = [one_run(first_file)]
    for label, name in REPORTS.items():
        results["warm: " + label.replace("PDF", "text")] = [one_run(name) for _ in range(runs)]
    return results


def show(title: str, results: Dict[str, List[float]]) -> None:
    print(f"\n{title}")
    for label, values in results.items():
        if len(values) == 1:
            print(f"  {label:<42} {values[0]:6.2f} s")
        else:
            print(f"  {label:<42} median {statistics.median(values):5.2f} s  "
                  f"(min {min(values):.2f}, max {max(values):.2f}, n={len(values)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="warm runs per report")
    parser.add_argument("--skip-browser", action="store_true")
    parser.add_argument("--skip-apptest", action="store_true")
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    if not args.skip_browser:
        if not Path(CHROMIUM).exists():
            sys.exit(f"{CHROMIUM} is missing: install Debian's chromium, or use --skip-browser")
        show("Browser: upload -> page complete (Chromium, streamlit run)",
             browser_timings(args.runs))
    if not args.skip_apptest:
        show("AppTest: one script run with a sample report (no browser)",
             apptest_timings(args.runs))


if __name__ == "__main__":
    main()
