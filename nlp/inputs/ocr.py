"""Read the text of a photo or a scan of a report, locally, with Tesseract (Dutch and English).

Everything runs on this machine: the image goes to the ``tesseract`` program through a pipe
(no temporary file, nothing sent anywhere) and the text comes back the same way. Before that
the image is prepared the way Tesseract reads best: grey, evenly lit, upright, straight and
with lines of text about 40 pixels high.

    try:
        result = read_image(photo_bytes)          # or read_pdf(scanned_pdf_bytes)
    except OcrError as err:
        print(err.code)                           # one of ERROR_CODES

Limits, all checked before the costly step they guard: the file size (the readers check
``MAX_BYTES`` first), the pixels an image header declares (:data:`MAX_PIXELS`, before
decoding), the pages of a PDF (:data:`MAX_PAGES`) and the seconds Tesseract may take
(:data:`MAX_SECONDS` per file). The module imports without Pillow, pypdfium2 or Tesseract;
:func:`missing` says what is not installed.
"""
from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import time
import warnings
from dataclasses import dataclass
from functools import lru_cache
from statistics import median
from typing import Any, Iterator, Optional, Sequence

LANGUAGES = ("nld", "eng")
INSTALL_HINT = "tesseract-ocr tesseract-ocr-nld tesseract-ocr-eng"
MAX_PIXELS = 50_000_000  # refused before decoding; a 48-megapixel phone photo fits
MAX_PAGES = 10
MAX_SECONDS = 60.0  # for all Tesseract runs on one file together
RENDER_DPI = 300  # PDF pages are drawn at the resolution Tesseract is trained for
# Larger images are scaled down to this before OCR: an A4 page at 300 dpi is 8.7 MP, a 12 MP
# phone photo passes as it is; more pixels only cost time.
MAX_WORK_PIXELS = 13_000_000
# A line of text this high (pixels, ascender to descender) reads best; smaller text is scaled up.
TARGET_LINE_PX = 44
MIN_LINE_PX = 32
# Lines lower than this are no text that can be read (grain, hatching): not scaled up.
TINY_LINE_PX = 10
MAX_UPSCALE = 3.0
# "No text": fewer words than this that Tesseract is fairly sure of (a photo of a knee gives a
# few stray letters), or a mean confidence (0-100) under the floor.
MIN_WORDS = 5
MIN_WORD_CONFIDENCE = 50
MIN_MEAN_CONFIDENCE = 35
# Deskew: the straightest of these angles (degrees) on a small copy of the page.
MAX_SKEW = 6.0
# A page read with a mean confidence under this may be upside down: it is read turned round too
# (measured: an upright clean page reads at 95, the same page upside down at 43).
RETRY_TURNED_BELOW = 70
# Lines within the top or bottom few of every page that repeat on every page are page headers
# and footers; numbers in them may differ ("Page 1 of 2").
EDGE_LINES = 3

ERROR_CODES = (
    "ocr_missing",
    "image_too_large",
    "corrupt_image",
    "no_text_in_image",
    "too_many_pages",
    "ocr_too_slow",
    "heic_unsupported",
)

_IMAGE_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
)
# A spine level whose "1" OCR read as "l" or "|" ("Ll-L2", "Tl2", "L5-Sl": DejaVu Sans' 1 is
# often read so). Only lower-case l and the bar: "TI" (inversion time) is a word. S only after a
# dash ("L5-Sl"): in many fonts I and l look the same, and "SI-gewricht" / "SI joint" read as
# "Sl" must stay (measured: four Dutch gold reports got S1 on their SI joints).
_MISREAD_LEVEL = re.compile(r"(?<![A-Za-z0-9])([CTL]|(?<=[-/])S)([0-9l|]{1,2})(?![A-Za-z0-9|])")
_LEVEL_RANGES = {"C": range(1, 9), "T": range(1, 13), "L": range(1, 7), "S": range(1, 6)}
# ISO base media files (bytes 4-12 "ftyp" + brand) that hold HEIF/HEIC images from phones.
_HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1")


class OcrError(Exception):
    """An image or scan whose text could not be read: ``code`` is one of :data:`ERROR_CODES`."""

    def __init__(self, code: str, detail: str | None = None) -> None:
        if code not in ERROR_CODES:
            raise ValueError(f"Unknown OCR error code {code!r}.")
        super().__init__(code, detail)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class OcrText:
    """What OCR read.

    Attributes:
        text: The text, lines as Tesseract found them, paragraphs split by blank lines.
        pages: The pages (images) read.
        confidence: Tesseract's mean word confidence, 0 to 100.
    """

    text: str
    pages: int
    confidence: float


# --- what is installed ---------------------------------------------------------------------


@lru_cache(maxsize=1)
def missing() -> Optional[str]:
    """What OCR lacks on this machine, or None when it is ready.

    Returns:
        A short technical note (for logs), e.g. ``"tesseract language data: nld"``.
    """
    try:
        import PIL  # noqa: F401
        import pypdfium2  # noqa: F401
    except ImportError as e:
        return f"Python package {e.name}"
    binary = shutil.which("tesseract")
    if binary is None:
        return "the tesseract program"
    try:
        listed = subprocess.run(
            [binary, "--list-langs"], capture_output=True, timeout=10, check=False
        ).stdout.decode("utf-8", "replace")
    except (OSError, subprocess.SubprocessError) as e:
        return f"a working tesseract program ({e})"
    languages = set(listed.split())
    lacking = [lang for lang in LANGUAGES if lang not in languages]
    return f"tesseract language data: {', '.join(lacking)}" if lacking else None


def _require() -> None:
    reason = missing()
    if reason:
        raise OcrError("ocr_missing", reason)


def _require_pillow() -> None:
    try:
        import PIL  # noqa: F401
    except ImportError as e:
        raise OcrError("ocr_missing", f"Python package {e.name}") from e


def image_format(data: bytes) -> Optional[str]:
    """``"PNG"``, ``"JPEG"``, ``"TIFF"`` or ``"HEIF"`` from the first bytes, else None."""
    for magic, name in _IMAGE_MAGIC:
        if data.startswith(magic):
            return name
    if data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
        return "HEIF"
    return None


# --- reading -------------------------------------------------------------------------------


def read_image(data: bytes) -> OcrText:
    """Read the text of a photo or scanned page (PNG, JPEG, TIFF, HEIC).

    The image is checked (size, damage, blank) before Tesseract is needed.

    Raises:
        OcrError: OCR not installed, the image too large, damaged or without text, or too slow.
    """
    _require_pillow()
    deadline = time.monotonic() + MAX_SECONDS
    image = _open_image(data)
    words = _read_page(image, deadline)
    return _result([words])


def read_pdf(data: bytes) -> OcrText:
    """Read the text of a PDF whose pages are images (a scan), page by page.

    Lines repeated at the top or bottom of every page (headers, footers, page numbers) are
    kept once: headers on the first page, footers on the last.

    Raises:
        OcrError: OCR not installed, too many pages, a damaged PDF (``corrupt_image``), no
            text, or too slow.
    """
    _require_pillow()
    try:
        import pypdfium2
    except ImportError as e:
        raise OcrError("ocr_missing", f"Python package {e.name}") from e
    deadline = time.monotonic() + MAX_SECONDS
    try:
        pdf = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as e:
        raise OcrError("corrupt_image", f"pdfium: {e}") from e
    try:
        if len(pdf) > MAX_PAGES:
            raise OcrError("too_many_pages", f"{len(pdf)} pages")
        pages = [_read_page(_render(pdf[index]), deadline) for index in range(len(pdf))]
    except pypdfium2.PdfiumError as e:
        raise OcrError("corrupt_image", f"pdfium: {e}") from e
    finally:
        pdf.close()
    return _result(pages)


def _result(pages: list[list[list[tuple[str, float]]]]) -> OcrText:
    """Join the pages' lines (each a list of (word, confidence)); refuse when there is no text."""
    words = [word for page in pages for line in page for word in line]
    sure = [text for text, conf in words if conf >= MIN_WORD_CONFIDENCE and _is_word(text)]
    mean = _confidence([line for page in pages for line in page])
    if len(sure) < MIN_WORDS or mean < MIN_MEAN_CONFIDENCE:
        raise OcrError("no_text_in_image", f"{len(sure)} sure words, mean confidence {mean:.0f}")
    texts = [[fix_levels(" ".join(text for text, _ in line)) for line in page] for page in pages]
    texts = drop_repeated_edges(texts)
    text = "\n\n".join(_tidy("\n".join(page)) for page in texts)
    return OcrText(text=text, pages=len(pages), confidence=round(mean, 1))


def fix_levels(line: str) -> str:
    """Spine levels with a "1" read as "l" or "|" put right ("Ll-L2" -> "L1-L2"); only when
    the result is a level that exists (L1 to L6, S1 to S5, T1 to T12, C1 to C8)."""

    def fix(match: re.Match) -> str:
        letter, number = match.group(1), match.group(2)
        digits = number.replace("l", "1").replace("|", "1")
        if digits == number or int(digits) not in _LEVEL_RANGES[letter]:
            return match.group(0)
        return letter + digits

    return _MISREAD_LEVEL.sub(fix, line)


def _is_word(text: str) -> bool:
    return sum(ch.isalnum() for ch in text) >= 2


def _tidy(text: str) -> str:
    """At most one blank line between paragraphs; no blank lines at the ends."""
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


def drop_repeated_edges(pages: Sequence[Sequence[str]]) -> list[list[str]]:
    """Keep page headers once (first page) and footers once (last page).

    A header or footer is a line among the first or last :data:`EDGE_LINES` non-empty lines
    of every page, the same on each page apart from its numbers.

    Args:
        pages: The lines of each page.

    Returns:
        The lines of each page without the repeats.
    """
    if len(pages) < 2:
        return [list(page) for page in pages]
    heads = set.intersection(*(_keys(page, _edge(page, top=True)) for page in pages))
    feet = set.intersection(*(_keys(page, _edge(page, top=False)) for page in pages))
    result = []
    for number, page in enumerate(pages):
        drop = set()
        if number > 0:
            drop |= {i for i in _edge(page, top=True) if _line_key(page[i]) in heads}
        if number < len(pages) - 1:
            drop |= {i for i in _edge(page, top=False) if _line_key(page[i]) in feet}
        result.append([line for i, line in enumerate(page) if i not in drop])
    return result


def _edge(page: Sequence[str], top: bool) -> list[int]:
    """Where the first (or last) non-empty lines are: at most EDGE_LINES, and at most half the
    page's lines, so that a short page's header is not also taken for its footer."""
    filled = [i for i, line in enumerate(page) if line.strip()]
    count = min(EDGE_LINES, len(filled) // 2)
    return filled[:count] if top else filled[len(filled) - count:]


def _keys(page: Sequence[str], indexes: list[int]) -> set[str]:
    return {_line_key(page[i]) for i in indexes}


def _line_key(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.lower().split()))


# --- images --------------------------------------------------------------------------------


def _open_image(data: bytes) -> Any:
    """Decode an image to greyscale, upright as the camera recorded, within the pixel limit.

    The size in the header is checked before any pixel is decoded.
    """
    from PIL import Image, ImageOps, UnidentifiedImageError

    if image_format(data) == "HEIF":
        _register_heif()
    try:
        with warnings.catch_warnings():  # a warning on stderr would break the one-line promise
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except Image.DecompressionBombError as e:
        raise OcrError("image_too_large", str(e)) from e
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as e:
        raise OcrError("corrupt_image", f"{type(e).__name__}: {e}") from e
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise OcrError("image_too_large", f"{width} x {height} pixels")
    try:
        if image.format == "JPEG":  # decode large photos at a fraction of their size
            image.draft("L", _fit(image.size, MAX_WORK_PIXELS))
        image = ImageOps.exif_transpose(image)
        image = _grey(image)
    except (OSError, SyntaxError, ValueError, MemoryError, Image.DecompressionBombError) as e:
        raise OcrError("corrupt_image", f"{type(e).__name__}: {e}") from e
    return _limit(image)


def _register_heif() -> None:
    try:
        from pillow_heif import register_heif_opener
    except ImportError as e:
        raise OcrError("heic_unsupported", "pillow-heif is not installed") from e
    register_heif_opener()


def _grey(image: Any) -> Any:
    """Greyscale; transparent parts become white paper (not black)."""
    from PIL import Image

    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        image = image.convert("RGBA")
        paper = Image.new("RGBA", image.size, "white")
        image = Image.alpha_composite(paper, image)
    return image.convert("L")


def _fit(size: tuple[int, int], pixels: int) -> tuple[int, int]:
    width, height = size
    scale = min(1.0, (pixels / max(1, width * height)) ** 0.5)
    return max(1, int(width * scale)), max(1, int(height * scale))


def _limit(image: Any) -> Any:
    from PIL import Image

    size = _fit(image.size, MAX_WORK_PIXELS)
    return image if size == image.size else image.resize(size, Image.Resampling.LANCZOS)


def _render(page: Any) -> Any:
    """A PDF page as a greyscale image at :data:`RENDER_DPI`, fewer dots for a huge page."""
    width, height = page.get_size()  # points (1/72 inch)
    scale = RENDER_DPI / 72
    scale = min(scale, (MAX_WORK_PIXELS / max(1.0, width * height)) ** 0.5)
    try:
        return page.render(scale=scale, grayscale=True).to_pil().convert("L")
    finally:
        page.close()


# --- preparing a page ----------------------------------------------------------------------


def _read_page(image: Any, deadline: float) -> list[list[tuple[str, float]]]:
    """The lines of one page image as (word, confidence) lists (empty lists: blank lines).

    A page lying on its side is found by :func:`straighten`; an upside-down page reads with
    a low confidence, so then it is read turned round as well and the surer reading kept.
    (Tesseract's OSD would cost about a second on every page; this costs only on doubtful ones.)
    """
    from PIL import Image

    darkest, lightest = image.getextrema()
    if lightest - darkest < 32:
        return []  # one colour: a blank page, known without Tesseract
    _require()
    image = _scale_text(straighten(even_light(image)))
    lines = _words(image, deadline)
    if _confidence(lines) < RETRY_TURNED_BELOW and sum(map(len, lines)) >= MIN_WORDS:
        turned = _words(image.transpose(Image.Transpose.ROTATE_180), deadline)
        if _confidence(turned) > _confidence(lines):
            return turned
    return lines


def _words(image: Any, deadline: float) -> list[list[tuple[str, float]]]:
    args = ["-l", "+".join(LANGUAGES), "--psm", "3", "--dpi", str(RENDER_DPI), "tsv"]
    return _tsv_lines(_tesseract(image, args, deadline))


def _confidence(lines: list[list[tuple[str, float]]]) -> float:
    confidences = [conf for line in lines for _, conf in line]
    return sum(confidences) / len(confidences) if confidences else 0.0


def even_light(image: Any) -> Any:
    """Divide out the paper's brightness so that a shadow or lamp gradient becomes white.

    The paper is estimated on a small copy (a maximum filter removes the text, a blur
    smooths it), so this costs little even for a large photo.
    """
    import numpy as np
    from PIL import Image, ImageFilter

    small = image.resize(_fit(image.size, 40_000), Image.Resampling.BILINEAR)
    paper = small.filter(ImageFilter.MaxFilter(5)).filter(ImageFilter.GaussianBlur(3))
    darkest, lightest = paper.getextrema()
    if lightest - darkest < 16:
        return image  # evenly lit already (a scan): spare the work on every pixel
    paper = paper.resize(image.size, Image.Resampling.BILINEAR)
    ink = np.asarray(image, dtype=np.float32)
    light = np.maximum(np.asarray(paper, dtype=np.float32), 1.0)
    flat = np.clip(ink * 255.0 / light, 0, 255).astype(np.uint8)
    return Image.fromarray(flat)  # 8-bit, one channel: mode "L"


def _ink(image: Any, width: int = 1000) -> tuple[Any, float]:
    """A small black-and-white copy (True = ink) and its scale to the image."""
    import numpy as np
    from PIL import Image

    scale = min(1.0, width / image.width)
    small = image.resize((max(1, int(image.width * scale)), max(1, int(image.height * scale))),
                         Image.Resampling.BILINEAR)
    pixels = np.asarray(small, dtype=np.uint8)
    return pixels < min(160, int(pixels.mean()) - 30), scale


def _profile_score(ink: Any) -> float:
    """How sharply the rows alternate between text and gaps (high when lines are level)."""
    import numpy as np

    rows = ink.sum(axis=1).astype(np.float64)
    return float(np.square(np.diff(rows)).sum())


def skew_angle(image: Any) -> tuple[float, bool]:
    """The angle (degrees, counter-clockwise) that levels the lines, and whether the lines
    run top to bottom (the page lies on its side)."""
    import numpy as np
    from PIL import Image

    ink, _ = _ink(image)
    picture = Image.fromarray(ink.astype(np.uint8) * 255)

    def score(angle: float, sideways: bool) -> float:
        turned = picture.rotate(angle + (90 if sideways else 0), Image.Resampling.NEAREST, expand=True)
        return _profile_score(np.asarray(turned) > 0)

    coarse = [(score(a, s), a, s) for s in (False, True) for a in np.arange(-MAX_SKEW, MAX_SKEW + 0.1, 1.0)]
    _, best, sideways = max(coarse)
    fine = [(score(a, sideways), a) for a in np.arange(best - 0.75, best + 0.76, 0.25)]
    return float(max(fine)[1]), sideways


def straighten(image: Any) -> Any:
    """Turn a page lying on its side upright-or-upside-down and level a small skew."""
    from PIL import Image

    angle, sideways = skew_angle(image)
    if sideways:
        image = image.transpose(Image.Transpose.ROTATE_90)
    if abs(angle) >= 0.25:
        image = image.rotate(angle, Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    return image


def line_height(image: Any) -> Optional[float]:
    """The median height (pixels) of the lines of text, or None if there are none."""
    ink, scale = _ink(image, width=1600)
    rows = ink.sum(axis=1)
    if rows.max(initial=0) == 0:
        return None
    text_rows = rows > 0.05 * rows.max()
    runs = [len(run) for run in _runs(text_rows.tolist())]
    runs = [run for run in runs if run >= 2]
    return median(runs) / scale if runs else None


def _runs(flags: list[bool]) -> Iterator[list[bool]]:
    run: list[bool] = []
    for flag in flags:
        if flag:
            run.append(flag)
        elif run:
            yield run
            run = []
    if run:
        yield run


def _scale_text(image: Any) -> Any:
    """Scale small text up to about :data:`TARGET_LINE_PX` high (within the pixel budget)."""
    from PIL import Image

    height = line_height(image)
    if height is None or not TINY_LINE_PX <= height < MIN_LINE_PX:
        return image
    factor = min(MAX_UPSCALE, TARGET_LINE_PX / height, (MAX_WORK_PIXELS / (image.width * image.height)) ** 0.5)
    if factor <= 1.1:
        return image
    size = (int(image.width * factor), int(image.height * factor))
    return image.resize(size, Image.Resampling.LANCZOS)


# --- Tesseract -----------------------------------------------------------------------------


def _tesseract(image: Any, args: list[str], deadline: float) -> str:
    """Run Tesseract on the image through a pipe; its standard output as text.

    Raises:
        OcrError: ``ocr_too_slow`` when the file's time is spent, ``ocr_missing`` if the
            program vanished, ``corrupt_image`` if Tesseract could not read the image.
    """
    left = deadline - time.monotonic()
    if left <= 0:
        raise OcrError("ocr_too_slow", f"over {MAX_SECONDS} s")
    buffer = io.BytesIO()
    image.save(buffer, "PPM")  # uncompressed greyscale: quick to write and to read
    # One thread: Tesseract's OpenMP threads made it 3x slower on a busy 2-core machine.
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    command = [shutil.which("tesseract") or "tesseract", "stdin", "stdout", *args]
    try:
        done = subprocess.run(command, input=buffer.getvalue(), capture_output=True, timeout=left,
                              env=env, check=False)
    except subprocess.TimeoutExpired as e:
        raise OcrError("ocr_too_slow", f"over {MAX_SECONDS} s") from e
    except OSError as e:
        raise OcrError("ocr_missing", str(e)) from e
    if done.returncode != 0:
        raise OcrError("corrupt_image", done.stderr.decode("utf-8", "replace")[-500:])
    return done.stdout.decode("utf-8", "replace")


def _tsv_lines(tsv: str) -> list[list[tuple[str, float]]]:
    """Tesseract's TSV as lines of (word, confidence), an empty line where the page has one.

    Tesseract's own paragraphs are not used: it starts one after a short last line ("At" /
    "L3-4 there is ..."), which would split a sentence. A blank line is put where the page
    shows one: a gap of more than 1.6 line pitches, or a jump back up (the next column).
    """
    rows: dict[tuple[str, ...], dict[str, Any]] = {}
    for row in tsv.splitlines()[1:]:
        fields = row.split("\t")
        if len(fields) < 12 or fields[0] != "5" or not fields[11].strip():
            continue
        line = rows.setdefault(tuple(fields[1:5]), {"top": int(fields[7]), "words": []})
        line["top"] = min(line["top"], int(fields[7]))
        line["words"].append((fields[11].strip(), max(0.0, float(fields[10]))))
    ordered = list(rows.values())
    steps = [b["top"] - a["top"] for a, b in zip(ordered, ordered[1:]) if b["top"] > a["top"]]
    pitch = median(steps) if steps else 0
    lines: list[list[tuple[str, float]]] = []
    for previous, line in zip([None, *ordered], ordered):
        if previous is not None:
            step = line["top"] - previous["top"]
            if step < 0 or step > 1.6 * pitch:
                lines.append([])
        lines.append(line["words"])
    return lines
