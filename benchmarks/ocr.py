"""How well OCR reads the gold reports back: findings from the image against findings from the text.

    .venv/bin/python benchmarks/ocr.py [--limit N] [--processes 2] [--variants 300dpi,150dpi,photo]

Every gold report (``sample_reports/<lang>_{dev,test}.jsonl``) is drawn as an A4 page (DejaVu
Sans 11 pt, wrapped at 80 characters, paginated when longer) in three variants:

    300dpi   a clean scan at 300 dpi (PNG)
    150dpi   a clean scan at 150 dpi (PNG)
    photo    a phone photo: drawn at 300 dpi, turned 2 to 3 degrees, lit unevenly (a corner
             at 55 % brightness), blurred (Gaussian, radius 1.2 px) and saved as JPEG quality 70
    wrapped  no image: the text with the line breaks of the page (wrapped at 80 characters), as
             a perfect OCR would give it. The analyser reads some wrapped lines differently
             from the original paragraphs; this row is the ceiling OCR can reach.

Each image is read with ``nlp.inputs.ocr.read_image`` (the full preparation and Tesseract
``nld+eng``), the text analysed with ``nlp.analyse`` and its findings compared with those of
the original text. A finding's key is its concept, negation and sorted levels; F1 counts the
keys as a multiset (precision: keys from OCR also found in the text; recall: the other way).
Seconds per page: the wall-clock time of ``read_image`` (one Tesseract thread per process),
and its CPU time (this process and its Tesseract children), which a busy machine does not
inflate. Each finished run prints a line on stderr.
Needs Tesseract with ``nld``, ``eng`` and ``osd`` data and the DejaVu fonts (Debian
``fonts-dejavu-core``).
"""
from __future__ import annotations

import argparse
import io
import math
import os
import random
import resource
import sys
import textwrap
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
POINTS = 11
WRAP = 80
A4_INCHES = (8.27, 11.69)
MARGIN_INCHES = 0.8
VARIANTS = ("300dpi", "150dpi", "photo", "wrapped")


def render_pages(text: str, dpi: int, font_path: Path = FONT, points: int = POINTS) -> list[Image.Image]:
    """The text on white A4 pages, black, one line per wrapped line, as a typed report looks."""
    font = ImageFont.truetype(str(font_path), round(points * dpi / 72))
    width, height = (round(inches * dpi) for inches in A4_INCHES)
    margin, step = round(MARGIN_INCHES * dpi), round(font.size * 1.35)
    lines = wrapped_lines(text)
    per_page = (height - 2 * margin) // step
    pages = []
    for first in range(0, len(lines), per_page):
        page = Image.new("L", (width, height), 255)
        draw = ImageDraw.Draw(page)
        for row, line in enumerate(lines[first:first + per_page]):
            draw.text((margin, margin + row * step), line, font=font, fill=0)
        pages.append(page)
    return pages


def wrapped_lines(text: str) -> list[str]:
    return [line for paragraph in text.split("\n") for line in (textwrap.wrap(paragraph, WRAP) or [""])]


def phone_photo(page: Image.Image, seed: int) -> bytes:
    """A 300 dpi page as a phone would photograph it (see the module docstring)."""
    rng = random.Random(seed)
    angle = rng.choice((-1, 1)) * rng.uniform(2.0, 3.0)
    turned = page.rotate(angle, Image.Resampling.BICUBIC, expand=True, fillcolor=235)
    lit = Image.fromarray(_uneven_light(turned, corner=rng.randrange(4)))
    blurred = lit.filter(ImageFilter.GaussianBlur(1.2))
    buffer = io.BytesIO()
    blurred.convert("RGB").save(buffer, "JPEG", quality=70)
    return buffer.getvalue()


def _uneven_light(image: Image.Image, corner: int):
    """The image lit from one corner: full light there, 55 % in the opposite corner."""
    import numpy as np

    height, width = image.height, image.width
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    x, y = x / width, y / height
    distance = ((x if corner % 2 else 1 - x) + (y if corner // 2 else 1 - y)) / 2
    light = 1.0 - 0.45 * distance
    return (np.asarray(image, dtype=np.float32) * light).astype(np.uint8)


def variant_images(text: str, variant: str, seed: int) -> list[bytes]:
    """The encoded images (one per page) of a report in one variant."""
    if variant == "photo":
        return [phone_photo(page, seed + n) for n, page in enumerate(render_pages(text, 300))]
    images = []
    for page in render_pages(text, int(variant.removesuffix("dpi"))):
        buffer = io.BytesIO()
        page.save(buffer, "PNG")
        images.append(buffer.getvalue())
    return images


def finding_keys(text: str, lang: str) -> Counter:
    import nlp

    report = nlp.analyse(text, lang=lang)
    return Counter((f.concept, bool(f.negated), tuple(sorted(f.levels))) for f in report.findings)


@dataclass
class Tally:
    """Counts of one variant and language."""

    reports: int = 0
    pages: int = 0
    seconds: float = 0.0
    cpu: float = 0.0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    exact: int = 0
    failures: list = field(default_factory=list)

    def add(self, other: "Tally") -> None:
        for name in ("reports", "pages", "seconds", "cpu", "tp", "fp", "fn", "exact"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.failures += other.failures

    @property
    def f1(self) -> float:
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn) if self.tp + self.fp + self.fn else 1.0


def run_one(task: tuple[dict, str, int]) -> tuple[str, str, Tally]:
    """OCR, analyse and compare one report in one variant."""
    from nlp.inputs.ocr import OcrError, read_image

    record, variant, seed = task
    lang = record["language"]
    tally = Tally(reports=1)
    texts = ["\n".join(wrapped_lines(record["text"]))] if variant == "wrapped" else []
    images = [] if variant == "wrapped" else variant_images(record["text"], variant, seed)
    for image in images:
        started, cpu = time.monotonic(), _cpu()
        try:
            texts.append(read_image(image).text)
        except OcrError as e:
            tally.failures.append(f"{record['id']}: {e.code} {e.detail}")
        tally.seconds += time.monotonic() - started
        tally.cpu += _cpu() - cpu
        tally.pages += 1
    expected = finding_keys(record["text"], lang)
    found = finding_keys("\n\n".join(texts), lang) if texts else Counter()
    tally.tp = sum((expected & found).values())
    tally.fp = sum((found - expected).values())
    tally.fn = sum((expected - found).values())
    tally.exact = int(expected == found)
    if expected != found:
        tally.failures.append(f"{record['id']} {variant}: missed {dict(expected - found)} extra {dict(found - expected)}")
    return variant, lang, tally


def _cpu() -> float:
    """CPU seconds of this process and its finished children (Tesseract)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main(argv: list[str] | None = None) -> None:
    from nlp.evaluation.gold import gold_files, read_gold
    from nlp.inputs.ocr import missing

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="at most this many reports per language (0: all)")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args(argv)
    if missing():
        sys.exit(f"OCR is not installed: {missing()} (apt-get install tesseract-ocr tesseract-ocr-nld tesseract-ocr-eng)")
    records = list(read_gold(gold_files()))
    if args.limit:
        per_lang = Counter()
        kept = []
        for record in records:
            per_lang[record["language"]] += 1
            if per_lang[record["language"]] <= args.limit:
                kept.append(record)
        records = kept
    variants = args.variants.split(",")
    tasks = [(record, variant, n) for n, record in enumerate(records) for variant in variants]
    tallies: dict[tuple[str, str], Tally] = {}
    started = time.monotonic()
    with ProcessPoolExecutor(max_workers=args.processes) as pool:
        for done, (variant, lang, tally) in enumerate(pool.map(run_one, tasks), 1):
            tallies.setdefault((variant, lang), Tally()).add(tally)
            print(f"{done}/{len(tasks)} {variant} {lang} exact={tally.exact} {tally.seconds:.1f} s "
                  f"{tally.cpu:.1f} cpu-s", file=sys.stderr, flush=True)
    print(f"{len(records)} reports, {len(tasks)} OCR runs, {time.monotonic() - started:.0f} s wall clock, "
          f"{args.processes} processes, load average {os.getloadavg()[0]:.1f} at the end\n")
    print(table(tallies, variants))
    if args.show_misses:
        for tally in tallies.values():
            for failure in tally.failures:
                print(failure)


def table(tallies: dict[tuple[str, str], Tally], variants: list[str]) -> str:
    rows = ["| variant | lang | reports | finding F1 | reports exact | s/page (wall) | CPU s/page |",
            "|---|---|---:|---:|---:|---:|---:|"]
    for variant in variants:
        total = Tally()
        for lang in ("en", "nl"):
            tally = tallies.get((variant, lang))
            if tally:
                total.add(tally)
                rows.append(_row(variant, lang, tally))
        rows.append(_row(variant, "both", total))
    return "\n".join(rows)


def _row(variant: str, lang: str, tally: Tally) -> str:
    pages = tally.pages or math.nan  # none for "wrapped"
    return (f"| {variant} | {lang} | {tally.reports} | {tally.f1:.3f} | {tally.exact}/{tally.reports} "
            f"| {tally.seconds / pages:.1f} | {tally.cpu / pages:.1f} |")


if __name__ == "__main__":
    main()
