"""Builders for PDF and DOCX test inputs, made in code so tests need no binary files.

Shared by the reader, CLI, app and browser tests::

    from tests.fixtures import make_docx, make_pdf

    (tmp_path / "report.pdf").write_bytes(make_pdf(["Discushernia L4-L5 links"]))
"""
from __future__ import annotations

import io
import zipfile
from typing import Dict, Optional, Sequence

import docx
from pypdf import PdfReader, PdfWriter

# A page of US-letter size; the first line starts 1 inch from the left and top.
_PAGE_BOX = "[0 0 612 792]"
_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
_LINE_HEIGHT = 14


def make_pdf(lines: Sequence[str]) -> bytes:
    """A one-page PDF with a text layer holding ``lines``, one text line each.

    Args:
        lines: The text lines; an empty sequence gives a page without text (like a scan).

    Returns:
        The bytes of a valid PDF 1.4 file (Helvetica, WinAnsiEncoding, correct xref).
    """
    return make_pdf_pages([lines])


def make_pdf_pages(pages: Sequence[Sequence[str]]) -> bytes:
    """A PDF with one page per item of ``pages``, each holding its text lines.

    Args:
        pages: For each page, its text lines (characters outside Windows-1252 are not
            supported).

    Returns:
        The bytes of a valid PDF 1.4 file.
    """
    font_id = 3
    page_ids = [4 + 2 * i for i in range(len(pages))]
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join(b"%d 0 R" % i for i in page_ids), len(pages)),
        font_id: _FONT,
    }
    for page_id, lines in zip(page_ids, pages):
        stream = _content_stream(lines)
        objects[page_id] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox %s /Resources << /Font << /F1 %d 0 R >> >> "
            b"/Contents %d 0 R >>" % (_PAGE_BOX.encode(), font_id, page_id + 1)
        )
        objects[page_id + 1] = (
            b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream)
        )
    return _serialise(objects)


def _content_stream(lines: Sequence[str]) -> bytes:
    if not lines:
        return b""
    parts = [b"BT /F1 12 Tf 72 712 Td"]
    for i, line in enumerate(lines):
        if i:
            parts.append(b"0 -%d Td" % _LINE_HEIGHT)
        parts.append(b"(%s) Tj" % _pdf_string(line))
    parts.append(b"ET")
    return b" ".join(parts)


def _pdf_string(text: str) -> bytes:
    """Body of a PDF literal string: Windows-1252 bytes, with escapes where needed."""
    out = bytearray()
    for byte in text.encode("cp1252"):
        if byte in b"()\\":
            out += b"\\" + bytes([byte])
        elif 32 <= byte < 127:
            out.append(byte)
        else:
            out += b"\\%03o" % byte
    return bytes(out)


def _serialise(objects: dict) -> bytes:
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])
    xref_at = len(out)
    size = max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += b"%010d 00000 n \n" % offsets[number]
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref_at)
    return bytes(out)


def make_encrypted_pdf(
    lines: Sequence[str] = ("Discushernia L4-L5 links",),
    user_password: str = "secret",
    owner_password: Optional[str] = None,
) -> bytes:
    """A PDF encrypted with pypdf (RC4, no extra dependency).

    Args:
        lines: Text lines of its one page.
        user_password: Password needed to open it; ``""`` gives a PDF that opens without a
            password but carries an owner password (permissions only).
        owner_password: Owner password; defaults to the user password.

    Returns:
        The bytes of the encrypted PDF.
    """
    writer = PdfWriter()
    for page in PdfReader(io.BytesIO(make_pdf(lines))).pages:
        writer.add_page(page)
    writer.encrypt(user_password, owner_password or user_password or "owner")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def make_docx(
    paragraphs: Sequence[str],
    table_rows: Optional[Sequence[Sequence[str]]] = None,
) -> bytes:
    """A Word document with ``paragraphs``, then a table of ``table_rows`` if given.

    Args:
        paragraphs: Paragraph texts, in order.
        table_rows: Rows of cell texts (all rows as long as the first) added after the
            paragraphs.

    Returns:
        The bytes of the .docx file.
    """
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table_rows:
        table = document.add_table(rows=len(table_rows), cols=len(table_rows[0]))
        for row, cells in zip(table.rows, table_rows):
            for cell, text in zip(row.cells, cells):
                cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_zip_bomb_docx(uncompressed_mb: int = 60) -> bytes:
    """A valid .docx plus one highly compressible member of ``uncompressed_mb`` MB of zeros.

    Without a size guard python-docx would open it fine; the member only inflates the
    declared uncompressed size (a zip bomb's signature).

    Args:
        uncompressed_mb: Size of the extra member once unpacked, in MB.

    Returns:
        The bytes of the zip file (compressed, far smaller than ``uncompressed_mb``).
    """
    source = zipfile.ZipFile(io.BytesIO(make_docx(["Discushernia L4-L5 links."])))
    buffer = io.BytesIO()
    chunk = bytes(1024 * 1024)
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as bomb:
        for info in source.infolist():
            bomb.writestr(info, source.read(info))
        with bomb.open("word/media/padding.bin", "w") as member:
            for _ in range(uncompressed_mb):
                member.write(chunk)
    return buffer.getvalue()


def qualifier_state(result: Dict[str, bool]) -> str:
    """"negated", "uncertain", "historical" or "affirmed": the first qualifier that holds."""
    for qualifier in ("negated", "uncertain", "historical"):
        if result[qualifier]:
            return qualifier
    return "affirmed"


def finding_states(text: str, lang: str) -> Dict[str, str]:
    """concept -> state of each finding of ``text`` (each concept found once)."""
    import nlp

    findings = nlp.analyse(text, lang=lang).findings
    states = {f.concept: qualifier_state(f.to_dict()) for f in findings}
    assert len(states) == len(findings), findings
    return states
