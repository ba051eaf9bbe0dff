"""PDF text extraction stays within time and memory, whatever the file holds (issue 16).

Two small files that did great harm before: 70 MB of drawing instructions compressed into
about 70 KB (pypdf parsed every operand: gigabytes of memory), and a few shared drawings
(form XObjects) that draw each other so that a page of a few KB gives millions of
characters, all extracted before the length check. Each is refused with a clear message
within seconds; an ordinary report PDF is read as before.
"""
from __future__ import annotations

import resource
import time
import zlib
from typing import List

import pytest

from nlp.inputs.readers import MAX_PDF_INSTRUCTION_BYTES, ReadError, read_bytes
from tests.fixtures import make_pdf


def _pdf(objects: List[bytes]) -> bytes:
    """A PDF of numbered objects (object 1 is the catalog), with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    packed = zlib.compress(data, 9)
    return b"<< /Length %d /Filter /FlateDecode %s >>\nstream\n" % (len(packed), extra) + packed + b"\nendstream"


FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def operand_bomb() -> bytes:
    """One page whose compressed content stream holds 70 MB of number operands."""
    content = b"BT /F1 12 Tf 72 700 Td (No fracture.) Tj " + b"1 " * 35_000_000 + b"ET"
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        _stream(content),
        FONT,
    ])


def xobject_fan_out(depth: int = 7, fan: int = 8) -> bytes:
    """Form XObjects that each draw the next one ``fan`` times: fan**depth copies of a line."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> /XObject << /X0 6 0 R >> >> >>",
        _stream(b"/X0 Do"),
        FONT,
    ]
    for level in range(depth):
        number = 6 + level
        if level == depth - 1:
            body = b"BT /F1 12 Tf 72 700 Td (Disc protrusion at L4-L5 without stenosis.) Tj ET"
            resources = b"/Resources << /Font << /F1 5 0 R >> >>"
        else:
            body = b" ".join([b"/X Do"] * fan)
            resources = b"/Resources << /Font << /F1 5 0 R >> /XObject << /X %d 0 R >> >>" % (number + 1)
        objects.append(_stream(body, b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] " + resources))
    return _pdf(objects)


def _read(data: bytes):
    started = time.monotonic()
    try:
        return read_bytes(data, "report.pdf"), time.monotonic() - started
    except ReadError as error:
        return error, time.monotonic() - started


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_the_builder_makes_a_readable_pdf():
    data = _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        _stream(b"BT /F1 12 Tf 72 700 Td (No fracture.) Tj ET"),
        FONT,
    ])
    assert read_bytes(data, "report.pdf").strip() == "No fracture."


@pytest.mark.slow
def test_operand_bomb_is_refused_quickly_and_small():
    data = operand_bomb()
    assert len(data) < 200_000
    before = _peak_mb()
    result, seconds = _read(data)
    assert isinstance(result, ReadError) and result.code == "pdf_too_complex"
    assert "drawing work" in result.message("en") and "rekenwerk" in result.message("nl")
    assert seconds < 10
    assert _peak_mb() - before < 400  # the instructions are counted, never parsed


def test_shared_drawings_stop_at_the_text_limit(monkeypatch):
    import nlp.inputs.readers as readers

    monkeypatch.setattr(readers, "MAX_CHARS", 50_000)  # 8**4 copies: 176,000 characters
    result, seconds = _read(xobject_fan_out(depth=5))
    assert isinstance(result, ReadError) and result.code == "too_long"
    assert seconds < 5  # stopped at the limit, not after extracting everything


def test_an_ordinary_report_pdf_is_read_as_before():
    lines = ["MRI LUMBAR SPINE", "L4-L5: disc protrusion.", "No fracture."]
    text = read_bytes(make_pdf(lines), "report.pdf")
    assert all(line in text for line in lines)
    assert MAX_PDF_INSTRUCTION_BYTES > 1_000_000


def damaged_flate() -> bytes:
    """A page whose compressed content stream is cut and filled with 30 KB of noise: pypdf 6.4
    retried the decompression byte by byte (minutes); 6.21 gives up at once."""
    import random

    good = zlib.compress(b"BT /F1 12 Tf 72 700 Td (Disc protrusion at L4-L5.) Tj ET" * 200, 9)
    noise = bytes(random.Random(7).randrange(256) for _ in range(30_000))
    data = good[: len(good) // 2] + noise
    stream = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream"
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        stream,
        FONT,
    ])


def test_a_damaged_compressed_stream_is_read_or_refused_quickly():
    result, seconds = _read(damaged_flate())
    assert isinstance(result, (str, ReadError))
    if isinstance(result, ReadError):
        assert result.code in ("corrupt_pdf", "scanned_pdf")
    assert seconds < 10
