"""One page server for every browser test (session-scoped: it builds the pipelines, which
costs seconds) and one Chromium per test module (module-scoped: Playwright's sync API allows
one instance at a time, and a module may bring its own).

The server is ``python -m nlp.page`` on a free port (tests/streamlit_client.py); the browser
is the system Chromium (``/usr/bin/chromium``) driven by Playwright. CI (.ci/run) sets
REQUIRE_BROWSER=1: there, a missing browser is a failure, never a silent skip.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

import pytest

from tests.streamlit_client import streamlit_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

if os.environ.get("REQUIRE_BROWSER") and not Path(CHROMIUM).exists():
    raise RuntimeError(f"{CHROMIUM} is required (REQUIRE_BROWSER is set) but not installed")


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    """The page, served by a fresh ``python -m nlp.page`` on a free port."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with streamlit_server() as running:
        yield f"http://127.0.0.1:{running.port}"


@pytest.fixture(scope="module")
def playwright():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as instance:
        yield instance


@pytest.fixture(scope="module")
def browser(playwright):
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()
