"""Limits shared by the analyser, the readers and the page: sizes, and the one age check."""
from typing import Optional


# About 400 pages of text: far beyond any report, small enough to analyse in seconds.
MAX_CHARS = 2_000_000

# The largest file the readers take (a report, a scan of a few pages or a phone photo).
MAX_BYTES = 10 * 1024 * 1024
# Zip bomb guard for .docx, on the sizes the archive declares (zipfile never inflates a
# member beyond its declared size, so the declared sizes bound what python-docx reads).
MAX_DOCX_UNPACKED = 50 * 1024 * 1024

# Words a per-word cache keeps (matcher specs, lexical facts, sides, level notation): reports
# share most of their words; a cache this full is emptied rather than left to grow.
MAX_CACHED_WORDS = 200_000

# New strings (words and their forms) a shared pipeline's vocabulary may take on before
# nlp.load builds the pipeline again: some 150 MB with the analyser's own word caches
# (benchmarks/memory_growth.py), or tens of thousands of real reports.
MAX_NEW_STRINGS = 250_000

# The oldest age the analyser takes (the page's age box stops here too).
MAX_AGE = 120


def valid_age(age: object) -> Optional[int]:
    """``age`` if it is None or a whole number from 0 to MAX_AGE; else ValueError saying so."""
    if age is not None and (isinstance(age, bool) or not isinstance(age, int) or not 0 <= age <= MAX_AGE):
        raise ValueError(f"Age must be a whole number from 0 to {MAX_AGE}, not {age!r}.")
    return age
