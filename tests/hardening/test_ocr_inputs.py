"""Bad photos and scans (issue 15): a blank page, a picture of a knee, a damaged file, a file of
50 MB, an image that claims 20,000 x 20,000 pixels, a scan of too many pages. Each gets a
ReadError with its own code and a message in both languages, in bounded time and memory
(sizes are checked before pixels are decoded).

Most cases are refused before Tesseract is needed; the picture without text needs it and
skips when it is not installed (in CI, REQUIRE_OCR=1, it must run).
"""
import io
import os
import random
import struct
import time
import zlib

import pytest
from PIL import Image, ImageDraw, ImageFilter

from nlp.inputs import ocr
from nlp.inputs.readers import MAX_BYTES, ReadError, read_bytes, read_path

if os.environ.get("REQUIRE_OCR") and ocr.missing():
    raise RuntimeError(f"OCR is required (REQUIRE_OCR is set) but missing: {ocr.missing()}")
needs_ocr = pytest.mark.skipif(bool(ocr.missing()), reason=f"OCR is not installed ({ocr.missing()}): "
                               f"apt-get install {ocr.INSTALL_HINT}")
SECONDS = 20  # for any one bad input, on a busy 2-core machine


def png(image):
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_claiming(width, height):
    """A PNG of a few hundred bytes whose header claims width x height pixels (greyscale)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" + b"\xff" * 64)  # the start of the first row only
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", rows) + _chunk(b"IEND", b"")


def knee_picture():
    """Something like an X-ray of a knee: grey bones on dark, soft edges, grain; no text."""
    rng = random.Random(7)
    image = Image.new("L", (800, 1000), 30)
    pen = ImageDraw.Draw(image)
    pen.ellipse((250, 50, 550, 525), fill=170)  # femur end
    pen.rectangle((325, 0, 475, 350), fill=180)
    pen.ellipse((260, 550, 540, 750), fill=160)  # tibia plateau
    pen.rectangle((320, 650, 480, 1000), fill=175)
    pen.ellipse((525, 575, 625, 950), fill=120)  # fibula
    image = image.filter(ImageFilter.GaussianBlur(6))
    grain = Image.frombytes("L", image.size, rng.randbytes(image.width * image.height))
    return Image.blend(image, grain, 0.15).convert("RGB")


def refused(data, filename):
    started = time.monotonic()
    with pytest.raises(ReadError) as info:
        read_bytes(data, filename)
    assert time.monotonic() - started < SECONDS
    err = info.value
    for lang in ("en", "nl"):
        message = err.message(lang)
        assert filename in message and "\n" not in message and "{" not in message
    return err.code


def test_ocr_blank_photo_has_no_text():
    assert refused(png(Image.new("RGB", (1200, 1600), "white")), "blank.png") == "no_text_in_image"


def test_ocr_blank_scanned_pdf_has_no_text():
    buffer = io.BytesIO()
    Image.new("L", (2480, 3508), 255).save(buffer, "PDF", resolution=300)
    assert refused(buffer.getvalue(), "scan.pdf") == "scanned_pdf"


@needs_ocr
def test_ocr_picture_of_a_knee_has_no_text():
    buffer = io.BytesIO()
    knee_picture().save(buffer, "JPEG", quality=80)
    assert refused(buffer.getvalue(), "knee.jpg") == "no_text_in_image"


@needs_ocr
def test_ocr_random_noise_has_no_text():
    rng = random.Random(3)
    noise = Image.frombytes("L", (800, 800), rng.randbytes(800 * 800))
    assert refused(png(noise), "noise.png") == "no_text_in_image"


def test_ocr_twenty_thousand_pixels_square_is_refused_before_decoding():
    data = png_claiming(20_000, 20_000)
    assert len(data) < 1_000
    assert refused(data, "huge.png") == "image_too_large"


def test_ocr_image_just_over_the_pixel_limit_is_refused():
    side = int(ocr.MAX_PIXELS ** 0.5) + 1
    assert refused(png_claiming(side, side), "big.png") == "image_too_large"


@pytest.mark.parametrize("size_mb", [11, 50])
def test_ocr_photo_over_the_byte_limit_is_refused_unread(size_mb, tmp_path):
    data = b"\xff\xd8\xff\xe0" + bytes(size_mb * 1024 * 1024)
    assert len(data) > MAX_BYTES
    assert refused(data, "photo.jpg") == "too_large"
    path = tmp_path / "photo.jpg"
    path.write_bytes(data)
    with pytest.raises(ReadError) as info:
        read_path(path)
    assert info.value.code == "too_large"


@pytest.mark.parametrize("damage", ["truncated", "garbage-pixels", "header-only"])
def test_ocr_damaged_png_is_corrupt(damage):
    good = png(Image.new("L", (600, 400), 200))
    data = {
        "truncated": good[: len(good) // 2],
        "garbage-pixels": png_claiming(600, 400)[:-12] + b"\x00" * 12,
        "header-only": good[:33],
    }[damage]
    assert refused(data, "damaged.png") == "corrupt_image"


def test_ocr_damaged_jpeg_is_corrupt():
    buffer = io.BytesIO()
    Image.new("RGB", (600, 400), "grey").save(buffer, "JPEG")
    assert refused(buffer.getvalue()[:200], "damaged.jpg") == "corrupt_image"


def test_ocr_scan_of_too_many_pages_is_refused_before_reading():
    pages = [Image.new("L", (100, 140), 255) for _ in range(ocr.MAX_PAGES + 1)]
    buffer = io.BytesIO()
    pages[0].save(buffer, "PDF", save_all=True, append_images=pages[1:])
    assert refused(buffer.getvalue(), "long-scan.pdf") == "too_many_pages"


def test_ocr_scanned_page_of_enormous_size_is_drawn_smaller():
    # 200 x 200 inches: at 300 dpi that would be 3.6 gigapixels; it is drawn within the budget.
    image = Image.new("L", (200, 200), 255)
    buffer = io.BytesIO()
    image.save(buffer, "PDF", resolution=1)
    assert refused(buffer.getvalue(), "poster.pdf") == "scanned_pdf"


def test_ocr_cli_prints_one_line_for_a_blank_photo(tmp_path, capsys):
    from nlp.cli import main

    path = tmp_path / "blank.png"
    path.write_bytes(png(Image.new("L", (300, 300), 255)))
    status = main(["analyse", str(path)])
    err = capsys.readouterr().err
    assert status == 2
    assert len(err.strip().splitlines()) == 1 and "blank.png" in err and "Traceback" not in err
