"""Table cells that are safe to open in a spreadsheet (one rule for every CSV we write).

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a
formula by Excel, LibreOffice and Google Sheets (OWASP "CSV injection"). Such a cell gets a
leading apostrophe, which spreadsheets show as text and hide. A cell that already starts with
an apostrophe gets one more, so that :func:`restore` gives back exactly what was written
(the batch command reads its own CSV again on ``--resume``).
"""
from __future__ import annotations

from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")


def defuse(value: Any) -> Any:
    """``value`` as a cell that no spreadsheet runs as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def restore(value: Any) -> Any:
    """The value that :func:`defuse` was given."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value


def csv_cell(value: Any) -> Any:
    """A finding's value as a CSV cell: a list of levels joined with ";", None empty, defused."""
    if isinstance(value, list):
        return defuse(";".join(value))
    return "" if value is None else defuse(value)
