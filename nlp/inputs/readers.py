"""Turn an uploaded or named file into report text, or say clearly why not.

The type is decided by content first (PDF header, a zip holding ``word/document.xml``) and by
the extension second, so a renamed file is caught. Text files are decoded (UTF-8, UTF-8 or
UTF-16 with a byte order mark, else Windows-1252) and otherwise returned untouched: the
analyser's character offsets refer to exactly the string returned here.

Every failure is a :class:`ReadError` with a ``code`` and a human message in English or
Dutch from ``lexicons/messages.yaml``::

    try:
        text = read_path("verslag.pdf")
    except ReadError as err:
        show(err.message("nl"))
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nlp.inputs import ocr
from nlp.inputs.errors import ERROR_CODES, ReadError, read_error_messages  # noqa: F401  (the readers' API)
from nlp.inputs.pdf import MAX_PDF_INSTRUCTION_BYTES, read_pdf_text  # noqa: F401
from nlp.inputs.word import has_docx_part, read_docx
from nlp.limits import MAX_BYTES, MAX_CHARS, MAX_DOCX_UNPACKED  # noqa: F401

SUPPORTED_EXTENSIONS = (".txt", ".pdf", ".docx")
# A text is binary when more than this share of its characters are control characters
# other than tab, line feed, vertical tab, form feed and carriage return. A few stray NULs
# keep a text a text (they are returned as they are).
MAX_CONTROL_SHARE = 0.10

_PDF_MAGIC = b"%PDF-"
# Acrobat accepts the header anywhere in the first 1024 bytes; so does this reader for a
# file named .pdf.
_PDF_HEADER_WINDOW = 1024
_ZIP_MAGIC = b"PK\x03\x04"
# Formats people upload instead of a report text: recognised to give the right error.
_OTHER_FORMATS: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE2 file (old .doc, .xls, .msg)"),
    (b"{\\rtf", "RTF document"),
    (_ZIP_MAGIC, "zip archive"),
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
def read_path(path: str | Path) -> str:
    """Read a .txt, .pdf or .docx file into report text.

    Args:
        path: The file; its name as given is used in error messages.

    Returns:
        The report text (see :func:`read_bytes`).

    Raises:
        ReadError: If the file is missing or unreadable, or :func:`read_bytes` refuses it.
    """
    filename = str(path)
    try:
        with Path(path).open("rb") as f:
            # One byte more than allowed is enough to know the file is too large.
            data = f.read(MAX_BYTES + 1)
    except OSError as e:
        raise ReadError("missing_file", filename, detail=str(e)) from e
    return read_bytes(data, filename)


@dataclass(frozen=True)
class Document:
    """The text read from a file, and how it was read.

    Attributes:
        text: The report text (as :func:`read_bytes` returns it).
        ocr: True when the text was read from images (a photo or a scanned PDF) by OCR, which
            can misread: show it for checking and editing before the analysis.
        pages: The pages (images) OCR read; 0 when the file held text.
        confidence: OCR's mean word confidence (0 to 100), None when the file held text.
    """

    text: str
    ocr: bool = False
    pages: int = 0
    confidence: float | None = None


def read_document(data: bytes, filename: str) -> Document:
    """Turn the bytes of a .txt, .pdf, .docx file or a photo (.png, .jpg, .heic) into report text.

    Images and PDFs without text (scans) are read by OCR (:mod:`nlp.inputs.ocr`).

    Raises:
        ReadError: As :func:`read_bytes`.
    """
    document = _read_any(data, filename)
    if len(document.text) > MAX_CHARS:
        # The analyser takes at most MAX_CHARS characters; say so here, where the person
        # can still be told what to do, rather than fail later.
        raise ReadError("too_long", filename, detail=f"{len(document.text)} characters")
    return document


def read_bytes(data: bytes, filename: str) -> str:
    """Turn the bytes of a .txt, .pdf, .docx file or a photo into report text.

    Args:
        data: The file's content.
        filename: Its name, for the extension and for error messages (may be empty).

    Returns:
        The text: a text file decoded but otherwise unchanged; a PDF's pages joined with
        ``"\\n\\n"``; a Word document's paragraphs and table rows joined with ``"\\n"``;
        an image's or scan's text as OCR read it (see :func:`read_document`).

    Raises:
        ReadError: If the input is empty, too large, not text, of an unsupported type,
            encrypted or damaged, or a scan or photo OCR cannot read.
    """
    return read_document(data, filename).text


def _read_any(data: bytes, filename: str) -> Document:
    if len(data) > MAX_BYTES:
        raise ReadError("too_large", filename, detail=f"{len(data)} bytes or more")
    if not data.strip():
        raise ReadError("empty", filename)
    extension = Path(filename).suffix.lower()
    if _is_pdf(data, extension):
        text = read_pdf_text(data, filename)
        if not text.strip():  # a scan: its pages are images
            return _read_by_ocr(ocr.read_pdf, data, filename)
        return Document(text)
    if data.startswith(_ZIP_MAGIC) and (extension == ".docx" or has_docx_part(data)):
        return Document(read_docx(data, filename))
    other = _other_format(data)
    if extension == ".pdf":
        raise ReadError("not_pdf", filename, detail=other or "no PDF header")
    if extension == ".docx":
        raise ReadError("corrupt_docx", filename, detail=other or "not a zip archive")
    if ocr.image_format(data):
        return _read_by_ocr(ocr.read_image, data, filename)
    if other:
        raise ReadError("unsupported_type", filename, detail=other)
    return Document(_read_text(data, filename))


def _is_pdf(data: bytes, extension: str) -> bool:
    if data.startswith(_PDF_MAGIC):
        return True
    return extension == ".pdf" and _PDF_MAGIC in data[:_PDF_HEADER_WINDOW]


def _other_format(data: bytes) -> str | None:
    for magic, name in _OTHER_FORMATS:
        if data.startswith(magic):
            return name
    return None


# --- text -------------------------------------------------------------------------------


def _read_text(data: bytes, filename: str) -> str:
    text = _decode(data)
    if text is None:
        raise ReadError("binary", filename, detail="not UTF-8, UTF-16 or Windows-1252")
    controls = len(_CONTROL_RE.findall(text))
    if controls > MAX_CONTROL_SHARE * len(text):
        raise ReadError("binary", filename, detail=f"{controls} control characters")
    if not text.strip():
        raise ReadError("empty", filename)
    return text


def _decode(data: bytes) -> str | None:
    """Decode a text file; only a byte order mark is removed. None if it is no text."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            body = data[len(bom):]
            if codec == "utf-8":
                return _try_decode(body, "utf-8") or _try_decode(body, "cp1252")
            return _try_decode(body, codec)
    return _try_decode(data, "utf-8") or _try_decode(data, "cp1252")


def _try_decode(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


# --- photos and scans ----------------------------------------------------------------


_PDF_OCR_CODES = {"no_text_in_image": "scanned_pdf", "corrupt_image": "corrupt_pdf"}


def _read_by_ocr(read: Any, data: bytes, filename: str) -> Document:
    """A photo or scan read by ``ocr.read_image`` or ``ocr.read_pdf``; its failures as ReadErrors.

    A scanned PDF keeps the PDF's codes: ``scanned_pdf`` when OCR finds no text in it,
    ``corrupt_pdf`` when its pages cannot be drawn.
    """
    try:
        result = read(data)
    except ocr.OcrError as e:
        code = _PDF_OCR_CODES.get(e.code, e.code) if read is ocr.read_pdf else e.code
        raise ReadError(code, filename, detail=e.detail) from e
    return Document(result.text, ocr=True, pages=result.pages, confidence=result.confidence)


# --- DOCX -------------------------------------------------------------------------------

