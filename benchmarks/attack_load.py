"""One attacker and ten ordinary visitors at once: does the page stay served? (issue 16)

Starts ``python -m nlp.page`` (as served: ``.streamlit/config.toml``, the guarded worker
pool of nlp/page/guard.py) on a free localhost port, then:

1. *baseline*: ``--visitors`` sessions open different example reports at once
   (``?sample=<stem>``, Streamlit's websocket protocol, tests/streamlit_client.py);
2. *under attack*: a real Chromium page pastes the attack text (``--attack``) into the page
   and presses the button; one second later the same visitors open their reports again.

For each phase: how many visitors saw their own report, their median and worst time to a
complete page, and for the attacker the seconds until the page showed its message. The
attack texts are the inputs that froze the unguarded page: a run of one punctuation
character (quadratic in spaCy's tokenizer) and a run of zero-width spaces.

Run::

    .venv/bin/python benchmarks/attack_load.py                  # '+' x 16,000, 10 visitors
    .venv/bin/python benchmarks/attack_load.py --attack zwsp --length 16000
"""
from __future__ import annotations

import argparse
import asyncio
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
    analysis_missing,
    memory_mb,
    open_pages,
    streamlit_server,
    visits,
)

ATTACKS = {"plus": "+", "zwsp": "\u200b", "dot": "."}
CHROMIUM = "/usr/bin/chromium"


def attack_text(kind: str, length: int) -> str:
    return "MRI lumbar spine. " + ATTACKS[kind] * length + " No fracture."


def run_attacker(port: int, text: str, result: dict) -> None:
    """Paste the attack text in a real browser and wait for the page's answer."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="en-GB")
        page.goto(f"http://127.0.0.1:{port}/")
        page.get_by_role("heading", name="Understand your spine MRI report").wait_for(timeout=60_000)
        page.locator("textarea").first.fill(text)
        started = time.monotonic()
        result["pressed"] = True
        page.get_by_role("button", name="Explain my report").click()
        # The page's answer: its message for an input past the deadline, or (an input
        # that is not slow) the annotated report.
        answer = page.get_by_text("took too long").or_(page.locator(".sf-report")).first
        answer.wait_for(timeout=180_000)
        result["seconds"] = time.monotonic() - started
        result["shown"] = answer.inner_text()[:120].replace("\n", " ")
        browser.close()


def visit_round(port: int, count: int):
    plan = visits(count)
    runs, wall = asyncio.run(open_pages(port, [(s.query_string, b) for s, b in plan]))
    ok = sum(1 for run, (sample, _) in zip(runs, plan)
             if run.finished and not run.exceptions and not analysis_missing(run, sample))
    times = [run.seconds for run in runs if run.finished]
    return ok, times, wall


def row(name: str, count: int, ok: int, times: List[float], wall: float) -> str:
    median = statistics.median(times) if times else float("nan")
    worst = max(times) if times else float("nan")
    return f"{name:<14} {count:>8} {ok:>4} {median:>9.2f} {worst:>8.2f} {wall:>7.2f}"


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--visitors", type=int, default=10)
    parser.add_argument("--attack", choices=sorted(ATTACKS), default="plus")
    parser.add_argument("--length", type=int, default=16_000)
    args = parser.parse_args(argv)
    text = attack_text(args.attack, args.length)
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs; {args.visitors} visitors; "
          f"attack: {args.attack!r} x {args.length:,} ({len(text):,} characters, pasted)")
    with streamlit_server() as server:
        visit_round(server.port, 2)  # warm: the workers build their pipelines
        baseline = visit_round(server.port, args.visitors)
        result: dict = {}
        attacker = threading.Thread(target=run_attacker, args=(server.port, text, result))
        attacker.start()
        deadline = time.monotonic() + 120
        while "pressed" not in result and attacker.is_alive() and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1.0)
        attacked = visit_round(server.port, args.visitors)
        attacker.join(240)
        rss = memory_mb(server.pid)
    print(f"\n{'phase':<14} {'visitors':>8} {'ok':>4} {'median s':>9} {'worst s':>8} {'wall s':>7}")
    print(row("baseline", args.visitors, *baseline))
    print(row("under attack", args.visitors, *attacked))
    print(f"attacker: answer after {result.get('seconds', float('nan')):.1f} s: {result.get('shown')!r}")
    print(f"server RSS {rss[0]:.0f} MB (peak {rss[1]:.0f} MB; the workers are separate processes)")
    if attacked[0] != args.visitors or "seconds" not in result:
        sys.exit(1)


if __name__ == "__main__":
    main()
