"""Text of a PDF with pypdf, within budgets: the decompressed page content, the characters and
the time of extraction are counted while the text comes out (a small file can hold a huge
drawing). A PDF whose pages are only images gives blank text: the readers then use OCR."""
from __future__ import annotations

import io
import logging
import struct
import time
import zlib
from typing import Any, Iterator

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from nlp.inputs.errors import ReadError
from nlp.limits import MAX_CHARS

# Budgets of PDF text extraction (see _page_texts): a report of 30 pages has under 2 MB of
# page content; reading one takes well under a second.
MAX_PDF_INSTRUCTION_BYTES = 20 * 1024 * 1024
MAX_PDF_SECONDS = 20.0
# pypdf raises builtin exceptions, not only its own, on malformed files.
_PDF_ERRORS = (
    PyPdfError,
    ValueError,
    NameError,  # UnboundLocalError on some damaged cross-reference tables
    NotImplementedError,
    TypeError,
    KeyError,
    IndexError,
    AttributeError,
    AssertionError,
    ArithmeticError,
    RecursionError,
    zlib.error,
    struct.error,
)
# pypdf logs warnings about repaired files ("EOF marker not found"). Without a handler on
# its logger, Python's last-resort handler would print them on stderr, around the one clear
# line the command line promises. Records still reach any handler the application sets up.
logging.getLogger("pypdf").addHandler(logging.NullHandler())


def read_pdf_text(data: bytes, filename: str) -> str:
    """The text of a PDF's pages joined with blank lines; blank for a scan (pages of images).

    Raises:
        ReadError: If the PDF is encrypted, damaged or past a budget.
    """
    try:
        reader = PdfReader(io.BytesIO(data))
        _unlock(reader, filename)
        pages = list(_page_texts(reader, filename))
    except _OverBudget as e:
        raise ReadError(e.code, filename, detail=str(e)) from e
    except _PDF_ERRORS as e:
        raise ReadError("corrupt_pdf", filename, detail=f"{type(e).__name__}: {e}") from e
    if not pages:
        raise ReadError("corrupt_pdf", filename, detail="no pages")
    return "\n\n".join(pages)


class _OverBudget(BaseException):
    """Extraction went past a budget. A BaseException, so that pypdf's ``except Exception``
    recovery paths let it through."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code


def _page_texts(reader: PdfReader, filename: str) -> Iterator[str]:
    """The text of each page, checked against the budgets while it is extracted.

    The size of a PDF says little about the work in it: 70 KB can hold 70 MB of compressed
    drawing instructions (gigabytes once parsed), and a few shared streams drawn again and
    again can give millions of characters. So the decompressed instructions are counted
    before a page is parsed, and the characters and the time while its text comes out.
    """
    instructions_left = MAX_PDF_INSTRUCTION_BYTES
    chars_left = MAX_CHARS
    deadline = time.monotonic() + MAX_PDF_SECONDS

    def count(text: str, *args: Any) -> None:
        nonlocal chars_left
        chars_left -= len(text)
        if chars_left < 0:
            raise _OverBudget("too_long", f"more than {MAX_CHARS} characters")
        if time.monotonic() > deadline:
            raise _OverBudget("pdf_too_complex", f"more than {MAX_PDF_SECONDS} s")

    for page in reader.pages:
        contents = page.get_contents()
        instructions_left -= len(contents.get_data()) if contents is not None else 0
        if instructions_left < 0:
            raise _OverBudget(
                "pdf_too_complex", f"more than {MAX_PDF_INSTRUCTION_BYTES} bytes of page content"
            )
        yield page.extract_text(visitor_text=count) or ""


def _unlock(reader: PdfReader, filename: str) -> None:
    """Open an encrypted PDF with the empty password (owner-only protection), or refuse."""
    if not reader.is_encrypted:
        return
    try:
        unlocked = reader.decrypt("")
    except PyPdfError as e:  # e.g. AES without the optional cryptography package
        raise ReadError("encrypted_pdf", filename, detail=str(e)) from e
    if not unlocked:
        raise ReadError("encrypted_pdf", filename, detail="needs a password")
