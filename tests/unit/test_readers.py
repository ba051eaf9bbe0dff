"""Tests for nlp/inputs/readers.py: bytes and files into report text, and the errors."""
from __future__ import annotations

import io
import random
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest

from nlp.inputs.readers import (
    ERROR_CODES,
    MAX_BYTES,
    SUPPORTED_EXTENSIONS,
    ReadError,
    read_bytes,
    read_error_messages,
    read_path,
)
from tests.fixtures import (
    make_docx,
    make_encrypted_pdf,
    make_pdf,
    make_pdf_pages,
    make_zip_bomb_docx,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _read_error(data: bytes, filename: str) -> ReadError:
    with pytest.raises(ReadError) as info:
        read_bytes(data, filename)
    return info.value


# --- text files -------------------------------------------------------------------------


def test_readers_supported_extensions():
    assert SUPPORTED_EXTENSIONS == (".txt", ".pdf", ".docx")


def test_readers_utf8(tmp_path):
    text = "Discushernia L4-L5 links. Geen stenose; lichte facetartrose (ë é ï).\n"
    path = _write(tmp_path, "verslag.txt", text.encode("utf-8"))
    assert read_path(path) == text


def test_readers_utf8_bom_strips_only_the_bom(tmp_path):
    text = "Conclusie: discushernia L5-S1 rechts, geëxtrudeerd.\r\n"
    path = _write(tmp_path, "verslag.txt", b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert read_path(path) == text


def test_readers_cp1252_dutch_diacritics(tmp_path):
    text = "Geen hernia. Lichte discopathie, geëxtrudeerd ë é.\r\nL4-L5 links."
    path = _write(tmp_path, "verslag.txt", text.encode("cp1252"))
    assert read_path(path) == text


def test_readers_utf16_with_bom():
    text = "Disc bulge at L4-L5.\r\n"
    assert read_bytes(b"\xff\xfe" + text.encode("utf-16-le"), "report.txt") == text


@pytest.mark.parametrize(
    "text",
    [
        "Line one\r\nLine two\r\n",
        "Old Mac\rline ends\r",
        "  leading and trailing whitespace  \n\n\t\n",
        "Tabs\tand\u00a0non-breaking\u2009spaces, \u201cquotes\u201d \u2013 dashes",
        "Lone NUL\x00 byte is kept, L4-L5 links.",
        "Form feed between pages\x0cpage two",
    ],
)
def test_readers_text_is_byte_for_byte(tmp_path, text):
    """Offsets refer to the read text: nothing but decoding may happen to it."""
    path = _write(tmp_path, "report.txt", text.encode("utf-8"))
    assert read_path(path) == text


def test_readers_unknown_extension_with_text_is_read():
    assert read_bytes(b"Disc bulge at L4-L5.", "report.text") == "Disc bulge at L4-L5."
    assert read_bytes(b"Disc bulge at L4-L5.", "") == "Disc bulge at L4-L5."


def test_readers_content_decides_over_extension():
    """A PDF named .txt is read as the PDF it is."""
    assert read_bytes(make_pdf(["Disc bulge at L4-L5"]), "report.txt") == "Disc bulge at L4-L5"


# --- text errors ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        random.Random(0).randbytes(4096),
        b"\x7fELF\x02\x01\x01" + bytes(2000) + b"\x01\x02\x03" * 100,
        bytes(range(32)) * 50,
        b"\x00\x00\x00\x00",
    ],
    ids=["random", "executable", "control-characters", "only-nul"],
)
def test_readers_binary_is_refused(data):
    assert _read_error(data, "report.txt").code == "binary"


@pytest.mark.parametrize("data", [b"", b"   ", b" \r\n\t\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf \n"])
def test_readers_empty_is_refused(tmp_path, data):
    with pytest.raises(ReadError) as info:
        read_path(_write(tmp_path, "report.txt", data))
    assert info.value.code == "empty"


def test_readers_too_large_is_refused(tmp_path):
    path = _write(tmp_path, "report.txt", b"a" * (MAX_BYTES + 1))
    with pytest.raises(ReadError) as info:
        read_path(path)
    assert info.value.code == "too_large"


def test_readers_text_longer_than_the_analyser_takes_is_refused():
    """Within the byte limit, but more characters than nlp.analyse takes: a clear error."""
    from nlp.limits import MAX_CHARS

    assert read_bytes(b"a" * MAX_CHARS, "report.txt") == "a" * MAX_CHARS
    error = _read_error(b"a" * (MAX_CHARS + 1), "report.txt")
    assert error.code == "too_long"
    assert "2,000,000" in error.message("en") and "2,000,000" in error.message("nl")


@pytest.mark.parametrize("data", [PNG, JPEG], ids=["png", "jpeg"])
def test_readers_image_named_txt_goes_to_ocr_and_a_damaged_one_is_refused(data):
    # The content decides: an image is read by OCR (issue 15); these are only headers.
    assert _read_error(data, "report.txt").code == "corrupt_image"


def test_readers_missing_file(tmp_path):
    with pytest.raises(ReadError) as info:
        read_path(tmp_path / "nope.txt")
    assert info.value.code == "missing_file"
    assert "nope.txt" in str(info.value)


def test_readers_directory_is_missing_file(tmp_path):
    with pytest.raises(ReadError) as info:
        read_path(tmp_path)
    assert info.value.code == "missing_file"


# --- PDF --------------------------------------------------------------------------------


def test_readers_pdf_text_layer(tmp_path):
    path = _write(tmp_path, "verslag.pdf", make_pdf(["Discushernia L4-L5 links"]))
    assert read_path(path) == "Discushernia L4-L5 links"


def test_readers_pdf_diacritics_and_escapes():
    text = read_bytes(make_pdf(["Geëxtrudeerde hernia (L5-S1) é"]), "verslag.pdf")
    assert text == "Geëxtrudeerde hernia (L5-S1) é"


def test_readers_pdf_pages_joined_by_blank_line():
    data = make_pdf_pages([["Findings: disc bulge at L4-L5"], ["Impression: mild stenosis"]])
    assert read_bytes(data, "report.pdf") == (
        "Findings: disc bulge at L4-L5\n\nImpression: mild stenosis"
    )


def test_readers_pdf_without_text_is_scanned():
    assert _read_error(make_pdf([]), "scan.pdf").code == "scanned_pdf"


def test_readers_pdf_encrypted_is_refused():
    assert _read_error(make_encrypted_pdf(), "report.pdf").code == "encrypted_pdf"


def test_readers_pdf_owner_password_only_is_read():
    data = make_encrypted_pdf(["Disc bulge at L4-L5"], user_password="", owner_password="owner")
    assert read_bytes(data, "report.pdf") == "Disc bulge at L4-L5"


@pytest.mark.parametrize("keep", [0.25, 0.5, 0.9])
def test_readers_pdf_truncated_is_corrupt(keep):
    data = make_pdf(["Discushernia L4-L5 links"])
    assert _read_error(data[: int(len(data) * keep)], "report.pdf").code == "corrupt_pdf"


def test_readers_pdf_header_only_is_corrupt():
    assert _read_error(b"%PDF-1.7\n" + b"garbage " * 50, "report.pdf").code == "corrupt_pdf"


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3))


def test_readers_pdf_parser_loop_is_stopped():
    """pypdf 5.1 loops forever, filling memory, on this damaged PDF; the reader stops it.

    Run in a child process with a memory and time limit, so that a regression fails the
    test instead of exhausting the machine.
    """
    data = make_pdf(["Disc bulge at L4-L5"]).replace(b"612 792]", b"612%792]")
    # The child imports the reader alone: the package's __init__ would load spaCy.
    child = (
        "import sys, types\n"
        "package = types.ModuleType('nlp')\n"
        "package.__path__ = ['nlp']\n"
        "sys.modules['nlp'] = package\n"
        "from nlp.inputs.readers import ReadError, read_bytes\n"
        "try:\n"
        "    read_bytes(sys.stdin.buffer.read(), 'loop.pdf')\n"
        "except ReadError as err:\n"
        "    print(err.code)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", child],
        input=data,
        capture_output=True,
        cwd=REPO_ROOT,
        timeout=120,
        preexec_fn=_limit_memory,
    )
    # pypdf 5.1 looped here (stopped by the read guard: corrupt_pdf); newer pypdf reads the
    # page and finds no text (scanned_pdf). Either way: a clear error, in time.
    assert result.stdout.decode().strip() in {"corrupt_pdf", "scanned_pdf"}, result.stderr.decode()[-2000:]


@pytest.mark.parametrize("data", [PNG, JPEG], ids=["png", "jpeg"])
def test_readers_image_named_pdf_is_not_pdf(data):
    assert _read_error(data, "report.pdf").code == "not_pdf"


def test_readers_text_named_pdf_is_not_pdf():
    assert _read_error(b"Disc bulge at L4-L5.", "report.pdf").code == "not_pdf"


# --- DOCX -------------------------------------------------------------------------------


def test_readers_docx_paragraphs_and_table(tmp_path):
    data = make_docx(
        ["Verslag MRI LWK", "", "Conclusie: discushernia L4-L5 links."],
        table_rows=[["Niveau", "Bevinding"], ["L4-L5", "protrusie links"], ["L5-S1", ""]],
    )
    path = _write(tmp_path, "verslag.docx", data)
    assert read_path(path) == (
        "Verslag MRI LWK\n\nConclusie: discushernia L4-L5 links.\n"
        "Niveau\tBevinding\nL4-L5\tprotrusie links\nL5-S1"
    )


def test_readers_docx_merged_cell_text_once():
    source = make_docx([], table_rows=[["L4-L5", "bulge"], ["", "protrusion"]])
    document = docx.Document(io.BytesIO(source))
    table = document.tables[0]
    table.cell(0, 0).merge(table.cell(1, 0))
    buffer = io.BytesIO()
    document.save(buffer)
    text = read_bytes(buffer.getvalue(), "report.docx")
    assert text.count("L4-L5") == 1
    assert "bulge" in text and "protrusion" in text


def test_readers_docx_without_text_is_empty():
    assert _read_error(make_docx(["", "  "]), "report.docx").code == "empty"


@pytest.mark.parametrize(
    "data",
    [b"PK\x03\x04 not really a zip", b"Disc bulge at L4-L5.", PNG],
    ids=["broken-zip", "text", "png"],
)
def test_readers_not_a_docx_named_docx_is_corrupt(data):
    assert _read_error(data, "report.docx").code == "corrupt_docx"


def test_readers_docx_truncated_is_corrupt():
    data = make_docx(["Disc bulge at L4-L5."])
    assert _read_error(data[: len(data) // 2], "report.docx").code == "corrupt_docx"


def test_readers_docx_missing_document_part_is_corrupt():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    assert _read_error(buffer.getvalue(), "report.docx").code == "corrupt_docx"


def test_readers_zip_named_txt_is_unsupported():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "Disc bulge")
    assert _read_error(buffer.getvalue(), "report.txt").code == "unsupported_type"


@pytest.mark.parametrize("unpacked_mb", [60, 20], ids=["over-50-mb", "ratio-over-100"])
def test_readers_docx_zip_bomb_is_refused(unpacked_mb):
    assert _read_error(make_zip_bomb_docx(unpacked_mb), "report.docx").code == "docx_too_large"


def test_readers_docx_by_content_without_extension():
    assert read_bytes(make_docx(["Disc bulge at L4-L5."]), "upload") == "Disc bulge at L4-L5."


# --- messages ---------------------------------------------------------------------------


def test_readers_messages_cover_every_code():
    read_error_messages()  # raises LexiconError if a code or a language is missing


@pytest.mark.parametrize("code", ERROR_CODES)
def test_readers_message_in_both_languages(code):
    err = ReadError(code, "verslag.pdf")
    english, dutch = err.message("en"), err.message("nl")
    assert english and dutch and english != dutch
    assert "verslag.pdf" in english and "verslag.pdf" in dutch
    assert "{" not in english + dutch
    assert str(err) == english


def test_readers_message_without_filename():
    err = ReadError("empty")
    assert err.message("en").startswith("The input")
    assert err.message("nl").startswith("De invoer")


def test_readers_message_unknown_language_falls_back_to_english():
    err = ReadError("binary", "x.txt")
    assert err.message("de") == err.message("en")


def test_readers_unknown_code_is_refused():
    with pytest.raises(ValueError, match="Unknown read error code"):
        ReadError("gone", "x.txt")


def test_readers_error_keeps_cause():
    with pytest.raises(ReadError) as info:
        read_bytes(make_pdf(["x"])[:100], "report.pdf")
    assert info.value.__cause__ is not None
    assert info.value.filename == "report.pdf"
