"""Text of a Word (.docx) document, read from its XML (python-docx opens the package): tracked
insertions, fields, content controls and text boxes included, deleted text left out; a zip
bomb is refused from the sizes the archive declares, before anything is unpacked."""
from __future__ import annotations

import io
import zipfile
import zlib
from typing import Any, Iterator

import docx
from docx.document import Document as DocxDocument
from docx.opc.exceptions import OpcError
from docx.oxml.parser import parse_xml
from lxml.etree import LxmlError

from nlp.inputs.errors import ReadError
from nlp.limits import MAX_DOCX_UNPACKED

MAX_DOCX_RATIO = 100
DOCX_RATIO_FLOOR = 10 * 1024 * 1024
DOCX_MAIN_PART = "word/document.xml"
# zipfile on a damaged archive (an unknown method or version in a header, bad deflate data),
# and python-docx on a package with missing or malformed parts.
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError, OSError)
_DOCX_ERRORS = (OpcError, LxmlError, KeyError, TypeError, AttributeError, IndexError, *ZIP_ERRORS)


def has_docx_part(data: bytes) -> bool:
    """True for a zip archive that holds a Word document's main part."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return DOCX_MAIN_PART in archive.namelist()
    except ZIP_ERRORS:
        return False


def read_docx(data: bytes, filename: str) -> str:
    """The text of a Word document: its paragraphs and table rows, one a line (headers first,
    footnotes and footers last), read from the XML so that no typed text is lost.

    Raises:
        ReadError: If the archive is damaged, too large once unpacked, or holds no text.
    """
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
    except ZIP_ERRORS as e:
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
