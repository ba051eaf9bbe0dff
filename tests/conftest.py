"""Shared fixtures: the analyser pipelines are built once per test session."""
from __future__ import annotations

from pathlib import Path

import pytest

import nlp

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def nlp_en():
    """The English analyser pipeline (``nlp.load("en")``)."""
    return nlp.load("en")


@pytest.fixture(scope="session")
def nlp_nl():
    """The Dutch analyser pipeline (``nlp.load("nl")``)."""
    return nlp.load("nl")


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository root (the directory holding ``nlp/`` and ``lexicons/``)."""
    return REPO_ROOT
