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

import io
import logging
import re
import struct
import time
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import docx
from docx.document import Document as DocxDocument
from docx.opc.exceptions import OpcError
from docx.oxml.parser import parse_xml
from lxml.etree import LxmlError
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from nlp.inputs import ocr
from nlp.limits import MAX_CHARS
from nlp.lexicon import LANGUAGES, LexiconError, load_yaml

SUPPORTED_EXTENSIONS = (".txt", ".pdf", ".docx")
MAX_BYTES = 10 * 1024 * 1024
# Budgets of PDF text extraction (see _page_texts): a report of 30 pages has under 2 MB of
# page content; reading one takes well under a second.
MAX_PDF_INSTRUCTION_BYTES = 20 * 1024 * 1024
MAX_PDF_SECONDS = 20.0
# Zip bomb guard for .docx, on the sizes the archive declares (zipfile never inflates a
# member beyond its declared size, so the declared sizes bound what python-docx reads).
MAX_DOCX_UNPACKED = 50 * 1024 * 1024
MAX_DOCX_RATIO = 100
DOCX_RATIO_FLOOR = 10 * 1024 * 1024
# A text is binary when more than this share of its characters are control characters
# other than tab, line feed, vertical tab, form feed and carriage return. A few stray NULs
# keep a text a text (they are returned as they are).
MAX_CONTROL_SHARE = 0.10

ERROR_CODES = (
    "empty",
    "too_large",
    "binary",
    "unsupported_type",
    "not_pdf",
    "encrypted_pdf",
    "scanned_pdf",
    "corrupt_pdf",
    "corrupt_docx",
    "docx_too_large",
    "missing_file",
    "too_long",
    "pdf_too_complex",
    *ocr.ERROR_CODES,
)

_PDF_MAGIC = b"%PDF-"
# Acrobat accepts the header anywhere in the first 1024 bytes; so does this reader for a
# file named .pdf.
_PDF_HEADER_WINDOW = 1024
_ZIP_MAGIC = b"PK\x03\x04"
_DOCX_MAIN_PART = "word/document.xml"
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
# Read budget of the PDF parser (see _GuardedStream). A sound PDF takes far fewer reads
# than it has bytes (0.01 to 0.15 per byte on the PDFs measured) and reads past its end a
# few times.
_PDF_READS_BASE = 100_000
_PDF_READS_PER_BYTE = 1
_PDF_READS_PAST_END = 1_000
# pypdf raises builtin exceptions, not only its own, on malformed files.
_PDF_ERRORS = (
    PyPdfError,
    ValueError,
    NameError,  # UnboundLocalError on some damaged cross-reference tables (pypdf 5.1)
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
# zipfile on a damaged archive (an unknown method or version in a header, bad deflate data),
# and python-docx on a package with missing or malformed parts.
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError, OSError)
_DOCX_ERRORS = (OpcError, LxmlError, KeyError, TypeError, AttributeError, IndexError, *_ZIP_ERRORS)

# pypdf logs warnings about repaired files ("EOF marker not found"). Without a handler on
# its logger, Python's last-resort handler would print them on stderr, around the one clear
# line the command line promises. Records still reach any handler the application sets up.
logging.getLogger("pypdf").addHandler(logging.NullHandler())


class _ParserRunaway(BaseException):
    """The PDF parser read far more than the file holds: it is stuck on a damaged file.

    A BaseException, so that pypdf's ``except Exception`` recovery paths let it through.
    """


class _GuardedStream(io.BytesIO):
    """The PDF bytes as a stream that stops a parser stuck in a loop.

    pypdf 5.1 can loop forever, filling memory, on some damaged files: it keeps reading at
    the end of the stream (fixed upstream after 5.1: py-pdf/pypdf#2928, #2937, #3169). Once
    the read budget is spent every read raises, so no recovery path can loop either.
    """

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self._reads_left = _PDF_READS_BASE + _PDF_READS_PER_BYTE * len(data)
        self._reads_past_end_left = _PDF_READS_PAST_END
        self.runaway = False

    def read(self, size: int | None = -1) -> bytes:
        """Read like ``BytesIO.read``, counting down the budget.

        Raises:
            _ParserRunaway: Once the parser read far more than a sound file needs.
        """
        chunk = super().read(size)
        self._reads_left -= 1
        if size is not None and size > 0 and len(chunk) < size:
            self._reads_past_end_left -= 1
        if self._reads_left < 0 or self._reads_past_end_left < 0:
            self.runaway = True
            raise _ParserRunaway("the PDF parser is stuck in a loop (damaged file)")
        return chunk


class ReadError(Exception):
    """An input that cannot be turned into report text.

    Attributes:
        code: What went wrong, one of :data:`ERROR_CODES`.
        filename: The file as the user named it (may be empty).
        detail: Technical cause for logs (e.g. the parser's message), or None.
    """

    def __init__(self, code: str, filename: str = "", detail: str | None = None) -> None:
        """Create the error.

        Args:
            code: One of :data:`ERROR_CODES`.
            filename: The file as the user named it.
            detail: Technical cause for logs, never shown as the message.

        Raises:
            ValueError: If ``code`` is not a known error code.
        """
        if code not in ERROR_CODES:
            raise ValueError(f"Unknown read error code {code!r} (known: {', '.join(ERROR_CODES)}).")
        super().__init__(code, filename, detail)
        self.code = code
        self.filename = filename
        self.detail = detail

    def message(self, lang: str = "en") -> str:
        """A short sentence saying what went wrong and what to do.

        Args:
            lang: ``"en"`` or ``"nl"``; any other value gives English.

        Returns:
            The message from ``lexicons/messages.yaml`` with the file name filled in.
        """
        lang = lang if lang in LANGUAGES else "en"
        messages = read_error_messages()
        filename = self.filename or messages["input_name"][lang]
        return messages["read_errors"][self.code][lang].format(
            filename=filename,
            max_mb=MAX_BYTES // (1024 * 1024),
            max_docx_mb=MAX_DOCX_UNPACKED // (1024 * 1024),
            max_chars=f"{MAX_CHARS:,}",
            max_megapixels=ocr.MAX_PIXELS // 1_000_000,
            max_pages=ocr.MAX_PAGES,
            install=ocr.INSTALL_HINT,
        )

    def __str__(self) -> str:
        return self.message("en")


def read_error_messages() -> dict[str, Any]:
    """The messages of ``lexicons/messages.yaml``, checked for every code and language.

    Returns:
        The parsed file (``input_name`` and ``read_errors``).

    Raises:
        LexiconError: If the file lacks a code, a language or the ``input_name`` entry.
    """
    data = load_yaml("messages.yaml")
    where = "lexicons/messages.yaml"
    if not isinstance(data, dict) or not isinstance(data.get("read_errors"), dict):
        raise LexiconError(f"{where}: missing the 'read_errors' mapping.")
    entries = {"input_name": data.get("input_name")}
    entries.update({f"read_errors.{code}": data["read_errors"].get(code) for code in ERROR_CODES})
    for key, entry in entries.items():
        missing = [lang for lang in LANGUAGES if not isinstance(entry, dict) or not entry.get(lang)]
        if missing:
            raise LexiconError(f"{where}: '{key}' has no text for {', '.join(missing)}.")
    return data


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
        return _read_pdf(data, filename)
    if data.startswith(_ZIP_MAGIC) and (extension == ".docx" or _has_docx_part(data)):
        return Document(_read_docx(data, filename))
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


def _has_docx_part(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return _DOCX_MAIN_PART in archive.namelist()
    except _ZIP_ERRORS:
        return False


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


# --- PDF --------------------------------------------------------------------------------


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


def _read_pdf(data: bytes, filename: str) -> Document:
    stream = _GuardedStream(data)
    try:
        reader = PdfReader(stream)
        _unlock(reader, filename)
        pages = list(_page_texts(reader, filename))
    except _OverBudget as e:
        raise ReadError(e.code, filename, detail=str(e)) from e
    except (_ParserRunaway, *_PDF_ERRORS) as e:
        raise ReadError("corrupt_pdf", filename, detail=f"{type(e).__name__}: {e}") from e
    if stream.runaway:
        raise ReadError("corrupt_pdf", filename, detail="the parser got stuck and gave up")
    if not pages:
        raise ReadError("corrupt_pdf", filename, detail="no pages")
    text = "\n\n".join(pages)
    if not text.strip():  # a scan: its pages are images
        return _read_by_ocr(ocr.read_pdf, data, filename)
    return Document(text)


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


# --- DOCX -------------------------------------------------------------------------------


def _read_docx(data: bytes, filename: str) -> str:
    _check_unpacked_size(data, filename)
    try:
        document = docx.Document(io.BytesIO(data))
        text = "\n".join(_docx_lines(document))
    except _DOCX_ERRORS as e:
        raise ReadError("corrupt_docx", filename, detail=f"{type(e).__name__}: {e}") from e
    if not text.strip():
        raise ReadError("empty", filename)
    return text


def _check_unpacked_size(data: bytes, filename: str) -> None:
    """Refuse a zip bomb before unpacking, from the sizes the archive declares."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except _ZIP_ERRORS as e:
        raise ReadError("corrupt_docx", filename, detail=str(e)) from e
    unpacked = sum(member.file_size for member in members)
    packed = max(1, sum(member.compress_size for member in members))
    too_big = unpacked > MAX_DOCX_UNPACKED
    too_compressed = unpacked > DOCX_RATIO_FLOOR and unpacked > MAX_DOCX_RATIO * packed
    if too_big or too_compressed:
        raise ReadError(
            "docx_too_large", filename, detail=f"{unpacked} bytes unpacked from {packed}"
        )


# WordprocessingML, read from the XML itself: python-docx's ``paragraph.text`` leaves out
# runs inside tracked insertions (w:ins), content controls (w:sdt), smart tags, fields,
# custom XML and text boxes, so a "No" typed with track changes on was lost and the finding
# after it read as present.
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_PARAGRAPH, _TABLE, _ROW, _CELL = _W + "p", _W + "tbl", _W + "tr", _W + "tc"
_TEXT_BOX = _W + "txbxContent"
_CHARACTERS = {_W + "t": None, _W + "tab": "\t", _W + "br": "\n", _W + "cr": "\n",
               _W + "noBreakHyphen": "-"}
# Not the document's current text: deleted or moved-away runs, field instructions
# ("PAGE \\* MERGEFORMAT"), properties; and the fallback copy of a text box.
_SKIPPED = {_W + "del", _W + "moveFrom", _W + "instrText", _W + "delInstrText", _W + "pPr",
            _W + "rPr", _W + "sdtPr", _W + "tblPr", _W + "trPr", _W + "tcPr", _MC_FALLBACK}
# Parts with text besides the body, in reading order around it.
_BEFORE_BODY = ("/word/header",)
_AFTER_BODY = ("/word/footnotes", "/word/endnotes", "/word/footer")


def _docx_lines(document: DocxDocument) -> Iterator[str]:
    """Every line of text the document shows: headers, the body (paragraphs, tables,
    text boxes), footnotes, endnotes and footers, in that order."""
    parts = sorted(document.part.package.iter_parts(), key=lambda part: str(part.partname))
    for prefix in _BEFORE_BODY:
        yield from _part_lines(parts, prefix)
    yield from _block_lines(document.element.body)
    for prefix in _AFTER_BODY:
        yield from _part_lines(parts, prefix)


def _part_lines(parts: list, prefix: str) -> Iterator[str]:
    seen = set()
    for part in parts:
        if str(part.partname).startswith(prefix):
            lines = tuple(line for line in _block_lines(parse_xml(part.blob)) if line.strip())
            if lines not in seen:  # first-page and default headers often repeat each other
                seen.add(lines)
                yield from lines


def _block_lines(element: Any) -> Iterator[str]:
    """Lines of the paragraphs and tables in ``element``, through any wrapper around them."""
    for child in element:
        if child.tag in _SKIPPED:
            continue
        if child.tag == _PARAGRAPH:
            yield from _paragraph_lines(child)
        elif child.tag == _TABLE:
            yield from _table_lines(child)
        else:  # w:sdt, w:sdtContent, w:customXml, w:ins ... around blocks
            yield from _block_lines(child)


def _paragraph_lines(paragraph: Any) -> Iterator[str]:
    """The paragraph's own text as one line, then the lines of its text boxes."""
    pieces: list[str] = []
    boxes: list[Any] = []
    _collect(paragraph, pieces, boxes)
    yield "".join(pieces)
    for box in boxes:
        yield from _block_lines(box)


def _collect(element: Any, pieces: list[str], boxes: list[Any]) -> None:
    for child in element:
        tag = child.tag
        if tag in _SKIPPED:
            continue
        if tag == _TEXT_BOX:
            boxes.append(child)
        elif tag in _CHARACTERS:
            pieces.append(child.text or "" if _CHARACTERS[tag] is None else _CHARACTERS[tag])
        else:
            _collect(child, pieces, boxes)


def _table_lines(table: Any) -> list[str]:
    """One line per row, its cells joined by tabs (a nested table's rows inside its cell).

    A merged cell is one ``w:tc`` in the XML (spanning columns, or continued below with
    an empty ``w:vMerge`` cell), so its text is given once and a finding is not counted twice.
    """
    lines = []
    for row in table.iter(_ROW):
        if _nearest(row, _TABLE) is not table:
            continue  # a row of a nested table: read with its cell
        cells = [cell for cell in row if cell.tag == _CELL]
        texts = [" ".join(line for line in _block_lines(cell) if line) for cell in cells]
        texts = [text for text in texts if text]
        if texts:
            lines.append("\t".join(texts))
    return lines


def _nearest(element: Any, tag: str) -> Any:
    parent = element.getparent()
    while parent is not None and parent.tag != tag:
        parent = parent.getparent()
    return parent
